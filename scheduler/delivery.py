"""Moved: the dispatcher lives in tickets/delivery.py; RetryLater and Held beside Notifier in
tickets/ports.py. Kept so older imports keep working; new code imports those modules."""
from tickets.delivery import Dispatcher, OutboxStore  # noqa: F401
from tickets.ports import Held, RetryLater  # noqa: F401
