"""Per-claim features the consolidation stages share: type family, time window,
countries involved, content words, distances.

Everything here is a pure function of a claim and its document's metadata, so
the pairwise decisions built on it do not depend on the order claims arrive in.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from whatweknow.model import Claim, EventType, Place, haversine_km

FAMILIES = ("violent", "protest", "strategic", "statement", "diplomacy", "non_conflict")


@dataclass(frozen=True, slots=True)
class DocMeta:
    """What consolidation needs to know about a document.

    ``words`` is an optional bag of salient words; when absent it is computed
    from ``title`` and ``text``. ``ingested_at`` is when the store received it.
    ``near_dup_of`` names the earlier document this one nearly copies (a
    syndicated or lightly edited copy): not an independent source.
    """

    id: str
    source: str | None = None
    published_at: datetime | None = None
    title: str | None = None
    text: str | None = None
    words: frozenset[str] | None = None
    ingested_at: datetime | None = None
    near_dup_of: str | None = None


# --------------------------------------------------------------------------- type family

_ACLED_FAMILY = {
    "battles": "violent",
    "explosions/remote violence": "violent",
    "violence against civilians": "violent",
    "protests": "protest",
    "riots": "protest",
    "strategic developments": "strategic",
}
_PLOVER_FAMILY = {
    "ACCUSE": "statement",
    "REJECT": "statement",
    "DENY": "statement",
    "REQUEST": "statement",
    "APPEAL": "statement",
    "THREATEN": "statement",
    "DISAPPROVE": "statement",
    "SUPPORT": "statement",
    "CONCEDE": "statement",
    "RETREAT": "strategic",
    "CONSULT": "diplomacy",
    "MEDIATE": "diplomacy",
    "AGREE": "diplomacy",
    "COOPERATE": "diplomacy",
    "AID": "diplomacy",
    "SANCTION": "diplomacy",
    "MOBILIZE": "strategic",
    "SEIZE": "strategic",
    "FIGHT": "violent",
    "ASSAULT": "violent",
    "COERCE": "violent",
    "PROTEST": "protest",
}
# keyword fallback on the internal type id (first match wins)
_ID_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("protest", ("protest", "demonstrat", "riot", "rally")),
    (
        "statement",
        ("accus", "deny", "denial", "reject", "appeal", "request", "condemn", "threat", "warn", "statement"),
    ),
    ("diplomacy", ("mediat", "talk", "consult", "negotiat", "sanction", "meeting", "visit", "aid")),
    (
        "strategic",
        ("ceasefire", "truce", "agreement", "arrest", "deploy", "capture", "territor", "mobili", "withdraw"),
    ),
    (
        "violent",
        (
            "attack",
            "shell",
            "strike",
            "clash",
            "battle",
            "kill",
            "bomb",
            "shoot",
            "drone",
            "missile",
            "artillery",
            "fight",
            "assault",
            "ambush",
            "explos",
            "violence",
            "abduct",
            "airstrike",
        ),
    ),
)


@lru_cache(maxsize=1)
def _ontology_family() -> Callable[[str], str] | None:
    """``whatweknow.ontology.family`` when that module provides it, else None."""
    try:
        mod: Any = importlib.import_module("whatweknow.ontology")
    except ImportError:
        return None
    fn = getattr(mod, "family", None)
    return fn if callable(fn) else None


def fallback_family(et: EventType) -> str:
    """Family from the ACLED/PLOVER mappings or the type id's words."""
    if et.acled_event_type and et.acled_event_type.lower() in _ACLED_FAMILY:
        return _ACLED_FAMILY[et.acled_event_type.lower()]
    if et.plover and et.plover.upper() in _PLOVER_FAMILY:
        return _PLOVER_FAMILY[et.plover.upper()]
    tid = et.id.lower()
    for fam, words in _ID_KEYWORDS:
        if any(w in tid for w in words):
            return fam
    return "non_conflict"


def type_family(et: EventType) -> str:
    """violent | protest | strategic | statement | diplomacy | non_conflict."""
    fn = _ontology_family()
    if fn is not None:
        try:
            fam = fn(et.id)
        except (KeyError, ValueError, LookupError):
            fam = None
        if isinstance(fam, str) and fam in FAMILIES:
            return fam
    return fallback_family(et)


REPORT_KEY = "report"


def type_key(claim: Claim) -> str:
    """The key a claim of this type would have if it were not a report claim."""
    fam = type_family(claim.event_type)
    return fam if fam in ("violent", "protest") else f"{fam}:{claim.event_type.id}"


