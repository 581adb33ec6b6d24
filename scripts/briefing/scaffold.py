"""``briefing new source | actor``: write a new entry skeleton that already validates.

A skeleton holds every field with a short comment on what belongs there. What cannot be known
before the document is read is left empty (a draft source's title and date, an actor's
description) or given its honest "nothing yet" value (``[]``, outlet kind ``unknown``), never
made up. Optional fields are commented out, ready to fill in. An existing entry is never
overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import textwrap
import unicodedata
from pathlib import Path

from . import captures
from .load import SLUG
from .names import same_name, words
from .prefill import Prefill, prefill, read_actors
from .problems import BriefingError
from .project import Settings

MAX_ID = 80


class ScaffoldError(BriefingError):
    """A clean message for the editor; the command exits 1."""


def slugify(text: str) -> str:
    """'Ministers Agree on a Hotline!' -> 'ministers-agree-on-a-hotline' (at most 80 characters)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"['\u2019]", "", folded)).strip("-")
    if len(slug) > MAX_ID:
        slug = slug[:MAX_ID + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_ID + 1] else slug[:MAX_ID]
    return slug


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _entry_id(explicit: str | None, derived_from: str, what: str) -> str:
    ident = explicit if explicit is not None else slugify(derived_from)
    if not ident:
        raise ScaffoldError(f"cannot make an id from {what} {derived_from!r}; give one with --id")
    if not SLUG.fullmatch(ident) or len(ident) > MAX_ID:
        raise ScaffoldError(f"'{ident}' is not an id: use lower-case letters, digits and single hyphens "
                            f"(at most {MAX_ID} characters), e.g. 'jane-doe'")
    return ident


def create_exclusive(path: Path, text: str) -> None:
    """Write ``path`` in one step, refusing if it exists (even if it appears meanwhile)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.link(tmp, path)  # fails with FileExistsError instead of replacing
    except FileExistsError:
        raise ScaffoldError(f"{path} appeared meanwhile; edit it, or choose another id with --id") from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def _target(settings: Settings, folder: str, ident: str) -> Path:
    path = settings.entries / folder / f"{ident}.yml"
    if path.exists():
        raise ScaffoldError(f"{_shown(path, settings)} already exists; edit it, or choose another id with --id")
    return path


def _shown(path: Path, settings: Settings) -> str:
    try:
        return path.resolve().relative_to(settings.root).as_posix()
    except ValueError:
        return str(path)


def _schema_line(kind: str) -> str:
    # Entries live two folders below the project root: entries/<kind>s/<id>.yml.
    return f"# yaml-language-server: $schema=../../scripts/briefing/schemas/{kind}.schema.json\n"


# --- sources -----------------------------------------------------------------------------------


def _archived(settings: Settings, given: str) -> tuple[str, str]:
    """The archive file name and SHA-256 for ``given`` (a path, or a name inside the archive)."""
    archive = settings.archive
    path = Path(given).expanduser()
    if not path.is_file() and archive.path is not None and (archive.path / given).is_file():
        path = archive.path / given
    if not path.is_file():
        where = f" or in the source archive {archive.path}" if archive.path else ""
        raise ScaffoldError(f"{given}: no such file here{where}")
    name = path.name
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        raise ScaffoldError(f"archive file name '{name}' has characters an entry cannot name; rename it using "
                            "letters, digits, '.', '_' and '-' only")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    folder = archive.path if archive.available else None
    if folder is not None:
        archived = archive.sha256(name)
        if archived is None:
            same = next((p.name for p in captures.documents(folder) if archive.sha256(p.name) == digest), None)
            if same:  # the original of a document `briefing archive add` put there under its archive name
                return same, digest
            raise ScaffoldError(f"{name} is not in the source archive {folder}: add it with `briefing archive "
                                f"add {given} --url URL --captured DATE` (or copy the captured document there), then "
                                "run this again (the archived copy is what every quote is checked against)")
        if archived != digest:
            raise ScaffoldError(f"{path} differs from {folder / name}, the copy in the source archive: "
                                "the archive's copy is the one entries refer to")
    return name, digest


def source_skeleton(ident: str, title: str | None, file_name: str, sha256: str, found: Prefill | None = None,
                    capture: captures.Capture | None = None) -> str:
    title_line = f"title: {_q(title)}" if title else "title:"
    if capture is not None and capture.url:
        when = f", captured {capture.captured}" if capture.captured else ""  # a date: read_records checks it
        url_line = (f"url: {_q(capture.url)}  # the address the document was captured from ({captures.RECORDS}"
                    f"{when}); correct it if the document's own address differs")
    else:
        url_line = '# url: "https://..."  # the original address, if known'
    quotes_block, actors_block = _quotes_block(found, file_name), _actors_block(found)
    return _schema_line("source") + f"""\
