#!/usr/bin/env python3
"""Benchmark the briefing generator and the full site build on synthetic corpora.

    python scripts/bench.py                                   # the standard table (slow: minutes)
    python scripts/bench.py --generator-sizes 100,1000 --site-sizes 100 --repeat 3
    python scripts/bench.py --record docs/benchmarks.md       # also write the results page
    python scripts/bench.py --hostile                         # render time of hostile text (seconds)

Prints one table: N; median time and peak memory of load + validate + render (the main process,
its largest helper, and all its processes together); the same YAML
parsed by PyYAML's C loader alone; the full site build (MkDocs + Pagefind) and the generator's
share of it; total site size, bytes per page and the largest page; the bytes a reader's first
page view and one search in the header box transfer, measured in Chromium; and the search index's
cost. Timings are medians of
--repeat runs, each in a fresh process (the machine is noisy).

``--hostile`` measures something else: the time Python-Markdown (with mkdocs.yml's extensions)
takes to render one entry's text made of a long run of Markdown punctuation, escaped as the
generator escapes it (briefing.text), at 10k to 160k characters. Each doubling of the size should
about double the time; a quadratic path would quadruple it.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from briefing.synthetic import write_corpus  # noqa: E402

MKDOCS_YML = """\
site_name: "Synthetic briefing ({n} sources)"
edit_uri: https://github.com/example-org/synthetic/edit/main/
theme:
  name: material
  custom_dir: overrides
  font: false
  features: [navigation.instant, content.action.edit]
plugins:
  - briefing:
      archive: archive
markdown_extensions: [attr_list, md_in_html, tables, admonition, {{toc: {{permalink: true}}}}]
validation:
  nav:
    omitted_files: ignore
nav:
  - Home: index.md
  - Sources: sources/index.md
  - Actors: actors/index.md
  - Topics: topics/index.md
  - Quotes: quotes/index.md
  - Timeline: timeline/index.md
  - Find a quote: find.md
"""

GENERATOR = """
import json, resource, sys, time
from pathlib import Path
root = Path(sys.argv[1])
total = {"mb": None}
if sys.argv[2] == "memory":  # a run of its own: sampling costs time, so the timed runs do not sample
    import glob, threading

    def pss_mb(pid):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                return next(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) / 1024
        except (OSError, StopIteration):
            return 0.0

    def sample():  # this process and its helpers, each page shared between them counted once
        while True:
            pids = {"self"} | {pid for path in glob.glob("/proc/self/task/*/children")
                               for pid in open(path).read().split()}
            now = sum(pss_mb(pid) for pid in pids)
            total["mb"] = max(total["mb"] or 0.0, now) if now else total["mb"]
            time.sleep(0.02)

    threading.Thread(target=sample, daemon=True).start()
start = time.perf_counter()
if sys.argv[2] == "yaml":
    import yaml
    for path in sorted(root.glob("entries/*/*.yml")):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
else:  # the generator's whole work: every page and export, on every core (a site build makes the exports beside MkDocs)
    from briefing.parallel import workers_available
    from briefing.project import read_settings
    import tempfile
    from briefing.build import load, outputs, pages_back_files_aside
    settings = read_settings(root / "mkdocs.yml")
    loaded = load(settings)
    assert loaded.ok, [p.format() for p in loaded.problems][:5]
    with tempfile.TemporaryDirectory() as scratch:  # where the exports go, as in the site build
        deliver = pages_back_files_aside(Path(scratch))
        made = sum(len(data or b"") for _, data in outputs(loaded.corpus, settings.site, deliver,
                                                           workers=workers_available()))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "total_peak_mb": total["mb"]}))
"""


INDEXER = """
import glob, json, os, sys, threading, time
from pathlib import Path
from briefing import finder
from briefing.project import load_project, read_settings
root, out = Path(sys.argv[1]), Path(sys.argv[2])
settings = read_settings(root / "mkdocs.yml")
corpus = load_project(settings).corpus
peak = {"mb": 0.0}

def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):
        return 0.0

def sample():  # this process and Pagefind's (its child), from the records to the last file written
    while True:
        pids = ["self"] + [pid for path in glob.glob("/proc/self/task/*/children") for pid in open(path).read().split()]
        peak["mb"] = max(peak["mb"], sum(rss_mb(pid) for pid in pids))
        time.sleep(0.05)

