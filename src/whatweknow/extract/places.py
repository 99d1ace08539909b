"""Finding place names in a parsed document and resolving them (geoparsing).

Candidates are capitalised token n-grams (up to six tokens, joined by "of",
"the", "-", ...) found in the gazetteer, plus spaCy GPE/LOC entities. NER labels
are evidence, not the gate: the small English model tags "Goris" or "Baku"
PERSON and misses "Sotk", so a town the model did not label is kept when the
text points at a place (a locative preposition, "towns such as", "X, Country",
a list with other places, or a large population), and dropped after a title
("President", "Mr.") or inside a longer person name.

Resolution scores each candidate: feature (country > region > admin1 > town by
population), a bonus for the countries and first-level divisions the document
mentions, and a strong bonus for the container named right after it
("Alexandria, La.", "Goris, Armenia"). Demonyms ("Armenian") resolve to their
country with ``is_demonym=True``. A first-level division or county scores no
more than a town of its population plus a margin, so "Nelson" near "BC" is the
town. In "Tacoma, Washington" the second name resolves to the division of a
reading of the first. A GPE/LOC entity the gazetteer does not know is kept
without coordinates, and so is a mention whose best reading lacks evidence (a
wrong coordinate is worse than none): an abbreviation ("WA", "CHU") matching only
entries not written that way, a town matched on an alternate name only ("White
House" -> Casablanca) or a village with nothing in the text pointing to its
country or division, a small town named by a common word ("Congress", Arizona)
without its division in the text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Token

from whatweknow.extract.docutil import doc_text
from whatweknow.extract.gazetteer import ARABIC_ARTICLES, Candidate, Gazetteer, normalize
from whatweknow.model import Place, haversine_km

MAX_NGRAM = 6
# the Arabic article, also assimilated to the next consonant, as it begins a name in lower
# case ("al-Bab", "el-Fasher", "ash-Shaddadi") or joins its words ("Deir ez-Zor", "Jisr
# ash-Shughur", "Dar es Salaam")
_ARTICLES = ARABIC_ARTICLES
_JOINERS = _ARTICLES | frozenset(
    {
        "of",
        "the",
        "-",
        "de",
        "del",
        "della",
        "da",
        "do",
        "dos",
        "das",
        "du",
        "des",
        "au",
        "aux",
        "la",
        "le",
        "and",
        "on",
        "upon",
        "sur",
        "am",
        "an",
        "der",
        "en",
        "y",
        "'",
        "’",
        "'s",
        "’s",
    }
)

_TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "president",
        "minister",
        "premier",
        "chancellor",
        "gen",
        "general",
        "sen",
        "senator",
        "rep",
        "gov",
        "governor",
        "king",
        "queen",
        "prince",
        "princess",
        "judge",
        "justice",
        "pope",
        "lord",
        "sir",
        "dame",
        "coach",
        "officer",
        "sgt",
        "sergeant",
        "lt",
        "lieutenant",
        "capt",
        "captain",
        "col",
        "colonel",
        "maj",
        "major",
        "prof",
        "professor",
        "rev",
        "reverend",
        "father",
        "brother",
        "sister",
        "mayor",
        "deputy",
        "secretary",
        "ambassador",
        "spokesman",
        "spokeswoman",
        "chief",
        "commander",
        "detective",
        "trooper",
        "agent",
        "attorney",
        "mother",
        "uncle",
        "aunt",
        "st",
        "saint",
        "bishop",
        "cardinal",
        "imam",
        "sheikh",
        "emir",
        "sultan",
        "ayatollah",
        "councilman",
        "councilwoman",
        "commissioner",
        "director",
        "manager",
        "coordinator",
        "teacher",
    }
)
_LOCATIVE = frozenset(
    {
        "in",
        "near",
        "at",
        "from",
        "outside",
        "around",
        "towards",
        "toward",
        "into",
        "across",
        "through",
        "via",
        "to",
        "between",
        "inside",
        "throughout",
        "within",
        "nearby",
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "downtown",
        "over",
        "along",
        "beyond",
        "on",
        "visit",
        "visited",
        "visiting",
        "entered",
        "left",
        "reached",
        "leaving",
    }
)
_STRONG_LOC = frozenset(
    {
        "in",
        "near",
        "outside",
        "around",
        "towards",
        "toward",
        "inside",
        "into",
        "across",
        "throughout",
        "within",
        "from",
        "nearby",
    }
)
_GAP = frozenset(
    {"of", "such", "as", "like", "including", "the", ",", ":", "notably", "especially", "namely"}
)
_PLACE_NOUNS = frozenset(
    {
        "town",
        "towns",
        "city",
        "cities",
        "village",
        "villages",
        "province",
        "provinces",
        "region",
        "regions",
        "district",
        "districts",
        "capital",
        "suburb",
        "suburbs",
        "area",
        "areas",
        "settlement",
        "settlements",
        "municipality",
        "county",
        "counties",
        "state",
        "states",
        "country",
        "countries",
        "border",
        "port",
        "island",
        "islands",
        "community",
        "communities",
        "neighbourhood",
        "neighborhood",
        "enclave",
        "localities",
        "locality",
        "governorate",
        "oblast",
        "territory",
        "territories",
        "hamlet",
        "hamlets",
        "outskirts",
        "countryside",
        "vicinity",
        "governorates",
    }
)
_NOT_PLACES = frozenset(
    {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "god",
        "police",
        "university",
        "college",
        "school",
        "church",
        "hospital",
        "court",
        "street",
        "road",
        "mobile",
        "reading",
        "nice",
        "young",
        "long",
        "best",
        "early",
        "university of",
        "city",
        "county",
        "state",
        "union",
        "center",
        "centre",
        "north",
        "south",
        "east",
        "west",
        "mission",
        "republic",
        "kingdom",
        "of",
        "federal",
        "national",
        "royal",
        "independence",
        "liberty",
        "victory",
        "unity",
        "hope",
        "justice",
        "trump",
        "obama",
        "biden",
        "clinton",
        "bush",
        "putin",
        "jesus",
        "christ",
        "allah",
        "internet",
        "ocean",
        "sea",
        "lake",
        "river",
        "bay",
        "valley",
        "mount",
        "island",
        "park",
        "beach",
        "hall",
        "house",
        "tower",
    }
)
_PERSON_NOT_GPE = frozenset({"PERSON"})
_SKIP_ENTS = frozenset(
    {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "WORK_OF_ART", "LAW"}
)
_BASE = {
    "country": 10.5,
    "continent": 10.5,
    "demonym": 10.5,
    "region": 9.5,
    "landmark": 9.5,
    "admin1": 9.0,
    "admin2": 6.0,
}
# resolution weights (tuned on the dev split of the geoparsing gold)
_W_POP = 1.3  # per decade of a town's population
_W_COUNTRY = 1.5  # support for the candidate's country from the other mentions
_CAP_COUNTRY = 3.0
_W_ADMIN = 1.25  # support for the candidate's first-level division
_CAP_ADMIN = 4.0
_ALT_PENALTY = 1.5  # a town matched on an alternate name only
_W_CONTAINER = 6.0  # "Alexandria, La.": the division or country written right after
_NO_COORD = 3.0
# a division scores at most this much above a town of its population
_ADMIN_OFFSET = 2.0


@dataclass(slots=True)
class _Cand:
    start: int  # token index
    end: int  # token index, exclusive
    cands: list[Candidate]
    from_ner: bool = False
    accepted: bool = False
    container: set[str] = field(default_factory=set)  # admin1/country names written right after
    why: str = ""  # the rule that accepted it (for debugging)


def _cap(t: Token) -> bool:
    s = t.text
    return bool(s) and s[0].isupper()


def _kind(cands: list[Candidate]) -> str:
    """'demonym', 'big' (any country/region/admin/continent reading) or 'town'."""
    if any(c.is_demonym for c in cands):
        return "demonym"  # "Spanish", "Canadian": the homonymous villages are not meant
    if any(
        c.feature in ("country", "continent", "region", "landmark", "admin1", "admin2") and not c.abbrev
        for c in cands
    ):
        return "big"
    if all(c.abbrev for c in cands):
        return "abbrev"
    return "town"


def _counties_after(doc: Doc, end: int) -> bool:
    """The name ending at token ``end`` is one of a list of counties ("Nassau and Baker
    counties", "Becker, Clay, Douglas and Grant counties")."""
    return _noun_ahead(doc, end, 12, lambda t: t.lower_ == "counties")


def _noun_ahead(doc: Doc, end: int, limit: int, is_noun: Callable[[Token], bool]) -> bool:
    """Whether such a noun follows token ``end`` within ``limit`` tokens, across the other
    names and the commas and "and"s of a list ("Jackson and Barrow counties")."""
    k = end
    while k < len(doc) and k - end <= limit:
        t = doc[k]
        if is_noun(t):
            return True
        if t.lower_ in {",", "and", "or", "&"} or _cap(t):
            k += 1
            continue
        return False
    return False


def _generate(doc: Doc, gaz: Gazetteer) -> list[_Cand]:
    text = doc_text(doc)
    n = len(doc)
    out: list[_Cand] = []
    counties = any(t.lower_ == "counties" for t in doc)
    i = 0
    while i < n:
        tok = doc[i]
        if not _cap(tok) or tok.ent_type_ in _SKIP_ENTS:
            i += 1
            continue
        found = None
        jmax = i + 1
        # extend over capitalised tokens and joiners inside one sentence/line
        while jmax < n and jmax - i < MAX_NGRAM:
            t = doc[jmax]
            if t.is_sent_start or "\n" in doc[jmax - 1].whitespace_ + t.text:
                break
            if not (_cap(t) or t.lower_ in _JOINERS):
                break
            jmax += 1
        for j in range(jmax, i, -1) if counties else ():
            last = doc[j - 1]
            if not _cap(last):
                continue
            county = normalize(text[tok.idx : last.idx + len(last.text)]) + " county"
            if county in gaz and _counties_after(doc, j):
                # "Eastland and Callahan counties": each name is a county's
                found = (j, gaz.lookup_key(county))
                break
        start = i
        if (
            found is None
            and i >= 2
            and doc[i - 1].text == "-"
            and doc[i - 2].lower_ in _ARTICLES
            and not (out and out[-1].end > i - 2)
        ):
            # "al-Bab", "el-Fasher": the article written in lower case begins the name
            for j in range(jmax, i, -1):
                last = doc[j - 1]
                key = normalize(text[doc[i - 2].idx : last.idx + len(last.text)])
                if _cap(last) and key in gaz and key not in _NOT_PLACES:
                    found, start = (j, gaz.lookup_key(key)), i - 2
                    break
        for j in range(jmax, i, -1) if found is None else ():
            last = doc[j - 1]
            if not _cap(last) and not (last.text[:1].isdigit()):
                continue
            key = normalize(text[tok.idx : last.idx + len(last.text)])
            if key in gaz and key not in _NOT_PLACES:
                found = (j, gaz.lookup_key(key))
                break
        if found is None:
            i += 1
            continue
        j, cands = found
        out.append(_Cand(start, j, cands))
        i = j
    return out


def _person_outside(doc: Doc, c: _Cand) -> bool:
    """The candidate lies inside a PERSON entity that is longer than it."""
    t = doc[c.start]
    if t.ent_type_ not in _PERSON_NOT_GPE:
        return False
    # find the entity bounds
    s = c.start
    while s > 0 and doc[s].ent_iob_ == "I":
        s -= 1
    e = c.end
    while e < len(doc) and doc[e].ent_iob_ == "I":
        e += 1
    return s < c.start or e > c.end


def _ner_place(doc: Doc, c: _Cand) -> bool:
    return all(doc[k].ent_type_ in ("GPE", "LOC") for k in range(c.start, c.end))


def _titled(doc: Doc, c: _Cand) -> bool:
    prev = doc[c.start - 1] if c.start > 0 else None
    return prev is not None and _cap(prev) and prev.lower_.rstrip(".") in _TITLES


def _inside_name(doc: Doc, c: _Cand) -> bool:
    """The last word of an organisation's or facility's name ("the UN Security Council")."""
    tok = doc[c.end - 1]
    if tok.ent_type_ in ("ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"):
        ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None and ent.start < c.start and ent.end == c.end:
            return True
    return False


_STREET_WORDS = frozenset(
    [
        "Street",
        "Road",
        "Avenue",
        "Boulevard",
        "Lane",
        "Drive",
        "Square",
        "Highway",
        "Ave",
        "Ave.",
        "Rd",
        "Rd.",
    ]
)
_DIRECTIONS = frozenset(["North", "South", "East", "West"])
# a street or road named in full ("Darling Avenue", "40th Avenue South", "Highway 108",
# "Interstate 395", "County Road 43"): a toponym the gazetteer does not hold
_STREET_RE = re.compile(
    r"\b(?:(?:North|South|East|West|Old|New)\s+)?"
    r"(?:(?:[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?|\d+(?:st|nd|rd|th))\s+"
    r"(?:Street|Avenue|Road|Drive|Boulevard|Lane|Highway|Parkway|Pike|Turnpike)"
    r"(?:\s+(?:North|South|East|West|NE|NW|SE|SW))?"
    r"|(?:County\s+Road|Highway|Route|Interstate|State\s+Road)\s+\d+[A-Z]?)\b"
)


def _street_end(doc: Doc, c: _Cand) -> int | None:
    """End token of a street named after the place ("Collins Avenue", "Main St."), else None."""
    if c.end >= len(doc):
        return None
    nxt = doc[c.end]
    if nxt.text in _STREET_WORDS:
        return c.end + 1
    after = doc[c.end + 1] if c.end + 1 < len(doc) else None
    if nxt.text in ("St.", "St") and (after is None or not _cap(after)):
        return c.end + 1
    return None


def _place_noun_before(doc: Doc, c: _Cand) -> bool:
    """'towns such as X', 'the village of X', 'the city X'."""
    k = c.start - 1
    while k >= 0 and c.start - k <= 5:
        t = doc[k]
        if t.lower_ in _GAP:
            k -= 1
            continue
        return t.text in _PLACE_NOUNS
    return False


def _place_noun_after(doc: Doc, c: _Cand) -> bool:
    """'Barrow counties', 'Jackson and Barrow counties', 'Goris town'."""
    return _noun_ahead(doc, c.end, 4, lambda t: t.text in _PLACE_NOUNS)


def _dateline(doc: Doc, c: _Cand) -> bool:
    """'HUDSON -- Officials said', 'WASHINGTON (AP)'."""
    first = doc[c.start]
    if not first.text.isupper() or len(first.text) < 3:
        return False
    if c.start > 0 and not (doc[c.start - 1].is_punct or "\n" in doc[c.start - 1].whitespace_):
        return False
    return c.end < len(doc) and doc[c.end].text in {"-", "--", "—", "–", "(", ","}


def _time_zone(doc: Doc, c: _Cand) -> bool:
    return c.end < len(doc) and doc[c.end].lower_ == "time"


# verbs whose object is a place ("besieged Djibo", "seized Mocimboa da Praia"), whatever the
# tagger made of the name
_SEIZE_VERBS = frozenset(
    [
        "seize",
        "capture",
        "recapture",
        "retake",
        "besiege",
        "blockade",
        "shell",
        "bombard",
        "overrun",
        "storm",
        "liberate",
        "occupy",
        # strikes: "missiles hit Kharkiv", "explosions rocked Kabul", "troops entered Kherson"
        "hit",
        "strike",
        "pound",
        "target",
        "rock",
        "raid",
        "encircle",
        "surround",
        "enter",
    ]
)


_PLACE_APPOSITION = re.compile(
    r"^,\s+(?:the|a|an)?\s*(?:\w+\s+){0,2}?(?:capital|city|town|village|port|district|province|"
    r"region|state|county|suburb|hub|stronghold|enclave)\s+(?:of|in|on|near)\b",
    re.I,
)


def _described_as_place(doc: Doc, c: _Cand) -> bool:
    """ "Gusau, the capital of Zamfara state", "Kadugli, a town in South Kordofan"."""
    return _described_as_place_span(doc, c.end)


def _described_as_place_span(doc: Doc, end_tok: int) -> bool:
    end = doc[end_tok - 1].idx + len(doc[end_tok - 1].text)
    return bool(_PLACE_APPOSITION.match(doc_text(doc)[end : end + 60]))


def _seized(doc: Doc, c: _Cand) -> bool:
    """The name is the object of a verb of taking, besieging or shelling a place."""
    last = doc[c.end - 1]
    verb = last.head
    # a finite or infinitive verb, not a participle modifying a noun ("the speculation
    # surrounding Kelly")
    # the whole object, not the last word of a longer name ("seize the UN Security Council")
    whole = all(t.i >= c.start for t in last.children if t.dep_ in ("compound", "amod", "poss"))
    return (
        whole
        and last.dep_ == "dobj"
        and verb.pos_ == "VERB"
        and verb.dep_ not in ("acl", "amod", "pcomp")
        and verb.lemma_.lower() in _SEIZE_VERBS
    )


_MISSION_WORDS = frozenset(["embassy", "embassies", "consulate", "consulates", "legation"])
_EMBASSY_OF = re.compile(
    r"\b(?:embassy|embassies|consulate|consulates)\s+of\s+(?:the\s+)?(?:[A-Z]\w+\s+of\s+)?$", re.I
)


def _names_a_mission(doc: Doc, c: _Cand) -> bool:
    """ "the British Embassy Tokyo", "the US embassy in Baghdad", "the Embassy of the Republic
    of Armenia in the Holy See": the country a diplomatic mission represents, not where it is."""
    if c.end < len(doc) and doc[c.end].lower_ in _MISSION_WORDS:
        return True
    return bool(_EMBASSY_OF.search(doc_text(doc)[max(0, doc[c.start].idx - 50) : doc[c.start].idx]))


_SAINT_ABBREVIATIONS = ("St.", "St", "Ste.", "Ste")


def _saints_building(doc: Doc, c: _Cand) -> bool:
    """ "St. Peter's Basilica", "St Mary's Hospital": a saint's church, school or hospital, not
    the town that bears the saint's name."""
    first = doc[c.start]
    if first.text not in (*_SAINT_ABBREVIATIONS, "Saint", "Sainte") or c.end + 1 >= len(doc):
        return False
    return doc[c.end].text in ("'s", "’s") and _cap(doc[c.end + 1])


def _not_where(doc: Doc, c: _Cand) -> bool:
    """The name says what a building is, not where: kept out even as an unresolved entity."""
    return _names_a_mission(doc, c) or _saints_building(doc, c)


_BEARINGS = frozenset(["north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"])


def _bearing(doc: Doc, c: _Cand) -> bool:
    """ "Northeast of Hama", "South of the border": a bearing from a place, not a region
    that bears the compass word as its name (Iceland's Northeast, Cameroon's West)."""
    return (
        c.end - c.start == 1
        and doc[c.start].lower_ in _BEARINGS
        and c.end < len(doc)
        and doc[c.end].lower_ == "of"
    )


def _accept(doc: Doc, c: _Cand, person_words: set[str]) -> str:
    """The rule that makes this candidate a place, or '' to drop it."""
    first = doc[c.start]
    prev = doc[c.start - 1] if c.start > 0 else None
    kind = _kind(c.cands)
    if _titled(doc, c) or _not_where(doc, c) or _head_of_longer_name(doc, c) or _bearing(doc, c):
        return ""
    if _time_zone(doc, c) and kind != "demonym":
        return ""  # "09:00 Moscow time": a time zone
    if kind == "abbrev":
        ok = prev is not None and prev.text == "," and c.start >= 2 and _cap(doc[c.start - 2])
        # "Alexandria, La.", or an abbreviation the NER tags as a place ("Mass. concert promoter")
        return "abbrev" if ok or c.from_ner else ""
    if _person_outside(doc, c) and not c.from_ner:
        return ""
    # a county named by one word that the tagger calls something else ("Angus" beef, an ORG)
    # needs what a town needs; one named in full ("Licking County") does not
    bare_county = (
        c.end - c.start == 1
        and all(x.feature in ("admin2", "PPL") for x in c.cands)
        and first.ent_type_ in ("PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART")
        and not _counties_after(doc, c.end)
    )
    if all(x.feature == "landmark" for x in c.cands) and not _landmark_as_place(doc, c):
        return ""  # "the White House said", "Kremlin spokesman": the institution, not the place
    if kind == "demonym" or (kind == "big" and not bare_county):
        return kind
    single = c.end - c.start == 1
    if c.from_ner:
        if single and _surname_elsewhere(doc, c) and not (prev is not None and prev.lower_ in _STRONG_LOC):
            return ""  # "coach Ripley" after "Darren Ripley": the tagger's GPE is the surname
        return "ner"
    is_person = first.ent_type_ == "PERSON"
    top_pop = max(x.population for x in c.cands)
    primary = any(x.primary for x in c.cands)
    if single and (top_pop >= 10000 or primary) and (_place_noun_before(doc, c) or _place_noun_after(doc, c)):
        # "the countryside of Hama", "Aleppo city": the noun says it, whatever the tagger
        # made of the name (the small model calls such towns people, groups or adjectives)
        return "place-noun"
    after_locative = prev is not None and prev.lower_ in _LOCATIVE
    # the tagger calls some names of great cities nouns ("in Sana'a")
    great_city_named = after_locative and top_pop >= _MILLION and first.ent_type_ == ""
    if single and first.pos_ != "PROPN" and not first.text.isupper() and not great_city_named:
        return ""
    if _dateline(doc, c):
        return "dateline"
    if (primary or top_pop >= 10000) and _seized(doc, c) and not (single and first.lower_ in person_words):
        return "seized"
    if _described_as_place(doc, c):
        return "apposition"
    if prev is not None and (primary or top_pop >= 10000):
        pl = prev.lower_
        # "in al-Bab": the tagger takes a name that begins with the article for a person's
        article = doc[c.start].lower_ in _ARTICLES and c.end - c.start > 2
        bearing_of = pl == "of" and c.start >= 2 and doc[c.start - 2].lower_ in _BEARINGS
        if (
            pl in _STRONG_LOC
            or bearing_of  # "northeast of Hama"
            or (pl in _LOCATIVE and (not is_person or article) and first.ent_type_ != "ORG")
        ):
            return "locative"
    if _place_noun_before(doc, c) or _place_noun_after(doc, c):
        return "place-noun"
    named_person = single and first.lower_ in person_words
    if primary and not named_person:
        if top_pop >= 100000 and not is_person and not (first.is_sent_start and first.ent_type_ == ""):
            return "big-town"
        if top_pop >= 500000:
            return "big-town"
    return ""


# Arabic words that begin place names ("Wadi Barada", "Ras al-Ayn", "Abu Rasin", "Tal Tamr"):
# alone before the rest of a name they are not a town of their own (Wādi, Rās, Ābu in India)
_NAME_HEADS = frozenset(
    [
        "wadi",
        "ras",
        "abu",
        "umm",
        "tal",
        "tell",
        "tall",
        "jabal",
        "jebel",
        "deir",
        "dayr",
        "kafr",
        "bir",
        "ain",
        "ein",
        "ayn",
        "jisr",
        "khan",
        "beit",
        "bayt",
        "bani",
        "sheikh",
        "shaykh",
        "qasr",
        "hayy",
        "maarat",
        "maarrat",
        "mazraat",
    ]
)


def _head_of_longer_name(doc: Doc, c: _Cand) -> bool:
    """A name head ("Wadi", "Ras") matched alone, with the rest of the name after it, or the
    rest matched alone after its head ("Rasin" in "Abu Rasin" is not Racine)."""
    if c.start > 0 and doc[c.start - 1].lower_ in _NAME_HEADS and doc[c.start - 1].text[:1].isupper():
        return True
    # "Maarat al-Numan": the rest after its head and article ("Numan" alone is a town in Nigeria)
    k = c.start - 1
    if k >= 0 and doc[k].text == "-":
        k -= 1
    if (
        k >= 1
        and k < c.start
        and doc[k].lower_ in ARABIC_ARTICLES
        and doc[k - 1].lower_ in _NAME_HEADS
        and doc[k - 1].text[:1].isupper()
    ):
        return True
    if c.end - c.start != 1 or doc[c.start].lower_ not in _NAME_HEADS or c.end >= len(doc):
        return False
    nxt = doc[c.end]
    return (
        (nxt.is_alpha and nxt.text[:1].isupper())
        or nxt.lower_ in ARABIC_ARTICLES
        or nxt.lower_[:3]
        in (
            "al-",
            "el-",
        )
    )


def _surname_elsewhere(doc: Doc, c: _Cand) -> bool:
    """The one word is the last of a person's full name elsewhere in the text ("Darren Ripley"
    ... "coach Ripley")."""
    word = doc[c.start].lower_
    return any(
        ent.label_ == "PERSON"
        and len(ent) > 1
        and ent[-1].lower_ == word
        and not ent.start <= c.start < ent.end
        for ent in doc.ents
    )


def _landmark_as_place(doc: Doc, c: _Cand) -> bool:
    """A seat of government or a site named as where something is: "outside the White House",
    "at Heathrow", "to Downing Street"."""
    k = c.start - 1
    if k >= 0 and doc[k].lower_ == "the":
        k -= 1
    return k >= 0 and doc[k].lower_ in _LOCATIVE | _STRONG_LOC | {"to", "on", "past", "opposite"}


def _abbreviation_like(doc: Doc, c: _Cand) -> bool:
    """ "WA", "CHU", "N.B.", "Que.": capitals only and at most three letters, or one short
    word ending in a dot."""
    text = doc[c.start : c.end].text
    letters = [ch for ch in text if ch.isalpha()]
    if 0 < len(letters) <= 3 and all(ch.isupper() for ch in letters):
        return True
    return c.end - c.start == 1 and text.endswith(".") and len(letters) <= 5


def _abbreviation_context(doc: Doc, c: _Cand) -> bool:
    """ "Alexandria, La", "Bethel, Vt.", "W.Va.": after a comma, or followed by a dot."""
    if c.start > 0 and doc[c.start - 1].text == ",":
        return True
    last = doc[c.end - 1]
    end = last.idx + len(last.text)
    return last.text.endswith(".") or doc_text(doc)[end : end + 1] == "."


def _readings(doc: Doc, c: _Cand) -> list[Candidate]:
    """The gazetteer entries this mention may resolve to (possibly none: kept unresolved)."""
    cands = c.cands
    if any(x.is_demonym for x in cands):
        # "English", "Spanish": a demonym names its country or region, never a homonymous town
        return [x for x in cands if x.is_demonym]
    if _abbreviation_like(doc, c):
        # "WA", "CHU", "N.B.", "Que." are abbreviations: only an entry written that way
        # ("US", "BC", "N.B.") is meant, not the towns Wa (Ghana), Chũ or Quế (Vietnam)
        return [x for x in cands if x.upper or x.abbrev]
    if _abbreviation_context(doc, c):
        return cands
    # a word written out ("Man", "Del Beccaro") is not the abbreviation of Manitoba or Delaware
    return [x for x in cands if not x.abbrev]


# an alternate name of a town keeps its reading beside towns of its country that bear the
# name as their own only when it is this many times bigger (Saigon, not Beeville as "Maryville")
_OLD_NAME_RATIO = 10


def _without_old_names(cands: list[Candidate]) -> list[Candidate]:
    """Drop towns matched on an alternate name (often a former name: "Maryville" for Beeville,
    Texas) where a town of the same country bears the name as its own and is not much smaller."""
    own: dict[str | None, int] = {}
    for x in cands:
        if x.feature == "PPL" and x.primary:
            own[x.country] = max(own.get(x.country, 0), x.population)
    if not own:
        return cands
    return [
        x
        for x in cands
        if x.feature != "PPL"
        or x.primary
        or x.country not in own
        or x.population >= _OLD_NAME_RATIO * max(own[x.country], 1)
    ]


# how much a place named only inside an organisation's name supports its country or division
_ORG_SUPPORT = 0.5


def _inside_org(orgs: list[tuple[int, int]], c: _Cand) -> bool:
    """Whether the mention is a strict part of an organisation's name ("Air Canada Cargo");
    ``orgs``: the token spans of the document's ORG entities."""
    return any(s <= c.start and c.end <= e and e - s > c.end - c.start for s, e in orgs)


# how many times the people of a division must outnumber a namesake elsewhere for a mention
# of the name to support the division's country alone
_DOMINANT = 10


def _contributions(cands: list[Candidate]) -> tuple[dict[str, float], dict[str, float]]:
    """How much one mention supports each country and division (ISO3, "ISO3/admin1")."""
    ccs: dict[str, float] = {}
    adms: dict[str, float] = {}
    if not cands:
        return ccs, adms
    top = cands[0]
    if top.feature in ("country", "demonym") and top.country:
        ccs[top.country] = 2.0
    elif (
        top.feature == "admin1"
        and not top.abbrev
        and top.country
        and all(x.population * _DOMINANT <= top.population for x in cands if x.country != top.country)
    ):  # a division's name, unless a place elsewhere weighs as much: "Gaza" (a province of
        # Mozambique, a city of 410,000 in Palestine) splits its support; "Florida" does not
        ccs[top.country] = 1.0
        adms[f"{top.country}/{top.admin1}"] = 2.0
    else:
        countries = {x.country for x in cands if x.country}
        for cc in countries:
            ccs[cc] = 1.0 / len(countries)
        divisions = {f"{x.country}/{x.admin1}" for x in cands if x.admin1}
        for a in divisions:
            adms[a] = 1.0 / math.sqrt(len(divisions))
        if top.abbrev and top.admin1:
            adms[f"{top.country}/{top.admin1}"] = 2.0
    return ccs, adms


def _score(
    c: Candidate,
    cc_support: Counter[str],
    adm_support: Counter[str],
    own_cc: dict[str, float],
    own_adm: dict[str, float],
    container: set[str],
) -> float:
    # a town GeoNames lists without a population is a seat of some district: of unknown size,
    # not of none
    pop = c.population or (_UNKNOWN_TOWN_POP if c.feature == "PPL" else 0)
    s = _BASE.get(c.feature, _W_POP * math.log10(pop + 1))
    if c.feature in ("admin1", "admin2") and c.population > 0:
        # a division is a bigger thing than a town of the same population, but a
        # small one ("Nelson", NZ) yields to a town the document points at
        s = min(s, _ADMIN_OFFSET + _W_POP * math.log10(c.population + 1))
    if c.feature == "PPL" and not c.primary:
        s -= _ALT_PENALTY
    sup_cc, sup_adm = _support(c, cc_support, adm_support, own_cc, own_adm)
    s += _W_COUNTRY * math.log2(1.0 + min(sup_cc, _CAP_COUNTRY))
    s += _W_ADMIN * math.log2(1.0 + min(sup_adm, _CAP_ADMIN))
    if container and (c.admin1 in container or c.country in container):
        s += _W_CONTAINER
    if c.lat is None:
        s -= _NO_COORD
    return s


_UNKNOWN_TOWN_POP = 10_000
_OUTWEIGHED_RATIO = 5


def _outweighed(best: Candidate, cands: list[Candidate], support: float) -> bool:
    """A small town chosen with nothing in the text pointing to it, over a town abroad several
    times its size known by the name under another spelling ("Palmyra": the New Jersey
    borough, 7,000 people, or Tadmur, Syria, 51,000): too unsure to place."""
    if best.feature != "PPL" or support > 1e-6 or best.population >= _BIG_ALT_POP:
        return False
    return any(
        x.feature == "PPL"
        and x.country != best.country
        and x.population >= _OUTWEIGHED_RATIO * max(best.population, 1)
        for x in cands
    )


_NAMESAKE_SHARE = 0.3  # of its division's people, for a city to be what the bare name means
_DIVISION_NOUNS = frozenset(
    ["province", "governorate", "state", "region", "oblast", "district", "county", "prefecture"]
)


def _namesake_city(doc: Doc, c: _Cand, best: Candidate) -> Candidate:
    """ "Kabul", "Baghdad", "Aleppo": a division chosen for a bare name yields to the city of
    that name inside it when the city holds a good share of its people (Kabul, 4.4 of the
    province's 5 million), not to a smaller namesake (Quebec City in Quebec); "Kabul
    province" stays the province."""
    if best.feature != "admin1" or (c.end < len(doc) and doc[c.end].lower_ in _DIVISION_NOUNS):
        return best
    cities = [
        x
        for x in c.cands
        if x.feature == "PPL"
        and x.country == best.country
        and x.admin1 == best.admin1
        and x.lat is not None
        and x.population >= _BIG_ALT_POP
        and x.population >= _NAMESAKE_SHARE * best.population
    ]
    return max(cities, key=lambda x: x.population) if cities else best


# the least evidence a town reading needs (else the mention is kept unresolved: a wrong
# coordinate is worse than none)
_ELSEWHERE = 0.5  # the least support that points a document to another country
_VILLAGE_POP = 5000  # a village ("Glenrock", Wyoming)
_BIG_ALT_POP = 100_000
_MILLION = 1_000_000
_EVERYDAY_ZIPF = 4.0  # "white", "house", "cape", "fort"
# a name is a common word when its Zipf frequency (wordfreq: log10 of uses per billion
# words) is at least _COMMON_ZIPF and exceeds log10 of its largest town's population
# minus _WORD_MARGIN ("London", 9 million people, Zipf 5.3, is a place)
_COMMON_ZIPF = 3.0
_WORD_MARGIN = 0.5


def _support(
    c: Candidate,
    cc_support: Counter[str],
    adm_support: Counter[str],
    own_cc: dict[str, float],
    own_adm: dict[str, float],
) -> tuple[float, float]:
    """How much the other mentions support the candidate's country and division."""
    if not c.country:
        return 0.0, 0.0
    sup_cc = cc_support[c.country] - own_cc.get(c.country, 0.0)
    sup_adm = 0.0
    if c.admin1:
        a = f"{c.country}/{c.admin1}"
        sup_adm = adm_support[a] - own_adm.get(a, 0.0)
    return max(sup_cc, 0.0), max(sup_adm, 0.0)


@lru_cache(maxsize=1 << 14)
def _word_zipf(key: str) -> float:
    """How common the name is in English at large (wordfreq's Zipf scale, 0 for unseen)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(key, "en"))


def _common_word(doc: Doc, c: _Cand) -> bool:
    """A one-word name English uses far more often than any place it names can explain
    ("Congress": Arizona, 2,000 people; "Heathrow": Florida; not "London", "Cavan")."""
    if c.end - c.start != 1:
        return False
    z = _word_zipf(normalize(doc[c.start].text))
    top = max((x.population for x in c.cands if x.feature == "PPL"), default=0)
    return z >= _COMMON_ZIPF and math.log10(top + 1) < z + _WORD_MARGIN


def _enough_evidence(
    c: Candidate,
    common_word: bool,
    sup_cc: float,
    sup_adm: float,
    elsewhere: bool = True,
    plain_words: bool = True,
    long_name: bool = False,
    everyday_words: bool = True,
) -> bool:
    """A town matched on an alternate name only needs its country in the document, or a
    document that points to no other country and a name that is not plain English words
    (a headline naming a village spelt one of many ways, not "White House"); a village
    needs its country or division; a town named by a common word needs its division."""
    if c.feature != "PPL":
        return True
    eps = 1e-6
    if sup_adm > eps:
        return True
    if not c.primary:
        # a city of 100,000 under another spelling ("Hodeidah", "Khan Younis") needs no more,
        # unless its name is plain English words
        big = c.population >= _BIG_ALT_POP and not plain_words and long_name
        # a city of millions under its English name ("Kiev", "Bombay", "Saigon": Zipf 3.2 to
        # 3.7, common because of the city) needs no more unless the name is an everyday word
        big = big or (c.population >= _MILLION and not everyday_words)
        return sup_cc > eps or not (elsewhere or plain_words) or big
    if common_word:
        return False
    # a town of unknown size (GeoNames gives many Syrian towns no population) under its own
    # name that is not plain English words, in a text pointing to no other country
    # ("Warplanes raid Maarrat al-Numan")
    unknown_size = c.population == 0
    return c.population >= _VILLAGE_POP or sup_cc > eps or (unknown_size and not (elsewhere or plain_words))


# a town listed among towns of one country, but resolved this far from them, is a homonym
LIST_FAR_KM = 500.0
_LIST_GAP = frozenset({",", "and", "or", "&", ", and"})


def _list_runs(doc: Doc, kept: list[_Cand]) -> list[list[int]]:
    """Indices of ``kept`` grouped into runs of mentions joined only by "," / "and" / "or"."""
    runs: list[list[int]] = []
    for i, c in enumerate(kept):
        if i > 0 and runs:
            gap = [t.lower_ for t in doc[kept[i - 1].end : c.start]]
            if 1 <= len(gap) <= 2 and all(g in _LIST_GAP for g in gap):
                runs[-1].append(i)
                continue
        runs.append([i])
    return runs


def _cohere_lists(doc: Doc, kept: list[_Cand], chosen: list[Candidate | None], why: list[str]) -> None:
    """ "Vardenis, Kapan, Kut, Artanish and Ishkhanasar": when the other towns of a list
    all lie in one country and a member was resolved to a far-away homonym (Al-Kut, Iraq),
    take its reading in that country, or leave it unresolved when there is none."""
    for run in _list_runs(doc, kept):
        if len(run) < 3:
            continue
        for i in run:
            b = chosen[i]
            if b is None or b.feature != "PPL" or b.lat is None or b.lon is None:
                continue
            sib = [chosen[j] for j in run if j != i]
            # towns only: in "Doha, Qatar, and Washington" Qatar is Doha's container, not a
            # third town pointing the list to Qatar
            pts = [
                x
                for x in sib
                if x is not None and x.feature == "PPL" and x.lat is not None and x.lon is not None
            ]
            countries = {x.country for x in pts}
            if len(pts) < 2 or len(countries) != 1:
                continue
            (home,) = countries
            if home is None or b.country == home:
                continue
            lat = sorted(x.lat for x in pts if x.lat is not None)[len(pts) // 2]
            lon = sorted(x.lon for x in pts if x.lon is not None)[len(pts) // 2]
            if haversine_km(lat, lon, b.lat, b.lon) <= LIST_FAR_KM:
                continue  # a neighbouring country's town near the others
            local = [x for x in kept[i].cands if x.country == home]
            chosen[i] = max(local, key=lambda x: x.population) if local else None
            why[i] = "list" if local else "list-unresolved"


def _contains(outer: Candidate, inner: Candidate) -> bool:
    """Whether ``outer`` is the country or first-level division ``inner`` lies in."""
    if outer.country is None or outer.country != inner.country:
        return False
    return outer.feature == "country" or (outer.feature == "admin1" and outer.admin1 == inner.admin1)


def _cohere_kinds(
    doc: Doc, gaz: Gazetteer, kept: list[_Cand], chosen: list[Candidate | None], why: list[str]
) -> None:
    """ "California or Washington", "Georgia and Armenia": when every other member of a
    coordinated list is a first-level division of one country (or every other member is a
    country), a member read otherwise takes its reading of that kind, where it has one
    ("Georgia and Alabama": the state), or the division of that country it names
    ("Oregon and Washington": Washington State, which plain "Washington" is not a key of)."""
    for run in _list_runs(doc, kept):
        if len(run) < 2:
            continue
        for i in run:
            b = chosen[i]
            if b is None or b.feature not in ("PPL", "admin1", "country"):
                continue
            sib = [chosen[j] for j in run if j != i]
            if any(x is None for x in sib):
                continue
            nxt = chosen[run[-1]] if i == run[-2] else None
            if nxt is not None and doc[kept[i].end].text == "," and _contains(nxt, b):
                continue  # "Texas and Washington, D.C.": a town and its container end the list
            kinds = {(x.feature, x.country if x.feature == "admin1" else None) for x in sib if x is not None}
            if len(kinds) != 1:
                continue
            ((feature, country),) = kinds
            if feature not in ("admin1", "country") or b.feature == feature:
                continue
            alike = [
                x for x in kept[i].cands if x.feature == feature and (country is None or x.country == country)
            ]
            named = gaz.division(country, doc[kept[i].start : kept[i].end].text) if country else None
            if not alike and named is not None and named.lat is not None:
                alike = [named]
            if alike:
                chosen[i] = max(alike, key=lambda x: x.population)
                why[i] = "list-kind"


# how far (characters) a town named beside a street may be to say which town the street is in
STREET_TOWN_CHARS = 300


def _street_place(m: re.Match[str], places: list[tuple[Place, str]]) -> Place:
    """A street named in full, placed at the town named nearest to it ("Darling Avenue near
    ... in Alexandria"), at that town's precision; unplaced when no town is named near."""
    name, span = m.group(0), (m.start(), m.end())
    towns = [
        (min(abs(p.span[0] - span[1]), abs(span[0] - p.span[1])), p)
        for p, _w in places
        if p.precision == "town" and p.lat is not None and not p.is_demonym
    ]
    near = [(d, p) for d, p in towns if d <= STREET_TOWN_CHARS]
    if not near:
        return Place(name=name, span=span, text=name)
    town = min(near, key=lambda dp: dp[0])[1]
    return Place(
        name=name,
        span=span,
        text=name,
        lat=town.lat,
        lon=town.lon,
        country=town.country,
        admin1=town.admin1,
        precision="town",
    )


def _named_countries(cands: list[_Cand]) -> set[str]:
    """Countries the accepted mentions name without doubt: a country, a division or a
    region, or a town whose every reading lies in one country."""
    out: set[str] = set()
    for c in cands:
        if not c.accepted:
            continue
        big = [x for x in c.cands if x.feature in ("country", "admin1", "region") and x.country]
        if big:
            out.update(x.country for x in big if x.country)
            continue
        countries = {x.country for x in c.cands if x.feature == "PPL"}
        if len(countries) == 1 and None not in countries:
            out.update(x for x in countries if x)
    return out


def _ent_longer(doc: Doc, c: _Cand) -> bool:
    """The candidate lies inside a longer named entity."""
    s, e = c.start, c.end
    while s > 0 and doc[s].ent_iob_ == "I":
        s -= 1
    while e < len(doc) and doc[e].ent_iob_ == "I":
        e += 1
    return s < c.start or e > c.end


def _accept_in_named_country(doc: Doc, cands: list[_Cand], person_words: set[str]) -> None:
    """A town named by its own name in a text that names its country is a place, whatever
    the words around it ("Jihadist fighters besieging Djibo ..., the government of Burkina
    Faso said"; "Shelling around Sake has cut the road into Goma"): the small tagger calls
    many such names people or firms, and nothing else says they are places. Not a one-word
    common English name, a person's name, a titled name or a word inside a firm's name."""
    countries = _named_countries(cands)
    if not countries:
        return
    for c in cands:
        if c.accepted or c.end - c.start > 3:
            continue
        first = doc[c.start]
        if first.pos_ != "PROPN" or not _cap(first) or first.text.isupper():
            continue
        if first.ent_type_ in ("PERSON", "NORP") or any(
            doc[k].lower_ in person_words for k in range(c.start, c.end)
        ):
            continue
        if first.ent_type_ in ("ORG", "PRODUCT", "FAC", "WORK_OF_ART") and _ent_longer(doc, c):
            continue  # a word of a longer name ("Toyota Corolla", "Belk Foundation")
        if _titled(doc, c) or _inside_name(doc, c) or _time_zone(doc, c) or _not_where(doc, c):
            continue
        if _person_outside(doc, c) or _head_of_longer_name(doc, c) or _common_word(doc, c):
            continue
        towns = [x for x in c.cands if x.feature == "PPL" and x.primary and x.population >= _VILLAGE_POP]
        if not towns or any(x.feature in ("country", "continent", "demonym", "landmark") for x in c.cands):
            continue
        best = max(towns, key=lambda x: x.population)
        if best.country in countries:
            c.accepted, c.why = True, "in-named-country"


def find_places(doc: Doc, gaz: Gazetteer) -> list[Place]:
    """Every toponym mention in ``doc``, resolved where the gazetteer allows."""
    return [p for p, _why in find_places_explained(doc, gaz)]


def find_places_explained(doc: Doc, gaz: Gazetteer) -> list[tuple[Place, str]]:
    """:func:`find_places` with the rule that kept each place (for debugging)."""
    cands = _generate(doc, gaz)
    n = len(doc)

    # --- accept / reject
    person_words: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) > 1:
            person_words.update(t.lower_ for t in ent if _cap(t))
    for c in cands:
        c.from_ner = _ner_place(doc, c)
        c.why = _accept(doc, c, person_words)
        c.accepted = c.why != ""

    # containers: "X, Y" where Y is an accepted country/admin1
    by_start = {c.start: c for c in cands}
    for c in cands:
        if c.end + 1 < n and doc[c.end].text == ",":
            nxt = by_start.get(c.end + 1)
            if nxt is not None and nxt.accepted:
                # "Tacoma, Washington": the second name is the division of a reading of the first
                ykey = normalize(doc[nxt.start : nxt.end].text)
                for x in c.cands:
                    if x.country and x.admin1 and normalize(x.admin1) == ykey:
                        div = gaz.division(x.country, x.admin1)
                        if div is not None and div not in nxt.cands:
                            nxt.cands = [div, *nxt.cands]
                        break
                for x in nxt.cands:
                    # "Paris, Idaho" holds the Paris of Idaho, not every American one
                    if x.feature == "admin1":
                        c.container.add(x.admin1 or "")
                    elif x.feature == "country":
                        c.container.add(x.country or "")
                c.container.discard("")
                if (
                    c.container
                    and not c.accepted
                    and doc[c.start].pos_ == "PROPN"
                    and not _titled(doc, c)
                    and not _inside_name(doc, c)
                ):
                    c.accepted, c.why = True, "container"

    # coordination with accepted places: "Goris and Sotk", "Goris, Sotk"
    changed = True
    accepted_keys = {normalize(doc[c.start : c.end].text) for c in cands if c.accepted}
    while changed:
        changed = False
        for idx, c in enumerate(cands):
            if c.accepted or doc[c.start].pos_ != "PROPN" or _person_outside(doc, c):
                continue
            if _titled(doc, c) or _inside_name(doc, c) or _time_zone(doc, c):
                continue
            ok = normalize(doc[c.start : c.end].text) in accepted_keys
            for other in (
                cands[idx - 1] if idx > 0 else None,
                cands[idx + 1] if idx + 1 < len(cands) else None,
            ):
                if other is None or not other.accepted:
                    continue
                lo, hi = (other.end, c.start) if other.start < c.start else (c.end, other.start)
                gap = [t.lower_ for t in doc[lo:hi]]
                if 1 <= len(gap) <= 2 and all(g in {",", "and", "or", "&"} for g in gap):
                    ok = True
            if ok and c.end - c.start == 1 and doc[c.start].lower_ in person_words:
                ok = False  # "Burley said": the surname of someone named in full before
            if ok:
                c.accepted, c.why = True, "coordinated"
                accepted_keys.add(normalize(doc[c.start : c.end].text))
                changed = True

    _accept_in_named_country(doc, cands, person_words)
    kept = [c for c in cands if c.accepted]
    for c in kept:
        c.cands = _without_old_names(_readings(doc, c))

    # --- document context: which countries and first-level divisions the
    # other mentions point to (each distinct name votes once)
    contrib: dict[str, tuple[dict[str, float], dict[str, float]]] = {}
    orgs = [(e.start, e.end) for e in doc.ents if e.label_ == "ORG"]
    names = [normalize(doc[c.start : c.end].text) for c in kept]
    in_org = [_inside_org(orgs, c) for c in kept]
    named_in_org = {k for k, o in zip(names, in_org, strict=True) if o}
    named_alone = {k for k, o in zip(names, in_org, strict=True) if not o}
    for c, key in zip(kept, names, strict=True):
        if key not in contrib:
            ccs, adms = _contributions(c.cands)
            if key in named_in_org and key not in named_alone:
                # "Air Canada Cargo", "Bank of America": the name of a firm is weak evidence
                # of where the story is
                ccs = {k: v * _ORG_SUPPORT for k, v in ccs.items()}
                adms = {k: v * _ORG_SUPPORT for k, v in adms.items()}
            contrib[key] = (ccs, adms)
    cc_support: Counter[str] = Counter()
    adm_support: Counter[str] = Counter()
    for ccs, adms in contrib.values():
        cc_support.update(ccs)
        adm_support.update(adms)
    # "Russian airstrikes target Hama": a demonym says who acts, not that the text is
    # elsewhere, so it does not count against a reading in another country
    named_support: Counter[str] = Counter()
    demonym_keys = {k for c, k in zip(kept, names, strict=True) if any(x.is_demonym for x in c.cands)}
    for key, (ccs, _adms) in contrib.items():
        if key not in demonym_keys:
            named_support.update(ccs)

    chosen: list[Candidate | None] = []
    for c in kept:
        own_cc, own_adm = contrib[normalize(doc[c.start : c.end].text)]
        if not c.cands:
            chosen.append(None)
            continue
        score = {id(x): _score(x, cc_support, adm_support, own_cc, own_adm, c.container) for x in c.cands}
        best = max(c.cands, key=lambda x: score[id(x)])
        if best.lat is None:
            # a division known only by name ("Deir El Balah" governorate) yields to the placed
            # town of its country that bears the name
            placed = [x for x in c.cands if x.lat is not None and x.country == best.country]
            best = max(placed, key=lambda x: score[id(x)]) if placed else best
        division = best
        best = _namesake_city(doc, c, best)
        sup_cc, sup_adm = _support(best, cc_support, adm_support, own_cc, own_adm)
        # the city a division reading gave way to needs no more evidence than the division
        contained = best is not division or (
            bool(c.container) and (best.admin1 in c.container or best.country in c.container)
        )
        elsewhere = any(
            v - own_cc.get(k, 0.0) >= _ELSEWHERE for k, v in named_support.items() if k != best.country
        )
        zipfs = [_word_zipf(t.lower_) for t in doc[c.start : c.end] if any(ch.isalpha() for ch in t.text)]
        plain = bool(zipfs) and all(z >= _COMMON_ZIPF for z in zipfs)
        everyday = bool(zipfs) and all(z >= _EVERYDAY_ZIPF for z in zipfs)
        long_name = len(normalize(doc[c.start : c.end].text)) >= 6  # not "Sams" for Samsun
        enough = contained or _enough_evidence(
            best, _common_word(doc, c), sup_cc, sup_adm, elsewhere, plain, long_name, everyday
        )
        if len({x.country for x in c.cands}) > 1 and _abbreviation_like(doc, c) and not contained:
            # "WA" is Washington or Western Australia: only the rest of the text can say which
            enough = enough and sup_cc + sup_adm > 0
        if enough and not contained and _outweighed(best, c.cands, sup_cc + sup_adm):
            enough = False
        chosen.append(best if enough else None)
    why = [c.why for c in kept]
    _cohere_lists(doc, kept, chosen, why)
    _cohere_kinds(doc, gaz, kept, chosen, why)

    places: list[tuple[Place, str]] = []
    for c, b, w in zip(kept, chosen, why, strict=True):
        s, e = doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1].text)
        street = _street_end(doc, c)
        if street is not None and doc[c.end].text == "Highway" and b is not None and b.feature != "PPL":
            street = None  # "Kansas Highway Patrol", "Minnesota Highway 10": the state's
        if street is not None:
            # "Collins Avenue", "Kingsley Road": a street named after a town is not in it
            if c.start > 0 and doc[c.start - 1].text in _DIRECTIONS:
                s = doc[c.start - 1].idx
            e = doc[street - 1].idx + len(doc[street - 1].text)
            places.append((Place(name=doc_text(doc)[s:e], span=(s, e), text=doc_text(doc)[s:e]), "street"))
            continue
        if b is None:
            places.append((Place(name=doc_text(doc)[s:e], span=(s, e), text=doc_text(doc)[s:e]), w))
            continue
        places.append(
            (
                Place(
                    name=b.name,
                    span=(s, e),
                    text=doc_text(doc)[s:e],
                    lat=b.lat,
                    lon=b.lon,
                    country=b.country,
                    admin1=b.admin1,
                    precision=b.precision if b.lat is not None else (b.precision if b.country else None),
                    geonames_id=b.geonames_id,
                    feature=b.feature,
                    is_demonym=b.is_demonym,
                ),
                w,
            )
        )

    # spaCy GPE/LOC entities the gazetteer does not know: kept, unresolved (a guessed
    # coordinate is worse than none), where the text says they are places ("in Torkula",
    # "Torkula village"); elsewhere most are people and firms the small tagger mislabels
    # (on the geoparsing dev sets 170 of 215 such names without a cue were not places)
    covered: set[int] = set()
    for p, _w in places:
        covered.update(range(p.span[0], p.span[1]))
    for c in cands:
        if _not_where(doc, c):
            covered.update(range(doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1].text)))
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC"):
            continue
        s, e = ent.start_char, ent.end_char
        if doc[ent.start].lower_ == "the":
            s = doc[ent.start + 1].idx if len(ent) > 1 else s
        if any(k in covered for k in range(s, e)):
            continue
        if not doc_text(doc)[s:e][:1].isupper():
            continue
        if ent.end < len(doc) and doc[ent.end].lower_ == "time":
            continue  # a time zone
        prev = doc[ent.start - 1] if ent.start > 0 else None
        located = prev is not None and prev.lower_ in _STRONG_LOC
        nouned = any(t.text in _PLACE_NOUNS for t in doc[ent.start : min(len(doc), ent.end + 2)]) or (
            prev is not None and prev.text in _PLACE_NOUNS
        )
        if not (located or nouned or _described_as_place_span(doc, ent.end)):
            # the small tagger calls many people and firms places ("Salah", "Dropbox"); a
            # name the gazetteer does not know is kept only where the text says it is a place
            continue
        places.append(
            (Place(name=doc_text(doc)[s:e], span=(s, e), text=doc_text(doc)[s:e]), "ner-unresolved")
        )
    text = doc_text(doc)
    for m in _STREET_RE.finditer(text):
        if any(k in covered for k in range(m.start(), m.end())) or any(
            p.span[0] < m.end() and m.start() < p.span[1] for p, _w in places
        ):
            continue
        places.append((_street_place(m, places), "street-name"))
    places.sort(key=lambda pw: pw[0].span)
    return places
