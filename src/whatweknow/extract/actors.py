"""Actor mentions: states, their governments and forces, people, IGOs and armed groups.

Lexicon first, NER last. The table ``data/actors.tsv`` (sources in ``ACTORS_SOURCES.md``)
lists patterns of seven types:

- ``country`` ("Armenia", "the US"), ``demonym`` ("Armenian"), ``people`` ("Armenians"),
- ``capital`` (a metonym for the government: "Yerevan", "Moscow"), ``palace`` ("the Kremlin"),
- ``org`` (IGOs, armed groups, agencies, media), ``person`` (named leaders),
- ``body`` ("Defense Ministry", "forces", "civilians") and ``title`` ("Prime Minister").

Patterns are matched over tokens (lower-cased token sequences in a dict, built once per
process); a pattern word with a capital letter must be capitalised in the text too, and short
all-capital acronyms ("IS", "US", "AP") must match exactly. A second pass composes
neighbouring matches: "<country|demonym> <body>", "<body> of <country>", "<demonym> <title>
[,] <name>", "head of the <demonym> government", and the machine-translation order "the
Defense Ministry said Azerbaijani". spaCy's PERSON/ORG/NORP entities are used only for names
the lexicon does not know.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import spacy
from spacy.tokens import Doc, Token

from whatweknow.model import Actor, ActorKind

from .docutil import doc_text

_KINDS: frozenset[str] = frozenset(
    {
        "state",
        "state_forces",
        "government",
        "person",
        "igo",
        "armed_group",
        "civilians",
        "organisation",
        "media",
    }
)
# tokens that make a capital a place rather than a metonym ("shelling in Kyiv")
_LOCATIVE = frozenset(
    {
        "in",
        "at",
        "near",
        "to",
        "into",
        "outside",
        "around",
        "across",
        "toward",
        "towards",
        "via",
        "over",
        "from",
        "between",
        "of",
        "inside",
        "through",
        "on",
        "north",
        "south",
        "east",
        "west",
    }
)
_PLACE_NOUNS = frozenset(
    {
        "region",
        "province",
        "city",
        "town",
        "village",
        "district",
        "area",
        "border",
        "countryside",
        "governorate",
        "enclave",
        "oblast",
        "valley",
        "river",
        "mountain",
        "county",
        "state",
        "airport",
    }
)
_GLUE = re.compile(r"^(?:L['‘’]?|the|The)(?=[A-Z])")
_SUB_KIND: dict[str, ActorKind] = {"mil": "state_forces", "civ": "civilians", "border": "state_forces"}


@dataclass(frozen=True, slots=True)
class _Entry:
    words: tuple[str, ...]  # the pattern's tokens as written
    actor_id: str
    name: str
    kind: str
    country: str
    role: str
    type: str


@dataclass(frozen=True, slots=True)
class _Lexicon:
    table: dict[tuple[str, ...], tuple[_Entry, ...]]
    max_len: int
    names: dict[str, str]  # country / IGO code -> display name


@dataclass(slots=True)
class _Match:
    start: int  # token indices
    end: int
    cstart: int  # character offsets
    cend: int
    entries: tuple[_Entry, ...]

    def get(self, *types: str) -> _Entry | None:
        for e in self.entries:
            if e.type in types:
                return e
        return None


@lru_cache(maxsize=1)
def _tokenizer() -> spacy.tokenizer.Tokenizer:
    return spacy.blank("en").tokenizer


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    tok = _tokenizer()
    table: dict[tuple[str, ...], list[_Entry]] = {}
    names: dict[str, str] = {}
    text = resources.files("whatweknow").joinpath("data/actors.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, actor_id, name, kind, country, role, typ = line.split("\t")
        words = tuple(t.text for t in tok(pattern))
        entry = _Entry(words, actor_id, name, kind, country, role, typ)
        table.setdefault(tuple(w.lower() for w in words), []).append(entry)
        if (typ == "country" and actor_id not in names) or (
            typ == "org" and kind == "igo" and actor_id not in names
        ):
            names[actor_id] = name
    for words, entry in _region_demonyms(tok, names):
        key = tuple(w.lower() for w in words)
        if not any(e.type in ("demonym", "people") for e in table.get(key, ())):
            table.setdefault(key, []).append(entry)
    frozen = {k: tuple(v) for k, v in table.items()}
    return _Lexicon(frozen, max(len(k) for k in frozen), names)


def _region_demonyms(
    tok: spacy.tokenizer.Tokenizer, names: dict[str, str]
) -> list[tuple[tuple[str, ...], _Entry]]:
    """Country demonyms from ``data/regions.tsv``, the list places read, so that actors know
    every country the places know ("Salvadoran migrants" are Salvadorans, not unknown
    people): the adjective and its singular variants as ``demonym``, plural nouns as
    ``people`` (civilians of that country). Entries ``actors.tsv`` already has win."""
    text = resources.files("whatweknow").joinpath("data/regions.tsv").read_text(encoding="utf-8")
    out: list[tuple[tuple[str, ...], _Entry]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 4 or cols[2] != "demonym" or len(cols[3]) != 3 or cols[3] not in names:
            continue
        cc = cols[3]
        forms = [cols[0], *(a for a in cols[1].split(";") if a)]
        for form in forms:
            words = tuple(t.text for t in tok(form))
            if form != cols[0] and form.endswith("s"):
                entry = _Entry(words, f"{cc}:civ", f"{form} (people)", "civilians", cc, "", "people")
            else:
                entry = _Entry(words, cc, names[cc], "", cc, "", "demonym")
            out.append((words, entry))
    return out


def _case_ok(entry: _Entry, toks: list[str]) -> bool:
    for pat, got in zip(entry.words, toks, strict=True):
        letters = [c for c in pat if c.isalpha()]
        if letters and all(c.isupper() for c in letters) and len(letters) <= 5 and len(letters) > 1:
            if got != pat:  # acronyms: exact ("IS" is not "is", "US" is not "us")
                return False
        elif pat[:1].isupper() and not got[:1].isupper():
            return False
    return True


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """First words of every lexicon entry: most tokens can be skipped at once."""
    return frozenset(k[0] for k in _lexicon().table)


def _match_tokens(doc: Doc) -> list[_Match]:
    """Longest matches first ("the UN Security Council" beats "the UN"), never overlapping."""
    lex = _lexicon()
    firsts = _first_words()
    cands: list[_Match] = []
    n = len(doc)
    lowers = [t.lower_ for t in doc]
    for i in range(n):
        found: _Match | None = None
        if lowers[i] in firsts:
            for length in range(min(lex.max_len, n - i), 0, -1):
                entries = lex.table.get(tuple(lowers[i : i + length]))
                if not entries:
                    continue
                span = doc[i : i + length]
                texts = [t.text for t in span]
                ok = tuple(e for e in entries if _case_ok(e, texts))
                if ok:
                    found = _Match(i, i + length, span.start_char, span.end_char, ok)
                    break
        if found is None:
            found = _glued(doc[i], lex)
        if found is not None:
            cands.append(found)
    cands.sort(key=lambda m: (-(m.end - m.start), m.start))
    taken = [False] * n
    out: list[_Match] = []
    for m in cands:
        if any(taken[m.start : m.end]):
            continue
        for k in range(m.start, m.end):
            taken[k] = True
        out.append(m)
    out.sort(key=lambda m: m.start)
    return out


def _glued(tok: Token, lex: _Lexicon) -> _Match | None:
    """Machine-translation glue: "LArmenia", "L‘Azerbaijan", "theFrance"."""
    m = _GLUE.match(tok.text)
    if m is None:
        return None
    rest = tok.text[m.end() :]
    if len(rest) < 4:
        return None
    cands = tuple(e for e in lex.table.get((rest.lower(),), ()) if e.type in ("country", "demonym", "org"))
    if not cands:
        return None
    start = tok.idx + m.end()
    return _Match(tok.i, tok.i + 1, start, tok.idx + len(tok.text), cands)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _kind(value: str) -> ActorKind | None:
    if value in _KINDS:
        return value  # type: ignore[return-value]
    return None


def _actor(entry: _Entry, cstart: int, cend: int, text: str) -> Actor:
    return Actor(
        name=entry.name,
        actor_id=entry.actor_id,
        kind=_kind(entry.kind),
        country=entry.country or None,
        role=entry.role or None,
        span=(cstart, cend),
        text=text[cstart:cend],
    )


def _nation(m: _Match) -> _Entry | None:
    """The country an entry stands for, as a country/demonym entry (IGOs count as nations here)."""
    e = m.get("country", "demonym")
    if e is not None:
        return e
    o = m.get("org")
    if o is not None and o.kind == "igo":
        return o
    return None


def _base(nation: _Entry) -> tuple[str, str | None, str]:
    """(base id, country code, display name) of a nation entry."""
    lex = _lexicon()
    if nation.type == "org":
        return nation.actor_id, nation.country or None, nation.name
    if nation.actor_id.startswith("IGO:"):  # "European" -> the EU
        return nation.actor_id, nation.country or None, lex.names.get(nation.actor_id, nation.name)
    base = nation.actor_id.split(":")[0]
    return base, nation.country or base, lex.names.get(base, nation.name)


def _composite(nation: _Entry, body: _Entry, cstart: int, cend: int, text: str) -> Actor:
    base, country, name = _base(nation)
    sub = body.actor_id or "gov"
    kind: ActorKind = _SUB_KIND.get(sub, "government")
    if nation.type == "org" and sub not in ("mil", "civ"):
        kind = "igo"
    return Actor(
        name=f"{name} {body.role}".strip(),
        actor_id=f"{base}:{sub}",
        kind=kind,
        country=country,
        role=body.role or None,
        span=(cstart, cend),
        text=text[cstart:cend],
    )


def _name_after(doc: Doc, i: int, matches_by_start: dict[int, _Match]) -> tuple[int, _Match | None, int]:
    """A person's name right after token ``i`` (skipping one comma): (end token, lexicon match, start)."""
    j = i
    if j < len(doc) and doc[j].text == ",":
        j += 1
    if j in matches_by_start and matches_by_start[j].get("person"):
        m = matches_by_start[j]
        return m.end, m, j
    k = j
    while (
        k < len(doc)
        and k - j < 4
        and doc[k].is_title
        and doc[k].is_alpha
        and (doc[k].pos_ in ("PROPN", "") or not doc.has_annotation("TAG"))
    ):
        if k in matches_by_start and k != j:
            break
        k += 1
    if k - j >= 2 and j not in matches_by_start:
        return k, None, j
    return i, None, i


