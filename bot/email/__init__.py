"""Email: a team mailbox becomes a ticket queue (IMAP in, SMTP out), behind the channel port.

Reading and writing mail lives here only: `parse` reads any mail robustly, `loops` tells
automatic mail and bounces apart, `fetch` moves mail between the IMAP server and the inbox,
`handler` turns a stored mail into a service call, `compose` and `notifier` write mail out.
"""