def cluster_key(claim: Claim) -> str:
    """Claims can join one event only with the same key.

    Violent and protest claims group by family (an artillery strike and the
    clash it belongs to are one happening); strategic, diplomacy, statement
    and other claims by type (a ceasefire is its own event, not the fighting).
    """
    if claim.is_report:
        return REPORT_KEY
    fam = type_family(claim.event_type)
    if fam in ("violent", "protest"):
        return fam
    return f"{fam}:{claim.event_type.id}"


def is_ceasefire(claim: Claim) -> bool:
    tid = claim.event_type.id.lower()
    return any(w in tid for w in ("ceasefire", "truce", "armistice")) or (
        "agree" in tid and bool(re.search(r"cease-?fire|truce", claim.evidence.text, re.I))
    )


# --------------------------------------------------------------------------- time

_UTC = UTC
_SLACK: dict[str, timedelta] = {
    "minute": timedelta(hours=12),
    "hour": timedelta(hours=12),
    "day": timedelta(hours=12),
    "week": timedelta(days=2),
    "month": timedelta(days=3),
    "season": timedelta(days=7),
}
# a claim with no time of its own: its document's date, looking back this far
# (a report on the 19th may count the dead of a clash on the 13th)
UNDATED_BACK = timedelta(days=7)
UNDATED_AHEAD = timedelta(days=1)
_PRECISION_LEN: dict[str, timedelta] = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": timedelta(days=31),
    "season": timedelta(days=92),
    "year": timedelta(days=366),
    "decade": timedelta(days=3653),
    "century": timedelta(days=36525),
}


def aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=_UTC)


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime
    end: datetime
    explicit: bool  # from the claim's own time expression (not its document's date)

    def overlaps(self, other: Window) -> bool:
        return self.start <= other.end and other.start <= self.end


def claim_window(claim: Claim, docs: Mapping[str, DocMeta]) -> Window | None:
    """The interval a claim's happening may lie in, widened to fit its precision."""
    t = claim.time
    if t is not None and t.start is not None:
        start = aware(t.start)
        end = (
            aware(t.end)
            if t.end is not None
            else start + _PRECISION_LEN.get(t.precision or "day", timedelta(1))
        )
        slack = _SLACK.get(t.precision or "day", timedelta(0))
        return Window(start - slack, max(end, start) + slack, True)
    meta = docs.get(claim.doc_id)
    if meta is not None and meta.published_at is not None:
        pub = aware(meta.published_at)
        return Window(pub - UNDATED_BACK, pub + UNDATED_AHEAD, False)
    return None


def published(claim: Claim, docs: Mapping[str, DocMeta]) -> datetime | None:
    meta = docs.get(claim.doc_id)
    return aware(meta.published_at) if meta is not None and meta.published_at is not None else None


# --------------------------------------------------------------------------- actors and places


def party_countries(claim: Claim) -> frozenset[str]:
    """Countries taking part: agent, target and whose people were counted (not claimant, not mediator)."""
    out: set[str] = set()
    for a in (claim.agent, claim.target):
        if a is not None and a.country:
            out.add(a.country)
    q = claim.quantity
    if q is not None and q.victims is not None and q.victims.country:
        out.add(q.victims.country)
    return frozenset(out)


RADIUS_KM: dict[str, float] = {"exact": 25.0, "town": 50.0, "admin1": 200.0, "region": 300.0}


def place_relation(a: Place | None, b: Place | None, widen: float = 1.0) -> int:
    """1: the same place (within the radius their precision allows); 0: unknown or
    merely compatible; -1: incompatible (too far apart, or different countries)."""
    if a is None or b is None:
        return 0
    if a.country and b.country and a.country != b.country:
        return -1
    if a.geonames_id is not None and a.geonames_id == b.geonames_id:
        return 1
    if a.name and a.name.lower() == b.name.lower():
        return 1
    pa, pb = a.precision or "town", b.precision or "town"
    if "country" in (pa, pb) or "continent" in (pa, pb):
        return 0
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return 0
    radius = max(RADIUS_KM.get(pa, 50.0), RADIUS_KM.get(pb, 50.0))
    d = haversine_km(a.lat, a.lon, b.lat, b.lon)
    if d <= radius:
        return 1
    return 0 if d <= radius * widen else -1


# --------------------------------------------------------------------------- words

_STOP_WORDS = """
a an the and or but of in on at to for from by with as is are was were be been being has have
had it its this that these those he she they we you i his her their our your him them us who
whom which what when where why how not no nor so than then there here also said says say told
according after before over under into out up down about against between during while since
until would could should will shall may might must can did do does done more most some any all
each other such only own same too very just new one two three four five six seven eight nine
ten first last year years day days week weeks time times monday tuesday wednesday thursday
friday saturday sunday mr mrs ms de la le el
"""
_STOP = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")


