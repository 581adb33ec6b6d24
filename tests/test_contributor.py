"""A new source, added to a copy of the real briefing exactly as CONTRIBUTING.md walks through it,
passes validation, the strict site build and the real-corpus tests, with no change to any code.

The practice document and the filled-in entry are read from CONTRIBUTING.md itself, so the guide
and this test cannot drift apart.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, briefing, run
from samples import guide_block

GUIDE = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
PROJECT_PARTS = ["mkdocs.yml", "docs", "entries", "archive", "overrides"]
SUMMARY = ("A practice report, written for the contributor's guide, says the navies of the Northern Sea "
           "Forum's members will set up a telephone hotline to avoid incidents at sea. The forum's "
           "spokesperson, Omar Haddad, is quoted calling a direct line the simplest way to stop a mistake "
           "from becoming a crisis, and saying that a first test call is planned for the coming weeks and "
           "that the line will be staffed around the clock. The report adds that the forum did not say which "
           "navies would take part first. The document is fictional and exists only to practise adding a "
           "source to the briefing.")


def guide_commands(after: str, until: str, command: str = "briefing new") -> list[str]:
    """The ``$ briefing ...`` commands CONTRIBUTING.md shows between two headings."""
    section = GUIDE[GUIDE.index(after):GUIDE.index(until)]
    return re.findall(rf"^\$ ({command} .*)$", section, re.M)


@pytest.fixture(scope="module")
def contributed(tmp_path_factory) -> Path:
    """A copy of the real project with the guide's sixth source added, step by step."""
    project = tmp_path_factory.mktemp("contributor") / "briefing"
    project.mkdir()
    for part in PROJECT_PARTS:
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy2)(ROOT / part, project / part)

    # 1. The document goes into the archive with the guide's `briefing archive add` (the guide's
    #    ~/005_practice.txt is a file beside the project here).
    document = guide_block("text", "The practice document, `005_practice.txt`:")
    captured = project.parent / "005_practice.txt"
    captured.write_text(document, "utf-8")
    [add, *_] = guide_commands("### 1. Put the document", "### 2. Start the entry", "briefing archive add")
    made = briefing(*[str(captured) if arg == "~/005_practice.txt" else arg for arg in _argv(add)], cwd=project)
    assert made.returncode == 0, made.stderr

    # 2. The scaffold, with the guide's own command line (the first one; the repeat shows the refusal).
    archived = re.search(r" as archive/(\d{3}_[0-9a-f]{16}\.txt) ", made.stdout)[1]  # the next free number
    [new_source, *_] = guide_commands("### 2. Start the entry", "### 3. Fill in the entry")
    made = briefing(*[archived if re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", arg) else arg for arg in _argv(new_source)],
                    cwd=project)
    assert made.returncode == 0, made.stderr
    entry_path = project / "entries" / "sources" / "northern-sea-hotline-2025.yml"
    scaffold = yaml.safe_load(entry_path.read_text("utf-8"))
    assert scaffold["archive"]["sha256"] == hashlib.sha256(document.encode("utf-8")).hexdigest()
    # No quote typed by hand: the scaffold's stubs hold every quote the guide's entry has, verbatim.
    stubs = {q["text"].rstrip(",") for q in scaffold["quotes"]}

    # 3. The entry, filled in as the guide shows, with the summary written and published.
    filled = yaml.safe_load(guide_block("yaml", "### 3. Fill in the entry"))
    # The guide's file name is the one a five-document archive gives; a larger archive gives the next number.
    taken = sorted(int(f.name[:3]) for f in (project / "archive").iterdir() if re.match(r"\d{3}_", f.name))
    assert filled["archive"]["file"][3:] == scaffold["archive"]["file"][3:]
    assert int(scaffold["archive"]["file"][:3]) == taken[-1]  # the newest document is this one
    filled["archive"]["file"] = scaffold["archive"]["file"]
    assert {k: v for k, v in filled["archive"].items() if k != "furniture"} == scaffold["archive"]
    assert filled["url"] == scaffold["url"]  # from the capture record
    assert {q["text"] for q in filled["quotes"]} <= stubs
    filled.update(status="published", summary=SUMMARY)
    entry_path.write_text(yaml.safe_dump(filled, allow_unicode=True, sort_keys=False), "utf-8")

    # 4. The new actors, with the guide's commands, then filled in as it shows.
    section = GUIDE[GUIDE.index("### 4. Add the actors"):GUIDE.index("### 5. Validate")]
    for command, said in re.findall(r"^\$ (briefing new .*)\n(.*)$", section, re.M):
        made = briefing(*_argv(command), cwd=project)
        if said.startswith("error: "):  # the guide shows a refusal (an actor that exists already)
            assert (made.returncode, made.stderr.strip()) == (1, said), made.stderr
        else:
            assert made.returncode == 0 and made.stdout.splitlines()[0] == said, made.stdout + made.stderr
    actor = yaml.safe_load(guide_block("yaml", "roles the sources show with the source ids that show them"))
    (project / "entries" / "actors" / f"{actor['id']}.yml").write_text(
        yaml.safe_dump(actor, allow_unicode=True, sort_keys=False), "utf-8")
    return project


def _argv(command: str) -> list[str]:
    import shlex
    return shlex.split(command)[1:]


def test_the_new_source_validates(contributed):
    result = briefing("validate", cwd=contributed)
    assert result.returncode == 0, result.stdout + result.stderr
    sources = len(list((contributed / "entries" / "sources").glob("*.yml")))
    assert re.search(rf"^ok: {sources} sources", result.stderr, re.M), result.stderr


@pytest.mark.site
def test_the_site_builds_with_the_new_source(contributed):
    result = run([sys.executable, "-m", "briefing.site", "--out", "site", "--quiet"], contributed)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (contributed / "site" / "sources" / "northern-sea-hotline-2025" / "index.html").read_text("utf-8")
    assert "A direct line between the navies is the simplest way to stop a mistake from becoming a crisis" in page
    assert (contributed / "site" / "actors" / "omar-haddad" / "index.html").is_file()


def test_the_real_corpus_tests_pass_on_it(contributed):
    """The tests every pull request runs on the real briefing, run on the briefing with the new source."""
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                  str(ROOT / "tests" / "test_corpus.py")],
                 ROOT, env={"BRIEFING_TEST_PROJECT": str(contributed)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"\b\d+ passed\b", result.stdout) and "skipped" not in result.stdout, result.stdout
