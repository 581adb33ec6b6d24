"""The command line: every command explains itself with an example, and every failure is one line.

A failure a user can fix (a mkdocs.yml that does not parse, an option of the wrong kind, a missing
file) is told as ``error: <where>: <what>; <what to do>`` and exit 1: never a traceback.
"""

from __future__ import annotations

import argparse

import pytest

from briefing.cli import build_parser, main
from briefing.site import main as site_main

from conftest import briefing


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, path + (name,))


def test_every_command_has_help_with_an_example():
    commands = list(_commands(build_parser()))
    assert {c for c, _ in commands} >= {("validate",), ("build",), ("serve",), ("quotes",), ("new", "source"),
                                         ("new", "actor"), ("coverage",), ("archive", "add")}
    for path, parser in commands:
        if any(isinstance(a, argparse._SubParsersAction) for a in parser._actions) and path:
            continue  # a group ("new", "archive"): its commands have the examples
        helped = parser.format_help()
        assert "Example:" in helped or "Examples:" in helped, f"briefing {' '.join(path)} --help gives no example"
        assert parser.description or path == (), f"briefing {' '.join(path)} --help says nothing of what it does"


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
