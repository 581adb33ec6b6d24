"""The MkDocs door into the core: validate in ``on_pre_build``, add pages in ``on_files``.

This is the only module that imports MkDocs. Validation runs before MkDocs cleans the site
folder, so bad entries fail the build and leave the last good site as it was.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .problems import errors
from .project import Loaded, Settings, load_project, settings_from
from .render import render_site

log = logging.getLogger("mkdocs.plugins.briefing")


class BriefingConfig(base.Config):
    entries = c.Type(str, default="entries")
    archive = c.Optional(c.Type(str))
    subject = c.Optional(c.Type(str))
    page_size = c.Type(int, default=100)


class BriefingPlugin(BasePlugin[BriefingConfig]):
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.loaded: Loaded | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        docs_dir = Path(config.docs_dir).resolve()
        try:
            docs_rel = docs_dir.relative_to(root).as_posix()
        except ValueError:
            docs_rel = docs_dir.name
        self.settings = settings_from(root, dict(self.config), config.site_name, config.repo_url,
                                      config.edit_uri, docs_rel)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        assert self.settings is not None
        self.loaded = load_project(self.settings)
        for problem in self.loaded.problems:
            if problem.level != "error":
                log.info(problem.format())
        bad = errors(self.loaded.problems)
        if bad:
            listing = "\n".join(p.format() for p in bad)
            raise PluginError(f"{len(bad)} problem(s) in the briefing's entries; nothing was built:\n{listing}")

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.loaded is not None and self.loaded.corpus is not None and self.settings is not None
        for file in files:
            if not file.generated_by:
                file.edit_uri = f"{self.settings.docs_dir}/{file.src_uri}"
        pages = render_site(self.loaded.corpus, self.settings.site)
        sources = _entry_paths(self.loaded)
        for path, content in pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{self.settings.docs_dir}/{path} is hand-written but the briefing generates "
                                  "a page there; move or rename the hand-written file")
            generated = File.generated(config, path, content=content)
            generated.edit_uri = sources.get(path)
            files.append(generated)
        return files

    def on_serve(self, server, config: MkDocsConfig, builder):
        assert self.settings is not None
        server.watch(str(self.settings.entries))
        return server


def _entry_paths(loaded: Loaded) -> dict[str, str]:
    """Which YAML entry each generated page comes from, for "edit this page"."""
    folders = {"source": "sources", "actor": "actors", "topic": "topics"}
    return {f"{folders[f.kind]}/{f.stem}.md": f.path for f in loaded.files if f.data is not None}
