"""No import runs against the flow: a module imports only modules of its own stage or an earlier one.

The stages, earliest first (README, "Layout"): what everything uses; reading the entry files and
the corpus's types; the checks; one project loaded; making pages and files from the corpus; the
one place that runs things (build); the doors. Every import is read from the source with ``ast``,
including imports inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "briefing"

LAYERS = [
    {"problems", "rules", "text", "dates", "encode", "names", "archive", "schema", "parallel", "write",
     "synthetic"},
    {"load", "model"},  # entry files -> entry data; the corpus's frozen types and how an entry becomes one
    {"validate", "coverage", "prefill"},  # the checks (and what they share with the archive tools)
    {"project"},  # one project: settings, load -> validate -> model
    {"pages", "render", "pictures", "exports", "finder", "facts", "fields"},  # corpus -> (path, text)
    {"build"},  # workers, caches, background work, writing files
    {"plugin", "cli", "site", "captures", "scaffold", "quotesearch"},  # the doors and the commands
]

# Imports against the flow that other work in progress removes; each must still be there (else
# remove it here), and no other may appear.
KNOWN = {
}

ONLY = {  # a module (or some of its names) that only these may import
    ("parallel", None): {"build"},
    ("write", "write_atomic"): {"build"},
    ("write", "Outputs"): {"build"},
    ("write", "write_outputs"): {"build"},
}


def imports(source: str) -> list[tuple[str, str | None, int]]:
    """(package module imported, name taken from it or None, line) for each import of the package."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.level == 1 or (node.module or "").startswith("briefing")):
            module = (node.module or "").removeprefix("briefing").lstrip(".")
            for alias in node.names:
                if module:
                    found.append((module.split(".")[0], alias.name, node.lineno))
                else:  # from . import x
                    found.append((alias.name, None, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("briefing."):
                    found.append((alias.name.split(".")[1], None, node.lineno))
    return found


def layer_of(module: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if module in layer)


def against_the_flow(module: str, source: str) -> list[str]:
    """Every import in ``source`` (module ``module``) that runs against the flow, as 'line: what'."""
    wrong = []
    for imported, name, line in imports(source):
        if imported not in {m for layer in LAYERS for m in layer}:
            continue  # a sub-package or data folder, not a module of the flow
        if layer_of(imported) > layer_of(module) and (module, imported) not in KNOWN:
            wrong.append(f"{module}.py:{line}: imports {imported} (stage {layer_of(imported)}, after its own "
                         f"stage {layer_of(module)})")
        for (only, only_name), allowed in ONLY.items():
            if imported == only and only_name in (None, name) and module not in allowed \
                    and (module, imported) not in KNOWN:
                what = f"{only}.{name}" if only_name else only
                wrong.append(f"{module}.py:{line}: imports {what}, which only {', '.join(sorted(allowed))} may")
    return wrong


MODULES = sorted(path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__")


def test_every_module_has_a_stage():
    placed = [m for layer in LAYERS for m in layer]
    assert sorted(placed) == sorted(set(placed)), "a module is in two stages"
    missing = set(MODULES) - set(placed)
    assert not missing, f"put {sorted(missing)} in one of LAYERS (tests/test_layers.py)"
    assert not set(placed) - set(MODULES), f"no such module: {sorted(set(placed) - set(MODULES))}"


@pytest.mark.parametrize("module", MODULES)
def test_no_import_runs_against_the_flow(module):
    assert against_the_flow(module, (PACKAGE / f"{module}.py").read_text("utf-8")) == []


def test_each_known_exception_is_still_there():
    for (module, imported), why in KNOWN.items():
        found = {m for m, _, _ in imports((PACKAGE / f"{module}.py").read_text("utf-8"))}
        assert imported in found, f"{module} no longer imports {imported} ({why}): remove it from KNOWN"


@pytest.mark.parametrize("module, source, expected", [
    ("project", "from .render import SiteInfo\n", "project.py:1: imports render (stage 4, after its own stage 3)"),
    ("render", "def f():\n    from . import build\n", "render.py:2: imports build (stage 5, after its own stage 4)"),
    ("model", "import briefing.plugin\n", "model.py:1: imports plugin (stage 6, after its own stage 1)"),
    ("render", "from .write import write_atomic\n", "render.py:1: imports write.write_atomic, which only build may"),
    ("cli", "from .parallel import slices\n", "cli.py:1: imports parallel, which only build may"),
    ("finder", "from .quotesearch import quote_when\n",
     "finder.py:1: imports quotesearch (stage 6, after its own stage 4)"),
])
def test_a_wrong_import_is_found(module, source, expected):
    assert against_the_flow(module, source) == [expected]


def test_imports_with_the_flow_pass():
    assert against_the_flow("build", "from .render import Pages\nfrom . import parallel, write\n"
                                     "from .write import write_atomic\n") == []
    assert against_the_flow("cli", "from .write import RefusedError, check_output\n") == []
