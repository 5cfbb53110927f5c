"""Group commit: concurrent callers' writes share one transaction.

The first caller to arrive becomes the leader: it takes every request queued so far, writes them
with one statement in one transaction and hands each caller its own result; callers that arrived
meanwhile wait (on a condition, not in the database's busy handler) and the next of them leads the
next batch. Fifty acknowledgements arriving together cost a few commits instead of fifty, and on
SQLite (one writer at a time) they no longer queue one by one for the write lock.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class _Slot(Generic[T]):
    item: T
    done: bool = False
    result: Any = None
    error: BaseException | None = field(default=None, repr=False)


class GroupCommit(Generic[T, R]):
    def __init__(self, write: Callable[[list[T]], list[R]]) -> None:
        self.write = write  # one transaction for the batch; a result per item, in order
        self._cond = threading.Condition()
        self._queue: list[_Slot[T]] = []
        self._leading = False
        self.batches = 0  # how many transactions were written (figures, tests)

    def submit(self, item: T) -> R:
        slot = _Slot(item)
        with self._cond:
            self._queue.append(slot)
            while not slot.done and self._leading:
                self._cond.wait()
            if slot.done:
                if slot.error is not None:
                    raise slot.error
                return slot.result
            self._leading = True
            batch, self._queue = self._queue, []
        error: BaseException | None = None
        results: list[R] = []
        try:
            results = self.write([s.item for s in batch])
        except BaseException as exc:  # every caller of this batch learns it was not written
            error = exc
        with self._cond:
            for index, s in enumerate(batch):
                s.error = error
                s.result = results[index] if error is None else None
                s.done = True
            self._leading = False
            self.batches += 1
            self._cond.notify_all()
        if error is not None:
            raise error
        return slot.result
