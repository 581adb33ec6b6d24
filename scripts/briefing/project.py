"""A briefing project on disk: its settings, and the corpus loaded and validated from it.

Settings are read from the ``briefing`` plugin's options in ``mkdocs.yml`` so there is one
place to set them, but without importing MkDocs: the CLI works on the core alone.
"""

from __future__ import annotations

import gc
import os
import re
import subprocess
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

from .archive import Archive
from .load import EntryFile, load_entries, serially
from .model import Corpus, SiteInfo, actor_from, build_corpus, source_from, topic_from
from .problems import BriefingError, Problem, errors, printable
from .validate import check_entry, validate_entries

ARCHIVE_ENV = "BRIEFING_ARCHIVE"
DEFAULTS: dict[str, Any] = {"entries": "entries", "archive": None, "subject": None, "page_size": 100}


@dataclass(frozen=True)
class Settings:
    root: Path
    entries: Path
    archive: Archive = field(compare=False)
    title: str
    subject: str
    page_size: int = 100
    repo_url: str | None = None
    edit_uri: str | None = None
    docs_dir: str = "docs"
    templates: Path | None = None  # the theme's custom_dir/briefing: templates that replace the package's

    @property
    def site(self) -> SiteInfo:
        return SiteInfo(self.title, self.subject, self.page_size,
                        str(self.templates) if self.templates and self.templates.is_dir() else None,
                        archive_address(self.edit_uri, self.root, self.archive.path))


