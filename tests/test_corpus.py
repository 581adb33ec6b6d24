"""The real briefing in entries/: clean, faithful to its archive, and without repeats.

Properties only, for whatever sources there are: a pull request that adds a source passes
these with no change here (tests/test_contributor.py proves it on a copy with a sixth source).
BRIEFING_TEST_PROJECT names another project folder to check (that test uses it).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from briefing import captures
from briefing.archive import normalize
from briefing.project import load_project, read_settings

from conftest import ROOT

PROJECT = Path(os.environ.get("BRIEFING_TEST_PROJECT") or ROOT)


@pytest.fixture(scope="module")
def loaded():
    settings = read_settings(PROJECT / "mkdocs.yml")
    # The archive is part of the project: it must be there, never skipped.
    assert settings.archive.available, f"the source archive {settings.archive.path} is missing"
    return settings, load_project(settings)


def test_real_corpus_validates_clean(loaded):
    _, result = loaded
    assert [p.format() for p in result.problems if p.level == "error"] == []
    assert result.corpus is not None


def test_every_quote_was_checked_against_the_archive(loaded):
    settings, result = loaded
    for source in result.corpus.sources:
        document = settings.archive.text(source.archive_file)
        assert document is not None, source.archive_file
        for quote in source.quotes:
            assert normalize(quote.text) in document, (source.id, quote.id)


def test_archive_files_are_unchanged(loaded):
    settings, result = loaded
    for source in result.corpus.sources:
        actual = hashlib.sha256((settings.archive.path / source.archive_file).read_bytes()).hexdigest()
        assert actual == source.archive_sha256, f"{source.archive_file} changed since {source.entry_path} was written"


def test_one_source_per_document_and_a_source_for_every_document(loaded):
    """Each archived document is the source of exactly one entry: none twice, none left without
    its entry (a pull request adds a document and its entry together)."""
    settings, result = loaded
    files = [s.archive_file for s in result.corpus.sources]
    assert len(files) == len(set(files)), sorted(f for f in files if files.count(f) > 1)
    documents = {p.name for p in captures.documents(settings.archive.path)}
    assert documents == set(files), {"without an entry": sorted(documents - set(files)),
                                     "not in the archive": sorted(set(files) - documents)}


def test_no_quote_repeats_anywhere(loaded):
    _, result = loaded
    seen: dict[str, str] = {}
    for quote in result.corpus.quotes():
        key = normalize(quote.text)
        assert key not in seen, f"{quote.uid} repeats {seen[key]}"
        seen[key] = quote.uid


def test_every_published_source_is_summarised(loaded):
    _, result = loaded
    for source in result.corpus.sources:
        if source.status != "published":
            continue
        assert 80 <= len(source.summary.split()) <= 200, source.id
        assert source.capture_notes, source.id


def test_model_objects_are_slotted_and_dates_span_their_range(loaded):
    """A large briefing holds hundreds of thousands of model objects: none carries a dict of its own."""
    for source in loaded[1].corpus.sources:
        for obj in (source, source.published, source.outlet, *source.quotes[:1], *source.actors[:1],
                    *source.events[:1]):
            assert not hasattr(obj, "__dict__"), type(obj).__name__
        first, last = source.published.range
        assert first <= source.published.date <= last
        assert (first < last) == (source.published.precision != "day"), source.id
