"""Discord adapter tests run the real discord.py bot on SimCord (see harness.py)."""
