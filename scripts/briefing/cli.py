"""The command-line door into the core: ``briefing validate | build | quotes | new``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import quotesearch, scaffold
from .exports import plan_exports
from .parallel import workers_available
from .problems import errors
from .project import find_config, load_project, read_settings
from .render import iter_outputs, plan_pages
from .write import Outputs, RefusedError


def _settings(args: argparse.Namespace):
    config = Path(args.config) if args.config else find_config()
    return read_settings(config)


def cmd_validate(args: argparse.Namespace) -> int:
    loaded = load_project(_settings(args), workers=workers_available())
    for problem in loaded.problems:
        print(problem.format_github() if args.format == "github" else problem.format())
    bad = errors(loaded.problems)
    if args.format == "text":
        counts = {k: sum(1 for f in loaded.files if f.kind == k) for k in ("source", "actor", "topic")}
        summary = f"{counts['source']} sources, {counts['actor']} actors, {counts['topic']} topics"
        print(f"{len(bad)} error(s) in {summary}" if bad else f"ok: {summary}", file=sys.stderr)
    return 1 if bad else 0


def cmd_build(args: argparse.Namespace) -> int:
    loaded = load_project(_settings(args), workers=workers_available())
    bad = errors(loaded.problems)
    if bad or loaded.corpus is None:
        for problem in bad:
            print(problem.format(), file=sys.stderr)
        print(f"{len(bad)} error(s): nothing written", file=sys.stderr)
        return 1
    settings = _settings(args)
    jobs, exports = plan_pages(loaded.corpus, settings.site), plan_exports(loaded.corpus, settings.site)
    try:
        outputs = Outputs(Path(args.out), [job.path for job in jobs] + [path for path, _ in exports])
    except RefusedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    written = sum(iter_outputs(loaded.corpus, settings.site, outputs.write, jobs, exports,
                               workers=workers_available()))  # each worker writes what it made
    removed = outputs.finish()
    unchanged = len(outputs.paths) - written
    print(f"{len(jobs)} pages and {len(exports)} export files in {args.out}: {written} written, "
          f"{unchanged} unchanged, {removed} removed")
    return 0


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
    quotesearch.add_parser(sub)
    scaffold.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