# A new source, written by `briefing new source`. Fill it in from the archived document, keep
# status: draft while you work, and set status: published when every field is done and reviewed.
# Guide: CONTRIBUTING.md. Every field, with an example: `briefing fields source`, or the site's page fields/.
id: {ident}  # the page address; never change it once published
status: draft  # draft | published (published needs every field filled in and an 80-200 word summary)
{title_line}  # the document's own headline, exactly as printed; empty until known
# title_basis: ""  # only when the document prints no headline: why the title above is your description
outlet:  # where the document was published
  kind: unknown  # news-agency | newspaper | news-website | broadcaster | magazine | newsletter | think-tank | blog | aggregator | government | unknown
  # name: ""  # the outlet's name; leave out if the document does not let you know it
  # note: ""  # a short, fair note on the outlet's affiliation or leaning (the briefing's assessment)
  # inferred: true  # when the outlet is worked out rather than printed; then give the basis:
  # basis: ""  # what in the document points to this outlet
authors: []  # authors as printed, e.g. ["Jane Roe"]; [] when the document names none
# authors_note: ""  # how the authorship was worked out, or why it is unknown
published:  # when the document was published; empty until known, then for example:
#   date: "2011-09-06"  # "YYYY", "YYYY-MM" or "YYYY-MM-DD", in quotes
#   precision: day  # day | month | year | approximate (then not_before: / not_after: may bound it)
#   inferred: true  # when the date is worked out rather than printed; then give the basis:
#   basis: ""  # the evidence for the date
{url_line}
archive:  # the archived copy this entry is made from: filled in by `briefing new source`
  file: {_q(file_name)}
  sha256: {_q(sha256)}
summary: ""  # a neutral summary in the briefing's own words, 80-200 words (needed to publish)
key_points: []  # the document's main points, one sentence each: - "..."
{quotes_block}{actors_block}topics: []  # topic ids from entries/topics/, e.g. [sanctions]
events: []  # what happened, as the document reports it; each item:
#   - id: short-slug  # unique in this file
#     when: {{date: "YYYY-MM-DD", precision: day}}
#     title: ""  # what happened, in one line
#     kind: meeting  # meeting | visit | signing | statement | report | military | policy | other
#     # actors: [actor-id]
#     # place: ""
capture_notes: []  # what in the archive file is page furniture or a capture artefact, so no one quotes it
# left_out: []  # quoted passages deliberately not quoted (`briefing coverage` lists the others); each item:
#   - text: "the quoted words"  # as the document prints them
#     reason: ""  # why it is no quotation for the briefing, e.g. "a quoted name, not speech"
"""  # noqa: E501 (a YAML file's lines, as the editor will see them)


QUOTES_EXAMPLE = """\
quotes: []  # every quotation, copied character for character from the archive file; each item:
#   - id: short-slug  # unique in this file; the quote's anchor
#     text: "exact words"  # without the surrounding quotation marks
#     speaker: actor-id  # an id from entries/actors/ (`briefing new actor NAME`), or unknown
#     kind: direct  # direct (a full statement) | fragment (a few words inside reported speech)
#     # speaker_note: ""  # needed when speaker is unknown: why the document does not say
#     # context: ""  # the situation it was said in, in the briefing's words
#     # topics: [topic-id]
#     # said: {date: "YYYY-MM-DD", precision: day}  # when it was said, if that differs from publication
#     # via: {kind: interview, actor: actor-id}  # through whom the document reports it; kind: news-agency |
#     #   interview | outlet | statement | meeting | report | other
"""
ACTORS_EXAMPLE = """\
actors: []  # every actor the document mentions; each item:
#   - id: actor-id  # an id from entries/actors/
#     role: ""  # what the actor does or is called in this document
"""
UNKNOWN_SPEAKER_NOTE = "Not identified yet: no known actor is named next to this quotation."


def _quotes_block(found: Prefill | None, file_name: str) -> str:
    if found is None or not found.stubs:
        return QUOTES_EXAMPLE
    count = len(found.stubs)
    out = [f"quotes:  # every quotation, copied character for character from the archive file. Below: the "
           f"{count} passage{'s' * (count != 1)}\n"
           f"# {file_name} prints in quotation marks, their text exactly as printed. Delete what is no quotation (a "
           "quoted name or title),\n# check each suggested speaker and kind, give the rest a short id. Optional per "
           "quote: speaker_note, context, topics, said, via.\n"]
    for stub in found.stubs:
        where = ", ".join(map(str, stub.lines))
        out.append(f"  - id: {stub.id}  # line{'s' * (len(stub.lines) > 1)} {where} of {file_name}\n")
        out.append(f"    text: {_q(stub.text)}\n")
        out.append(f"    speaker: {stub.speaker}  # suggested: {stub.why_speaker}\n")
        if stub.speaker == "unknown":
            out.append(f"    speaker_note: {_q(UNKNOWN_SPEAKER_NOTE)}  # say why the document does not identify "
                       "the speaker, or set speaker\n")
        out.append(f"    kind: {stub.kind}  # suggested: {stub.why_kind}\n")
    for text, line in found.dropped:
        out.append(f"# not a quote as it stands (line {line}): {_q(text)}\n")
    return "".join(out)


def _actors_block(found: Prefill | None) -> str:
    if found is None or not (found.actors or found.unknown_names):
        return ACTORS_EXAMPLE
    out = []
    if found.actors:
        out.append("actors:  # every actor the document mentions, with what it does or is called in it. Below: the "
                   "known actors\n# it names (name or alias), each suggested: delete a wrong match, write each role\n")
        for ident, line, spelling in found.actors:
            out.append(f"  - id: {ident}\n")
            out.append(f"    role: {_q(NAMED_ROLE)}  # suggested: named on line {line} as {_q(spelling)}; "
                       "say what it does or is called here\n")
    else:
        out.append(ACTORS_EXAMPLE)
    if found.unknown_names:
        shown = ", ".join(f"{name} (line {line})" for name, line in found.unknown_names)
        out.append("# Names in the document that are no known actor; add those that are actors with "
                   "`briefing new actor \"NAME\"`:\n")
        out.extend(f"#   {line}\n" for line in textwrap.wrap(shown, 96))
    return "".join(out)


NAMED_ROLE = "Named in the document."


def new_source(settings: Settings, archive: str, title: str | None = None, ident: str | None = None) -> Path:
    title = title.strip() if title else None
    file_name, digest = _archived(settings, archive)
    if title:
        ident = _entry_id(ident, title, "the title")
    else:
        ident = _entry_id(ident, Path(file_name).stem, "the archive file name")
    path = _target(settings, "sources", ident)
    found = None
    source_archive = settings.archive
    document = source_archive.document(file_name) if source_archive.available else None
    if document is not None:
        found = prefill(document, read_actors(settings.entries / "actors"))
    capture = captures.record_for(source_archive.path, file_name) if source_archive.available else None
    create_exclusive(path, source_skeleton(ident, title, file_name, digest, found, capture))
    return path


# --- actors ------------------------------------------------------------------------------------


def actor_skeleton(ident: str, name: str, kind: str, description: str | None) -> str:
    description_line = f"description: {_q(description)}" if description else "description:"
    return _schema_line("actor") + f"""\
