"""Synthetic briefings of any size, for benchmarks and scale tests.

Each source is realistic in shape: a summary of about 150 words, 5 quotes, 8 actors, 4 topics
and 3 events; the actor registry grows with the corpus. Quotes are real passages of a generated
archive document (each a paragraph of its own, on word boundaries, and the document's navigation
and related links marked as furniture), so quote fidelity is checked exactly as for a real
briefing. Same N and seed, same files.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

WORDS = ("security council cooperation agreement minister talks sanctions nuclear programme region "
         "strategic partnership defence treaty visit delegation statement officials bilateral energy "
         "trade dialogue pressure agency report western military exercise border terrorism stability "
         "relations support framework plan meeting capital government envoy deputy secretary").split()
FIRST = "Anna Boris Chen Dara Elif Farid Galina Hamid Irina Jalal Katya Leila Mikhail Nadia Omid Pavel".split()
LAST = "Ivanova Rahimi Petrov Karimi Sokolov Tehrani Volkov Hosseini Orlov Moradi Belov Jafari".split()
TOPICS = 40


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_corpus(root: Path, n: int, seed: int = 1) -> Path:
    """Write a project (mkdocs.yml, docs/, entries/, archive/) with ``n`` sources under ``root``."""
    rng = random.Random(seed)
    entries, archive, docs = root / "entries", root / "archive", root / "docs"
    for folder in (entries / "sources", entries / "actors", entries / "topics", archive, docs):
        folder.mkdir(parents=True, exist_ok=True)
    n_actors = max(20, n // 2 + 50)
    actor_ids = []
    for i in range(n_actors):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
        aid = f"actor-{i}"
        actor_ids.append(aid)
        (entries / "actors" / f"{aid}.yml").write_text(
            f"id: {aid}\nname: {_q(name)}\nkind: person\naliases: [{_q(name.upper())}]\n"
            f"description: {_q(_sentence(rng, 10))}\nroles:\n  - title: \"Deputy secretary\"\n"
            f"    as_of: \"{2000 + i % 25}\"\n", "utf-8")
    for t in range(TOPICS):
        (entries / "topics" / f"topic-{t}.yml").write_text(
            f"id: topic-{t}\nname: \"Topic {t}\"\ndescription: {_q(_sentence(rng, 12))}\n", "utf-8")
    for s in range(n):
        year, month, day = 2000 + s % 25, 1 + s % 12, 1 + s % 28
        quotes = [_sentence(rng, rng.randint(12, 30)) + f" ({s}-{k})" for k in range(5)]
        body = "\n\n".join(_sentence(rng, 25) + " \u201c" + q + "\u201d" for q in quotes)
        doc = f"Site navigation | Home\n\nHeadline {s}\n\n{body}\n\nRelated links\n"
        (archive / f"doc-{s}.txt").write_text(doc, "utf-8")
        sha = hashlib.sha256(doc.encode("utf-8")).hexdigest()
        actors = rng.sample(actor_ids, 8)
        topics = rng.sample(range(TOPICS), 4)
        summary = " ".join(_sentence(rng, 15) for _ in range(10))
        lines = [
            f"id: source-{s}", "status: published", f"title: {_q('Headline ' + str(s) + ': ' + _sentence(rng, 6))}",
            "outlet:", f"  name: \"Outlet {s % 50}\"", "  kind: news-website", "  note: \"Synthetic outlet.\"",
            "authors: [\"Staff writer\"]", "published:", f"  date: \"{year}-{month:02d}-{day:02d}\"",
            "  precision: day",
            "archive:", f"  file: \"doc-{s}.txt\"", f"  sha256: \"{sha}\"", "  furniture:",
            "    - lines: \"1\"", "      what: \"site navigation\"",
            f"    - lines: \"{doc.count(chr(10))}\"", "      what: \"related links\"", f"summary: {_q(summary)}",
            "key_points:", *[f"  - {_q(_sentence(rng, 12))}" for _ in range(3)], "quotes:"]
        for k, q in enumerate(quotes):
            lines += [f"  - id: q{k}", f"    text: {_q(q)}", f"    speaker: {actors[k]}", "    kind: direct",
                      f"    context: {_q(_sentence(rng, 10))}", f"    topics: [topic-{topics[k % 4]}]"]
        lines.append("actors:")
        for a in actors:
            lines += [f"  - id: {a}", f"    role: {_q(_sentence(rng, 6))}"]
        lines.append("topics: [" + ", ".join(f"topic-{t}" for t in topics) + "]")
        lines.append("events:")
        for e in range(3):
            lines += [f"  - id: e{e}", "    when:", f"      date: \"{year}-{month:02d}\"", "      precision: month",
                      f"    title: {_q(_sentence(rng, 8))}", "    kind: meeting",
                      f"    actors: [{actors[e]}, {actors[e + 1]}]", "    place: \"Capital\"",
                      f"    topics: [topic-{topics[e]}]"]
        lines.append(f"capture_notes: [{_q('Navigation and related links are page furniture.')}]")
        (entries / "sources" / f"source-{s}.yml").write_text("\n".join(lines) + "\n", "utf-8")
    (docs / "index.md").write_text(f"# Synthetic briefing\n\n{n} synthetic sources.\n", "utf-8")
    return root
