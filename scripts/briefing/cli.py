"""The command-line door into the core: ``briefing validate | build | quotes | new``."""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from pathlib import Path

from . import build as run
from . import captures, coverage, fields, quotesearch, scaffold
from .problems import BriefingError, errors, printable
from .project import find_config, read_settings
from .write import RefusedError


def _settings(args: argparse.Namespace):
    config = Path(args.config) if args.config else find_config()
    return read_settings(config)


def cmd_validate(args: argparse.Namespace) -> int:
    loaded = run.load(_settings(args))
    for problem in loaded.problems:
        print(problem.format_github() if args.format == "github" else problem.format())
    bad = errors(loaded.problems)
    if args.format == "text":
        counts = {k: sum(1 for f in loaded.files if f.kind == k) for k in ("source", "actor", "topic")}
        summary = f"{counts['source']} sources, {counts['actor']} actors, {counts['topic']} topics"
        print(f"{len(bad)} error(s) in {summary}" if bad else f"ok: {summary}", file=sys.stderr)
    return 1 if bad else 0


def cmd_build(args: argparse.Namespace) -> int:
    loaded = run.load(_settings(args))
    bad = errors(loaded.problems)
    if bad or loaded.corpus is None:
        for problem in bad:
            print(problem.format(), file=sys.stderr)
        print(f"{len(bad)} error(s): nothing written", file=sys.stderr)
        return 1
    settings = _settings(args)
    from .site import project_folders
    from .write import check_output
    try:  # the same door as the site build's: never the project's sources, never others' files
        out = check_output(Path(args.out), *project_folders(Path(args.config) if args.config else find_config()),
                           "pages")
        pages, exports, written, unchanged, removed = run.write_pages(loaded.corpus, settings.site, out)
    except RefusedError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 1
    print(f"{pages} pages and {exports} export files in {printable(args.out)}: {written} written, "
          f"{unchanged} unchanged, {removed} removed")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Check that the address is free, then become ``mkdocs serve`` (live reload, dirty rebuilds):
    a busy port is one line and a suggestion, not MkDocs' traceback."""
    config = Path(args.config) if args.config else find_config()
    problem = address_problem(args.host, args.port)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print(f"serving the briefing on http://{args.host}:{args.port}/ (Ctrl-C stops; saving an entry reloads the page)",
          flush=True)
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(config),
               "--dev-addr", f"{args.host}:{args.port}", "--livereload", "--dirty"]
    os.execv(sys.executable, command)  # MkDocs takes over this process: Ctrl-C and exit codes are its own


def address_problem(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be served on (in use, or not an address of this machine), with
    what to do; None when it can."""
    exc = _bind_error(host, port)
    if exc is None:
        return None
    if exc.errno != errno.EADDRINUSE:
        return f"cannot serve on {host}:{port} ({exc.strerror}); use another address, e.g. make serve HOST=127.0.0.1"
    free = next((p for p in range(port + 1, min(port + 50, 65536)) if _bind_error(host, p) is None), None)
    other = f"make serve PORT={free}" if free else "make serve PORT=<another port>"
    return f"port {port} on {host} is already in use (another `make serve`?); stop it, or run: {other}"


def _bind_error(host: str, port: int) -> OSError | None:
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, port))
    except OSError as exc:
        return exc
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing", description="Validate a briefing's YAML entries and render its pages.",
        epilog="Example: briefing validate --format github")
    parser.add_argument("--config", help="path to mkdocs.yml (default: the nearest one above the current folder)")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check every entry and print every problem",
                              description="Check every entry; print one problem per line; exit 1 if any error.",
                              epilog="Example: briefing validate --format github")
    validate.add_argument("--format", choices=["text", "github"], default="text",
                          help="text: path:line:col: error: message (rule); github: ::error workflow commands")
    validate.set_defaults(func=cmd_validate)

    build = sub.add_parser("build", help="write the generated Markdown pages to a folder",
                           description="Render every generated page as Markdown into DIR (for inspection or "
                           "another site engine). Refuses to overwrite files it did not write.",
                           epilog="Example: briefing build --out /tmp/pages")
    build.add_argument("--out", required=True, metavar="DIR")
    build.set_defaults(func=cmd_build)
    serve = sub.add_parser("serve", help="serve the site with live reload (what `make serve` runs)",
                           description="Serve the briefing on HOST:PORT with MkDocs' live reload; an edit to an "
                           "entry re-renders only the pages it changes.",
                           epilog="Example: briefing serve --port 8001")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.set_defaults(func=cmd_serve)
    quotesearch.add_parser(sub)
    scaffold.add_parser(sub)
    coverage.add_parser(sub)
    fields.add_parser(sub)
    captures.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BriefingError as exc:  # the one error a command tells: one line, exit 1
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
