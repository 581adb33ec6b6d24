"""The command line, the one door beside the MkDocs plugin: ``briefing validate | build | serve |
quotes | new | coverage | fields | archive`` and ``python -m briefing.site``.

Every argument is parsed here and every line a command prints is printed here; the modules it
calls take plain values and return, or raise ``BriefingError``. ``main`` tells such an error as
``error: <message>`` on one line and exits 1 (argparse's usage errors keep its exit 2), and a reader
that goes away (``briefing quotes x | head -1``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from . import build as run
from . import captures, coverage, dates, fields, quotesearch, scaffold
from .model import quote_date_label, quote_url
from .problems import BriefingError, errors, one_line, printable
from .project import find_config, read_settings
from .write import RefusedError

# The exit status when the reader of our output went away (`| head -1`): what a shell reports for a
# process ended by SIGPIPE (128 + 13), so a script tells it from 1, "validate found errors".
READER_GONE = 141


def _settings(args: argparse.Namespace):
    config = Path(args.config) if args.config else find_config()
    return read_settings(config)


def _relative(path: Path, root: Path) -> str:
    """``path`` as the user finds it from ``root`` (the project, or the current folder)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


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
        raise BriefingError(problem)
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


def cmd_quotes(args: argparse.Namespace) -> int:
    loaded = run.load(_settings(args))
    if loaded.corpus is None:
        for problem in errors(loaded.problems):
            print(problem.format(), file=sys.stderr)
        print("the entries have errors; fix them (briefing validate) and search again", file=sys.stderr)
        return 1
    corpus = loaded.corpus
    since = dates.first_day(args.since).isoformat() if args.since else None
    until = dates.last_day(args.until).isoformat() if args.until else None
    matches = quotesearch.find_quotes(corpus, args.phrase, speaker=args.speaker, source=args.source,
                                      since=since, until=until)
    if args.json:
        print(json.dumps([quotesearch.as_dict(corpus, m) for m in matches], ensure_ascii=False, indent=2))
        return 0
    for m in matches:
        # Entry text, each line made safe for a terminal and a CI log (a title may hold "\n::error ...").
        said = quote_date_label(m.quote, m.source)
        print(one_line(f"{said} · {corpus.actor_name(m.quote.speaker)} · {m.source.title}"))
        print(one_line(f"  {m.quote.text}"))
        print(one_line(f"  {quote_url(m.quote)}"))
    print(one_line(f"{len(matches)} quote(s) contain {args.phrase!r}"), file=sys.stderr)
    return 0


def _date(value: str) -> str:
    """An option's date (YYYY, YYYY-MM or YYYY-MM-DD), refused as argparse refuses a bad value."""
    try:
        dates.first_day(value)
    except (ValueError, TypeError):
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD") from None
    return value


def _port(value: str) -> int:
    """A port to serve on, 1 to 65535 (0 would be a port the system picks, which no one could open)."""
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port; give a whole number from 1 to 65535, e.g. 8001")
    return int(value)


def cmd_new_source(args: argparse.Namespace) -> int:
    settings = _settings(args)
    path = scaffold.new_source(settings, args.archive, args.title, args.id)
    shown = _relative(path, settings.root)
    data = yaml.safe_load(path.read_text("utf-8"))
    quotes, actors = len(data.get("quotes") or []), len(data.get("actors") or [])
    print(f"wrote {shown} (status: draft)")
    if quotes or actors:
        print(f"  prefilled from the document: {quotes} quote stub(s) with suggested speakers, {actors} known "
              "actor(s); every suggestion is marked '# suggested:'")
    print("next:")
    print(f"  1. open {shown} and fill it in from the archived document (the comments say what goes where);")
    print("     delete each stub that is no quotation, check each suggested speaker and kind")
    print("  2. add any missing speaker or actor: briefing new actor \"NAME\" --kind person")
    print(f"  3. add dated roles the document shows to existing actors (roles: with as_of and sources: [{path.stem}])")
    print("  4. check it: briefing validate; then briefing coverage " + path.stem +
          " (quoted passages not captured yet)")
    print("  5. look at the overview, docs/index.md: does its narrative still hold with this source?")
    print("  6. preview it: make serve, then open http://127.0.0.1:8000/sources/" + path.stem + "/")
    return 0


