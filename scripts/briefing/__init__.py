"""Briefing: YAML entries on many sources -> a validated, searchable static site.

The stages, each a module of plain functions over plain data:

    load      entries/*.yml -> EntryFile (data + problems), positions on demand
    validate  [EntryFile] -> [Problem]   (schema, references, dates, archive)
    model     [EntryFile] -> Corpus      (frozen dataclasses)
    render    Corpus -> {page path: Markdown}
    write     {page path: Markdown} -> files, atomically

Only ``plugin`` imports MkDocs and only ``cli`` parses a command line.
"""

__version__ = "0.1.0"
