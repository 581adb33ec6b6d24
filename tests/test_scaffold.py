"""`briefing new source | actor`: skeletons that validate, honest drafts, never an overwrite."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from briefing.scaffold import slugify
from briefing.schema import load_schema

from conftest import briefing, run

SCHEMA_LINE = "# yaml-language-server: $schema=../../scripts/briefing/schemas/{}.schema.json\n"


def validate(project: Path) -> tuple[int, list[str]]:
    result = briefing("validate", cwd=project)
    return result.returncode, result.stdout.splitlines()


def test_new_source_is_a_draft_that_validates(mini):
    doc = mini / "archive" / "doc1.txt"
    result = briefing("new", "source", "--archive", "archive/doc1.txt", "--title", "Ministers agree: a hotline!",
                      cwd=mini)
    assert result.returncode == 0, result.stderr
    path = mini / "entries/sources/ministers-agree-a-hotline.yml"
    assert result.stdout.startswith("wrote entries/sources/ministers-agree-a-hotline.yml (status: draft)\n"
                                    "  prefilled from the document: 3 quote stub(s) with suggested speakers, 2 known "
                                    "actor(s); every suggestion is marked '# suggested:'\nnext:\n")
    assert "briefing validate" in result.stdout and "make serve" in result.stdout
    text = path.read_text("utf-8")
    assert text.startswith(SCHEMA_LINE.format("source"))
    data = yaml.safe_load(text)
    assert data["id"] == "ministers-agree-a-hotline" and data["status"] == "draft"
    assert data["title"] == "Ministers agree: a hotline!"
    assert data["archive"] == {"file": "doc1.txt", "sha256": hashlib.sha256(doc.read_bytes()).hexdigest()}
    assert data["published"] is None  # not known yet, so not made up
    code, lines = validate(mini)
    assert code == 0, lines
    assert lines == ["entries/sources/ministers-agree-a-hotline.yml:6:9: note: draft: published not filled in yet, "
                     "so this source is left off the site (draft-unfilled) - hint: fill them in to see its page"]


def test_source_skeleton_names_every_field_with_a_comment(mini):
    assert briefing("new", "source", "--archive", "doc1.txt", cwd=mini).returncode == 0
    text = (mini / "entries/sources/doc1.yml").read_text("utf-8")
    text = text[text.index("\nid: "):]  # the fields, after the header comment
    schema = load_schema("source")
    fields = list(schema["properties"]) + [f"outlet.{k}" for k in schema["$defs"]["outlet"]["properties"]
                                           if k != "original"]
    for field in fields:
        key = field.split(".")[-1]
        indent = "  " if "." in field else ""
        line = re.search(rf"^{indent}(# )?{key}:.*$", text, re.M)  # a field, or an optional one commented out
        assert line, f"{field} is not in the skeleton"
        assert "#" in line.group(0).split(f"{key}:", 1)[1] or field == "archive.file", f"{field} has no comment"
    data = yaml.safe_load(text)
    assert set(schema["required"]) <= set(data)


def test_id_comes_from_the_file_name_without_a_title(mini):
    result = briefing("new", "source", "--archive", str(mini / "archive/doc1.txt"), cwd=mini)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((mini / "entries/sources/doc1.yml").read_text())
    assert data["id"] == "doc1" and data["title"] is None
    code, lines = validate(mini)
    assert code == 0 and "draft: title and published not filled in yet" in lines[0]


def test_published_entry_still_needs_everything(mini):
    assert briefing("new", "source", "--archive", "doc1.txt", cwd=mini).returncode == 0
    path = mini / "entries/sources/doc1.yml"
    path.write_text(re.sub("^status: draft", "status: published", path.read_text(), flags=re.M))
    code, lines = validate(mini)
    assert code == 1
    assert [line.split(" - hint")[0] for line in lines] == [
        "entries/sources/doc1.yml:7:7: error: 'title' is empty (schema-empty)",
        "entries/sources/doc1.yml:17:11: error: 'published' is empty (schema-empty)",
        # the empty title and date hide nothing else (issue 18.1): the summary is still to write
        "entries/sources/doc1.yml:26:10: error: summary has 0 words; a published summary has 80-200 (summary-length)",
        "entries/sources/doc1.yml:60:16: error: a published source says nothing about its capture (capture-notes)",
    ]
    assert lines[0].endswith("hint: fill it in; it may be left empty only while status is draft")


def test_filled_in_draft_gets_a_page_and_unfilled_one_does_not(mini, tmp_path, no_archive_env):
    assert briefing("new", "source", "--archive", "doc1.txt", "--title", "Second look", cwd=mini).returncode == 0
    path = mini / "entries/sources/second-look.yml"
    build = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d"]
    assert run(build + [str(tmp_path / "a")], mini).returncode == 0
    assert not (tmp_path / "a/sources/second-look").exists()
    path.write_text(path.read_text().replace(
        "published:  #", 'published: {date: "2020-03", precision: month}  #', 1))
    result = run(build + [str(tmp_path / "b")], mini)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "b/sources/second-look/index.html").read_text()
    assert "This entry is a draft" in html and "Second look" in html


def test_citing_an_unfilled_draft_is_an_error(mini):
    assert briefing("new", "source", "--archive", "doc1.txt", cwd=mini).returncode == 0
    actor = mini / "entries/actors/ada-quill.yml"
    actor.write_text(actor.read_text().replace("sources: [hotline-talks]", "sources: [hotline-talks, doc1]"))
    code, lines = validate(mini)
    assert code == 1
    assert lines[0].startswith("entries/actors/ada-quill.yml:11:30: error: source 'doc1' is a draft whose title "
                               "or date is not filled in")


def test_refuses_to_overwrite(mini):
    args = ("new", "source", "--archive", "doc1.txt", "--id", "hotline-talks")
    before = (mini / "entries/sources/hotline-talks.yml").read_bytes()
    result = briefing(*args, cwd=mini)
    assert result.returncode == 1
    assert result.stderr == ("error: entries/sources/hotline-talks.yml already exists; edit it, or choose "
                             "another id with --id\n")
    assert (mini / "entries/sources/hotline-talks.yml").read_bytes() == before
    result = briefing("new", "actor", "Ada Quill", "--new", cwd=mini)  # past the name check: the file exists
    assert result.returncode == 1 and "entries/actors/ada-quill.yml already exists" in result.stderr
    assert not list((mini / "entries").rglob(".*.tmp"))


@pytest.mark.parametrize("args,message", [
    (("--archive", "nowhere.txt"), "error: nowhere.txt: no such file here or in the source archive"),
    (("--archive", "doc1.txt", "--id", "Bad_Id"), "error: 'Bad_Id' is not an id"),
    (("--archive", "doc1.txt", "--title", "!!!"), "error: cannot make an id from the title '!!!'; give one with --id"),
])
def test_clean_errors(mini, args, message):
    result = briefing("new", "source", *args, cwd=mini)
    assert result.returncode == 1 and result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr


def test_document_outside_the_archive_is_refused(mini, tmp_path):
    outside = tmp_path / "new-capture.txt"
    outside.write_text("A new capture.\n")
    result = briefing("new", "source", "--archive", str(outside), cwd=mini)
    assert result.returncode == 1
    assert "new-capture.txt is not in the source archive" in result.stderr and "copy the captured" in result.stderr
    changed = tmp_path / "doc1.txt"
    changed.write_text("Not the archived text.\n")
    result = briefing("new", "source", "--archive", str(changed), cwd=mini)
    assert result.returncode == 1 and "differs from" in result.stderr
    assert not (mini / "entries/sources/new-capture.yml").exists() and not (mini / "entries/sources/doc1.yml").exists()


def test_new_actor_validates(mini):
    result = briefing("new", "actor", "Séverine O'Brien-Núñez", "--kind", "person", cwd=mini)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote entries/actors/severine-obrien-nunez.yml\nnext:\n")
    text = (mini / "entries/actors/severine-obrien-nunez.yml").read_text("utf-8")
    assert text.startswith(SCHEMA_LINE.format("actor"))
    data = yaml.safe_load(text)
    assert data == {"id": "severine-obrien-nunez", "name": "Séverine O'Brien-Núñez", "kind": "person",
                    "aliases": [], "description": None, "roles": []}
    code, lines = validate(mini)
    assert code == 0
    assert [line.split(": note: ")[0] for line in lines] == ["entries/actors/severine-obrien-nunez.yml:8:13"]
    assert "(actor-description)" in lines[0]


def test_a_new_actor_left_without_a_description_builds(mini, tmp_path, no_archive_env):
    """The attacker's find (and any editor's first step): `briefing new actor` leaves the description
    empty, validate notes it and says ok, and every site build then stopped on a traceback in the
    corpus export (None.split()); the search's records said "None". It builds, with no "None"."""
    assert briefing("new", "actor", "Jane Roe", "--kind", "person", cwd=mini).returncode == 0
    entry = mini / "entries/sources/hotline-talks.yml"
    cited = "actors:\n  - id: jane-roe\n    role: \"Named.\"\n"
    entry.write_text(entry.read_text("utf-8").replace("actors:\n", cited, 1))
    assert validate(mini)[0] == 0
    result = run([sys.executable, "-m", "briefing.site", "--out", str(tmp_path / "site"), "--quiet"], mini)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    page = (tmp_path / "site/actors/jane-roe/index.html").read_text("utf-8")
    corpus = json.loads((tmp_path / "site/exports/briefing.json").read_text("utf-8"))
    assert "Jane Roe" in page and "None" not in page
    assert [a["description"] for a in corpus["actors"] if a["id"] == "jane-roe"] == [""]


def test_new_actor_with_kind_and_description_is_clean(mini):
    result = briefing("new", "actor", "Lemuria", "--kind", "state", "--description", "A fictional state.", cwd=mini)
    assert result.returncode == 0
    data = yaml.safe_load((mini / "entries/actors/lemuria.yml").read_text())
    assert data["kind"] == "state" and data["description"] == "A fictional state."
    assert validate(mini) == (0, [])
    assert briefing("new", "actor", "Unknown", cwd=mini).returncode == 1  # reserved for unidentified speakers


@pytest.mark.parametrize("text,slug", [
    ("Russia, Iran Now Linking Up", "russia-iran-now-linking-up"),
    ("Velayati–Patrushev talks (2016)", "velayati-patrushev-talks-2016"),
    ("000_b3f7ad75e966d234", "000-b3f7ad75e966d234"),
    ("  --  ", ""),
    ("word " * 30, ("word-" * 16)[:-1]),
])
def test_slugify(text, slug):
    assert slugify(text) == slug
    assert len(slugify(text)) <= 80
