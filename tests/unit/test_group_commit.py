"""Group commit: concurrent callers share a write, each gets its own result, errors reach everyone."""
from __future__ import annotations

import threading

import pytest

from storage.group_commit import GroupCommit


def test_each_caller_gets_its_own_result_from_shared_batches():
    written: list[list[int]] = []
    release = threading.Event()

    def write(batch: list[int]) -> list[int]:
        if not written:
            release.wait(10)  # the first leader holds on: everyone else queues behind it
        written.append(batch)
        return [n * 10 for n in batch]

    group = GroupCommit(write)
    results: dict[int, int] = {}
    queued = threading.Barrier(21)

    def caller(n: int) -> None:
        queued.wait()
        results[n] = group.submit(n)

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(20)]
    for th in threads:
        th.start()
    queued.wait()
    release.set()
    for th in threads:
        th.join(10)
    assert results == {n: n * 10 for n in range(20)}
    assert sorted(n for batch in written for n in batch) == list(range(20))  # each written exactly once
    assert group.batches == len(written) <= 20


def test_a_failed_batch_fails_every_caller_in_it_and_the_next_one_is_written():
    calls = []

    def write(batch):
        calls.append(list(batch))
        if batch == ["boom"]:
            raise RuntimeError("database down")
        return [True for _ in batch]

    group = GroupCommit(write)
    with pytest.raises(RuntimeError):
        group.submit("boom")
    assert group.submit("ok") is True and calls == [["boom"], ["ok"]]
