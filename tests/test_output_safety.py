"""What the build writes, and where: never into the project's sources or over others' files, with
the modes the umask gives, recovering from a build killed half way; text that renders in linear
time; problems printed as one inert line whatever a file name holds."""

from __future__ import annotations

import hashlib
import html
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import cli, site
from briefing.problems import Problem
from briefing.text import SPECIAL, md, paragraphs
from briefing.write import MANIFEST, SITE_MARKER

from conftest import briefing, run, with_theme_overrides


def tree_digest(root: Path) -> dict[str, str]:
    """Every path under ``root`` with its kind, mode and content hash (links by their target)."""
    seen = {}
    for folder, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            path = Path(folder, name)
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                seen[str(path.relative_to(root))] = f"link {os.readlink(path)}"
            elif stat.S_ISDIR(info.st_mode):
                seen[str(path.relative_to(root))] = f"dir {oct(info.st_mode)}"
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                seen[str(path.relative_to(root))] = f"{oct(info.st_mode)} {digest}"
    return seen


@pytest.fixture
def project(mini: Path, monkeypatch, no_archive_env) -> Path:
    """The mini project with a theme custom_dir, a built site, and the current folder set to it."""
    (with_theme_overrides(mini) / "main.html").write_text('{% extends "base.html" %}\n')
    (mini.parent / "neighbour.txt").write_text("a file beside the project\n")
    monkeypatch.chdir(mini)
    return mini


def _foreign(project: Path) -> str:
    (project / "notes").mkdir()
    (project / "notes" / "todo.txt").write_text("mine\n")
    return "notes"


def _a_file(project: Path) -> str:
    (project / "plain.txt").write_text("a file\n")
    return "plain.txt"


def _link_to_docs(project: Path) -> str:
    (project / "docs-link").symlink_to(project / "docs")
    return "docs-link"


def _absolute_ancestor(project: Path) -> str:
    return "/"


DANGEROUS = {"docs": "docs", "docs/sub": "docs/sub", "entries": "entries", "entries/topics": "entries/topics",
             "archive": "archive", "overrides": "overrides", "root": ".", "parent": "..", "grandparent": "../..",
             "absolute ancestor": _absolute_ancestor, "foreign folder": _foreign, "a file": _a_file,
             "link to docs": _link_to_docs}


def _target(project: Path, how) -> str:
    return how(project) if callable(how) else how


