"""The benchmark's bookkeeping (the measurements themselves are never asserted: see docs/benchmarks.md)."""

from __future__ import annotations

import importlib.util
import json
import sys

from conftest import ROOT, run

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
             "first_view_bytes": 1e6, "finder_bytes": 2e5, "index_seconds": 5.0, "index_peak_mb": 300,
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
