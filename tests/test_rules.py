"""Every rule in the registry (scripts/briefing/rules.py) shows itself: each failing example, run
through the real loader and validator, reports that rule (and no other but those it names), at the
rule's level; each passing example, the nearest valid variant, reports nothing. A rule whose check
is deleted fails here."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from briefing.archive import Archive
from briefing.load import load_entries
from briefing.problems import Problem
from briefing.rules import RULES, Example
from briefing.validate import validate_entries

from conftest import MINI, ROOT
from samples import ACTOR, SHA, SOURCE, edited

SAMPLES = {"source": SOURCE, "actor": ACTOR}


def problems(example: Example, tmp_path: Path) -> list[Problem]:
    """What the loader and validator report for the test project with ``example`` added."""
    entries = tmp_path / "entries"
    shutil.copytree(MINI / "entries", entries)
    text = example.text if example.text is not None else edited(
        SAMPLES[example.kind], [(old.replace("{sha}", SHA), new.replace("{sha}", SHA)) for old, new in example.edits],
        repr(example))
    text += "# " + "x" * example.pad + "\n" if example.pad else ""
    target = entries / f"{example.kind}s" / example.name
    assert not target.exists(), f"{example.name} would replace one of the test project's entries"
    written = tmp_path / "elsewhere.yml" if example.link else target
    written.write_bytes(text.encode(example.encoding))
    if example.link:
        target.symlink_to(written)
    folder = MINI / "archive" if example.archive else tmp_path / "missing"
    if example.captures is not None:
        folder = Path(shutil.copytree(folder, tmp_path / "archive"))
        (folder / "captures.yml").write_text(example.captures, "utf-8")
    archive = Archive(folder, required=True, named_in="mkdocs.yml")
    return validate_entries(load_entries(entries, tmp_path), archive)


CASES = [(rule, "fails", i, ex) for rule in RULES.values() for i, ex in enumerate(rule.fails)] + \
        [(rule, "passes", i, ex) for rule in RULES.values() for i, ex in enumerate(rule.passes)]


@pytest.mark.parametrize("rule,how,index,example", CASES, ids=[f"{c[0].id}-{c[1]}-{c[2]}" for c in CASES])
def test_example(rule, how, index, example, tmp_path):
    found = problems(example, tmp_path)
    if how == "passes":
        assert [p.format() for p in found] == []
        return
    assert rule.id in {p.rule for p in found}, f"{rule.id} not reported; got {[p.format() for p in found]}"
    assert {p.rule for p in found} - {rule.id} <= set(example.also), [p.format() for p in found]
    assert {p.level for p in found if p.rule == rule.id} == {rule.level}


def test_the_test_project_alone_has_no_problems(tmp_path):
    shutil.copytree(MINI / "entries", tmp_path / "entries")
    assert validate_entries(load_entries(tmp_path / "entries", tmp_path), Archive(MINI / "archive")) == []


def test_every_rule_has_a_failing_and_a_passing_example():
    assert len(RULES) > 45
    assert [r.id for r in RULES.values() if not r.fails or not r.passes] == []
    assert [(r.id, also) for r in RULES.values() for ex in r.fails for also in ex.also if also not in RULES] == []


def test_no_rule_id_is_written_outside_the_registry():
    """The modules that report problems name rules by the registry's constants, never by a string:
    a string would be a rule with no explanation and no example."""
    found = []
    for name in ("load.py", "schema.py", "validate.py", "coverage.py"):
        tree = ast.parse((ROOT / "scripts" / "briefing" / name).read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in RULES:
                found.append(f"{name}:{node.lineno}: {node.value!r}")
            elif isinstance(node, ast.JoinedStr) and any(
                    isinstance(v, ast.Constant) and any(str(v.value).startswith(r.split("-")[0] + "-")
                                                        for r in RULES) for v in node.values[:1]):
                found.append(f"{name}:{node.lineno}: an f-string rule id")
    assert found == []


def test_contributing_lists_the_rules_of_the_registry():
    """CONTRIBUTING.md's list of rules is the registry's, word for word."""
    from briefing.rules import with_rules
    guide = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    assert guide == with_rules(guide), \
        "CONTRIBUTING.md's list of rules is out of step with scripts/briefing/rules.py: run " \
        "`briefing rules --update CONTRIBUTING.md` (and edit a rule's text in rules.py, not in the guide)"


def test_the_list_is_only_rewritten_between_its_markers():
    from briefing.rules import BEGIN, END, markdown, with_rules
    made = with_rules(f"before\n{BEGIN}\nold list\n{END}\nafter\n")
    assert made == f"before\n{BEGIN}\n\n{markdown()}\n{END}\nafter\n"
    with pytest.raises(ValueError, match="no line"):
        with_rules("a guide with no markers\n")


def test_briefing_rules_explains_one_rule_all_of_them_or_updates_a_guide(tmp_path, capsys):
    from briefing.cli import main
    from briefing.rules import BEGIN, END, markdown
    assert main(["rules", "furniture-lines"]) == 0
    one = capsys.readouterr().out
    assert one.startswith("furniture-lines (error): ") and "blank line" in one
    assert main(["rules"]) == 0
    assert capsys.readouterr().out == markdown()
    guide = tmp_path / "GUIDE.md"
    guide.write_text(f"# Guide\n{BEGIN}\nstale\n{END}\n", "utf-8")
    assert main(["rules", "--update", str(guide)]) == 0
    assert guide.read_text("utf-8") == f"# Guide\n{BEGIN}\n\n{markdown()}\n{END}\n"
    assert "rewritten" in capsys.readouterr().err
    assert main(["rules", "furniture-line"]) == 1
    assert capsys.readouterr().err.strip() == \
        "error: no rule is called 'furniture-line'; `briefing rules` lists them all"
    guide.write_text("# no markers\n", "utf-8")
    assert main(["rules", "--update", str(guide)]) == 1
    assert capsys.readouterr().err.startswith(f"error: {guide}: the guide has no line")
