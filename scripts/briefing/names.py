"""When two spellings name the same actor: ``same_name("Ali Baqeri", "Ali Bagheri")``.

``fold(name)`` is the key two spellings of one name share. It leaves out what does not tell names
apart (case, accents, punctuation, spacing, a possessive 's) and folds a few variants that the
romanisation of Persian, Arabic and Russian names produces for the same sound. It is deliberately
modest: each fold below is one that the briefing's sources show, and none joins two letters that
commonly tell different names apart in English.

    fold          examples
    ------------  ---------------------------------------------------------------
    gh -> q       Bagheri / Baqeri, Ghomi / Qomi
    kh -> h       Khamenei / Hamenei, Kharrazi / Harrazi
    w, v -> u     Rowhani / Rouhani, Velayati / Welayati
    ou -> u       Rouhani / Ruhani, Mahmoud / Mahmud
    y -> i        Nikolay / Nikolai, Sergey / Sergei, Yevgeny / Ievgeni
    doubles -> 1  Hassan / Hasan, Dmitrii / Dmitriy / Dmitry (after y -> i)

Before these, case and accents go, and the scholarly romanisation's š, ž, č become sh, zh, ch
(Patrušev / Patrushev).
So "-ii", "-iy" and "-y" endings all end in one "i". The folds run in the order listed, on each
word. A fold can only make two spellings equal, never tell them apart, so it may join names that
are different people (the same risk as two people sharing a name): the tools that use it offer
the match and let the editor decide.

``mentions(text, index)`` finds where the names of an index (name or alias -> actor id) appear in
a text, longest name first, for the tools that read a document.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

# A word: letters and digits, with apostrophes inside (O'Brien); a possessive 's is not part of it.
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_POSSESSIVE = re.compile(r"['\u2019]s$", re.I)
_FOLDS = (("gh", "q"), ("kh", "h"), ("w", "u"), ("v", "u"), ("ou", "u"), ("y", "i"))
_DOUBLE = re.compile(r"(.)\1+")


_SCHOLARLY = str.maketrans({"š": "sh", "Š": "Sh", "ž": "zh", "Ž": "Zh", "č": "ch", "Č": "Ch"})
# Letters of other scripts that print as Latin ones ("Sеrgei" with a Cyrillic е reads as Sergei):
# Cyrillic, Greek, Armenian, the dotless i and the small capitals.
_LOOK_ALIKES = str.maketrans(
    "АВЕЅІЈКМНОРСТУХҮҺԚԜасеһіјорѕухԁԛԝӏүΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοινρκυօոսհıᴀʙᴄᴅᴇɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ",
    "ABESIJKMHOPCTYXYHQWacehijopsyxdqwlyABEZHIKMNOPTYXaoivpkuonuhiabcdeghijklmnoprstuvwyz")
# The Hangul fillers, letters that print as nothing (U+115F, U+1160) or as a blank (U+3164, U+FFA0).
_BLANK_LETTERS = frozenset("\u115f\u1160")
_BLANKS = str.maketrans({"\u3164": " ", "\uffa0": " "})
_UNSEEN = frozenset(("Cf", "Mn", "Me"))  # format characters, and marks that print on (or as) nothing


def as_seen(text: str) -> str:
    """``text`` as a reader sees it: what prints as nothing left out (a zero-width space, a soft hyphen,
    a byte-order mark, joiners, variation selectors, the combining grapheme joiner, accents, the
    Hangul fillers: "Lav\u200brov" prints as Lavrov), and letters of other scripts that print as
    Latin ones written as those. Two names equal here look the same on a page."""
    if text.isascii():
        return text
    seen = text.translate(_LOOK_ALIKES).translate(_BLANKS)
    return "".join(c for c in seen if c not in _BLANK_LETTERS and unicodedata.category(c) not in _UNSEEN)


def look_alike(text: str) -> str:
    """``text`` as two look-alike spellings share it: case, accents and compatibility forms left out
    ('Séverine ＯʼBrien' -> 'severine oʼbrien'), and what a reader cannot tell apart (``as_seen``).
    The key of validate's actor-duplicate-name, and where ``fold`` starts."""
    decomposed = unicodedata.normalize("NFKD", as_seen(text))
    return unicodedata.normalize("NFKD", "".join(c for c in decomposed if not unicodedata.combining(c)).casefold())