threading.Thread(target=sample, daemon=True).start()
start, before = time.perf_counter(), os.times()
finder.write_index(corpus, out)
after = os.times()
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": peak["mb"],
                  "cpu": sum(after[:4]) - sum(before[:4])}))
"""


def corpus(n: int, workdir: Path) -> Path:
    root = workdir / f"corpus-{n}"
    if not (root / "mkdocs.yml").exists():
        shutil.rmtree(root, ignore_errors=True)
        write_corpus(root, n)
        shutil.copy(HERE.parent / "docs" / "find.md", root / "docs" / "find.md")  # the finder page
        # The real site's theme overrides: the header's search box and each page's JSON-LD.
        shutil.copytree(HERE.parent / "overrides", root / "overrides")
        (root / "mkdocs.yml").write_text(MKDOCS_YML.format(n=n), "utf-8")
    return root


def _child(root: Path, mode: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    env.pop("BRIEFING_ARCHIVE", None)
    out = subprocess.run([sys.executable, "-c", GENERATOR, str(root), mode], env=env, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def measure_site(root: Path, repeat: int) -> dict:
    out = root / "site"
    env = {**os.environ, "PYTHONPATH": str(HERE), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("BRIEFING_ARCHIVE", None)
    times, shares = [], []
    timings = root / "generator-timings.json"  # what the build's plugin spent in the generator
    env["BRIEFING_TIMINGS"] = str(timings)
    for _ in range(repeat):
        timings.unlink(missing_ok=True)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "briefing.site", "--out", str(out), "--quiet"], cwd=root, env=env,
                       check=True, capture_output=True)
        times.append(time.perf_counter() - start)
        spent = json.loads(timings.read_text("utf-8"))
        shares.append(sum(spent.values()) / times[-1])  # reading, pages, and any wait for the exports
    pages = list(out.rglob("*.html"))
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"site_seconds": statistics.median(times), "gen_share_in_build": statistics.median(shares),
            "site_bytes": total, "pages": len(pages),
            "bytes_per_page": total / max(1, len(pages)),
            "largest_page": max((p.stat().st_size for p in pages), default=0),
            "largest_page_name": str(max(pages, key=lambda p: p.stat().st_size).relative_to(out)) if pages else "",
            "first_view_bytes": first_view_transfer(out),
            "search_bytes": search_transfer(out), **index_cost(root)}


def index_cost(root: Path) -> dict:
    """The search index alone (briefing.finder.write_index, as the site build runs it after MkDocs):
    wall-clock seconds, CPU seconds of Python and Pagefind together, and the peak resident memory
    of both processes together, in a process of its own (the corpus loaded first, not counted in
    the time)."""
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    env.pop("BRIEFING_ARCHIVE", None)
    with tempfile.TemporaryDirectory() as scratch:
        out = subprocess.run([sys.executable, "-c", INDEXER, str(root), scratch], env=env, check=True,
                             capture_output=True, text=True)
    made = json.loads(out.stdout)
    return {"index_seconds": made["seconds"], "index_cpu": made["cpu"], "index_peak_mb": made["peak_mb"]}


# What a static host compresses: GitHub Pages, where the publish workflow puts the site, sends
# text files gzipped to a browser that accepts it; Pagefind's index and wasm files are gzipped already.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".bib", ".map"}


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static file, gzipped (level 6) when it is text and the browser accepts gzip, as a host sends it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):  # noqa: A002 (the library's name)
        pass


def transferred(response) -> int:
    """Bytes a response took on the wire (its body as sent: compressed when it was)."""
    length = response.headers.get("content-length")
    return int(length) if length is not None else len(response.body())


@contextmanager
def _browsing(site: Path) -> Iterator[tuple[Any, str]]:
    """A Chromium page and the address of ``site`` served on 127.0.0.1 (no other host resolves),
    text compressed as a static host compresses it (_GzipHandler)."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
            try:
                yield browser.new_page(), f"http://127.0.0.1:{server.server_address[1]}"
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()


def first_view_transfer(site: Path, path: str = "sources/") -> int | None:
    """Bytes the browser receives for a reader's first view of a page (the sources page), until
    the network is idle: what every reader downloads, searching or not."""
    if not (site / path / "index.html").exists() or not Path("/usr/bin/chromium").exists():
        return None
    with _browsing(site) as (page, address):
        responses: list[Any] = []
        page.on("response", lambda response: responses.append(response))
        page.goto(f"{address}/{path}")
        page.wait_for_load_state("networkidle")
        return sum(transferred(r) for r in responses if r.ok)


