"""Spread independent work (loading entry files, rendering pages) over this machine's cores.

Workers are forked from this process, so they inherit what it has built (the list of files, the
corpus) instead of having it pickled to them; only results travel back, in order. Where forking
is not available, or one worker is asked for, the same work runs here, slice by slice.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterator, TypeVar

R = TypeVar("R")
JOBS_ENV = "BRIEFING_JOBS"

_TASK: Callable[[int, int], list] | None = None  # what the forked workers run


def workers_available() -> int:
    """BRIEFING_JOBS if set, else the CPUs this process may run on."""
    wanted = os.environ.get(JOBS_ENV, "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def slices(task: Callable[[int, int], list[R]], count: int, *, workers: int = 1, size: int = 64,
           alone: int = 0) -> Iterator[R]:
    """``task(start, stop)`` over consecutive slices of ``range(count)``, ``size`` items each but
    the first ``alone`` items, which get a slice each (large tasks); the results in order."""
    global _TASK
    bounds = [(i, i + 1) for i in range(min(alone, count))]
    bounds += [(start, min(start + size, count)) for start in range(len(bounds), count, size)]
    try:
        if len(bounds) < 2 * workers or not _forking(workers):
            for start, stop in bounds:
                yield from task(start, stop)
            return
        _TASK = task
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for results in pool.imap(_run, bounds):
                yield from results
    finally:
        _TASK = None


def _forking(workers: int) -> bool:
    """Whether to fork: more than one worker asked for, and a system that forks."""
    return workers > 1 and "fork" in multiprocessing.get_all_start_methods()


def _run(bounds: tuple[int, int]) -> list:
    assert _TASK is not None, "workers are forked from slices()"
    return _TASK(*bounds)


def start_in_background(task: Callable[[], None]) -> Callable[[], bool]:
    """Start ``task`` in a forked process (it inherits what this one built) and return a function
    that waits for it and says whether it finished without an error (the child prints its own
    traceback). With one worker asked for, or no fork, the task runs here and now."""
    if not _forking(workers_available()):
        task()
        return lambda: True
    process = multiprocessing.get_context("fork").Process(target=task, daemon=True)
    process.start()

    def wait() -> bool:
        process.join()
        return process.exitcode == 0

    return wait
