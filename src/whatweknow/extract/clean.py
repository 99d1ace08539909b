"""Clean a raw report before parsing, keeping an exact map back to the raw text.

Steps: Unicode repair (ftfy, curly quotes kept), line endings, machine-translation
artifacts (a French elided article glued to a name, lost spaces around curly
quotes, function words glued to a name), scraper trailers at the end, blank-line
runs and trailing spaces. Every edit is applied to a list of characters that each
carry their raw offset, so ``Cleaned.offsets`` stays exact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import ftfy

from whatweknow.model import SpanT

__all__ = ["Cleaned", "clean_text", "raw_span"]


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Cleaned text; ``offsets[i]`` is the raw offset of cleaned character ``i``.

    ``offsets`` has ``len(text) + 1`` entries; the last one is ``len(raw)``.
    """

    text: str
    offsets: list[int]


# an edit over the current text: replace text[start:end] with ``new``
Edit = tuple[int, int, str]


def _apply(text: str, offs: list[int], edits: Iterable[Edit]) -> tuple[str, list[int]]:
    """Apply non-overlapping edits; inserted characters map to the raw offset of ``start``."""
    pieces: list[str] = []
    new_offs: list[int] = []
    pos = 0
    for start, end, new in sorted(edits):
        if start < pos:
            continue  # overlapping edit: skip it
        pieces.append(text[pos:start])
        new_offs.extend(offs[pos:start])
        pieces.append(new)
        if len(new) == end - start:
            new_offs.extend(offs[start:end])
        else:
            new_offs.extend([offs[start]] * len(new))
        pos = end
    pieces.append(text[pos:])
    new_offs.extend(offs[pos:])  # includes the end sentinel
    return "".join(pieces), new_offs


def _regex_edits(
    text: str, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str | None]
) -> list[Edit]:
    """Edits for every match of ``pattern`` whose group 0 ``repl`` rewrites (None = keep)."""
    out: list[Edit] = []
    for m in pattern.finditer(text):
        new = repl(m)
        if new is not None and new != m.group(0):
            out.append((m.start(), m.end(), new))
    return out


@lru_cache(maxsize=1)
def _ftfy_config() -> ftfy.TextFixerConfig:
    # keep curly quotes (they place missing spaces later) and line breaks (done here)
    return ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=False, explain=False)


_SPACING = re.compile(r"(\s+)")