TYPING_MS = 150  # a fast typist's pace (80 words a minute): a search runs only where the typing pauses


def search_transfer(site: Path, phrase: str = "security council cooperation", path: str = "sources/") -> int | None:
    """Bytes the browser receives for one search in the header box of a page (the sources page),
    from the first keystroke to the results: all of it, the search's own script and style,
    Pagefind's runtime and the parts of the index the search reads."""
    if not (site / path / "index.html").exists() or not Path("/usr/bin/chromium").exists():
        return None
    with _browsing(site) as (page, address):
        page.goto(f"{address}/{path}")
        page.wait_for_load_state("networkidle")
        responses: list[Any] = []
        page.on("response", lambda response: responses.append(response))
        page.keyboard.press("/")
        page.locator("#briefing-search-input").press_sequentially(phrase, delay=TYPING_MS)
        page.locator("#briefing-search-status", has_text=f"for \u201c{phrase}\u201d").wait_for(timeout=60000)
        page.wait_for_load_state("networkidle")
        return sum(transferred(r) for r in responses if r.ok)


def serve_reload(root: Path, timeout: float = 600) -> float | None:
    """Seconds from saving an edited entry to `mkdocs serve` serving the changed page."""
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(HERE), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("BRIEFING_ARCHIVE", None)
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    entry = root / "entries" / "sources" / "source-0.yml"
    original = entry.read_text("utf-8")
    url = f"http://127.0.0.1:{port}/sources/source-0/"

    def page_has(text: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return text in response.read().decode("utf-8")
        except OSError:
            return False

    try:
        deadline = time.monotonic() + timeout
        while not page_has("Headline 0"):
            if time.monotonic() > deadline:
                return None
            time.sleep(0.5)
        times = []
        for edit in range(1, 4):
            time.sleep(3)  # let the watcher settle after the last build
            title = f"Edited headline {edit} 0"
            entry.write_text(original.replace("title: \"Headline 0:", f"title: \"{title}:"), "utf-8")
            start = time.monotonic()
            while not page_has(title):
                if time.monotonic() - start > timeout:
                    return None
                time.sleep(0.05)
            times.append(time.monotonic() - start)
        return statistics.median(times)
    finally:
        entry.write_text(original, "utf-8")
        server.terminate()
        server.wait(30)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {cpu}, {mem:.0f} GiB, Python {platform.python_version()}, {platform.system()}"


def fmt_bytes(n: float | None) -> str:
    if n is None:
        return "-"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


# Texts an untrusted entry could hold, each repeated to the size measured: runs of every character
# with a meaning in Markdown or HTML, unclosed and nested brackets, link and tag openings, and
# a long line of ordinary words for comparison.
HOSTILE = {"words": "lorem ipsum ", "*": "*", "_": "_", "`": "`", "[": "[", "]": "]", "<": "<", "&": "&",
           "\\": "\\", "~": "~", "|": "|", "#": "#", "!": "!", "(": "(", "{": "{", ":": ":", "nested [[]]": "[[]]",
           "[a](": "[a](", "![": "![", "<a ": "<a ", "&amp;": "&amp;", "**x": "**x", "mixed": "*_`[<&\\~|#!({:"}


def hostile_page(value: str) -> str:
    """One entry's text where the templates put entry text: heading, paragraph, table cell, link."""
    from briefing.text import md, paragraphs
    inline = md(value)
    return (f"# {inline}\n\n{paragraphs(value)}\n\n"
            f"| Topic | Description |\n|---|---|\n| [{inline}](x.md) | {inline} |\n")


def markdown_pipeline(config: Path):
    """A function rendering Markdown to HTML with the extensions ``config`` (mkdocs.yml) lists."""
    import markdown
    import yaml

    from briefing.project import _TolerantLoader
    names, options = [], {}
    for item in yaml.load(config.read_text("utf-8"), Loader=_TolerantLoader).get("markdown_extensions") or []:
        name, conf = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if conf:
            options[name] = conf
    return lambda text: markdown.Markdown(extensions=names, extension_configs=options).convert(text)


def measure_hostile(sizes: list[int], repeat: int, config: Path) -> list[dict]:
    render = markdown_pipeline(config)
    rows = []
    for label, unit in HOSTILE.items():
        row: dict = {"payload": label}
        for size in sizes:
            value = (unit * (size // len(unit) + 1))[:size]
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                render(hostile_page(value))
                times.append(time.perf_counter() - start)
            row[size] = min(times)
        rows.append(row)
        print(f"measured {label!r}", file=sys.stderr)
    return rows


def hostile_table(rows: list[dict], sizes: list[int]) -> str:
    head = "| text | " + " | ".join(f"{n // 1000}k chars" for n in sizes) + " | last doubling |"
    lines = [head, "|" + "---|" * (len(sizes) + 2)]
    for row in rows:
        growth = row[sizes[-1]] / row[sizes[-2]] if len(sizes) > 1 and row[sizes[-2]] > 0 else float("nan")
        lines.append(f"| `{row['payload']}` | " + " | ".join(f"{row[n]:.3f} s" for n in sizes) + f" | x{growth:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generator-sizes", default="100,1000,5000,10000")
    parser.add_argument("--site-sizes", default="100,1000,5000")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing; the median is reported")
    parser.add_argument("--site-repeat", type=int, default=1, help="runs per full site build")
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "briefing-bench"))
    parser.add_argument("--record", metavar="FILE", help="also write the results as a Markdown page")
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON")
    parser.add_argument("--serve-sizes", default="1000", help="measure `mkdocs serve` reload at these N")
    parser.add_argument("--hostile", action="store_true",
                        help="only measure rendering hostile entry text (see above), then stop")
    parser.add_argument("--hostile-sizes", default="10000,20000,40000,80000,160000")
    args = parser.parse_args(argv)
    if args.hostile:
        sizes = [int(x) for x in args.hostile_sizes.split(",") if x]
        rows = measure_hostile(sizes, args.repeat, HERE.parent / "mkdocs.yml")
        print(json.dumps(rows, indent=2) if args.json else hostile_table(rows, sizes))
        return 0
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    gen_sizes = [int(x) for x in args.generator_sizes.split(",") if x]
    site_sizes = [int(x) for x in args.site_sizes.split(",") if x]
    serve_sizes = [int(x) for x in args.serve_sizes.split(",") if x]
    rows = []
    for n in sorted(set(gen_sizes) | set(site_sizes) | set(serve_sizes)):
        root = corpus(n, workdir)
        # Each generator run is paired with a C-loader parse right after it, and the ratio is the
        # median of the pairs' ratios: this machine's speed drifts within minutes, and two blocks
        # of runs timed apart could land in different windows.
        pairs = [(_child(root, "generator"), _child(root, "yaml")) for _ in range(args.repeat)]
        gen, yml = [g for g, _ in pairs], [y for _, y in pairs]
        row = {"n": n, "gen_seconds": median_of(gen, "seconds"), "gen_peak_mb": max(r["peak_mb"] for r in gen),
               "worker_peak_mb": max(r.get("worker_peak_mb", 0) for r in gen),
               "total_peak_mb": _child(root, "memory")["total_peak_mb"],
               "yaml_seconds": median_of(yml, "seconds"),
               "ratio": statistics.median(g["seconds"] / y["seconds"] for g, y in pairs)}
        if n in site_sizes:
            row.update(measure_site(root, args.site_repeat))
            row["gen_share"] = row["gen_seconds"] / row["site_seconds"]
        if n in serve_sizes:
            row["serve_reload"] = serve_reload(root)
        rows.append(row)
        print(f"measured N={n}", file=sys.stderr)
    table = render_table(rows)
    print(json.dumps(rows, indent=2) if args.json else table)
    if args.record:
        record(Path(args.record), render_page(rows, table, " ".join(sys.argv[1:])))
    return 0


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def record(path: Path, measured: str) -> None:
    """Write the measured part of the benchmarks page; keep what is written around the markers."""
    block = f"{START}\n{measured.rstrip()}\n{END}"
    old = path.read_text("utf-8") if path.exists() else ""
    if START in old and END in old:
        new = old[:old.index(START)] + block + old[old.index(END) + len(END):]
    else:
        new = "# Benchmarks\n\n" + block + "\n"
    path.write_text(new, "utf-8")


def render_table(rows: list[dict]) -> str:
    head = ("| N | load+validate+render | peak memory: main (worker) | all processes | C-loader parse alone | ratio | "
            "full site build | "
            "generator share | site size | pages | bytes/page | largest page | first page view | one search | "
            "search index | serve: edit to page |")
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for r in rows:
        site = "site_seconds" in r
        lines.append(" | ".join([
            f"| {r['n']:,}", f"{r['gen_seconds']:.2f} s",
            f"{r['gen_peak_mb']:.0f} MB" + (f" ({r['worker_peak_mb']:.0f} MB)" if r.get("worker_peak_mb") else ""),
            f"{r['total_peak_mb']:.0f} MB" if r.get("total_peak_mb") else "-",
            f"{r['yaml_seconds']:.2f} s",
            f"{r.get('ratio', r['gen_seconds'] / r['yaml_seconds']):.1f}x",
            f"{r['site_seconds']:.1f} s" if site else "-",
            (f"{r['gen_share']:.1%}"
             + (f" ({r['gen_share_in_build']:.1%})" if "gen_share_in_build" in r else "")) if site else "-",
            fmt_bytes(r.get("site_bytes")) if site else "-", f"{r['pages']:,}" if site else "-",
            fmt_bytes(r.get("bytes_per_page")) if site else "-", fmt_bytes(r.get("largest_page")) if site else "-",
            fmt_bytes(r.get("first_view_bytes")) if site else "-",
            fmt_bytes(r.get("search_bytes")) if site else "-",
            (f"{r['index_seconds']:.1f} s ({r['index_seconds'] / r['site_seconds']:.0%}), {r['index_peak_mb']:.0f} MB"
             if site and "index_seconds" in r else "-"),
            f"{r['serve_reload']:.1f} s" if r.get("serve_reload") else "-"]) + " |")
    return "\n".join(lines)


def render_page(rows: list[dict], table: str, argv: str) -> str:
    return f"""Measured with `python scripts/bench.py {argv}` on {time.strftime('%Y-%m-%d')}, on this machine:
{machine()}.

Synthetic corpora (`scripts/briefing/synthetic.py`): per source a summary of about 150 words,
5 quotes, 8 actors, 4 topics and 3 events; an actor registry of N/2 + 50 actors; quotes are real
passages of generated archive documents, so quote fidelity is checked as for a real briefing.
Timings are medians of repeated runs, each in a fresh process.

{table}

- *load+validate+render*: the generator alone: entries read and validated, every page and export
  file made, on every core (`BRIEFING_JOBS`, default all: the main process and a forked helper
  on this machine); pages handed back to the main process (and dropped), exports written to a
  scratch folder by the process that makes each. A site build does the same
  work, but writes the exports (except the actor map's picture) in a process of its own while
  MkDocs reads the pages, so this is more than a build waits for.
- *peak memory: main (worker)*: the main process's peak resident size; in brackets the largest
  helper's, which counts the memory it shares with the main process (forked, copy-on-write).
- *all processes*: the generator's whole memory at its peak: the proportional set sizes of the
  main process and its helpers, summed (a page two processes share counts half in each), sampled
  every 20 ms in a run of its own (sampling slows the run, so it is not one of the timed runs).
- *C-loader parse alone*: `yaml.load(..., CSafeLoader)` of the same files; *ratio* is the
  generator's time over it, the median over pairs of runs made one right after the other.
- *full site build*: `python -m briefing.site` (MkDocs strict build, then the Pagefind index).
- *generator share*: the generator alone (first column) over the full site build; in brackets,
  the time the build itself spent on the generator (`BRIEFING_TIMINGS`: reading the entries,
  making the pages, and waiting for the exports, which a process of their own writes while
  MkDocs reads the pages) over that same build, which a change in this machine's speed between
  two measurements cannot skew.
- *serve: edit to page*: seconds from saving an edited source entry to `mkdocs serve --dirty`
  serving the changed page (what `make serve` runs; the page reloads itself when the rebuild is
  done); the median of three edits.
- *first page view*: bytes the browser receives for a reader's first view of the sources page,
  until the network is idle (Chromium): nothing of the search is among them. Bytes on the wire:
  text files are sent gzipped, as GitHub Pages (where the publish workflow puts the site) sends them.
- *one search*: bytes the browser receives for one search, "security council cooperation" typed
  into the header box of the sources page at 150 ms a key, from the first keystroke until the
  network is idle (Chromium, bytes on the wire as above): the search's script and style,
  Pagefind's runtime, the parts of the index and the records the search reads.
- *search index*: the Pagefind index alone (`briefing.finder.write_index`, which the site build
  runs after MkDocs), in a process of its own: seconds, their share of the full site build, and
  the peak resident memory of Python and Pagefind together.
"""


if __name__ == "__main__":
    sys.exit(main())
