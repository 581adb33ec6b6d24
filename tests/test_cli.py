"""The command line: every command explains itself with an example, and every failure is one line.

A failure a user can fix (a mkdocs.yml that does not parse, an option of the wrong kind, a missing
file) is told as ``error: <where>: <what>; <what to do>`` and exit 1: never a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.cli import READER_GONE, build_parser, main, site_parser
from briefing.site import main as site_main

from conftest import briefing


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every command and group the parser has, found in the parser itself: (words after the program, parser)."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, path + (name,))


def _groups(parser: argparse.ArgumentParser) -> bool:
    return any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)


DOORS = [(build_parser, main, "briefing"), (site_parser, site_main, "python -m briefing.site")]
EVERY_COMMAND = [(door, path) for door in DOORS for path, _ in _commands(door[0]())]


@pytest.mark.parametrize("door, path", EVERY_COMMAND,
                         ids=[f"{prog} {' '.join(path)}".strip() for (_, _, prog), path in EVERY_COMMAND])
def test_every_command_has_help_with_an_example_that_parses(door, path, capsys, monkeypatch):
    parser, run, prog = door
    monkeypatch.setenv("COLUMNS", "2000")  # argparse wraps to the terminal; keep each example on its line
    with pytest.raises(SystemExit) as done:
        run([*path, "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    command = " ".join([prog, *path])
    assert shown.startswith(f"usage: {command}"), shown
    found = re.search(r"^Examples?: (.+)$", shown, re.MULTILINE)
    assert found, f"{command} --help gives no example"
    example = found[1].split(" | ")[0]  # "briefing fields source | less": the command, not the pager
    assert example.startswith(f"{command} ") or example == command, f"{command} --help: its example is {example!r}"
    words = shlex.split(example)[len(prog.split()):]
    args = parser().parse_args(words)  # the example is a command line that parses (argparse would exit 2)
    assert callable(args.func), f"{example!r} names no command"
    description = dict(_commands(parser()))[path].description
    assert description, f"{command} --help says nothing of what it does"


def test_the_walk_finds_every_command():
    """The test above takes its commands from the parsers; check it sees the nested ones and
    that each command it sees (each parser without subcommands) is one that runs something."""
    commands = dict(_commands(build_parser()))
    leaves = {path for path, parser in commands.items() if not _groups(parser)}
    assert {("new", "source"), ("new", "actor"), ("archive", "add"), ("validate",)} <= leaves
    for path in leaves:
        assert callable(commands[path].get_default("func")), path
    assert not _groups(site_parser()) and callable(site_parser().get_default("func"))


@pytest.mark.parametrize("text, where, what", [
    ("site_name: x\nplugins: [\n", "bad.yml:3:1:", "YAML syntax error"),
    ("site_name: x\nplugins:\n  - briefing:\n      page_size: many\n", "bad.yml:", "page_size must be a whole number"),
    ("site_name: x\nplugins:\n  - briefing:\n      page_size: 0\n", "bad.yml:", "page_size must be a whole number"),
    ("site_name: x\nplugins:\n  - briefing:\n      entries: [a, b]\n", "bad.yml:", "option entries must be text"),
    ("- just\n- a list\n", "bad.yml:", "must be a mapping"),
])
@pytest.mark.parametrize("command", [["validate"], ["quotes", "x"], ["coverage"], ["build", "--out", "pages"]])
def test_a_broken_mkdocs_yml_is_one_line_naming_where(tmp_path, monkeypatch, capsys, text, where, what, command):
    (tmp_path / "bad.yml").write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["--config", "bad.yml", *command]) == 1
    told = capsys.readouterr()
    assert told.out == ""
    [line] = told.err.splitlines()
    assert line.startswith(f"error: {where}") and what in line, line


def test_the_site_build_says_the_same_in_one_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "bad.yml").write_text("site_name: x\nplugins:\n  - briefing:\n      page_size: many\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert site_main(["--config", "bad.yml", "--out", "site"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: bad.yml: the briefing plugin's option page_size must be a whole number "
        "of at least 1 (items on one list page), not 'many'; e.g. page_size: 100"]
    assert not (tmp_path / "site").exists()


def test_a_missing_mkdocs_yml_is_one_line(tmp_path):
    done = briefing("--config", "nowhere.yml", "validate", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["error: nowhere.yml: no such file; run this inside a briefing project, "
                                        "or give --config"]
    done = briefing("validate", cwd=tmp_path)  # no --config, and none above: the same kind of line
    assert done.returncode == 1 and done.stderr.startswith("error: no mkdocs.yml here")
    assert "Traceback" not in done.stderr


def test_a_file_name_is_told_safely(tmp_path, monkeypatch, capsys):
    name = "bad\x1b[31m.yml"
    (tmp_path / name).write_text("plugins: [\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["--config", name, "validate"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "bad\\x1b[31m.yml:2:1:" in err


@pytest.mark.parametrize("make, argv, told", [
    (None, ["coverage", "no-such-source"], "error: no source entry no-such-source in "),
    (None, ["quotes", "hotline", "--source", "nope"], "error: no source with id 'nope'; see entries/sources/"),
    (None, ["archive", "add", "nowhere.txt"], "error: nowhere.txt: no such file"),
    (None, ["new", "actor", "Ada Quill"], "error: 'Ada Quill' is already an actor: ada-quill"),
    ("no-archive", ["coverage"], "error: this project names no source archive"),
    ("no-archive", ["archive", "add", "x.txt"], "error: this project names no source archive"),
    ("a-file", ["build", "--out", "a-file/pages"], "error: "),  # the system refuses: told, no traceback
])
def test_a_users_mistake_is_one_line_and_exit_1(mini, monkeypatch, capsys, no_archive_env, make, argv, told):
    monkeypatch.chdir(mini)
    if make == "no-archive":
        config = mini / "mkdocs.yml"
        config.write_text(config.read_text("utf-8").replace("archive: archive", "subject: Mini"), "utf-8")
    if make == "a-file":
        (mini / "a-file").write_text("not a folder\n", "utf-8")
    assert main(argv) == 1
    err = capsys.readouterr().err
    [line] = [line for line in err.splitlines() if line.startswith("error:")]
    assert line.startswith(told), err
    assert "Traceback" not in err


SECRET_TEXT = "api_key: sk-SECRET-123: x"
DEEP = "[" * 20_000 + "]" * 20_000


def _hostile_file(mini: Path, outside: Path, where: str, how: str) -> None:
    path = mini / where
    if how == "deep":
        path.write_text(DEEP, "utf-8")
    elif how == "link":
        (outside / "secret.yml").write_text(SECRET_TEXT + "\n", "utf-8")
        path.unlink(missing_ok=True)
        path.symlink_to(outside / "secret.yml")
    else:  # an actor whose aliases are a number
        path.write_text('id: odd\nname: "Odd One"\nkind: person\naliases: 5\ndescription: "x"\n', "utf-8")


@pytest.mark.parametrize("where, how, argv, told", [
    ("entries/sources/deep.yml", "deep", ["coverage"], None),
    ("entries/sources/linked.yml", "link", ["coverage"], None),
    ("entries/actors/odd.yml", "aliases", ["new", "actor", "Jane Roe"], None),
    ("entries/actors/deep.yml", "deep", ["new", "actor", "Jane Roe"], None),
    ("archive/captures.yml", "deep", ["archive", "add", "doc.txt"], "error: "),
    ("archive/captures.yml", "link", ["archive", "add", "doc.txt"], "error: "),
])
def test_a_hostile_file_beside_a_contributors_command_is_told_not_a_traceback(
        mini, tmp_path, monkeypatch, capsys, where, how, argv, told):
    """Round two of the attacker's review: briefing coverage read entries with a bare YAML load (a
    deep file: RecursionError; a link to /dev/zero: read without end); briefing new actor stopped
    on an actor whose aliases are a number (TypeError); briefing archive add on a deep or linked
    archive/captures.yml (RecursionError, and the link's target's text in the message). They use
    the validator's reader now: the command goes on, or says what is wrong in one line."""
    outside = tmp_path / "outside"
    outside.mkdir()
    _hostile_file(mini, outside, where, how)
    (tmp_path / "doc.txt").write_text("A document.\n", "utf-8")
    monkeypatch.chdir(mini)
    code = main([*argv[:2], str(tmp_path / "doc.txt")] if argv[0] == "archive" else argv)
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output and "SECRET" not in output and str(outside) not in output
    if told is None:
        assert code == 0, output
    else:
        assert code == 1 and any(line.startswith(told) for line in captured.err.splitlines()), output


