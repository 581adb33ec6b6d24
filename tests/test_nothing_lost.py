"""Nothing lost: no command touches hand-written files or entries; a failed run keeps the last site.

Every file of the project but the output folders is hashed before and after each command, with
good entries and with a broken one; a previous site (or page folder) is hashed byte for byte.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from conftest import run

pytestmark = pytest.mark.site
OUTPUTS = ("site", "pages", "out")


def tree_hash(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()
            and p.relative_to(root).parts[0] not in skip and "__pycache__" not in p.parts}


COMMANDS = {
    "briefing validate": [sys.executable, "-m", "briefing.cli", "validate"],
    "briefing build --out": [sys.executable, "-m", "briefing.cli", "build", "--out", "pages"],
    "python -m briefing.site": [sys.executable, "-m", "briefing.site", "--out", "site", "--quiet"],
    "mkdocs build": [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", "out"],
}


def _break(project: Path) -> None:
    entry = project / "entries/actors/ada-quill.yml"
    entry.write_text(entry.read_text("utf-8").replace("kind: person", "kind: human"), "utf-8")


@pytest.mark.parametrize("broken", [False, True], ids=["good entries", "a broken entry"])
def test_no_command_changes_docs_or_entries(mini, no_archive_env, broken):
    if broken:
        _break(mini)
    before = tree_hash(mini, OUTPUTS)
    for name, command in COMMANDS.items():
        result = run(command, mini)
        assert (result.returncode != 0) == broken, (name, result.stderr[-2000:])
        assert tree_hash(mini, OUTPUTS) == before, name


def test_failed_runs_keep_the_previous_output_byte_for_byte(mini, no_archive_env):
    for command in COMMANDS.values():
        assert run(command, mini).returncode == 0
    outputs = {name: tree_hash(mini / name) for name in OUTPUTS}
    assert all(outputs.values())
    _break(mini)
    for name, command in COMMANDS.items():
        assert run(command, mini).returncode != 0, name
        for folder in OUTPUTS:
            assert tree_hash(mini / folder) == outputs[folder], (name, folder)
    assert not [p for p in mini.iterdir() if p.name.startswith((".site.", ".out."))], "staging folder left behind"


def test_a_build_that_fails_after_validation_keeps_the_previous_site(mini, no_archive_env):
    """A hand-written page where a generated one goes fails MkDocs after the entries validated (and
    after plain `mkdocs build` would have emptied its folder): the last site stays as it was."""
    command = COMMANDS["python -m briefing.site"]
    assert run(command, mini).returncode == 0
    before = tree_hash(mini / "site")
    (mini / "docs/timeline").mkdir()
    (mini / "docs/timeline/index.md").write_text("# My own timeline\n", "utf-8")
    docs = tree_hash(mini / "docs")
    assert run(command, mini).returncode != 0
    assert tree_hash(mini / "site") == before
    assert tree_hash(mini / "docs") == docs


def test_a_page_that_fails_to_render_leaves_the_pages_folder_as_it_was(mini, no_archive_env):
    """`briefing build --out` makes every file before it touches the folder: a template of the
    project's own that fails on one page (after the pages before it were made) is told, and the
    folder keeps the last good run's files byte for byte, with no new page in it that the next
    run would refuse as someone else's. Fixing the template, the next run writes the change."""
    from conftest import briefing, with_theme_overrides

    assert briefing("build", "--out", "pages", cwd=mini).returncode == 0
    before = tree_hash(mini / "pages")
    source = mini / "entries/sources/hotline-talks.yml"
    source.write_text(source.read_text("utf-8").replace('title: "', 'title: "Revised: ', 1), "utf-8")
    (mini / "entries/actors/ines-marlow.yml").write_text(
        'id: ines-marlow\nname: "Ines Marlow"\nkind: person\ndescription: "A minister."\n', "utf-8")
    template = with_theme_overrides(mini) / "briefing" / "topic.md.j2"
    template.parent.mkdir()
    template.write_text("# {{ t.name }}\n\n{{ t.no_such_field }}\n", "utf-8")
    failed = briefing("build", "--out", "pages", cwd=mini)
    assert failed.returncode == 1 and failed.stderr.startswith("error: overrides/briefing/topic.md.j2:3: error: ")
    assert "Traceback" not in failed.stderr, failed.stderr
    assert tree_hash(mini / "pages") == before
    assert [p.name for p in mini.iterdir() if p.name.startswith(".pages.")] == [], "staging folder left behind"
    template.unlink()
    fixed = briefing("build", "--out", "pages", cwd=mini)
    assert fixed.returncode == 0, fixed.stderr
    assert (mini / "pages/actors/ines-marlow.md").is_file()
    assert "Revised: " in (mini / "pages/sources/hotline-talks.md").read_text("utf-8")
