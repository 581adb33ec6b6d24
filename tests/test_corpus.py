"""The real briefing in entries/: clean, faithful to its archive, and without repeats."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from briefing.archive import normalize
from briefing.project import ARCHIVE_ENV, load_project, read_settings

from conftest import ROOT


@pytest.fixture(scope="module")
def loaded():
    settings = read_settings(ROOT / "mkdocs.yml")
    if os.environ.get(ARCHIVE_ENV):
        # CI names the archive explicitly: a missing folder must fail here, never skip.
        assert Path(os.environ[ARCHIVE_ENV]).is_dir(), f"{ARCHIVE_ENV}={os.environ[ARCHIVE_ENV]} does not exist"
    return settings, load_project(settings)


def test_real_corpus_validates_clean(loaded):
    _, result = loaded
    assert [p.format() for p in result.problems if p.level == "error"] == []
    assert result.corpus is not None


def test_every_quote_was_checked_against_the_archive(loaded):
    settings, result = loaded
    if not settings.archive.available:
        pytest.skip("source archive not present on this machine (CI always sets BRIEFING_ARCHIVE)")
    for source in result.corpus.sources:
        document = settings.archive.text(source.archive_file)
        assert document is not None, source.archive_file
        for quote in source.quotes:
            assert normalize(quote.text) in document, (source.id, quote.id)


def test_archive_files_are_unchanged(loaded):
    settings, result = loaded
    if not settings.archive.available:
        pytest.skip("source archive not present on this machine (CI always sets BRIEFING_ARCHIVE)")
    for source in result.corpus.sources:
        actual = hashlib.sha256((settings.archive.path / source.archive_file).read_bytes()).hexdigest()
        assert actual == source.archive_sha256, f"{source.archive_file} changed since {source.entry_path} was written"


def test_five_sources_one_per_document(loaded):
    _, result = loaded
    files = [s.archive_file for s in result.corpus.sources]
    assert len(files) == 5 and len(set(files)) == 5


def test_no_quote_repeats_anywhere(loaded):
    _, result = loaded
    seen: dict[str, str] = {}
    for quote in result.corpus.quotes():
        key = normalize(quote.text)
        assert key not in seen, f"{quote.uid} repeats {seen[key]}"
        seen[key] = quote.uid


def test_every_source_is_published_and_summarised(loaded):
    _, result = loaded
    for source in result.corpus.sources:
        assert source.status == "published", source.id
        assert 80 <= len(source.summary.split()) <= 200, source.id
        assert source.capture_notes, source.id


def test_model_objects_are_slotted_and_dates_span_their_range(loaded):
    """A large briefing holds hundreds of thousands of model objects: none carries a dict of its own."""
    source = next(s for s in loaded[1].corpus.sources if s.published.precision == "approximate")
    for obj in (source, source.published, source.outlet, *source.quotes[:1], *source.actors[:1], *source.events[:1]):
        assert not hasattr(obj, "__dict__"), type(obj).__name__
    first, last = source.published.range
    assert first <= source.published.date <= last and first < last