# A new actor, written by `briefing new actor`. Every field, with an example: `briefing fields actor`, or the site's page fields/.
id: {ident}  # the page address; cite it from sources as speaker: {ident}
name: {_q(name)}  # the name the briefing uses
kind: {kind}  # person | organization | state
aliases: []  # other spellings, transliterations and short forms the sources use, e.g. ["J. Doe"]
# country: ""  # the country the actor belongs to or is based in, e.g. "Russia"; leave out for international bodies
{description_line}  # one line saying who or what this is; empty until you write it
roles: []  # titles or roles the sources show the actor holding; each item:
#   - title: ""  # the title as held
#     as_of: "YYYY-MM-DD"  # a date on which a source shows the actor in this role
#     # since: "YYYY-MM"  # when the actor took up the role, if known; until: when it ended
#     sources: [source-id]  # the source ids that support it
#     # note: ""  # where the title and the dates come from (a source's words, or general knowledge)
"""  # noqa: E501 (a YAML file's lines, as the editor will see them)


def existing_actors(settings: Settings, name: str) -> list[tuple[str, Path, str, str]]:
    """Actors that already have ``name`` as their name or an alias, spelled alike (``names.same_name``:
    case, accents and common romanisation variants aside): (id, file, 'name' or 'alias', as written)."""
    found = []
    alike = " ".join(words(name))  # case and accents aside: the spelling to name first
    for ident, data in read_actors(settings.entries / "actors").items():
        spellings = [("name", data.get("name"))] + [("alias", a) for a in data.get("aliases") or []]
        matches = [(what, spelling) for what, spelling in spellings
                   if isinstance(spelling, str) and same_name(name, spelling)]
        if matches:
            what, spelling = min(matches, key=lambda m: " ".join(words(m[1])) != alike)
            found.append((ident, data["_path"], what, spelling))
    return found


def new_actor(settings: Settings, name: str, kind: str = "person", ident: str | None = None,
              description: str | None = None, new: bool = False) -> Path:
    name = name.strip()
    if not name:
        raise ScaffoldError("the actor needs a name")
    if not new:
        matches = existing_actors(settings, name)
        if matches:
            shown = "; ".join(f"{i} ({_shown(path, settings)}, {what} '{spelling}')"
                              for i, path, what, spelling in matches)
            use = "that id" if len(matches) == 1 else "one of those ids"
            raise ScaffoldError(f"'{name}' is already an actor: {shown}; use {use}, or pass --new to create a "
                                "different actor of the same name")
    ident = _entry_id(ident, name, "the name")
    if ident == "unknown":
        raise ScaffoldError("'unknown' is reserved for quotes with no identified speaker; choose another --id")
    path = _target(settings, "actors", ident)
    create_exclusive(path, actor_skeleton(ident, name, kind, description.strip() if description else None))
    return path