def _ftfy(text: str, offs: list[int]) -> tuple[str, list[int]]:
    fixed = ftfy.fix_text(text, config=_ftfy_config())
    if fixed == text:
        return text, offs
    edits: list[Edit] = []
    # align word by word when the spacing is kept (ftfy mends characters inside words: fast),
    # else line by line when the line count is kept, else the whole text
    src_words = _SPACING.split(text)
    dst_words = _SPACING.split(fixed)
    src_lines = text.split("\n")
    dst_lines = fixed.split("\n")
    pairs: list[tuple[int, str, str]] = []
    if len(src_words) == len(dst_words) and src_words[1::2] == dst_words[1::2]:
        base = 0
        for s, d in zip(src_words, dst_words, strict=True):
            if s != d:
                pairs.append((base, s, d))
            base += len(s)
    elif len(src_lines) == len(dst_lines):
        base = 0
        for s, d in zip(src_lines, dst_lines, strict=True):
            if s != d:
                pairs.append((base, s, d))
            base += len(s) + 1
    else:
        pairs.append((0, text, fixed))
    for base, s, d in pairs:
        sm = SequenceMatcher(None, s, d, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag != "equal":
                edits.append((base + i1, base + i2, d[j1:j2]))
    return _apply(text, offs, edits)


_NEWLINES = re.compile(r"\r\n|\r|\u2028|\u2029|\x85")

# "LArmenia", "L'Azerbaijan", "L‘Azerbaijan": a French elided article glued to a name
_ELIDED_APOS = re.compile(r"(?<![\w'’‘])[Ll]['’‘](?=[A-Z][a-z]{2,}\b)")
_ELIDED_BARE = re.compile(r"(?<![\w'’‘])L(?=[A-Z][a-z]{3,}\b)")

# a lowercase function word glued to a capitalised word: "theFrance"
_FUNCTION_WORDS = (
    "the|of|to|in|on|and|for|with|from|by|at|an|as|that|this|which|into|against|between|"
    "during|after|before|since|than|or|but|said|says|told|where|when|while"
)
_GLUED_FUNC = re.compile(rf"(?<![\w#@/.&'’-])({_FUNCTION_WORDS})(?=[A-Z][a-z]+\b)")

# curly quotes with a lost space: `of“large`, `rifles”the`
_OPEN_GLUED = re.compile(r"(?<=[\w.,;:!?])“")
_CLOSE_GLUED = re.compile(r"”(?=[\w])")
# a closing parenthesis glued to a word: "(8 hours, French time)will"
_PAREN_GLUED = re.compile(r"\(([^()\n]{3,})\)(?=[A-Za-z])")

_TRAILER = re.compile(
    r"^\s*(?:"
    r"(?:sources?|via|credits?|photo)\s*:\s*[^.!?\n]{1,60}"
    r"|(?:sources?|via)\s+[^\s.!?]+(?:\s+[^\s.!?]+)?"
    r"|read\s+more\b.{0,80}"
    r"|continue\s+reading\b.{0,40}"
    r"|(?:share\s+(?:this|on)|follow\s+us)\b.{0,60}"
    r"|advertisement"
    r"|https?://\S+"
    r"|www\.\S+"
    r"|©.{0,80}"
    r"|\(c\)\s.{0,80}"
    r")\s*$",
    re.IGNORECASE,
)


def _trailer_edits(text: str) -> list[Edit]:
    """Remove scraper lines (source notes, "Read more", lone URLs) at the very end."""
    end = len(text.rstrip())
    cut = end
    while cut > 0:
        line_start = text.rfind("\n", 0, cut) + 1
        line = text[line_start:cut]
        if not line.strip():
            cut = line_start - 1 if line_start > 0 else 0
            continue
        if _TRAILER.match(line) and line_start > 0:
            cut = line_start - 1
            continue
        break
    if cut >= len(text):
        return []
    # keep the text up to the last kept line's end
    keep = len(text[:cut].rstrip())
    return [(keep, len(text), "")] if keep < len(text) else []


def clean_text(raw: str) -> Cleaned:
    """Repair a raw report's text; offsets map each cleaned character to ``raw``."""
    text = raw
    offs = list(range(len(raw) + 1))

    text, offs = _apply(text, offs, _regex_edits(text, _NEWLINES, lambda m: "\n"))
    text, offs = _ftfy(text, offs)

    text, offs = _apply(text, offs, _regex_edits(text, _ELIDED_APOS, lambda m: ""))
    text, offs = _apply(text, offs, _regex_edits(text, _ELIDED_BARE, lambda m: ""))
    text, offs = _apply(text, offs, [(m.end(), m.end(), " ") for m in _GLUED_FUNC.finditer(text)])
    text, offs = _apply(text, offs, [(m.start(), m.start(), " ") for m in _OPEN_GLUED.finditer(text)])
    text, offs = _apply(text, offs, [(m.end(), m.end(), " ") for m in _CLOSE_GLUED.finditer(text)])
    # only a real aside (with a space inside), not "(s)he"
    text, offs = _apply(
        text, offs, [(m.end(), m.end(), " ") for m in _PAREN_GLUED.finditer(text) if " " in m.group(1)]
    )

    text, offs = _apply(text, offs, _trailer_edits(text))
    # trailing spaces on each line, then runs of blank lines to one blank line
    text, offs = _apply(text, offs, _regex_edits(text, re.compile(r"[ \t\u00a0]+(?=\n|$)"), lambda m: ""))
    text, offs = _apply(text, offs, _regex_edits(text, re.compile(r"\n{3,}"), lambda m: "\n\n"))
    # leading blank lines
    lead = len(text) - len(text.lstrip())
    if lead:
        text, offs = _apply(text, offs, [(0, lead, "")])
    offs[-1] = len(raw)
    return Cleaned(text=text, offsets=offs)


def raw_span(cleaned: Cleaned, span: SpanT) -> tuple[int, int]:
    """The raw-text span of a cleaned-text span."""
    start, end = span
    n = len(cleaned.text)
    start = min(max(start, 0), n)
    end = min(max(end, start), n)
    rs = cleaned.offsets[start]
    re_ = cleaned.offsets[end - 1] + 1 if end > start else rs
    return rs, max(rs, re_)
