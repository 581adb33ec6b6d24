"""Work spread over forked workers gives exactly what one process gives, in the same order."""

from __future__ import annotations

import dataclasses
import os
import time
from functools import partial
from types import SimpleNamespace

import pytest

from briefing.archive import Archive
from briefing.build import outputs, pages_back_files_aside
from briefing.load import load_entries
from briefing.model import SiteInfo
from briefing.parallel import slices, start_in_background, workers_available
from briefing.synthetic import write_corpus
from briefing.validate import check_entry, validate_entries

from samples import synthetic_corpus


def test_slices_come_back_in_order_from_other_processes():
    def task(start, stop):
        time.sleep(0.05)  # long enough that both workers get slices
        return [(i, os.getpid()) for i in range(start, stop)]

    serial = list(slices(task, 100, workers=1, size=7, large=3))
    forked = list(slices(task, 100, workers=2, size=7, large=3))
    assert [i for i, _ in serial] == [i for i, _ in forked] == list(range(100))
    assert {pid for _, pid in serial} == {os.getpid()}
    assert os.getpid() in {pid for _, pid in forked} and len({pid for _, pid in forked}) == 2  # this one and a helper


def test_slices_are_shared_however_uneven_they_are():
    def task(start, stop):
        time.sleep(1.0 if start == 0 else 0.01)  # the first slice is longer than all the others together
        return [os.getpid()]

    pids = list(slices(task, 30, workers=2, size=1))
    assert pids.count(pids[0]) == 1  # while one process made the long slice, the other made the rest


def test_helpers_take_the_large_tasks_first_and_this_process_its_slices_in_order():
    def task(start, stop):
        time.sleep(0.05)  # the ordinary slices keep this process busy for half a second
        return [(start, os.getpid())]

    made = list(slices(task, 43, workers=2, size=4, large=3))
    assert [start for start, _ in made] == list(range(0, 40, 4)) + [40, 41, 42]
    assert os.getpid() not in {pid for start, pid in made if start >= 40}  # the large ones, made elsewhere
    assert made[0][1] == os.getpid()  # while this process made the first slice


def test_a_failure_in_a_worker_reaches_the_caller():
    def task(start, stop):
        if start <= 42 < stop:
            raise ValueError("entry 42 is broken")
        return list(range(start, stop))

    with pytest.raises(ValueError, match="entry 42"):
        list(slices(task, 100, workers=2, size=5))


def _in_a_helper(fail):
    here = os.getpid()

    def task(start, stop):
        if os.getpid() != here:
            fail(start)
        time.sleep(0.05)  # leave the helper time to start and take a slice, even on a busy machine
        return list(range(start, stop))

    return task


class _Unpicklable(Exception):
    def __init__(self, start):
        super().__init__(f"slice {start}", lambda: None)  # a lambda cannot be pickled


def test_a_failure_in_a_helper_reaches_the_caller():
    def fail(start):
        raise ValueError(f"slice {start} is broken")

    with pytest.raises(ValueError, match="is broken") as raised:
        list(slices(_in_a_helper(fail), 100, workers=2, size=5))
    # It arrives with the helper's traceback, down to the line that raised it.
    assert 'raise ValueError(f"slice {start} is broken")' in str(raised.value.__cause__)


def test_a_failure_that_cannot_travel_reaches_the_caller_as_its_traceback():
    def fail(start):
        raise _Unpicklable(start)

    with pytest.raises(RuntimeError, match="_Unpicklable"):
        list(slices(_in_a_helper(fail), 100, workers=2, size=5))


def test_a_helper_that_dies_is_noticed():
    with pytest.raises(RuntimeError, match="stopped before making slice"):
        list(slices(_in_a_helper(lambda start: os._exit(3)), 100, workers=2, size=5))


def test_briefing_jobs_sets_the_number_of_workers(monkeypatch):
    monkeypatch.setenv("BRIEFING_JOBS", "3")
    assert workers_available() == 3
    monkeypatch.setenv("BRIEFING_JOBS", "many")
    assert workers_available() == len(os.sched_getaffinity(0))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = write_corpus(tmp_path_factory.mktemp("parallel"), 40)
    # Two broken entries: positions must be right although workers pass back data without text.
    source = root / "entries/sources/source-7.yml"
    source.write_text(source.read_text().replace("status: published", "status: publishd"))
    actor = sorted((root / "entries/actors").iterdir())[3]
    actor.write_text(actor.read_text() + "nickname: x\nnickname: y\n")
    return root


