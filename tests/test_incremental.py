"""`mkdocs serve` renders again only the pages an edit changed: after any edit, the pages it
keeps from the last build plus the ones it renders again are exactly a full render."""

from __future__ import annotations

import random
import re

import pytest

from briefing.project import load_project, read_settings
from briefing.render import Pages, plan_pages, render_site
from briefing.synthetic import write_corpus


def some_source(root, rng):
    return rng.choice(sorted((root / "entries/sources").iterdir()))


def edit_title(root, rng):
    path = some_source(root, rng)
    path.write_text(re.sub(r'title: "', 'title: "Edited ', path.read_text(), count=1))


def edit_date(root, rng):
    path = some_source(root, rng)
    path.write_text(re.sub(r'date: "\d{4}', f'date: "{rng.randrange(1990, 2030)}', path.read_text(), count=1))


def edit_actor_name(root, rng):
    path = rng.choice(sorted((root / "entries/actors").iterdir()))
    path.write_text(re.sub(r'name: "', 'name: "Renamed ', path.read_text(), count=1))


def edit_topic_name(root, rng):
    path = rng.choice(sorted((root / "entries/topics").iterdir()))
    path.write_text(re.sub(r'name: "', 'name: "Retitled ', path.read_text(), count=1))


def edit_context(root, rng):
    path = some_source(root, rng)
    path.write_text(path.read_text().replace("context: \"", "context: \"Newly noted: ", 1))


def edit_speaker(root, rng):
    path = some_source(root, rng)
    text = path.read_text()
    # another of the source's actors: a speaker is always one of them (rule speaker-listed)
    actors = sorted(set(re.findall(r"^  - id: (actor-\d+)$", text[text.index("\nactors:"):], re.M)))
    path.write_text(re.sub(r"speaker: actor-\d+", f"speaker: {rng.choice(actors)}", text, count=1))


def delete_source(root, rng):
    sources = sorted((root / "entries/sources").iterdir())
    cited = " ".join(p.read_text() for p in (root / "entries/actors").iterdir())
    loose = [p for p in sources if p.stem not in cited]
    if loose:
        rng.choice(loose).unlink()


def copy_source(root, rng):
    path = some_source(root, rng)
    new = f"copy-{rng.randrange(10**6)}"
    text = path.read_text().replace(f"id: {path.stem}\n", f"id: {new}\n")
    (root / f"entries/sources/{new}.yml").write_text(text)


EDITS = [edit_title, edit_date, edit_actor_name, edit_topic_name, edit_context, edit_speaker, delete_source,
         copy_source]


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFING_ARCHIVE", raising=False)
    root = write_corpus(tmp_path, 12)
    (root / "mkdocs.yml").write_text("site_name: Synthetic\nplugins:\n  - briefing:\n      archive: archive\n"
                                     "      page_size: 5\n")
    return root


def render_with(memo, cache, settings):
    loaded = load_project(settings, cache=cache)
    assert loaded.ok, [p.format() for p in loaded.problems]
    pages = Pages(loaded.corpus, settings.site, memo)
    jobs = plan_pages(loaded.corpus, settings.site)
    for gone in set(memo) - {job.path for job in jobs}:
        del memo[gone]
    out = {job.path: pages.page(job.path, job.template, **job.context()) for job in jobs}
    return out, pages.rendered, render_site(load_project(settings).corpus, settings.site)


@pytest.mark.parametrize("seed", range(6))
def test_kept_and_rerendered_pages_equal_a_full_render(project, seed):
    rng = random.Random(seed)
    settings = read_settings(project / "mkdocs.yml")
    memo, cache = {}, {}
    first, rendered, full = render_with(memo, cache, settings)
    assert first == full and rendered == len(full)
    for _ in range(4):
        edit = rng.choice(EDITS)
        edit(project, rng)
        pages, rendered, full = render_with(memo, cache, settings)
        assert pages == full, edit.__name__
        assert rendered < len(full), edit.__name__  # the memo kept some pages


def test_a_source_title_edit_renders_only_what_shows_that_title(project):
    settings = read_settings(project / "mkdocs.yml")
    memo, cache = {}, {}
    render_with(memo, cache, settings)
    edit_title(project, random.Random(3))
    pages, rendered, full = render_with(memo, cache, settings)
    assert pages == full
    assert rendered <= len(full) // 3, f"{rendered} of {len(full)} pages rendered again"