def content_words(text: str) -> frozenset[str]:
    """Lower-cased content words of a text (no stop words, no numbers, length ≥ 3)."""
    out = set()
    for m in _WORD.finditer(text):
        w = m.group(0).lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) >= 3 and w not in _STOP:
            out.add(w)
    return frozenset(out)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


LEAD_CHARS = 600


def doc_words(meta: DocMeta | None) -> frozenset[str]:
    if meta is None:
        return frozenset()
    if meta.words is not None:
        return meta.words
    # the title and the lead: what the report is about, not every word it uses
    return content_words(" ".join(x for x in (meta.title, (meta.text or "")[:LEAD_CHARS]) if x))


# --------------------------------------------------------------------------- stories

STORY_CHARS = 20_000
_NUMBER = re.compile(r"\b\d[\d,.]*\b")


_CAP_PHRASE = re.compile(r"(?<![.!?\n]\s)(?<!^)\b([A-Z][a-zA-Z'-]+(?:\s+[A-Z][a-zA-Z'-]+)*)")
ENTITY_WEIGHT = 2.0  # names (capitalised phrases) and numbers count double


def story_terms(meta: DocMeta | None) -> dict[str, float]:
    """Term counts of a report: content words, capitalised phrases (names), numbers.

    Names and numbers tell one happening from another of the same kind.
    """
    if meta is None:
        return {}
    text = "\n".join(x for x in (meta.title, (meta.text or "")[:STORY_CHARS]) if x)
    tf: dict[str, float] = {}
    for w in content_words(text):
        tf[w] = 0.0
    for m in _WORD.finditer(text):
        w = m.group(0).lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if w in tf:
            tf[w] += 1.0
    for m in _CAP_PHRASE.finditer(text):
        phrase = m.group(1).lower()
        if " " in phrase or (len(phrase) >= 3 and phrase not in _STOP):
            tf["E:" + phrase] = tf.get("E:" + phrase, 0.0) + 1.0
    for m in _NUMBER.finditer(text):
        tf["N:" + m.group(0).rstrip(".,")] = tf.get("N:" + m.group(0).rstrip(".,"), 0.0) + 1.0
    return {k: v for k, v in tf.items() if v > 0}


def story_vectors(terms: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Unit-length TF-IDF vectors of every report, with IDF over this set of reports.

    The set is the whole store (consolidate and update see the same set), so a
    report's vector depends on what the store holds, never on arrival order.
    A term only one report has cannot link it to another and is left out.
    """
    n = len(terms)
    df: dict[str, int] = {}
    for tf in terms.values():
        for w in tf:
            df[w] = df.get(w, 0) + 1
    out: dict[str, dict[str, float]] = {}
    for doc_id, tf in terms.items():
        vec: dict[str, float] = {}
        for w, c in tf.items():
            if df[w] < 2:
                continue
            x = (1.0 + math.log(c)) * math.log((n + 1) / df[w])
            vec[w] = x * ENTITY_WEIGHT if w.startswith(("E:", "N:")) else x
        norm = sum(v * v for v in vec.values()) ** 0.5
        out[doc_id] = {k: v / norm for k, v in vec.items()} if norm else {}
    return out


# Information content of a term in English news at large (wordfreq's Zipf scale: log10 of
# occurrences per billion words, 0 for unseen). Words as common as "the" (Zipf ~7.7) weigh
# nearly nothing; names the language barely knows weigh most.
_ZIPF_CEILING = 8.0


@lru_cache(maxsize=1 << 16)
def _term_weight(term: str) -> float:
    from wordfreq import zipf_frequency

    entity = term.startswith(("E:", "N:"))
    z = zipf_frequency(term[2:] if entity else term, "en")
    return max(0.0, _ZIPF_CEILING - z) * (ENTITY_WEIGHT if entity else 1.0)


def gate_vector(terms: Mapping[str, float]) -> dict[str, float]:
    """A report's unit-length term vector weighted by each term's rarity in English
    (wordfreq), not in the store: the same two reports always give the same cosine,
    whatever else the store holds. Consolidation gates cross-report claim links on it,
    so that :func:`~whatweknow.consolidate.cluster.update` never has to revisit a link
    between two stored claims."""
    vec = {w: (1.0 + math.log(c)) * _term_weight(w) for w, c in terms.items()}
    norm = sum(v * v for v in vec.values()) ** 0.5
    return {k: v / norm for k, v in vec.items() if v} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())