def cmd_new_actor(args: argparse.Namespace) -> int:
    settings = _settings(args)
    path = scaffold.new_actor(settings, args.name, args.kind, args.id, args.description, args.new)
    shown = _relative(path, settings.root)
    print(f"wrote {shown}")
    print("next:")
    print(f"  1. open {shown}: add aliases, a one-line description and the roles the sources show")
    print(f"  2. cite it from a source as speaker: {path.stem} (in quotes) or id: {path.stem} (in actors)")
    print("  3. check it: briefing validate")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    lines, total = coverage.report(_settings(args), args.source)
    for line in lines:
        print(line)
    print(f"{total} quoted passage(s) not captured" if total else "every quoted passage is captured or left out",
          file=sys.stderr)
    return 1 if total and args.strict else 0


def cmd_fields(args: argparse.Namespace) -> int:
    _print_lines(fields.text((args.kind,) if args.kind else fields.KINDS))
    return 0


def _print_lines(text: str) -> None:
    """``text`` line by line, each made safe for a terminal (no control character of an entry's)."""
    for line in text.splitlines():
        print(printable(line))


def cmd_rules(args: argparse.Namespace) -> int:
    from . import rules
    if args.update:
        guide = Path(args.update)
        try:
            text = guide.read_text("utf-8")
            updated = rules.with_rules(text)
        except (OSError, ValueError) as exc:
            raise BriefingError(f"{guide}: {exc}") from None
        if updated != text:
            guide.write_text(updated, "utf-8")
        print(f"{guide}: the list of rules {'rewritten' if updated != text else 'already in step'}", file=sys.stderr)
        return 0
    if args.rule:
        rule = rules.RULES.get(args.rule)
        if rule is None:
            raise BriefingError(f"no rule is called {args.rule!r}; `briefing rules` lists them all")
        _print_lines(f"{rule.id} ({rule.level}): {rule.explanation}")
        return 0
    _print_lines(rules.markdown())
    return 0


def cmd_archive_add(args: argparse.Namespace) -> int:
    archive = _settings(args).archive.path
    if archive is None:
        raise captures.CaptureError("this project names no source archive (the briefing plugin's 'archive' option)")
    record = captures.add(archive, Path(args.file).expanduser(), args.url, args.captured)
    here = Path.cwd()
    print(f"archived {args.file} as {_relative(archive / record.file, here)} (sha256 {record.sha256[:12]}...)")
    print(f"recorded in {_relative(archive / captures.RECORDS, here)}: " + ", ".join(
        f"{k} {v}" for k, v in record.as_dict().items() if k in ("url", "captured", "added")))
    if record.url is None or record.captured is None:
        unknown = " and ".join(k for k in ("url", "captured") if getattr(record, k) is None)
        print(f"not recorded ({unknown}): add --url / --captured next time if they are known")
    print("next:")
    print(f"  briefing new source --archive {record.file} --title \"HEADLINE\" --id SHORT-ID")
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from .site import build  # MkDocs runs in a child process; nothing of it is imported here
    return build(Path(args.config), Path(args.out), pagefind=not args.no_pagefind, quiet=args.quiet)


