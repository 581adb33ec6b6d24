"""Build the whole site (MkDocs, with the finder's Pagefind index) into a new folder, then swap it in.

A failed build leaves the previous site exactly as it was: nothing is written into ``--out``
until every step has succeeded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def build(config: Path, out: Path, *, pagefind: bool = True, quiet: bool = False) -> int:
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    # The briefing plugin writes the finder's Pagefind index (one record per quote) at the end of
    # the MkDocs build (briefing.finder), so `mkdocs serve` has it too; BRIEFING_FINDER=off skips it.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if not pagefind:
        env["BRIEFING_FINDER"] = "off"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
               "--site-dir", str(staging)] + (["--quiet"] if quiet else [])
    try:
        result = subprocess.run(command, env=env)
        if result.returncode != 0:
            print(f"error: the build failed; the site in {out} is unchanged", file=sys.stderr)
            return result.returncode
        _swap(staging, out)
        staging = None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    print(f"site built in {out}")
    return 0


def _swap(new: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out, old)
    os.replace(new, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefing.site", description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="mkdocs.yml")
    parser.add_argument("--out", default="site")
    parser.add_argument("--no-pagefind", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    return build(Path(args.config), Path(args.out), pagefind=not args.no_pagefind, quiet=args.quiet)


if __name__ == "__main__":
    sys.exit(main())