def _person(doc: Doc, start: int, end: int, m: _Match | None, role: str | None, country: str | None) -> Actor:
    text = doc_text(doc)
    cstart, cend = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    if m is not None:
        p = m.get("person")
        assert p is not None
        return Actor(
            name=p.name,
            actor_id=p.actor_id,
            kind="person",
            country=p.country or country,
            role=role or p.role or None,
            span=(m.cstart, m.cend),
            text=text[m.cstart : m.cend],
        )
    name = text[cstart:cend]
    return Actor(
        name=name,
        actor_id=f"person:{_slug(name)}",
        kind="person",
        country=country,
        role=role,
        span=(cstart, cend),
        text=name,
    )


def _lexical_actors(doc: Doc) -> tuple[list[Actor], list[_Match]]:
    text = doc_text(doc)
    matches = _match_tokens(doc)
    by_start = {m.start: m for m in matches}
    actors: list[Actor] = []
    used: set[int] = set()  # indices into matches already consumed
    for idx, m in enumerate(matches):
        if idx in used:
            continue
        if m.end < len(doc) and doc[m.end].lower_ == "time" and m.get("capital", "country"):
            continue  # "09:00 Moscow time": a time zone, not the government
        nation = _nation(m)
        nxt_idx = idx + 1
        gap = matches[nxt_idx].start - m.end if nxt_idx < len(matches) else -1
        # "Russia's Foreign Ministry": allow a possessive between nation and body
        if gap == 1 and doc[m.end].lower_ in ("'s", "’s"):
            gap = 0
        nxt = matches[nxt_idx] if nxt_idx < len(matches) and gap == 0 else None
        if nation is not None and nxt is not None and nxt.get("body", "title") and not nxt.get("country"):
            used.add(nxt_idx)
            body = nxt.get("title") or nxt.get("body")
            assert body is not None
            prefix_head = (
                m.start >= 2 and doc[m.start - 1].lower_ == "of" and doc[m.start - 2].lower_ == "head"
            )
            prefix_head = prefix_head or (
                m.start >= 3
                and doc[m.start - 1].lower_ == "the"
                and doc[m.start - 2].lower_ == "of"
                and doc[m.start - 3].lower_ == "head"
            )
            if body.type == "title" or prefix_head:
                role = body.role
                if prefix_head:
                    role = "head of government" if body.actor_id == "gov" else f"head of {body.role}"
                end, pm, pstart = _name_after(doc, nxt.end, by_start)
                if end > nxt.end:
                    _, country, _ = _base(nation)
                    if pm is not None:
                        used.add(matches.index(pm))
                    actors.append(_person(doc, pstart, end, pm, role, country))
                    continue
                body = _Entry(body.words, body.actor_id or "gov", "", "", "", role, "body")
            actors.append(_composite(nation, body, m.cstart, nxt.cend, text))
            continue
        if m.get("body") and not m.get("country", "org", "person", "capital", "palace"):
            body = m.get("body")
            assert body is not None
            # "<body> of (the) <country>"
            j = m.end
            if j < len(doc) and doc[j].lower_ == "of":
                j += 1
                if j < len(doc) and doc[j].lower_ == "the":
                    j += 1
                nm0 = by_start.get(j)
                followed = nm0 is not None and (nm0.end in by_start) and by_start[nm0.end].get("body")
                if nm0 is not None and _nation(nm0) is not None and not followed:
                    nm = by_start[j]
                    nation2 = _nation(nm)
                    assert nation2 is not None
                    used.add(matches.index(nm))
                    actors.append(_composite(nation2, body, m.cstart, nm.cend, text))
                    continue
            # machine-translation order: "the Defense Ministry said Azerbaijani."
            j = m.end
            if (
                j + 1 < len(doc)
                and doc[j].lemma_ in ("say", "state", "add", "report", "announce")
                and (j + 1) in by_start
                and by_start[j + 1].get("demonym")
                and (j + 2 >= len(doc) or doc[j + 2].is_punct)
                and body.actor_id not in ("civ", "mil")
            ):
                nm = by_start[j + 1]
                dem = nm.get("demonym")
                assert dem is not None
                used.add(matches.index(nm))
                actors.append(_composite(dem, body, m.cstart, nm.cend, text))
            continue
        if m.get("title") and not m.get("country", "org", "person"):
            title = m.get("title")
            assert title is not None
            end, pm, pstart = _name_after(doc, m.end, by_start)
            if pm is not None or end > m.end:
                if pm is not None:
                    used.add(matches.index(pm))
                actors.append(_person(doc, pstart, end, pm, title.role, None))
            continue
        e = m.get("person")
        if e is not None:
            actors.append(_actor(e, m.cstart, m.cend, text))
            continue
        e = m.get("palace")
        if e is not None:
            actors.append(_actor(e, m.cstart, m.cend, text))
            continue
        e = m.get("capital")
        if e is not None and not m.get("country"):
            prev = doc[m.start - 1].lower_ if m.start > 0 else ""
            if prev not in _LOCATIVE:
                actors.append(_actor(e, m.cstart, m.cend, text))
            continue
        e = m.get("country", "org", "people")
        if e is not None:
            actors.append(_actor(e, m.cstart, m.cend, text))
    return actors, matches