@pytest.mark.parametrize("argv, told", [
    (["serve", "--port", "99999"], "argument --port: '99999' is not a port"),
    (["serve", "--port", "http"], "argument --port: 'http' is not a port"),
    (["quotes", "x", "--since", "March 2020"], "argument --since: 'March 2020' is not a date"),
    (["fields", "nope"], "argument kind: invalid choice: 'nope'"),
    (["no-such-command"], "invalid choice: 'no-such-command'"),
])
def test_a_bad_option_value_is_argparse_usage_and_exit_2(capsys, argv, told):
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: briefing") and told in err, err


@pytest.mark.parametrize("argv, broken", [
    (["fields"], False),              # 24 kB of reference
    (["quotes", "hotline"], False),   # a match
    (["quotes", "hotline", "--json"], False),
    (["validate"], True),             # a problem line on stdout
    (["validate", "--format", "github"], True),
])
def test_a_reader_that_goes_away_ends_the_command_quietly(mini, argv, broken):
    """``briefing ... | head -0``: the pipe's reading end is closed before the command writes its
    first line (it is still importing), so its first write fails, as in any pipe whose reader left."""
    if broken:
        entry = mini / "entries" / "topics" / "diplomacy.yml"
        entry.write_text(entry.read_text("utf-8") + "colour: blue\n", "utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("BRIEFING_ARCHIVE", None)
    proc = subprocess.Popen([sys.executable, "-m", "briefing.cli", *argv], cwd=mini, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(120) == READER_GONE == 141, err
    assert "Traceback" not in err and "Exception" not in err and "Broken pipe" not in err, err


def test_a_full_pipeline_with_head_is_quiet(mini):
    """The same through a real shell pipeline, ``briefing fields | head -1``: the first line arrives,
    and whether the command finished before head left or not, nothing more is said."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(["bash", "-o", "pipefail", "-c", f"{shlex.quote(sys.executable)} -m briefing.cli fields "
                           "| head -1"], cwd=mini, env=env, capture_output=True, text=True)
    assert done.stdout.startswith("Fields of an entry") and done.stdout.count("\n") == 1
    assert done.stderr == "" and done.returncode in (0, READER_GONE), done.stderr