@pytest.mark.parametrize("name", DANGEROUS)
def test_site_build_refuses_a_dangerous_folder_and_touches_nothing(project, name, capsys, monkeypatch):
    target = _target(project, DANGEROUS[name])
    watched = project.parent  # the project and what lies beside it
    before = tree_digest(watched)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("the build ran"))
    assert site.main(["--config", "mkdocs.yml", "--out", target, "--no-pagefind"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: refusing to write into {target}:") and "choose" in err
    assert tree_digest(watched) == before


@pytest.mark.parametrize("name", DANGEROUS)
def test_pages_build_refuses_a_dangerous_folder_and_touches_nothing(project, name, capsys):
    target = _target(project, DANGEROUS[name])
    watched = project.parent
    before = tree_digest(watched)
    assert cli.main(["--config", str(project / "mkdocs.yml"), "build", "--out", target]) == 1
    err = capsys.readouterr().err
    assert f"error: refusing to write into {target}:" in err and "choose" in err
    assert tree_digest(watched) == before


def test_each_door_writes_again_into_its_own_folder_and_nowhere_else(project, capsys):
    assert cli.main(["--config", str(project / "mkdocs.yml"), "build", "--out", "pages"]) == 0
    assert (project / "pages" / MANIFEST).is_file()
    assert cli.main(["--config", str(project / "mkdocs.yml"), "build", "--out", "pages"]) == 0
    (project / "pages" / "mine.txt").write_text("added by hand\n")
    assert cli.main(["--config", str(project / "mkdocs.yml"), "build", "--out", "pages"]) == 1
    assert "for example mine.txt" in capsys.readouterr().err
    # Each door recognises only its own folders: a pages folder is no site.
    (project / "pages" / "mine.txt").unlink()
    assert site.main(["--config", "mkdocs.yml", "--out", "pages", "--no-pagefind", "--quiet"]) == 1
    assert site.main(["--config", "mkdocs.yml", "--out", "site", "--no-pagefind", "--quiet"]) == 0
    assert (project / "site" / SITE_MARKER).is_file()
    assert site.main(["--config", "mkdocs.yml", "--out", "site", "--no-pagefind", "--quiet"]) == 0
    assert cli.main(["--config", str(project / "mkdocs.yml"), "build", "--out", "site"]) == 1
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


# --- a build killed half way: the next one recovers ---------------------------------------------

KILLED_BUILD = """
import os, signal, sys
from pathlib import Path
from briefing import site
calls = []
real_replace = os.replace
def replace(src, dst):
    calls.append(1)
    if {point!r} == "between renames" and len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst)
os.replace = replace
if {point!r} == "before the swap":
    site._swap = lambda new, out: os.kill(os.getpid(), signal.SIGKILL)
sys.exit(site.main(["--out", "site", "--no-pagefind", "--quiet"]))
"""


@pytest.mark.parametrize("point", ["between renames", "before the swap"])
def test_a_build_killed_during_the_swap_is_undone_by_the_next(project, point):
    assert run([sys.executable, "-m", "briefing.site", "--no-pagefind", "--quiet"], project).returncode == 0
    first = tree_digest(project / "site")
    killed = run([sys.executable, "-c", KILLED_BUILD.format(point=point)], project)
    assert killed.returncode == -9, killed.stderr
    left = sorted(p.name for p in project.iterdir() if p.name.startswith(".site"))
    if point == "between renames":
        assert not (project / "site").exists() and ".site.old" in left and len(left) == 2
    else:
        assert tree_digest(project / "site") == first and len(left) == 1
    again = run([sys.executable, "-m", "briefing.site", "--no-pagefind", "--quiet"], project)
    assert again.returncode == 0, again.stderr
    assert "note: " in again.stderr
    assert (project / "site" / "index.html").is_file()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_recovery_removes_only_its_own_leftovers(project):
    (project / "site").mkdir()
    (project / "site" / SITE_MARKER).write_text(site.FINISHED)
    keep = {".site.abcdefgh": None, ".site.old2": site.FINISHED, ".sitex.abcdefgh": site.FINISHED,
            ".site.running1": None}
    for name, marker in keep.items():
        (project / name).mkdir()
        (project / name / "page.html").write_text("someone's\n")
        if marker:
            (project / name / SITE_MARKER).write_text(marker)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (project / ".site.running1" / SITE_MARKER).write_text(f"building: process {sleeper.pid}\n")
        (project / ".site.killed12").mkdir()
        (project / ".site.killed12" / SITE_MARKER).write_text("building: process 999999999\n")
        before = tree_digest(project)
        done = site.recover(project / "site")
    finally:
        sleeper.kill()
        sleeper.wait()
    assert done == ["removed .site.killed12, left by a stopped build"]
    assert {k: v for k, v in before.items() if not k.startswith(".site.killed12")} == tree_digest(project)


def test_a_foreign_old_folder_stops_the_build_before_it_starts(project, capsys, monkeypatch):
    assert site.main(["--out", "site", "--no-pagefind", "--quiet"]) == 0
    (project / ".site.old").mkdir()
    (project / ".site.old" / "keep.txt").write_text("mine\n")
    before = tree_digest(project)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("the build ran"))
    assert site.main(["--out", "site", "--no-pagefind", "--quiet"]) == 1
    assert "error: .site.old is in the way and was not made by briefing" in capsys.readouterr().err
    assert tree_digest(project) == before


# --- modes: what the umask gives ordinary files and folders --------------------------------------

@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_site_and_pages_get_the_modes_the_umask_gives(project, umask):
    for command in ([sys.executable, "-m", "briefing.site", "--out", "site", "--quiet"],
                    [sys.executable, "-m", "briefing.cli", "build", "--out", "pages"]):
        done = subprocess.run(command, cwd=project, umask=umask, capture_output=True, text=True,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        assert done.returncode == 0, done.stderr
    for out in (project / "site", project / "pages"):
        modes = {oct(stat.S_IMODE(p.lstat().st_mode)) for p in [out, *out.rglob("*")] if p.is_dir()}
        assert modes == {oct(0o777 & ~umask)}, out
        modes = {oct(stat.S_IMODE(p.lstat().st_mode)) for p in out.rglob("*") if p.is_file()}
        assert modes == {oct(0o666 & ~umask)}, out
    assert (project / "site" / "pagefind").is_dir()  # the finder's index was checked too


# --- text that renders in linear time ----------------------------------------------------------

HOSTILE_RUNS = [c * 5000 for c in SPECIAL] + ["[[]]" * 1000, "[a](" * 1000, "![" * 1000, "<a " * 1000,
                                              "&amp;" * 1000, "**x" * 1000, "&#42;" * 1000, "\\*" * 1000]


@pytest.mark.parametrize("value", HOSTILE_RUNS, ids=lambda v: v[:6])
def test_escaped_text_gives_python_markdown_no_inline_work(value):
    """Python-Markdown rebuilds a paragraph's whole text for every inline match, so escaped text
    must offer none: no backslash escape, no reference its entity pattern knows, nothing else."""
    converter = markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "admonition", "toc"])
    converter.convert("")  # builds the inline patterns
    for text in (str(md(value)), str(paragraphs(value))):
        assert "\\" not in text
        for pattern in converter.treeprocessors["inline"].inlinePatterns:
            regex = pattern.getCompiledRegExp()
            assert not regex.search(text) or pattern.__class__.__name__ == "DelimiterProcessor", pattern
        assert not re.search(r"[*_]", text)  # the emphasis delimiters, which the processor above would scan
        assert html.unescape(text) == " ".join(value.split())


