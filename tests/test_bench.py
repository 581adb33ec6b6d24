"""The benchmark's bookkeeping (the measurements themselves are never asserted: see docs/benchmarks.md)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
import urllib.request

import pytest

from conftest import ROOT, run, with_theme_overrides

spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_record_replaces_only_the_measured_block(tmp_path):
    page = tmp_path / "benchmarks.md"
    page.write_text(f"# Benchmarks\n\nintro\n\n{bench.START}\nold table\n{bench.END}\n\n## Analysis\nkept\n")
    bench.record(page, "new table\n")
    assert page.read_text() == f"# Benchmarks\n\nintro\n\n{bench.START}\nnew table\n{bench.END}\n\n## Analysis\nkept\n"


def test_record_starts_a_page(tmp_path):
    page = tmp_path / "benchmarks.md"
    bench.record(page, "table")
    assert page.read_text() == f"# Benchmarks\n\n{bench.START}\ntable\n{bench.END}\n"


def test_table_has_a_row_per_size():
    rows = [{"n": 100, "gen_seconds": 1.0, "gen_peak_mb": 50, "yaml_seconds": 0.5},
            {"n": 1000, "gen_seconds": 2.0, "gen_peak_mb": 60, "worker_peak_mb": 70, "total_peak_mb": 90,
             "yaml_seconds": 1.0,
             "site_seconds": 20.0,
             "gen_share": 0.1, "site_bytes": 2e6, "pages": 10, "bytes_per_page": 2e5, "largest_page": 3e5,
             "first_view_bytes": 1e6, "search_bytes": 2e5, "index_seconds": 5.0, "index_peak_mb": 300,
             "serve_reload": 4.2}]
    table = bench.render_table(rows).splitlines()
    assert len(table) == 4 and table[2].startswith("| 100 | 1.00 s | 50 MB | - | 0.50 s | 2.0x | - |")
    assert table[3].startswith("| 1,000 | 2.00 s | 60 MB (70 MB) | 90 MB | 1.00 s | 2.0x | 20.0 s |")
    assert table[3].endswith("| 10.0% | 2.0 MB | 10 | 200.0 KB | 300.0 KB | 1.0 MB | 200.0 KB | 5.0 s (25%), 300 MB "
                             "| 4.2 s |")
    assert table[2].endswith("| - | - |")  # no site built at N = 100: no search index either
    rows[1]["gen_share_in_build"] = 0.047
    assert "| 10.0% (4.7%) | 2.0 MB |" in bench.render_table(rows)
    rows[1]["ratio"] = 1.85  # the median of paired runs' ratios, where measured, not the medians' ratio
    assert "| 1.00 s | 1.9x | 20.0 s |" in bench.render_table(rows)


def test_site_build_reports_its_generator_time(mini, tmp_path, monkeypatch):
    """The plugin writes the time a site build spent in the generator where BRIEFING_TIMINGS says,
    so that the benchmark measures the generator's share within one build."""
    timings = tmp_path / "timings.json"
    monkeypatch.setenv("BRIEFING_TIMINGS", str(timings))
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")], mini)
    assert result.returncode == 0, result.stderr
    spent = json.loads(timings.read_text("utf-8"))
    assert set(spent) == {"load_seconds", "render_seconds", "export_wait_seconds"}
    assert all(0 < seconds < 60 for seconds in spent.values())


def test_the_bench_serves_text_gzipped_as_a_static_host_does(tmp_path):
    """Bytes on the wire: text files gzipped when the browser accepts it; Pagefind's files (gzipped
    already) and anything else as they are."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text("<p>page</p>" * 200)
    (tmp_path / "search.js").write_text("var x = 1;\n" * 500)
    (tmp_path / "wasm.en.pagefind").write_bytes(bytes(range(256)) * 8)
    handler = bench.functools.partial(bench._GzipHandler, directory=str(tmp_path))
    server = bench.http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    bench.threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        def get(path, accept="gzip, deflate, br"):
            request = urllib.request.Request(base + path, headers={"Accept-Encoding": accept})
            with urllib.request.urlopen(request) as response:
                length = int(response.headers["Content-Length"])
                return response.headers.get("Content-Encoding"), length, response.read()
        for path, file in [("/sub/", "sub/index.html"), ("/search.js", "search.js")]:
            encoding, length, body = get(path)
            raw = (tmp_path / file).read_bytes()
            assert encoding == "gzip" and length == len(body) < len(raw) and gzip.decompress(body) == raw
            assert get(path, accept="identity")[:2] == (None, len(raw))
        assert get("/wasm.en.pagefind")[:2] == (None, 2048)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_one_search_counts_everything_the_header_box_downloads(mini, tmp_path):
    """The bench's one search, on the mini briefing: the search's files, Pagefind's runtime and
    index, gzipped where a host gzips them; a first page view downloads none of them."""
    with_theme_overrides(mini, copy_from=ROOT / "overrides")  # the real site's header, with its search box
    site = tmp_path / "site"
    result = run([sys.executable, "-m", "briefing.site", "--out", str(site), "--quiet"], mini)
    assert result.returncode == 0, result.stderr
    # In a process of its own: the bench drives Chromium with Playwright's sync API, which cannot
    # run inside the event loop the browser tests' fixtures keep.
    measured = run([sys.executable, "-c", "import json, sys; sys.path.insert(0, sys.argv[1]); import bench; "
                    "from pathlib import Path; site = Path(sys.argv[2]); "
                    "print(json.dumps([bench.search_transfer(site, phrase='hotline'), "
                    "bench.first_view_transfer(site)]))",
                    str(ROOT / "scripts"), str(site)], ROOT)
    assert measured.returncode == 0, measured.stderr
    searched, first_view = json.loads(measured.stdout)
    index = site / "pagefind"
    always = sum((index / name).stat().st_size for name in ["wasm.en.pagefind"]) + \
        sum(p.stat().st_size for p in index.glob("*.pf_meta"))
    everything = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
    assert searched is not None and always < searched < everything
    assert first_view and first_view > 0  # the first view is measured the same way
