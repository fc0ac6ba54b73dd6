"""List helpers: pagination, and results kept for as long as the snapshot is the same object."""

from registry.listing import paginate, per_snapshot


def test_paginate_clamps_the_page_into_range():
    items = list(range(60))
    assert paginate(items, 1, 25) == (items[:25], 1, 3)
    assert paginate(items, 9, 25) == (items[50:], 3, 3)
    assert paginate(items, 0, 25)[1] == 1
    assert paginate([], 4, 25) == ([], 1, 1)


def test_results_are_kept_per_snapshot_and_per_arguments():
    calls = []

    @per_snapshot
    def derive(snapshot, argument):
        calls.append((snapshot, argument))
        return len(calls)

    first, second = object(), object()
    assert derive(first, "a") == derive(first, "a") == 1
    assert derive(first, "b") == 2
    assert derive(second, "a") == 3  # a new snapshot forgets everything derived before
    assert derive(first, "a") == 4
