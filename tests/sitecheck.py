"""Checks on a built site shared by the test modules: every internal link and anchor resolves."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in ("a", "link") and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "a" and attrs.get("xlink:href"):  # the pictures' links (briefing.pictures.XLINK)
            self.hrefs.append(attrs["xlink:href"])
        if tag in ("script", "img", "source", "iframe") and attrs.get("src"):
            self.hrefs.append(attrs["src"])


def parse(path: Path) -> _Links:
    links = _Links()
    links.feed(path.read_text("utf-8"))
    return links


def broken_links(site: Path) -> list[str]:
    """Every internal link, anchor, script, style sheet and image of every page resolves."""
    # 404.html is served at any missing path, so MkDocs gives it root-absolute links by design.
    pages = {p: parse(p) for p in site.rglob("*.html") if p.name != "404.html"}
    broken = []
    for page, links in pages.items():
        for href in links.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("mailto:"):
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} -> {href} (no such anchor)")
    return broken


def links_checked(site: Path) -> int:
    return sum(len(parse(p).hrefs) for p in site.rglob("*.html") if p.name != "404.html")
