"""Build the whole site (MkDocs, with the finder's Pagefind index) into a new folder, then swap it in.

A failed build leaves the previous site exactly as it was: nothing is written into ``--out``
until every step has succeeded. The output folder must be one this tool may write (see
``write.check_output``: never the project, its sources or a folder of other files), and a build
killed half way is cleaned up by the next one (``recover``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .build import swap
from .problems import BriefingError, printable
from .write import SITE_MARKER, RefusedError, check_output, file_mode, folder_mode

FINISHED = "a site built by `python -m briefing.site`; the next build may replace this folder\n"


def project_folders(config: Path) -> tuple[Path, dict[str, Path]]:
    """The project folder and the folders the build reads from (mkdocs.yml's docs_dir, the
    briefing plugin's entries and archive, the theme's custom_dir), which no output may touch."""
    import yaml

    from .project import _TolerantLoader, read_settings
    settings = read_settings(config)
    with open(config, encoding="utf-8") as handle:
        theme = (yaml.load(handle, Loader=_TolerantLoader) or {}).get("theme") or {}
    folders = {"the docs_dir (hand-written pages)": settings.root / settings.docs_dir,
               "the entries folder": settings.entries}
    if settings.archive.path is not None:
        folders["the archive of source documents"] = settings.archive.path
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        folders["the theme's custom_dir"] = settings.root / theme["custom_dir"]
    return settings.root, folders


def build(config: Path, out: Path, *, pagefind: bool = True, quiet: bool = False) -> int:
    try:
        out = check_output(out, *project_folders(config), "site")
    except BriefingError as exc:  # an output folder refused, or a mkdocs.yml that cannot be read
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    if (_old(out).exists() or _old(out).is_symlink()) and not _marked(_old(out)):
        print(f"error: {printable(_old(out).name)} is in the way and was not made by briefing; move it away",
              file=sys.stderr)
        return 1
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    os.chmod(staging, folder_mode())
    # Marked at once (MkDocs keeps dot-files in its site_dir), with this process's id while it builds:
    # a later build removes the folder if this one was killed, and leaves it alone while it runs.
    (staging / SITE_MARKER).write_text(f"building: process {os.getpid()}\n", "utf-8")
    # The briefing plugin writes the finder's Pagefind index (one record per quote) at the end of
    # the MkDocs build (briefing.finder), so `mkdocs serve` has it too; BRIEFING_FINDER=off skips it.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if not pagefind:
        env["BRIEFING_FINDER"] = "off"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
               "--site-dir", str(staging)] + (["--quiet"] if quiet else [])
    swapped = False
    try:
        result = subprocess.run(command, env=env)
        if result.returncode != 0:
            print(f"error: the build failed; the site in {printable(str(out))} is unchanged", file=sys.stderr)
            return result.returncode
        (staging / SITE_MARKER).write_text(FINISHED, "utf-8")
        _readable(staging)
        _swap(staging, out)
        swapped = True
    finally:
        if not swapped:
            shutil.rmtree(staging, ignore_errors=True)
    print(f"site built in {printable(str(out))}")
    return 0


def _readable(site: Path) -> None:
    """Give the site and everything in it the modes the umask gives ordinary folders and files
    (0755 and 0644 under umask 022), so a web server can read it: mkdtemp made the folder 0700, and
    a file copied from docs/ or written by a helper may carry a mode of its own."""
    os.chmod(site, folder_mode())
    for folder, dirs, names in os.walk(site):  # links are left alone (os.walk lists them, never follows)
        for name, mode in [(d, folder_mode()) for d in dirs] + [(n, file_mode()) for n in names]:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, mode)


def _old(out: Path) -> Path:
    return out.with_name(f".{out.name}.old")


def _swap(new: Path, out: Path) -> None:
    old = _old(out)
    if out.exists() and (old.exists() or old.is_symlink()):
        if not _marked(old):
            raise RefusedError(f"{old} is in the way and was not made by briefing; move it away")
        shutil.rmtree(old)
    swap(new, out, old)  # a kill between its two renames leaves the old site aside: recover puts it back


def _marked(folder: Path) -> bool:
    """A real folder (no link) holding the marker every site build leaves."""
    marker = folder / SITE_MARKER
    return folder.is_dir() and not folder.is_symlink() and marker.is_file() and not marker.is_symlink()


def _running(marker: Path) -> bool:
    """Whether the build that wrote ``marker`` is still running (a staging folder in use)."""
    found = re.fullmatch(r"building: process (\d+)\n", marker.read_text("utf-8", errors="replace"))
    if not found or int(found[1]) == os.getpid():  # this process builds one site at a time
        return False
    try:
        os.kill(int(found[1]), 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # another user's process: leave it be
    return True


def recover(out: Path) -> list[str]:
    """Undo what a killed build left beside ``out``; return what was done, one line each.

    A kill between the swap's two renames leaves no ``out`` and the previous site in ``.NAME.old``:
    it is put back. A kill at any other point leaves a staging folder ``.NAME.XXXXXXXX`` (mkdtemp's
    name) or ``.NAME.old``: removed. Only folders named so AND holding the build's marker are
    touched, and never a staging folder whose build is still running."""
    done: list[str] = []
    parent, old = out.parent, _old(out)
    if not parent.is_dir():
        return done
    if not out.exists() and not out.is_symlink() and _marked(old):
        os.replace(old, out)
        done.append(f"put back the previous site from {old.name} (a build was stopped while swapping)")
    elif out.exists() and _marked(old):
        shutil.rmtree(old)
        done.append(f"removed {old.name}, left by a stopped build")
    staging = re.compile(rf"\.{re.escape(out.name)}\.[a-z0-9_]{{8}}")
    for child in sorted(parent.iterdir()):
        if staging.fullmatch(child.name) and _marked(child) and not _running(child / SITE_MARKER):
            shutil.rmtree(child)
            done.append(f"removed {child.name}, left by a stopped build")
    for line in done:
        print(f"note: {printable(line)}", file=sys.stderr)
    return done


def main(argv: list[str] | None = None) -> int:
    """``python -m briefing.site``: its options are parsed, and its errors told, by the command line."""
    from .cli import site_main
    return site_main(argv)


if __name__ == "__main__":
    sys.exit(main())