# time-zone names the small model tags as organisations ("(06:00 GMT)")
_TIME_ZONES = frozenset(
    [
        "GMT",
        "UTC",
        "UT",
        "CET",
        "CEST",
        "EET",
        "EEST",
        "WET",
        "WEST",
        "BST",
        "MSK",
        "AMT",
        "AZT",
        "IRST",
        "IST",
        "PKT",
        "AFT",
        "GST",
        "EST",
        "EDT",
        "CST",
        "CDT",
        "MST",
        "MDT",
        "PST",
        "PDT",
        "AEST",
        "AEDT",
        "JST",
        "KST",
        "HKT",
        "SGT",
        "WIB",
        "EAT",
        "CAT",
        "WAT",
        "SAST",
    ]
)


def _ner_actors(doc: Doc, taken: list[tuple[int, int]]) -> list[Actor]:
    out: list[Actor] = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG", "NORP"):
            continue
        s, e = ent.start_char, ent.end_char
        if any(s < te and ts < e for ts, te in taken):
            continue
        words = [t for t in ent if not t.is_punct]
        if not words or any(t.like_num for t in ent) or not any(t.is_title or t.is_upper for t in words):
            continue
        name = ent.text
        nxt = doc[ent.end].lemma_.lower() if ent.end < len(doc) else ""
        if nxt in _PLACE_NOUNS:  # "the Nagorno-Karabakh region": a place, not an actor
            continue
        if name.upper().strip(". ") in _TIME_ZONES or nxt == "time":  # "06:00 GMT", "Moscow time"
            continue
        if ent.label_ == "PERSON":
            # single-token PERSON is often a misread place ("Goris"); keep names of two words or more
            if len(words) < 2 or not all(
                t.is_title or t.lower_ in ("al", "bin", "von", "der", "de", "-") for t in ent
            ):
                continue
            out.append(
                Actor(name=name, actor_id=f"person:{_slug(name)}", kind="person", span=(s, e), text=name)
            )
        elif ent.label_ == "ORG":
            if ent[0].lower_ == "the":
                s = ent[1].idx if len(ent) > 1 else s
                name = doc_text(doc)[s:e]
            out.append(
                Actor(name=name, actor_id=f"org:{_slug(name)}", kind="organisation", span=(s, e), text=name)
            )
        else:
            out.append(Actor(name=name, actor_id=f"group:{_slug(name)}", kind=None, span=(s, e), text=name))
    return out