# --- problems: one inert line whatever a path or message holds -----------------------------------

def _github_unescape(value: str, prop: bool) -> str:  # as actions/runner's ActionCommand does
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    for escaped, char in pairs:
        value = value.replace(escaped, char)
    return value


def _command(line: str) -> bool:
    """Whether GitHub's runner would act on the line: "::" after leading white space, or "##[" anywhere."""
    return line.lstrip().startswith("::") or "##[" in line


TEXT = st.text(st.characters(codec="utf-8"))


@settings(max_examples=300)
@given(path=TEXT, message=TEXT, rule=TEXT, hint=TEXT)
def test_a_problem_is_one_inert_line_in_either_format(path, message, rule, hint):
    problem = Problem(path, 3, 4, message, rule, hint)
    text, github = problem.format(), problem.format_github()
    for line in (text, github):
        assert len(line.splitlines()) == 1 and "\x1b" not in line and "\x9b" not in line
        assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", line)
    assert not _command(text)
    found = re.fullmatch(r"::error file=([^,]*),line=3,col=4,title=([^,:]*)::(.*)", github)
    assert found, github
    # GitHub's escaping round-trips; it has none for other control characters, which are shown as escapes.
    if not re.search(SHOWN_ESCAPED, path + message + rule + hint):
        assert _github_unescape(found[1], True) == path
        assert _github_unescape(found[2], True) == rule
        assert _github_unescape(found[3], False) == message + (f" - hint: {hint}" if hint else "")


SHOWN_ESCAPED = "[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def test_a_file_name_cannot_print_a_workflow_command(project):
    name = "x\n::warning file=README.md,line=1::pwned\x1b[2J\u202e.yml"
    (project / "entries" / "topics" / name).write_text("id: x\nname: X\n")
    for command in (["validate"], ["validate", "--format", "github"], ["build", "--out", "pages"]):
        done = briefing(*command, cwd=project)
        assert done.returncode == 1
        lines = (done.stdout + done.stderr).splitlines()
        assert any("pwned" in line for line in lines)
        assert not [line for line in lines if _command(line) and not line.startswith("::error file=")]
        assert "\x1b" not in done.stdout + done.stderr and "\u202e" not in done.stdout + done.stderr
    built = run([sys.executable, "-m", "briefing.site", "--no-pagefind"], project)
    assert built.returncode == 1 and "pwned" in built.stderr
    assert not [line for line in built.stderr.splitlines() if _command(line)]
    assert "\x1b" not in built.stderr.replace("\x1b[0m", "")
