"""`mkdocs serve` renders again only the pages an edit changed: after any edit, the pages it
keeps from the last build plus the ones it renders again are exactly a full render."""

from __future__ import annotations

import random
import re
import shutil

import pytest

from briefing.build import Memo
from briefing.pages import plan_pages
from briefing.project import load_project, read_settings
from briefing.render import render_site
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
    before = memo.rendered
    out = dict(memo.pages(loaded.corpus, settings.site, plan_pages(loaded.corpus, settings.site)))
    return out, memo.rendered - before, render_site(load_project(settings).corpus, settings.site)


@pytest.mark.parametrize("seed", range(6))
def test_kept_and_rerendered_pages_equal_a_full_render(project, seed):
    rng = random.Random(seed)
    settings = read_settings(project / "mkdocs.yml")
    memo, cache = Memo(), {}
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
    memo, cache = Memo(), {}
    render_with(memo, cache, settings)
    edit_title(project, random.Random(3))
    pages, rendered, full = render_with(memo, cache, settings)
    assert pages == full
    assert rendered <= len(full) // 3, f"{rendered} of {len(full)} pages rendered again"


def _edit(folder: str, stem: str, pattern: str, replacement: str):
    def edit(root):
        path = root / "entries" / folder / f"{stem}.yml"
        text = path.read_text()
        new = re.sub(pattern, replacement, text, count=1, flags=re.M)
        assert new != text, pattern
        path.write_text(new)
    return edit


EACH_KIND = {  # one edit of each kind of entry, as a writer makes it while `mkdocs serve` runs
    "source summary": _edit("sources", "source-3", r'^summary: "', 'summary: "Newly summarised. '),
    "source date": _edit("sources", "source-3", r'^  date: "\d{4}', '  date: "1999'),
    "source title": _edit("sources", "source-5", r'^title: "', 'title: "Retitled '),
    "quote context": _edit("sources", "source-4", r'^    context: "', '    context: "Said later: '),
    "quote topics": _edit("sources", "source-4", r"^    topics: \[topic-\d+\]", "    topics: [topic-39]"),
    "quote speaker": _edit("sources", "source-4", r"^    speaker: actor-\d+",
                           '    speaker: unknown\n    speaker_note: "Not named."'),
    "event title": _edit("sources", "source-6", r'^    title: "', '    title: "Postponed: '),
    "event date": _edit("sources", "source-6", r'^      date: "\d{4}-\d\d"', '      date: "2031-01"'),
    "actor name": _edit("actors", "actor-7", r'^name: "', 'name: "Renamed '),
    "actor description": _edit("actors", "actor-7", r'^description: "', 'description: "Formerly '),
    "topic name": _edit("topics", "topic-2", r'^name: "', 'name: "Retitled '),
    "topic description": _edit("topics", "topic-2", r'^description: "', 'description: "Broadly: '),
}


@pytest.mark.parametrize("kind", EACH_KIND)
def test_serve_after_each_kind_of_edit_writes_exactly_a_full_render(project, kind):
    """Through the serve-time path (build.Session: the entry cache, the memo, files rewritten only
    when they changed, the exports written after the build), every generated file after the edit
    is byte for byte a fresh full render, and so is every export in the served folder."""
    from briefing.build import Session
    from briefing.exports import plan_exports, render_exports

    settings = read_settings(project / "mkdocs.yml")
    session = Session(serving=True)
    served = project / "served"
    try:
        def serve():
            loaded = session.load(settings)
            assert loaded.ok, [p.format() for p in loaded.problems]
            corpus, site = loaded.corpus, settings.site
            made = session.generate(corpus, site, plan_pages(corpus, site), plan_exports(corpus, site), [])
            if not served.exists():  # what MkDocs does with the first build's files
                shutil.copytree(session.folder, served)
            session.write_exports_later(served)  # as the plugin does once the build is done
            assert session.wait_for_exports()
            return {path: (session.folder / path).read_bytes() for path, data in made if data is None}

        before = serve()
        rendered = session.memo.rendered
        EACH_KIND[kind](project)
        after = serve()
        corpus = load_project(settings).corpus
        full = {path: text.encode("utf-8") for path, text in
                {**render_site(corpus, settings.site), **render_exports(corpus, settings.site)}.items()}
        assert after.keys() == full.keys()
        wrong = [path for path in full if after[path] != full[path]]
        assert not wrong, f"{kind}: {len(wrong)} stale file(s), e.g. {wrong[:5]}"
        exported = render_exports(corpus, settings.site)
        assert {path: (served / path).read_bytes() for path in exported} == \
            {path: text.encode("utf-8") for path, text in exported.items()}, kind
        assert after != before, kind
        assert session.memo.rendered - rendered < len(render_site(corpus, settings.site)), "the memo kept no page"
    finally:
        session.close()


def test_a_template_that_reads_something_new_is_tracked(project, monkeypatch):
    """No list of what templates read: a template that starts reading the corpus directly, a
    method of it or a picture made from it is rendered again when what it read changed."""
    import jinja2

    from briefing import render
    from briefing.build import Memo
    from briefing.pages import PageJob

    probe_template = jinja2.DictLoader({"probe.md.j2": (
        "{{ corpus.actors['actor-7'].description }} / {{ corpus.actor_name('actor-8') }} / "
        "{{ actor_links(corpus, 'actor-9') | length }}\n")})
    for watching in (True, False):
        env = render._environment(watching, None)  # the key Pages uses
        monkeypatch.setattr(env, "loader", jinja2.ChoiceLoader([probe_template, env.loader]))
    settings = read_settings(project / "mkdocs.yml")
    memo, cache, job = Memo(), {}, PageJob("probe.md", "probe.md.j2", dict)

    def probe():
        corpus = load_project(settings, cache=cache).corpus
        text = dict(memo.pages(corpus, settings.site, [job]))["probe.md"]
        assert text == render.Pages(corpus, settings.site).page("probe.md", "probe.md.j2")
        return text

    first = probe()
    assert probe() == first and memo.rendered == 1  # nothing changed: kept
    for edit in (EACH_KIND["actor description"], _edit("actors", "actor-8", r'^name: "', 'name: "Other ')):
        edit(project)
        rendered = memo.rendered
        assert probe() != first and memo.rendered == rendered + 1
        first = probe()
