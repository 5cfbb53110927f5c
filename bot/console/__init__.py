"""The console chat: the same `/ticket` commands on a terminal, for trying Tiket without Slack or Discord."""