class ConfigError(BriefingError):
    """mkdocs.yml cannot be read, or the briefing plugin's options are not what they must be."""


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: unknown tags (!ENV, !!python/name) read as None."""


def _env_value(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, ..., default]``, as MkDocs reads it: the first variable set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode):
        names = loader.construct_sequence(node)
    else:  # a mapping: refused as MkDocs refuses it (and as construct_sequence did, with "expected a sequence")
        raise yaml.constructor.ConstructorError(None, None, "expected a scalar or sequence node, but found mapping",
                                                node.start_mark)
    *variables, default = names if len(names) > 1 else (*names, None)
    return next((os.environ[name] for name in variables if isinstance(name, str) and name in os.environ), default)


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_constructor("!ENV", _env_value)


def find_config(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder / "mkdocs.yml"
    raise ConfigError("no mkdocs.yml here or in any parent folder; run this inside a briefing project")


def plugin_options(mkdocs_config: dict[str, Any]) -> dict[str, Any]:
    for plugin in mkdocs_config.get("plugins") or []:
        if isinstance(plugin, dict) and "briefing" in plugin:
            return dict(plugin["briefing"] or {})
        if plugin == "briefing":
            return {}
    return {}


def settings_from(root: Path, options: dict[str, Any], site_name: str, repo_url: str | None = None,
                  edit_uri: str | None = None, docs_dir: str = "docs", named_in: str = "mkdocs.yml",
                  custom_dir: str | None = None) -> Settings:
    merged = {**DEFAULTS, **{k: v for k, v in options.items() if v is not None}}
    for name in ("entries", "archive", "subject"):
        if merged[name] is not None and not isinstance(merged[name], str):
            raise ConfigError(f"{named_in}: the briefing plugin's option {name} must be text, not "
                              f"{printable(repr(merged[name]))}")
    size = merged["page_size"]
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ConfigError(f"{named_in}: the briefing plugin's option page_size must be a whole number of at least 1 "
                          f"(items on one list page), not {printable(repr(size))[:80]}; e.g. page_size: 100")
    env_archive = os.environ.get(ARCHIVE_ENV)
    if env_archive:
        archive = Archive(Path(env_archive).expanduser().resolve(), required=True)
    elif merged["archive"]:  # configured, so checked: a missing folder is an error, not a skipped check
        archive = _project_archive(root, merged["archive"])
    else:
        archive = Archive(None)
    return Settings(
        root=root, entries=(root / merged["entries"]).resolve(), archive=archive, title=site_name,
        subject=merged["subject"] or site_name, page_size=size, repo_url=repo_url,
        edit_uri=edit_uri, docs_dir=docs_dir,
        templates=(root / custom_dir / TEMPLATES_FOLDER).resolve() if isinstance(custom_dir, str) else None)


TEMPLATES_FOLDER = "briefing"  # in the theme's custom_dir (overrides/briefing/source.md.j2 replaces the package's)


REPOSITORY_ENV = "BRIEFING_REPOSITORY_URL"  # the repository's web address, for "edit this page"
BRANCH_ENV = "BRIEFING_EDIT_BRANCH"          # the branch edits go to (default: the remote's default, else main)


def edit_uri_for(environ: Mapping[str, str], origin: str | None, default_branch: str | None) -> str | None:
    """Where "edit this page" opens a file, with nothing to configure: the repository named by
    BRIEFING_REPOSITORY_URL, else the one a GitHub Actions job runs in (GITHUB_SERVER_URL and
    GITHUB_REPOSITORY, set in every job), else the web address of the clone's ``origin`` remote.
    None when there is none (a clone of a local folder): the pages then have no edit button."""
    if environ.get(REPOSITORY_ENV):
        base = web_address(environ[REPOSITORY_ENV])
    elif environ.get("GITHUB_REPOSITORY"):
        base = web_address(f"{environ.get('GITHUB_SERVER_URL') or 'https://github.com'}/{environ['GITHUB_REPOSITORY']}")
    else:
        base = web_address(origin) if origin else None
    if base is None:
        return None
    branch = environ.get(BRANCH_ENV) or default_branch or "main"
    return f"{base}/edit/{quote(branch, safe='/')}/"


def _project_archive(root: Path, name: str, named_in: str = "mkdocs.yml") -> Archive:
    """The archive folder mkdocs.yml names, refused (never read, its target never said) when it is
    a symbolic link, lies outside the project or is hidden: a pull request could point it at /etc,
    /proc/self or .git (the checkout's credentials), and a misquote's hint would print what it
    found there into a public CI log.
    BRIEFING_ARCHIVE, set by whoever runs the build, may point anywhere."""
    folder = root / name
    shown = printable(repr(name))
    if folder.is_symlink():
        return Archive(None, required=True, named_in=named_in, refused=f"{shown} is a symbolic link")
    if not folder.resolve().is_relative_to(root):
        return Archive(None, required=True, named_in=named_in, refused=f"{shown} lies outside the project")
    if any(part.startswith(".") for part in folder.resolve().relative_to(root).parts):
        # .git holds the checkout's credentials (.git/config), .venv and the like what no entry cites
        return Archive(None, required=True, named_in=named_in, refused=f"{shown} is a hidden folder")
    return Archive(folder.resolve(), required=True, named_in=named_in)


def archive_address(edit_uri: str | None, root: Path, archive: Path | None) -> str | None:
    """Where a reader reads the archive folder in the repository on the web, so a source page can
    link its archived copy: from "edit this page"'s address (``https://host/owner/repo/edit/BRANCH/``,
    as edit_uri_for makes it or mkdocs.yml gives it) as ``https://host/owner/repo/blob/BRANCH/``
    and the folder's path in the project. None without such an address, or for an archive outside
    the project (BRIEFING_ARCHIVE elsewhere): its files are not in the repository."""
    found = re.fullmatch(r"(https://[^/?#]+/[^/?#]+/[^/?#]+)/edit/([^?#]+/)", edit_uri or "")
    if found is None or archive is None:
        return None
    try:
        folder = archive.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    return f"{found[1]}/blob/{found[2]}{quote(folder, safe='/')}/"


def web_address(remote: str) -> str | None:
    """A git remote as the repository's web address: ``git@github.com:o/r.git`` and
    ``https://token@github.com/o/r.git`` both give ``https://github.com/o/r`` (credentials are
    never kept). None for anything else (a local path, a file:// URL)."""
    remote = remote.strip()
    ssh = re.fullmatch(r"(?:ssh://)?[\w.-]+@([\w.-]+)[:/]([\w.-]+/[\w.-]+?)(?:\.git)?/?", remote)
    if ssh:
        return f"https://{ssh[1]}/{ssh[2]}"
    try:
        parts = urlsplit(remote)
        host, port = parts.hostname, parts.port
    except ValueError:  # a malformed address ("http://[::1", a port that is no number)
        return None
    path = parts.path.strip("/").removesuffix(".git")
    if parts.scheme not in ("http", "https") or not host or not re.fullmatch(r"[\w.-]+/[\w.-]+", path):
        return None
    return f"{parts.scheme}://{host}{f':{port}' if port else ''}/{path}"


def git_origin(root: Path) -> tuple[str | None, str | None]:
    """The clone's ``origin`` remote and its default branch, when git can tell (else None)."""
    def ask(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() or None if done.returncode == 0 else None

    head = ask("symbolic-ref", "--short", "refs/remotes/origin/HEAD")  # "origin/main"
    return ask("remote", "get-url", "origin"), head.split("/", 1)[1] if head and "/" in head else None


def read_settings(config_file: Path) -> Settings:
    """The project's settings from its mkdocs.yml; a ConfigError, located, when it cannot be read."""
    shown = printable(str(config_file))
    try:
        with open(config_file, encoding="utf-8") as handle:
            config = yaml.load(handle, Loader=_TolerantLoader) or {}
    except FileNotFoundError:
        raise ConfigError(f"{shown}: no such file; run this inside a briefing project, or give --config") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: cannot be read ({printable(str(exc))})") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        raise ConfigError(f"{where}: YAML syntax error: {printable(str(exc.problem or exc))}; "
                          "check the indentation and quoting near this point") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{shown}: YAML error: {printable(str(exc))}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{shown}: must be a mapping of MkDocs settings (site_name: ..., plugins: ...)")
    theme = config.get("theme")
    return settings_from(config_file.parent.resolve(), plugin_options(config), config.get("site_name", "Briefing"),
                         config.get("repo_url"), config.get("edit_uri"), config.get("docs_dir", "docs"), shown,
                         theme.get("custom_dir") if isinstance(theme, dict) else None)


# The model made of each file a server keeps loaded (load_entries' cache): a file unchanged since
# the last load is the same EntryFile, and keeps the same objects, so build.Memo finds the pages
# of unchanged entries unchanged at a glance. An entry is forgotten with its file.
_MODELS: weakref.WeakKeyDictionary[EntryFile, Any] = weakref.WeakKeyDictionary()


@dataclass
class Loaded:
    files: list[EntryFile]
    problems: list[Problem]
    corpus: Corpus | None  # None when there are errors

    @property
    def ok(self) -> bool:
        return self.corpus is not None


def load_project(settings: Settings, cache: dict[Path, EntryFile] | None = None, workers: int = 1,
                 run: Callable[..., Iterator[Any]] = serially) -> Loaded:
    """Load, validate and (when clean) build the corpus.

    ``cache`` (kept by a caller that loads again and again, as `mkdocs serve` does) holds the
    loaded files: one whose size and modification time are unchanged is not read again, and its
    data is kept for next time instead of being freed. ``workers`` > 1 reads files on that many cores,
    by ``run`` (build.py gives parallel.slices; by default everything runs in this process).
    """
    with collector_paused():
        return _load_project(settings, cache, workers, run)


def _load_project(settings: Settings, cache: dict[Path, EntryFile] | None, workers: int,
                  run: Callable[..., Iterator[Any]]) -> Loaded:
    files = load_entries(settings.entries, settings.root, cache, workers,
                         check=partial(check_entry, archive=settings.archive), run=run)
    problems = validate_entries(files, settings.archive)
    if errors(problems):
        return Loaded(files, problems, None)
    made: dict[str, list[Any]] = {"source": [], "actor": [], "topic": []}
    build = {"source": source_from, "actor": actor_from, "topic": topic_from}
    for index, entry in enumerate(files):
        if entry.data is not None:
            model = _MODELS.get(entry) if cache is not None else None
            if model is None:
                model = build[entry.kind](entry.data, entry.path)
                if cache is not None:
                    _MODELS[entry] = model
            made[entry.kind].append(model)
        if cache is None:  # the model holds it now: free the raw data as we go (large briefings)
            files[index] = entry.released()
    corpus = build_corpus(made["source"], made["actor"], made["topic"])
    if cache is None:
        # The corpus lives as long as this one-shot process and holds no cycles: leave it out of
        # the cycle collector's scans (each full scan of a large corpus costs a third of a second,
        # and in a forked worker it would copy every page of memory it touches).
        gc.freeze()
    return Loaded(files, problems, corpus)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Loading makes millions of small dicts and lists that hold no reference cycles; Python's
    cycle collector would scan them again and again as they pile up (it more than doubled the
    time to load 10,000 sources). Reference counting frees them all the same."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
