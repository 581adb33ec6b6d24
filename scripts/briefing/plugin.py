"""The MkDocs door into the core: validate in ``on_pre_build``, add pages in ``on_files``.

This is the only module that imports MkDocs. Validation runs before MkDocs cleans the site
folder, so bad entries fail the build and leave the last good site as it was.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .finder import write_index
from .exports import render_exports, structured_data
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
        pages = {**render_site(self.loaded.corpus, self.settings.site),
                 **render_exports(self.loaded.corpus, self.settings.site)}  # CSV, JSON, BibTeX, SVG files
        sources = _entry_paths(self.loaded)
        for path, content in pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{self.settings.docs_dir}/{path} is hand-written but the briefing generates "
                                  "a page there; move or rename the hand-written file")
            generated = File.generated(config, path, content=content)
            generated.edit_uri = sources.get(path)
            files.append(generated)
        return files

    def on_post_build(self, config: MkDocsConfig) -> None:
        # The "Find a quote" index, for `mkdocs build` and `mkdocs serve` alike.
        # BRIEFING_FINDER=off skips it (python -m briefing.site --no-pagefind).
        if self.loaded is not None and self.loaded.corpus is not None and os.environ.get("BRIEFING_FINDER") != "off":
            folder = write_index(self.loaded.corpus, Path(config.site_dir))
            log.info(f"finder: {len(self.loaded.corpus.quotes())} quotes indexed in {folder}")

    def on_page_context(self, context, page, config: MkDocsConfig, nav):
        # Material writes <title>{{ page.title | striptags }}</title>: striptags decodes the
        # escaped entry text, so a title holding "</title><script>" would run. A meta title is
        # written as is (in <title> and the header), so give it the escaped text.
        if page.file.generated_by and page.title:
            page.meta["title"] = escape(Markup(page.title).striptags())
        if self.loaded is not None and self.loaded.corpus is not None:  # overrides/main.html puts it in <head>
            context["briefing_jsonld"] = structured_data(self.loaded.corpus, page.file.src_uri)
        return context

    def on_serve(self, server, config: MkDocsConfig, builder):
        assert self.settings is not None
        server.watch(str(self.settings.entries))
        return server


def _entry_paths(loaded: Loaded) -> dict[str, str]:
    """Which YAML entry each generated page comes from, for "edit this page"."""
    folders = {"source": "sources", "actor": "actors", "topic": "topics"}
    return {f"{folders[f.kind]}/{f.stem}.md": f.path for f in loaded.files if f.readable}
