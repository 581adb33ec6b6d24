"""Spread independent work (loading entry files, rendering pages) over this machine's cores.

This process is one of the workers; the others are forked from it, so they inherit what it has
built (the list of files, the corpus) instead of having it pickled to them, and only their results
travel back, in order. Where forking is not available, or one worker is asked for, the same work
runs here, slice by slice.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import struct
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import IO, Any, TypeVar, cast

R = TypeVar("R")
JOBS_ENV = "BRIEFING_JOBS"


def workers_available() -> int:
    """BRIEFING_JOBS if set, else the CPUs this process may run on."""
    wanted = os.environ.get(JOBS_ENV, "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def slices(task: Callable[[int, int], list[R]], count: int, *, workers: int = 1, size: int = 64,
           large: int = 0) -> Iterator[R]:
    """``task(start, stop)`` over consecutive slices of ``range(count)``, ``size`` items each but
    the last ``large`` items, which get a slice each; the results in order.

    With more than one worker, this process is one of them: it forks ``workers - 1`` helpers, and
    each takes the next slice no one has taken until none is left, so the work stays shared
    however uneven the slices are. The helpers take the large tasks first and this process takes
    them last: its own results then come in order while the helpers work, instead of waiting in
    memory for slices made elsewhere, and the large tasks' memory peaks stay out of this process.
    What this process makes never travels between processes, and only the helpers' copies of its
    memory are written to (every object a task reads has its reference count changed: in a forked
    process that copies the page it sits on)."""
    large = min(large, count)
    bounds = [(start, min(start + size, count - large)) for start in range(0, count - large, size)]
    small = len(bounds)
    bounds += [(i, i + 1) for i in range(count - large, count)]
    if len(bounds) < 2 * workers or not _forking(workers):
        for start, stop in bounds:
            yield from task(start, stop)
        return
    yield from _shared(task, bounds, small, workers - 1)


_NOTICE = struct.Struct("<qqq")  # slice number (-1: the helper failed), offset and length in its spool


def _shared(task: Callable[[int, int], list[R]], bounds: list[tuple[int, int]], small: int,
            helpers: int) -> Iterator[R]:
    """``bounds[:small]`` are the ordinary slices, the rest the large tasks."""
    context = multiprocessing.get_context("fork")
    lock = context.Lock()
    next_small, next_large = context.RawValue("q", 0), context.RawValue("q", small)

    def take(large_first: bool) -> int | None:
        with lock:
            for counter, end in ((next_large, len(bounds)), (next_small, small))[::1 if large_first else -1]:
                if counter.value < end:
                    counter.value += 1
                    return counter.value - 1
        return None

    def help_out(notices: Connection, spool: int) -> None:
        # A helper writes what it made to its spool file and sends a small notice of where: a
        # notice never waits for this process to read it, as results through a pipe would. The
        # spool is an unnamed file in the temporary folder (TMPDIR); at 10,000 sources a helper
        # spools 24 MB of entries' data while reading, and 68 MB of pages.
        offset = 0
        try:
            while (number := take(large_first=True)) is not None:
                data = memoryview(pickle.dumps(task(*bounds[number]), pickle.HIGHEST_PROTOCOL))
                written = 0
                while written < len(data):
                    written += os.write(spool, data[written:])
                notices.send_bytes(_NOTICE.pack(number, offset, len(data)))
                offset += len(data)
        except BaseException as error:  # noqa: BLE001 (handed to the caller, raised there)
            notices.send_bytes(_NOTICE.pack(-1, 0, 0) + _picklable(error))
            sys.exit(1)

    helpers_running: list[tuple[multiprocessing.process.BaseProcess, Connection, IO[bytes]]] = []
    try:
        for _ in range(helpers):
            notices, send = context.Pipe(duplex=False)
            spool: IO[bytes] = tempfile.TemporaryFile(prefix="briefing-")
            process: multiprocessing.process.BaseProcess = context.Process(
                target=help_out, args=(send, spool.fileno()), daemon=True)
            process.start()
            send.close()
            helpers_running.append((process, notices, spool))
        yield from _in_order(task, bounds, take, helpers_running)
    finally:
        for process, notices, spool in helpers_running:
            if process.is_alive():
                process.terminate()
            process.join()
            notices.close()
            spool.close()


def _in_order(task: Callable[[int, int], list[R]], bounds: list[tuple[int, int]], take: Callable[[bool], int | None],
              helpers: list[tuple[Any, Connection, IO[bytes]]]) -> Iterator[R]:
    """Yield each slice's results in order: made here, or read from the helper that made it.
    While a slice made elsewhere is not ready, this process takes the next one itself."""
    listening = {notices: spool for _, notices, spool in helpers}
    ready: dict[int, tuple[IO[bytes], int, int]] = {}
    mine: dict[int, list[R]] = {}

    def hear(block: bool) -> None:
        # wait() gives back some of the objects it was given: here, connections.
        for notices in cast("list[Connection]", wait(list(listening), None if block else 0)):
            try:
                message = notices.recv_bytes()
            except EOFError:  # that helper is done (or was killed: then a slice never comes)
                del listening[notices]
                continue
            number, offset, length = _NOTICE.unpack_from(message)
            if number < 0:
                error, told = pickle.loads(message[_NOTICE.size:])
                raise error from HelperTraceback(told)
            ready[number] = (listening[notices], offset, length)

    for number in range(len(bounds)):
        while number not in mine and number not in ready:
            hear(block=False)
            if number in ready:
                break
            other = take(False)
            if other is not None:
                mine[other] = task(*bounds[other])
            elif listening:
                hear(block=True)
            else:
                raise RuntimeError(f"a helper process stopped before making slice {number} of {len(bounds)}")
        if number in mine:
            yield from mine.pop(number)
        else:
            spool, offset, length = ready.pop(number)
            data = os.pread(spool.fileno(), length, offset)
            if len(data) != length:
                raise RuntimeError(f"slice {number} came back short from its helper ({len(data)} of {length} bytes)")
            yield from pickle.loads(data)


class HelperTraceback(Exception):
    """The traceback of an error raised in a helper process, as text: the cause of the error the
    caller gets, so that the report shows where in the helper it happened."""

    def __str__(self) -> str:
        return "in a helper process:\n" + str(self.args[0])


def _picklable(error: BaseException) -> bytes:
    """The error as the caller can raise it, with its traceback's text: itself, or a RuntimeError
    naming it when it cannot travel."""
    told = "".join(traceback.format_exception(error))
    try:
        data = pickle.dumps((error, told))
        pickle.loads(data)
        return data
    except Exception:  # noqa: BLE001 (any error that does not round-trip)
        return pickle.dumps((RuntimeError("in a helper process:\n" + told), told))


def _forking(workers: int) -> bool:
    """Whether to fork: more than one worker asked for, and a system that forks."""
    return workers > 1 and "fork" in multiprocessing.get_all_start_methods()


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