def _plain(text: str) -> str:
    """``look_alike``, and the scholarly romanisation's š, ž, č written as English does (Patrušev ->
    patrushev)."""
    return look_alike(text.translate(_SCHOLARLY))


@lru_cache(maxsize=65536)  # a document repeats its words
def fold_word(word: str) -> str:
    """One word's key: 'Bagheri' -> 'baqeri', "O'Brien" -> 'obrien', "Farah's" -> 'farah'."""
    word = _POSSESSIVE.sub("", _plain(word))
    word = re.sub(r"[^\w]|_", "", word)
    for old, new in _FOLDS:
        word = word.replace(old, new)
    return _DOUBLE.sub(r"\1", word)


def words(name: str) -> list[str]:
    return WORD.findall(_plain(name))


def fold(name: str) -> str:
    """The key spellings of one name share: 'Ali  BAQERI' and 'Ali Bagheri' -> 'ali baqeri';
    'V.Putin' -> 'u putin'; 'ITAR-Tass' -> 'itar tas'."""
    return " ".join(filter(None, (fold_word(w) for w in words(name))))


def same_name(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are spellings of one name (see the table above); never for empty names."""
    key = fold(a)
    return bool(key) and key == fold(b)


# --- finding names in a text ------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    start: int        # offsets in the text searched
    end: int
    word: int         # index of its first word among the text's words
    words: int        # how many words it takes
    actor: str        # the actor id
    spelling: str     # as printed


# The most words a name found in a text may have ("Supreme Leader of the Islamic Revolution
# Ayatollah Seyed Ali Khamenei" has nine): every word of a text is tried against names of up to
# this many words, so an alias of a thousand words made finding names take minutes.
NAME_WORDS = 16


class NameIndex:
    """Names and aliases of actors, by their folded key, for finding them in a text."""

    def __init__(self, names: Iterable[tuple[str, str]]):
        """``names``: (name or alias, actor id) pairs."""
        self.by_key: dict[str, set[str]] = {}
        for name, actor in names:
            key = fold(name)
            if key and key.count(" ") < NAME_WORDS:  # a longer "name" is looked for nowhere
                self.by_key.setdefault(key, set()).add(actor)
        self.longest = max((key.count(" ") + 1 for key in self.by_key), default=0)

    def find(self, text: str) -> list[Mention]:
        """Every place a known name is in ``text``, longest first where two overlap; a key that
        belongs to two actors is ambiguous and left out."""
        tokens = [(m.start(), m.end(), fold_word(m.group())) for m in WORD.finditer(text)]
        # run[i]: how many words from i on stand together (a name does not run across a sentence or
        # clause break), worked out once from the end
        run = [1] * len(tokens)
        for i in range(len(tokens) - 2, -1, -1):
            if _joined(text, tokens[i][1], tokens[i + 1][0]):
                run[i] = run[i + 1] + 1
        found, i = [], 0
        while i < len(tokens):
            for size in range(min(self.longest, run[i]), 0, -1):
                window = tokens[i:i + size]
                actors = self.by_key.get(" ".join(t[2] for t in window if t[2]))
                if actors and len(actors) == 1 and text[window[0][0]].isupper():
                    end = window[-1][1]
                    found.append(Mention(window[0][0], end, i, size, next(iter(actors)), text[window[0][0]:end]))
                    i += size
                    break
            else:
                i += 1
        return found


def _joined(text: str, end: int, start: int) -> bool:
    """Whether two words are parts of one name: only spaces, a hyphen or a dot (V.Putin) between."""
    between = text[end:start]
    return len(between) <= 3 and all(c in " -.\u2010\u2011" for c in between)


def actor_names(actors: Mapping[str, Mapping]) -> list[tuple[str, str]]:
    """(name or alias, actor id) for every actor in ``{id: entry data}``."""
    pairs = []
    for ident, data in actors.items():
        for name in [data.get("name"), *(data.get("aliases") or [])]:
            if isinstance(name, str):
                pairs.append((name, ident))
    return pairs
