"""Lint and types are part of `make test`: ruff on the code and the tests, mypy on the package,
each as pyproject.toml configures it, from the project root."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("command", [("ruff", "check", "scripts", "tests"), ("mypy",)], ids=["ruff", "mypy"])
def test_clean(command):
    result = _run(*command)
    assert result.returncode == 0, f"`{' '.join(command)}` found problems:\n{result.stdout}{result.stderr}"
