"""Helpers for list pages: pagination, and keeping what a page derives from the snapshot.

`registry.checks.current_snapshot()` returns the same Snapshot object while the registry is
unchanged, so results computed from it (counts, orderings, timelines) stay true until the next
change replaces it; `per_snapshot` keeps them that long. Callers treat them as read-only.
"""

import functools
import threading

MAX_RESULTS = 64


def paginate(items, page, size):
    """Return (the items of `page`, page, pages) of a sequence; `page` is clamped to the range."""
    pages = max((len(items) + size - 1) // size, 1)
    page = min(max(page, 1), pages)
    return items[(page - 1) * size: page * size], page, pages


def per_snapshot(function):
    """Cache `function(snapshot, *args)` by `args` until a different snapshot is passed."""
    lock = threading.Lock()
    state = {"snapshot": None, "results": {}}

    @functools.wraps(function)
    def cached(snapshot, *args):
        with lock:
            if state["snapshot"] is not snapshot:
                state["snapshot"], state["results"] = snapshot, {}
            if args in state["results"]:
                return state["results"][args]
        result = function(snapshot, *args)
        with lock:
            if state["snapshot"] is snapshot and len(state["results"]) < MAX_RESULTS:
                state["results"][args] = result
        return result

    return cached
