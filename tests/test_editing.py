"""The pull-request path: GitHub annotations, the workflow files, pre-commit, the PR template."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
import yaml

from briefing.problems import Problem

from conftest import ROOT, briefing, run

WORKFLOWS = ROOT / ".github" / "workflows"


# --- `briefing validate --format github` against the workflow-command specification -------------
# https://docs.github.com/actions/reference/workflow-commands-for-github-actions
# Writer: @actions/toolkit core/src/command.ts (escapeData: % \r \n; escapeProperty: also : ,).
# Reader: actions/runner ActionCommand.TryParseV2, reimplemented here so the round trip is tested.


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    assert line.startswith("::")
    end = line.index("::", 2)
    info, message = line[2:end], line[end + 2:]
    name, _, props = info.partition(" ")
    properties = {}
    for pair in filter(None, props.split(",")):
        key, sep, value = pair.partition("=")
        assert sep and key, f"malformed property {pair!r} in {line!r}"
        properties[key] = _unescape(value, [("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")])
    return name, properties, _unescape(message, [("%0D", "\r"), ("%0A", "\n"), ("%25", "%")])


def _unescape(value: str, mappings: list[tuple[str, str]]) -> str:
    for escaped, token in mappings:
        value = value.replace(escaped, token)
    return value


def test_github_format_exact_line():
    problem = Problem("entries/sources/x.yml", 12, 5, "quote 3 has no speaker", "quote-speaker", "add one")
    assert problem.format_github() == ("::error file=entries/sources/x.yml,line=12,col=5,title=quote-speaker"
                                       "::quote 3 has no speaker - hint: add one")


@pytest.mark.parametrize("path,message,hint", [
    ("entries/sources/a,b:c.yml", "100% sure\r\nsecond line", "use %25 literally"),
    ("entries/sources/x.yml", "ends with a colon: and, a comma", ""),
    ("entries/sources/x.yml", "%0A is not a newline", "neither is %2C"),
    ("entries/actors/y.yml", "::error:: inside the message", "::"),
])
def test_github_format_round_trips_through_the_runner_parser(path, message, hint):
    for level, command in (("error", "error"), ("note", "notice")):
        line = Problem(path, 3, 7, message, "some-rule", hint, level).format_github()
        assert "\n" not in line and "\r" not in line
        name, properties, data = parse_command(line)
        assert name == command
        assert properties == {"file": path, "line": "3", "col": "7", "title": "some-rule"}
        assert data == message + (f" - hint: {hint}" if hint else "")


def test_whole_file_problem_points_at_line_one():
    name, properties, _ = parse_command(Problem("entries/topics/t.yml", 0, 0, "empty", "empty-file").format_github())
    assert (properties["line"], properties["col"]) == ("1", "1")


def test_validate_format_github_on_a_project(mini):
    entry = mini / "entries/actors/ada-quill.yml"
    entry.write_text(entry.read_text().replace("kind: person", "kind: human"))
    result = briefing("validate", "--format", "github", cwd=mini)
    assert result.returncode == 1
    # In the message (data) only % \r \n are escaped: the colon and commas stay as written.
    assert result.stdout.splitlines() == [
        "::error file=entries/actors/ada-quill.yml,line=4,col=7,title=schema-enum::'kind' is 'human', "
        "not one of: person, organization, state - hint: use one of: person, organization, state"]


# --- workflows ------------------------------------------------------------------------------------


def load_workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text("utf-8"))
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(job: dict) -> list[dict]:
    assert isinstance(job["steps"], list) and job["steps"]
    for step in job["steps"]:
        assert ("run" in step) != ("uses" in step), step
    return job["steps"]


def commands(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


PINNED = re.compile(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}")  # an action pinned to a full commit


def test_workflows_match_githubs_published_schema():
    """check-jsonschema carries GitHub's workflow schema in the package (no network)."""
    result = run([str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema",
                  "vendor.github-workflows", *map(str, sorted(WORKFLOWS.glob("*.yml")))], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["pull-request.yml", "publish.yml"])
def test_workflows_name_no_repository_and_pin_every_action(name):
    """A fork runs them as they are: no repository is named (the checkout is the repository the
    job runs in), and every action is pinned to a commit, so a moved tag cannot change the build."""
    flow = load_workflow(name)
    text = (WORKFLOWS / name).read_text("utf-8")
    assert "example-org" not in text and "../shared" not in text
    for job in flow["jobs"].values():
        for step in steps(job):
            assert "repository" not in step.get("with", {}), step
            if "uses" in step:
                assert PINNED.fullmatch(step["uses"]), step["uses"]


def test_pull_request_workflow_validates_and_tests():
    flow = load_workflow("pull-request.yml")
    assert "pull_request" in flow["on"]
    assert flow["permissions"] == {"contents": "read"}
    [job] = flow["jobs"].values()
    run_ = commands(job)
    checkouts = [s for s in steps(job) if s.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == 1 and "path" not in checkouts[0].get("with", {})  # archive/ comes with it
    assert "BRIEFING_ARCHIVE" not in run_  # the archive in the repository, as mkdocs.yml says
    assert "briefing validate --format github" in run_
    assert "apt-get install" in run_ and "chromium" in run_ and "playwright install" not in run_
    assert "bash .ci/run" in run_  # what CI runs here, so the two cannot drift apart
    order = [i for i, s in enumerate(steps(job)) for key in ("chromium", "briefing validate", ".ci/run")
             if key in s.get("run", "")]
    assert order == sorted(order) and len(order) == 3


def test_main_workflow_builds_and_deploys_pages_at_the_address_pages_reports():
    flow = load_workflow("publish.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert "make site" in commands(build)
    pages = next(s for s in steps(build) if s.get("uses", "").startswith("actions/configure-pages@"))
    site = next(s for s in steps(build) if "make site" in s.get("run", ""))
    assert site["env"]["BRIEFING_SITE_URL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}/"
    assert steps(build).index(pages) < steps(build).index(site)
    upload = [s for s in steps(build) if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert len(upload) == 1 and upload[0]["with"]["path"] == "site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in steps(deploy)] == ["actions/deploy-pages"]


# --- pre-commit and the pull-request template ------------------------------------------------------


def precommit_hook() -> dict:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    [hook] = repo["hooks"]
    return hook


def test_precommit_runs_briefing_validate():
    hook = precommit_hook()
    assert hook["language"] == "system" and hook["pass_filenames"] is False
    program, *args = shlex.split(hook["entry"])
    assert Path(program).name == "briefing" and args == ["validate"]
    files = re.compile(hook["files"])
    assert files.search("entries/sources/x.yml") and files.search("mkdocs.yml")
    assert files.search("scripts/briefing/schemas/source.schema.json")
    assert not files.search("docs/index.md") and not files.search("README.md")


def test_precommit_hook_command_passes_and_fails_like_validate(mini):
    """Run the hook's own command (with this environment's `briefing`) in a project."""
    entry = shlex.split(precommit_hook()["entry"])
    command = [str(Path(sys.executable).parent / "briefing"), *entry[1:]]
    assert run(command, mini).returncode == 0
    bad = mini / "entries/topics/diplomacy.yml"
    bad.write_text(bad.read_text().replace("name:", "nmae:"))
    result = run(command, mini)
    assert result.returncode == 1 and "(schema-unknown-field)" in result.stdout


def test_pull_request_template_has_an_editors_checklist():
    text = (ROOT / ".github" / "pull_request_template.md").read_text("utf-8")
    boxes = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert len(boxes) >= 6
    for must in ("briefing validate", "make serve", "archive", "quote", "status: published"):
        assert must in text, must