def test_loading_on_two_cores_finds_the_same_data_and_problems(synthetic):
    archive = Archive(synthetic / "archive")
    one = load_entries(synthetic / "entries", synthetic, workers=1)
    two = load_entries(synthetic / "entries", synthetic, workers=2, check=partial(check_entry, archive=archive),
                       run=slices)
    assert [(f.path, f.data) for f in one] == [(f.path, f.data) for f in two]
    assert all(f.checks is not None for f in two if f.data is not None)  # checked in the workers
    assert all(f.text is None for f in two if f.data is not None)  # left behind; positions are read again
    found = validate_entries(one, archive)
    assert validate_entries(two, archive) == found
    assert {p.rule for p in found} >= {"schema-enum", "yaml-duplicate-key"}
    assert all(p.line > 1 for p in found if p.rule == "schema-enum")


def test_the_load_result_is_never_changed_by_a_later_stage(synthetic):
    """Validation and the model read the loaded files and write nothing into them (they used to
    keep their answers there); a stage that wants less of a file makes a copy."""
    files = load_entries(synthetic / "entries", synthetic)
    before = [(f.path, f.data, f.problems, f.text, f.checks) for f in files]
    assert validate_entries(files, Archive(synthetic / "archive"))
    assert [(f.path, f.data, f.problems, f.text, f.checks) for f in files] == before
    with pytest.raises(dataclasses.FrozenInstanceError):
        files[0].checks = "changed"  # type: ignore[misc]
    released = files[0].released()
    assert released.data is None and released.readable and files[0].data is not None


def encoded(path, text):
    return path, (text if isinstance(text, str) else "".join(text)).encode("utf-8")  # exports come in pieces


def test_rendering_on_two_cores_makes_the_same_files(tmp_path):
    corpus = synthetic_corpus(tmp_path / "fresh", 40)
    site = SiteInfo("Synthetic", "Synthetic", page_size=10)
    serial = list(outputs(corpus, site, encoded))
    forked = list(outputs(corpus, site, encoded, workers=2))
    assert serial == forked and len(serial) > 100


def test_workers_write_exports_aside_and_send_pages_back(tmp_path):
    corpus = synthetic_corpus(tmp_path / "corpus", 12)
    site = SiteInfo("Synthetic", "Synthetic", page_size=3)
    aside = tmp_path / "aside"
    made = dict(outputs(corpus, site, pages_back_files_aside(aside), workers=2))
    expected = dict(outputs(corpus, site, encoded))
    assert {path for path, data in made.items() if data is None} == {p for p in expected if not p.endswith(".md")}
    for path, data in expected.items():
        assert (made[path] if path.endswith(".md") else (aside / path).read_bytes()) == data, path


def _write_pid(path):
    path.write_text(str(os.getpid()))


def _fail():
    raise RuntimeError("an export went wrong")


def test_a_background_task_runs_in_another_process_and_reports_failure(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("BRIEFING_JOBS", "2")
    wait = start_in_background(partial(_write_pid, tmp_path / "pid"))
    assert wait() is True and (tmp_path / "pid").read_text() != str(os.getpid())
    assert start_in_background(_fail)() is False
    assert "an export went wrong" in capfd.readouterr().err  # the child's traceback is shown
    monkeypatch.setenv("BRIEFING_JOBS", "1")  # one worker: here and now
    wait = start_in_background(partial(_write_pid, tmp_path / "here"))
    assert (tmp_path / "here").read_text() == str(os.getpid()) and wait() is True


def test_the_build_stops_when_the_background_exports_fail():
    from mkdocs.exceptions import PluginError

    from briefing.plugin import BriefingPlugin

    plugin = BriefingPlugin()
    plugin.session.exporting = lambda: False
    config = SimpleNamespace(theme=SimpleNamespace(custom_dir=None))  # no theme overrides to check
    with pytest.raises(PluginError, match="exports failed"):
        plugin.on_env(object(), config=config, files=None)
    plugin.session.exporting = lambda: True
    env = object()
    assert plugin.on_env(env, config=config, files=None) is env and plugin.session.exporting is None
