"""The web door: one ASGI app with Slack's endpoints, the request form, status pages and the REST API.

Adapter only: HTTP in, inbox entries / service calls out. `bot.web.factory.make_web_app(container)`
builds it from settings; other channels add their routes through `WebRouter`s (see bot/web/app.py).
"""
