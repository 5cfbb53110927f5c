"""The Slack adapter: a Bolt app served over HTTP (uvicorn) or Socket Mode, and the
SlackNotifier that delivers outbox messages. Nothing is built at import time."""