def find_actors(doc: Doc) -> list[Actor]:
    """Every actor mention in ``doc``, sorted by span, resolved to canonical ids where known."""
    actors, matches = _lexical_actors(doc)
    taken = [(m.cstart, m.cend) for m in matches] + [a.span for a in actors if a.span is not None]
    if doc.has_annotation("ENT_IOB"):
        actors.extend(_ner_actors(doc, taken))
    actors.sort(key=lambda a: a.span or (0, 0))
    return actors


def demonym_country(token: Token) -> str | None:
    """The country a one-word demonym names ("Salvadoran" in "three Salvadoran migrants"),
    or None; a hyphenated compound ("Russian-speaking") or a word of a longer name names none."""
    if not token.text[:1].isupper():
        return None
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is not None and (nxt.text == "-" or nxt.text[:1].isupper()):
        return None  # "Russian-speaking"; "the Norwegian Refugee Council": a word of a name
    for e in _lexicon().table.get((token.lower_,), ()):
        if e.type == "demonym" and e.country and _case_ok(e, [token.text]):
            return e.country
    return None


def resolve_actor(text: str) -> Actor | None:
    """Resolve a free phrase ("the Armenian Defense Ministry", "Baku", "Pashinian") to one actor.

    Lexicon only (no NER); returns the actor covering most of the phrase, with its span
    relative to ``text``, or ``None`` when nothing is known.
    """
    text = text.strip()
    if not text:
        return None
    doc = _tokenizer()(text)
    actors, _ = _lexical_actors(doc)
    if not actors:
        # a lone capital is a metonym when asked directly ("Moscow")
        return None
    return max(actors, key=lambda a: (a.span[1] - a.span[0]) if a.span else 0)