# --- the parsers -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """``briefing``: every command, each with its description and an example (a test checks)."""
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
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    serve.set_defaults(func=cmd_serve)

    quotes = sub.add_parser(
        "quotes", help="find quotes containing a phrase",
        description="Print every quote whose text contains PHRASE (case, white space and punctuation "
        "ignored, as in the site's search), newest first, with speaker, date, source and the page anchor.",
        epilog='Example: briefing quotes "strategic partnership" --speaker vladimir-putin --since 2020',
        formatter_class=argparse.RawDescriptionHelpFormatter)
    quotes.add_argument("phrase", metavar="PHRASE")
    quotes.add_argument("--speaker", metavar="ID", help="only quotes by this actor id (or 'unknown')")
    quotes.add_argument("--source", metavar="ID", help="only quotes from this source id")
    quotes.add_argument("--since", metavar="DATE", type=_date, help="said on or after DATE (YYYY[-MM[-DD]])")
    quotes.add_argument("--until", metavar="DATE", type=_date, help="said on or before DATE (YYYY[-MM[-DD]])")
    quotes.add_argument("--json", action="store_true", help="print a JSON list instead of text")
    quotes.set_defaults(func=cmd_quotes)

    new = sub.add_parser("new", help="write a new source or actor entry skeleton",
                         description="Write a new entry skeleton that already validates. "
                         "Never overwrites an existing entry.",
                         epilog='Example: briefing new source --archive 005_example.txt --title "Headline"')
    kinds = new.add_subparsers(dest="kind", required=True)
    source = kinds.add_parser(
        "source", help="a new source (draft) from an archived document",
        description="Write entries/sources/<id>.yml for an archived document: id from the title (or the file "
        "name), archive file and SHA-256 filled in (and url, from the archive's capture record), status: draft, "
        "every field present with a comment. Every passage the document prints in quotation marks becomes a quote "
        "stub with its exact text, a suggested speaker and kind; the known actors it names are listed, and "
        "names that are no known actor are listed in a comment.",
        epilog='Example: briefing new source --archive ../shared/sources/005_example.txt --title "Officials meet"')
    source.add_argument("--archive", required=True, metavar="FILE",
                        help="the archived document: a path, or a file name inside the source archive")
    source.add_argument("--title", help="the document's headline, as printed (also gives the id)")
    source.add_argument("--id", help="the entry id, if not the one made from the title or file name")
    source.set_defaults(func=cmd_new_source)
    actor = kinds.add_parser(
        "actor", help="a new actor (person, organization or state)",
        description="Write entries/actors/<id>.yml: id from the name, kind, aliases, description, roles. Refuses "
        "a name that an actor already has as its name or an alias, ignoring case, accents and common "
        "transliteration variants (Baqeri/Bagheri, Rowhani/Rouhani, Nikolay/Nikolai): it names that actor instead.",
        epilog='Example: briefing new actor "Jane Doe" --kind person')
    actor.add_argument("name", metavar="NAME", help="the name the briefing uses")
    actor.add_argument("--kind", choices=["person", "organization", "state"], default="person",
                       help="default: person")
    actor.add_argument("--id", help="the entry id, if not the one made from the name")
    actor.add_argument("--description", help="one line saying who or what this is")
    actor.add_argument("--new", action="store_true",
                       help="create it even though an actor already has this name or alias (a different person "
                       "of the same name)")
    actor.set_defaults(func=cmd_new_actor)

    covered = sub.add_parser(
        "coverage", help="list the quoted passages of each source's document that no quote captures",
        description="For each source entry, list the passages its archived document prints between quotation "
        "marks that no quote of the entry takes text from, with their line in the archive file. A passage "
        "the entry lists under left_out (with a reason) is not listed.",
        epilog="Example: briefing coverage northern-sea-hotline-2025")
    covered.add_argument("source", nargs="*", metavar="SOURCE",
                         help="source ids or entry files to look at (default: every source)")
    covered.add_argument("--strict", action="store_true", help="exit 1 when any passage is not captured")
    covered.set_defaults(func=cmd_coverage)

    reference = sub.add_parser(
        "fields", help="print the reference of every field an entry can have",
        description="Print every field of a source, actor and topic entry: meaning, type, allowed values and an "
        "example, made from the JSON Schemas (the site's 'Fields of an entry' page shows the same).",
        epilog="Example: briefing fields source | less")
    reference.add_argument("kind", nargs="?", choices=fields.KINDS, help="only this kind of entry (default: all three)")
    reference.set_defaults(func=cmd_fields)

    listed = sub.add_parser(
        "rules", help="explain the rules validate checks, one or all",
        description="Print what each of validate's rules means and what to do about it (CONTRIBUTING.md's list, "
        "made from scripts/briefing/rules.py), or only one rule's explanation.",
        epilog="Example: briefing rules furniture-lines")
    listed.add_argument("rule", nargs="?", help="only this rule (the id in brackets after a problem)")
    listed.add_argument("--update", metavar="GUIDE",
                        help="rewrite the generated list of rules in GUIDE (CONTRIBUTING.md) instead")
    listed.set_defaults(func=cmd_rules)

    archive = sub.add_parser(
        "archive", help="put a captured document into the source archive, with where it came from",
        description="Manage the source archive (the documents every quote is checked against).",
        epilog="Example: briefing archive add ~/Downloads/page.txt --url https://example.org/news/1 "
        "--captured 2025-05-14")
    actions = archive.add_subparsers(dest="action", required=True)
    add = actions.add_parser(
        "add", help="copy a captured document into the archive and record its capture",
        description="Copy FILE into the source archive as NNN_<first 16 hex digits of its SHA-256><extension> "
        f"(the next number), and record its SHA-256, address and capture date in the archive's {captures.RECORDS}. "
        "Refuses a document the archive already holds, and never replaces a file.",
        epilog="Example: briefing archive add ~/Downloads/page.txt --url https://example.org/news/1 "
        "--captured 2025-05-14")
    add.add_argument("file", metavar="FILE", help="the captured document, as plain UTF-8 text")
    add.add_argument("--url", help="the address it was captured from (http or https)")
    add.add_argument("--captured", metavar="DATE", help="when it was captured: YYYY-MM-DD")
    add.set_defaults(func=cmd_archive_add)
    return parser


def site_parser() -> argparse.ArgumentParser:
    """``python -m briefing.site`` (what ``make site`` runs)."""
    parser = argparse.ArgumentParser(
        prog="python -m briefing.site",
        description="Build the whole site (MkDocs --strict, then the Pagefind index) into a new folder, then swap "
        "it in: a failed build leaves the previous site untouched.",
        epilog="Example: python -m briefing.site --out site")
    parser.add_argument("--config", default="mkdocs.yml", help="path to mkdocs.yml (default: mkdocs.yml)")
    parser.add_argument("--out", default="site", metavar="DIR", help="the site folder (default: site)")
    parser.add_argument("--no-pagefind", action="store_true",
                        help="build without the search index (quicker; the site's search then finds nothing)")
    parser.add_argument("--quiet", action="store_true", help="MkDocs prints its errors only")
    parser.set_defaults(func=cmd_site)
    return parser


# --- running a command -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """``briefing ARGS``: the exit status (0, 1 for an error or a failed check, 2 for a usage error)."""
    return _run(build_parser, argv)


def site_main(argv: list[str] | None = None) -> int:
    """``python -m briefing.site ARGS``: the exit status."""
    return _run(site_parser, argv)


def _run(parser: Callable[[], argparse.ArgumentParser], argv: list[str] | None) -> int:
    try:
        args = parser().parse_args(argv)  # a usage error exits 2 here, with argparse's message
        try:
            status: int = args.func(args)
        except BriefingError as exc:  # the one error a command tells: one line, exit 1
            print(f"error: {printable(str(exc))}", file=sys.stderr)
            status = 1
        except BrokenPipeError:
            raise
        except OSError as exc:  # what the system refused (a folder not writable, a disk full): the same line
            where = f"{exc.filename}: " if exc.filename else ""
            print(f"error: {printable(where + (exc.strerror or str(exc)))}", file=sys.stderr)
            status = 1
        sys.stdout.flush()  # inside the try: a reader gone shows only here when the output was buffered
        return status
    except BrokenPipeError:
        # The Python docs' recipe (signal module, "Note on SIGPIPE"): the rest of the output goes
        # nowhere, so neither the interpreter's last flush nor a later line raises again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.dup2(devnull, sys.stderr.fileno())
        return READER_GONE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
