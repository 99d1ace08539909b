"""Figures about people: "50 Azerbaijani soldiers were killed", "more than 30 000 deaths".

Numbers are found on ``doc.text`` (digits with space/comma thousands separators, decimals with
a scale word, number words by a small parser of our own that never merges separate numbers),
then mapped to tokens. Dates, years, durations, ages, money, percentages, ordinals and codes
("site-33", "(S889)", "08/02/2016") are dropped. For each number we take the noun phrase it
counts, then decide what is counted from, in order: the phrase's own words ("dead",
"refugees"), the words right after it ("were killed"), the verb that governs it (dependency
parse), and toll phrases around it ("the death toll rose to 49", "raise to 18 the number of
killed", "raises the number of casualties in 7 towns ... to 23"). A loss verb overrides a
status noun ("five hostages were killed"); "killed and wounded" in any of these makes a combined
figure, counted "other"; "13 -mostly children-" is the bare figure 13. Whose people: an actor
(country/demonym) inside the phrase or in an "of the ..." tail, and military/civilian from the
head noun. A sentence saying the figure is not final
("not the final number", "expected to rise") makes the qualifier ``not_final``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy
from spacy.attrs import LOWER
from spacy.strings import StringStore
from spacy.tokens import Doc, Span, Token

from whatweknow.model import Actor, Counted, Qualifier, Quantity, Victims

from .actors import demonym_country
from .attribution import REPORTING_LEMMAS
from .docutil import doc_text, sentence_of


def _ws(words: str) -> frozenset[str]:
    return frozenset(words.split())


_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
# vague plurals: lower bound of what they mean
_VAGUE = {"dozens": 24, "hundreds": 200, "thousands": 2000, "millions": 2_000_000, "scores": 40, "tens": 20}

_NUMWORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "dozen"], key=len, reverse=True))
_WORDNUM_RE = re.compile(
    rf"\b(?:an?\s+)?(?:{_NUMWORD})(?:(?:\s+and\s+|[\s-]+)(?:{_NUMWORD}))*\b", re.IGNORECASE
)
# "between ten and fifteen": a range in words
_WORD_RANGE_RE = re.compile(
    rf"(?<![\w-])between\s+((?:{_NUMWORD})(?:[\s-]+(?:{_NUMWORD}))*)\s+and\s+((?:{_NUMWORD})(?:[\s-]+(?:{_NUMWORD}))*)\b",
    re.IGNORECASE,
)
_VAGUE_RE = re.compile(
    r"\b(?:(tens|hundreds)\s+of\s+(thousands|millions)|(dozens|hundreds|thousands|millions|scores|tens))\b",
    re.IGNORECASE,
)
_SEP = r"[ \u00a0\u202f,]"
_DIGIT_RE = re.compile(
    rf"(?<![\w/.,:$€£¥#-])(\d{{1,3}}(?:{_SEP}\d{{3}})+(?![\d])|\d+(?:\.\d+)?)"
    r"(?:\s+(hundred|thousand|million|billion)\b)?"
    r"(?![\w/:%$€£]|[.,]\d|-[A-Za-z])",
)
_RANGE_RE = re.compile(
    r"(?<![\w/.,:-])between\s+(\d[\d,]*)\s+and\s+(\d[\d,]*)\b|(?<![\w/.,:-])(\d+)\s*[-–]\s*(\d+)(?![\w/:%])",
    re.I,
)

# a figure passed: "exceeded", "topped", "rose past" (before the number, with no "to")
_PASSED = (
    r"exceed(?:s|ed|ing)?|top(?:s|ped|ping)|pass(?:es|ed|ing)|surpass(?:es|ed|ing)?|"
    r"(?:rose|rises|risen|rising|climbed|climbs|climbing|jumped|jumps|soared|soars|went|goes|gone|moved|"
    r"is|was|stood|stands|now)\s+(?:past|beyond)"
)

_QUALIFIERS: list[tuple[re.Pattern[str], Qualifier]] = [
    (
        re.compile(
            rf"\b(?:more than|over|upwards of|in excess of|above|{_PASSED})\s*$",
            re.I,
        ),
        "more_than",
    ),
    (
        re.compile(r"\b(?:at least|no fewer than|no less than|a minimum of|not less than)\s*$", re.I),
        "at_least",
    ),
    (re.compile(r"\b(?:up to|at most|as many as|a maximum of|no more than)\s*$", re.I), "at_most"),
    (re.compile(r"\b(?:fewer than|less than|under|below)\s*$", re.I), "fewer_than"),
    (
        re.compile(
            r"\b(?:nearly|almost|about|around|some|approximately|roughly|an estimated|estimated|close to|"
            r"approx\.|circa|about\s+\w+\s+to)\s*$",
            re.I,
        ),
        "about",
    ),
]
_NOT_FINAL = re.compile(
    r"not (?:the |a )?final"
    r"|(?:expected|likely|feared|set|could|may|might|will) (?:to )?(?:rise|increase|climb|grow)"
    r"|preliminary|provisional|so far|is rising|still rising|could be higher"
    r"|(?:toll|figure) (?:is|are) not final",
    re.I,
)
_MONTHS = _ws(
    "january february march april may june july august september october november december jan feb "
    "mar apr jun jul aug sep sept oct nov dec "
)
_NOT_PEOPLE_UNITS = _ws(
    "hour hours minute minutes second seconds day days week weeks month months year years decade "
    "decades century centuries km kilometre kilometres kilometer kilometers mile miles metre metres "
    "meter meters m cm mm kg ton tons tonne tonnes percent per % dollar dollars euro euros pound "
    "pounds usd eur rubles roubles hryvnia am pm a.m. p.m. o'clock times degree degrees square acre "
    "acres hectare hectares litre litres liter liters calibre caliber th st nd rd gb mb bn "
)
_GROUP_NOUNS = _ws("family families household households clan clans tribe tribes village villages")
_CURRENCY_BEFORE = frozenset({"$", "€", "£", "¥", "usd", "eur", "us$", "rs", "rs."})
_CODE_BEFORE = _ws(
    "resolution no. no number page pages site article route flight level phase room paragraph section "
    "highway road unit block building apartment chapter verse vol volume issue sector checkpoint post "
    "point hill height km kilometre kilometer quarter grade platform gate "
)
_YEAR_BEFORE = frozenset(
    {"in", "since", "of", "from", "until", "till", "by", "during", "before", "after", "year"}
)

# what is counted: nouns/adjectives in the phrase or just after it, and governing verbs
_NOUN_COUNTED: dict[str, Counted] = {
    "dead": "killed",
    "death": "killed",
    "deaths": "killed",
    "fatality": "killed",
    "fatalities": "killed",
    "body": "killed",
    "bodies": "killed",
    "corpse": "killed",
    "corpses": "killed",
    "killed": "killed",
    "casualty": "killed",
    "casualties": "killed",
    "martyr": "killed",
    "martyrs": "killed",
    "victims": "killed",
    "wounded": "injured",
    "injured": "injured",
    "injury": "injured",
    "injuries": "injured",
    "hurt": "injured",
    "missing": "missing",
    "prisoner": "captured",
    "prisoners": "captured",
    "pow": "captured",
    "pows": "captured",
    "hostage": "captured",
    "hostages": "captured",
    "captive": "captured",
    "captives": "captured",
    "detainee": "detained",
    "detainees": "detained",
    "arrested": "detained",
    "detained": "detained",
    "refugee": "displaced",
    "refugees": "displaced",
    "displaced": "displaced",
    "evacuee": "displaced",
    "evacuees": "displaced",
    "idps": "displaced",
    "peacekeeper": "deployed",
    "peacekeepers": "deployed",
}
_VERB_COUNTED: dict[str, Counted] = {
    "kill": "killed",
    "die": "killed",
    "execute": "killed",
    "slay": "killed",
    "murder": "killed",
    "massacre": "killed",
    "behead": "killed",
    "perish": "killed",
    "martyr": "killed",
    "assassinate": "killed",
    "neutralise": "killed",  # army communiqués: "40 terrorists were neutralised"
    "neutralize": "killed",
    "shoot dead": "killed",
    "wound": "injured",
    "injure": "injured",
    "hurt": "injured",
    "capture": "captured",
    "abduct": "captured",
    "kidnap": "captured",
    "seize": "captured",
    "arrest": "detained",
    "detain": "detained",
    "jail": "detained",
    "imprison": "detained",
    "displace": "displaced",
    "flee": "displaced",
    "evacuate": "displaced",
    "uproot": "displaced",
    "deploy": "deployed",
    "station": "deployed",
    "send": "deployed",
    "dispatch": "deployed",
}
# verbs whose *subject* is the counted people ("50 died", "1.5 million fled")
_INTRANSITIVE = frozenset({"die", "perish", "flee"})
_MILITARY_NOUNS = _ws(
    "soldier soldiers troop troops serviceman servicemen servicewoman army military personnel fighter "
    "fighters militant militants militiaman militiamen militia militias combatant combatants officer officers "
    "conscript conscripts peacekeeper peacekeepers helmets guard guards policeman policemen police "
    "gunman gunmen insurgent insurgents rebel rebels jihadist jihadists paratroopers marines sailors "
    "pilots operatives mercenaries recruits forces elements reservist reservists commandos gendarmes "
    "guardsmen troopers constables "
)
_CIVILIAN_NOUNS = _ws(
    "paramedic paramedics medic medics schoolchildren pupils volunteers traders fishermen shopkeepers "
    "mourners tourists passengers nurses "
    "civilian civilians child children woman women resident residents citizen citizens villager "
    "villagers student students worker workers journalist journalists man men boy boys girl girls "
    "infant infants baby babies family families refugee refugees patient patients doctor doctors "
    "teacher teachers farmer farmers shepherd shepherds pilgrim pilgrims worshippers protesters "
    "demonstrators brother brothers sister sisters son sons daughter daughters sibling siblings "
    "relatives mother mothers father fathers wife wives husband husbands cousin cousins "
)
_PEOPLE_NOUNS = (
    _MILITARY_NOUNS
    | _CIVILIAN_NOUNS
    | _ws(
        "people persons person members member individuals others adults elderly nationals migrants crew "
        "passengers staff employees officials leaders commanders members fishermen traders merchants "
        "vendors shopkeepers drivers miners herders pupils schoolchildren mourners guests customers "
        "tourists labourers laborers robbers bandits attackers assailants hostages prisoners detainees "
        "inmates volunteers medics paramedics journalists reporters constables "
    )
)
_AUX_SKIP = _ws(
    "were was are is have has had been being be reportedly also allegedly all in total altogether "
    "later subsequently confirmed officially apparently remain remains remained still feared presumed "
    "believed "
)


@dataclass(slots=True)
class _Num:
    start: int  # character offsets of the number itself
    end: int
    value: float | None
    low: float | None = None
    high: float | None = None
    vague: bool = False
    is_range: bool = False
    article: bool = False  # "a soldier": one person, a figure only when something befell them
    noun_end: int = 0  # for an article: where the person noun ends


def _int(text: str) -> float:
    return float(re.sub(r"[ \u00a0\u202f,]", "", text))


def _parse_words(words: list[str]) -> float | None:
    """Parse a run of number words ("two hundred and fifty", "a dozen"); None if malformed."""
    total, current, seen = 0.0, 0.0, False
    for w in words:
        w = w.lower()
        if w in ("a", "an", "and"):
            continue
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in ("thousand", "million", "billion"):
            total += (current or 1) * _SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _split_word_run(text: str, start: int) -> list[tuple[int, int, list[str]]]:
    """Split a run of number words where a new number starts ("five six" stays two numbers)."""
    parts = [(m.start() + start, m.end() + start, m.group(0)) for m in re.finditer(r"[A-Za-z]+", text)]
    out: list[tuple[int, int, list[str]]] = []
    cur: list[tuple[int, int, str]] = []
    last_kind = ""
    for s, e, w in parts:
        lw = w.lower()
        kind = (
            "unit"
            if lw in _UNITS
            else "ten"
            if lw in _TENS
            else "scale"
            if lw in (*_SCALES, "dozen")
            else "glue"
        )
        new = bool(cur) and (
            (kind == "unit" and last_kind in ("unit",))
            or (kind == "ten" and last_kind in ("unit", "ten"))
            or (kind == "unit" and last_kind == "ten" and lw in ("ten", "eleven", "twelve"))
        )
        if new:
            out.append((cur[0][0], cur[-1][1], [c[2] for c in cur]))
            cur = []
        cur.append((s, e, w))
        if kind != "glue":
            last_kind = kind
    if cur:
        out.append((cur[0][0], cur[-1][1], [c[2] for c in cur]))
    # trim leading/trailing glue words ("a", "and")
    trimmed = []
    for s, e, ws in out:
        while ws and ws[-1].lower() in ("a", "an", "and"):
            ws = ws[:-1]
        if ws:
            trimmed.append((s, e, ws))
    return trimmed


def _find_numbers(text: str) -> list[_Num]:
    nums: list[_Num] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= ts or s >= te for ts, te in taken)

    for m in ONE_PERSON_RE.finditer(text):
        # first, so that an age inside ("a 25-year-old man") is not read as a figure
        nums.append(_Num(m.start(), m.start(1) + len(m.group(1)), 1.0, article=True, noun_end=m.end()))
        taken.append((m.start(), m.end()))
    for m in _RANGE_RE.finditer(text):
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        lo, hi = _int(a), _int(b)
        if not lo < hi or (m.group(3) and hi > 1000 and lo > 1000):  # "2019-2020" is years
            continue
        if m.group(3) and lo >= 1900 and hi <= 2100:
            continue
        s = m.start() if m.group(1) else m.start(3)
        nums.append(_Num(s, m.end(), None, lo, hi, is_range=True))
        taken.append((s, m.end()))
    for m in _WORD_RANGE_RE.finditer(text):
        w_lo = _parse_words(re.split(r"[\s-]+", m.group(1)))
        w_hi = _parse_words(re.split(r"[\s-]+", m.group(2)))
        if w_lo is None or w_hi is None or not w_lo < w_hi or not free(m.start(), m.end()):
            continue
        nums.append(_Num(m.start(), m.end(), None, w_lo, w_hi, is_range=True))
        taken.append((m.start(), m.end()))
    for m in _DIGIT_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        value = _int(m.group(1))
        if m.group(2):
            value *= _SCALES[m.group(2).lower()]
        nums.append(_Num(m.start(), m.end(), value))
        taken.append((m.start(), m.end()))
    for m in _VAGUE_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if m.group(1):
            low = {"tens": 20, "hundreds": 200}[m.group(1).lower()] * {
                "thousands": 1000,
                "millions": 1_000_000,
            }[m.group(2).lower()]
        else:
            low = _VAGUE[m.group(3).lower()]
        nums.append(_Num(m.start(), m.end(), None, low, None, vague=True))
        taken.append((m.start(), m.end()))
    for m in _WORDNUM_RE.finditer(text):
        for s, e, words in _split_word_run(m.group(0), m.start()):
            if not free(s, e):
                continue
            if words[0].lower() in ("a", "an") and (
                len(words) < 2 or words[1].lower() not in (*_SCALES, "dozen")
            ):
                words = words[1:]
                s = text.index(words[0], s) if words else e
            if not words:
                continue
            parsed = _parse_words(words)
            if parsed is None:
                continue
            nums.append(_Num(s, e, parsed))
            taken.append((s, e))
    nums.sort(key=lambda n: n.start)
    return nums


# "a soldier", "an Israeli woman", "a senior Hamas commander", "a 25-year-old man": one person
_ONE_PERSON = _ws(
    "soldier serviceman servicewoman fighter militant militiaman combatant officer conscript "
    "peacekeeper guard policeman policewoman gunman insurgent rebel jihadist paratrooper marine "
    "sailor pilot civilian child woman resident citizen villager student worker journalist man boy "
    "chief elder imam priest pastor cleric activist mayor governor judge trader driver bodyguard engineer "
    "photographer reporter passenger bystander motorist herder miner fisherman "
    "girl infant baby toddler teenager refugee patient doctor nurse teacher farmer shepherd pilgrim "
    "worshipper protester demonstrator person member commander official leader interpreter translator "
    "contractor tourist pedestrian passer-by medic paramedic volunteer lawmaker politician prosecutor "
    "lawyer employee cameraman tribesman councillor councilor spokesman ranger schoolteacher shopkeeper "
    "vendor merchant businessman constable trooper sergeant lieutenant captain colonel"
)
_ONE_PERSON_MODIFIER = (
    r"(?:[A-Z][\w’'-]*|\d+-year-old|[a-z]+-[a-z-]+|senior|young|local|elderly|pregnant|unarmed|former|"
    r"top|prominent|female|male|teenage|retired|foreign|suspected|alleged|police|security|army|military|"
    r"border|aid|health|rescue|tribal|village|government|opposition|traffic|passing|lone|fellow|veteran|"
    r"kidnapped|abducted|detained|displaced|armed|masked)"
)
ONE_PERSON_RE = re.compile(
    r"\b([Aa]n?)\s+(?:" + _ONE_PERSON_MODIFIER + r"\s+){0,3}?(?:" + "|".join(sorted(_ONE_PERSON)) + r")\b"
)
# one person named by a bare noun beside a killing, as headlines write ("Child dies in
# shelling", "Attack kills peacekeeper"): a regular expression, for scorers that must not
# depend on the parse
_PERSONS = "|".join(sorted(_ONE_PERSON))
BARE_PERSON_LOSS_RE = re.compile(
    rf"\b(?:{_PERSONS})\b[^;,.]{{0,80}}?\b(?:killed|dies|died|dead|executed|beheaded|assassinated|murdered|slain)\b"
    rf"|\b(?:kills?|killed|executes?|executed|beheads?|beheaded|assassinates?|assassinated)\s+"
    rf"(?:[\w-]+\s+){{0,3}}?(?:{_PERSONS})\b",
    re.I,
)
# what befalls one person that makes "a soldier" a figure
_ONE_PERSON_COUNTED = frozenset(["killed", "injured", "missing", "captured", "detained"])


def _tokens(doc: Doc, s: int, e: int) -> Span | None:
    return doc.char_span(s, e, alignment_mode="expand")


# "One killed, 5 hurt": a headline's "one" before what befell them is a figure
_ONE_LOST = frozenset(["killed", "dead", "died", "dies", "wounded", "injured", "hurt", "missing"])


def _is_excluded(doc: Doc, num: _Num, span: Span) -> bool:
    text = doc_text(doc)
    nxt = doc[span.end] if span.end < len(doc) else None
    prev = doc[span.start - 1] if span.start > 0 else None
    nxt_l = nxt.lower_ if nxt is not None else ""
    m_alpha = re.match(r"[a-z.%'’]+", nxt_l)
    nxt_l = m_alpha.group(0) if m_alpha else nxt_l
    prev_l = prev.lower_ if prev is not None else ""
    if nxt_l in _NOT_PEOPLE_UNITS or nxt_l in _MONTHS or prev_l in _MONTHS:
        return True
    if (
        nxt is not None
        and nxt.text == "-"
        and span.end + 1 < len(doc)
        and doc[span.end + 1].lower_ in _NOT_PEOPLE_UNITS
    ):
        return True  # "a 19 - year - old", "10-day"
    if (num.start > 0 and text[num.start - 1] in "$€£¥#") or prev_l in _CURRENCY_BEFORE | _CODE_BEFORE:
        return True
    if (
        nxt is not None
        and nxt.lower_ in ("of", "per")
        and span.end + 1 < len(doc)
        and doc[span.end + 1].like_num
    ):
        return True  # "3 of 10", ratios
    raw = text[num.start : num.end]
    if num.value is not None and re.fullmatch(r"\d{4}", raw) and 1800 <= num.value <= 2100:
        # a year unless it plainly counts people ("2020 soldiers were killed" is rare: require a
        # noun of people; "the 2020 war" is a year)
        return (
            prev_l in _YEAR_BEFORE
            or nxt is None
            or nxt.pos_ != "NOUN"
            or nxt.ent_type_ == "DATE"
            or (nxt_l not in _PEOPLE_NOUNS and nxt_l not in _NOUN_COUNTED)
        )
    if (
        num.value is not None
        and raw.lower() == "one"
        and not _one_of_them_lost(span)
        and (
            nxt_l in ("of", "another", "day", "side", "hand", "way")
            or (nxt is not None and nxt.pos_ not in ("NOUN", "ADJ") and nxt_l not in _ONE_LOST)
        )
    ):
        return True
    if span.start > 0 and doc[span.start - 1].text in ("No", "no.", "№"):
        return True
    if prev_l in ("of", "from") and nxt_l in _GROUP_NOUNS:
        return True  # "7 citizens of one family": the family is not a second figure
    if (
        num.value is not None
        and num.value < 120
        and prev_l == ","
        and span.start > 1
        and doc[span.start - 2].pos_ == "PROPN"
        and (nxt is None or nxt.text in (",", ")", ".", ";"))
    ):
        return True  # "the body of Juantissa Hill, 24, was found": an age
    return bool(nxt is not None and nxt.text in ("%", "percent", "per cent", "°", ":"))


# a toll that counts the dead together with another loss ("killed or missing", "dead or
# wounded") bounds the dead from above
_OR_ANOTHER_LOSS = re.compile(
    r"[^.;:]{0,40}?\b(?:killed|dead|died)\s+or\s+(?:were\s+|are\s+|went\s+|had\s+gone\s+)?"
    r"(?:missing|wounded|injured|unaccounted|disappeared|captured)\b",
    re.I,
)


def _qualifier(text: str, num: _Num, sent_start: int) -> tuple[Qualifier, int]:
    before = text[max(sent_start, num.start - 40) : num.start]
    for pattern, q in _QUALIFIERS:
        m = pattern.search(before)
        if m:
            return q, num.start - (len(before) - m.start())
    return ("range" if num.is_range else "exact"), num.start


def _attached(prev: Token, t: Token) -> bool:
    """Whether ``t`` continues the phrase of the word before it: one depends on the other,
    or both modify the same word ("10 citizen women", "12 people dead")."""
    if prev.head == t or t.head == prev:
        return True
    if t.head == prev.head and t.dep_ in ("amod", "compound", "nmod", "appos"):
        return True
    # "seven World Central Kitchen aid workers": modifiers of modifiers of one noun ahead
    mods = ("amod", "compound", "nmod")
    return (
        prev.dep_ in mods
        and t.dep_ in mods
        and prev.head.i > t.i
        and t.head.i <= prev.head.i
        and (prev.head.is_ancestor(t))
    )


def _phrase(doc: Doc, span: Span) -> tuple[int, Token | None]:
    """End token (exclusive) of the noun phrase the number counts, and its head noun."""
    sent_end = sentence_of(span[0]).end if doc.has_annotation("SENT_START") else len(doc)
    j = span.end
    head: Token | None = None
    end = span.end
    while j < sent_end and j - span.end < 6:
        t = doc[j]
        if t.text != "-" and (t.pos_ in ("NOUN", "PROPN") or (t.pos_ == "ADJ" and t.lower_ != "more")):
            if t.lower_ in _MONTHS:
                break
            if head is not None and not _attached(doc[j - 1], t):
                break  # "94 dead yesterday", "40 people half of them are children": a new phrase
            end = j + 1
            if t.pos_ in ("NOUN", "PROPN") or t.lower_ in _NOUN_COUNTED:
                head = t
            j += 1
            continue
        if t.text == "-" and head is not None and head.i == j - 1 and head.head.i == j + 1:
            head = None  # "Iranian-backed militiamen", "Russian-speaking residents": a modifier
            j += 1
            continue
        if (
            t.text == "-"
            and head is not None
            and head.i == j - 1
            and j + 2 < sent_end
            and not doc[j - 1].whitespace_
            and not t.whitespace_  # glued: "al-Shabaab", not "two activists - Nugzar ..."
            and doc[j + 1].text[:1].isupper()
            and doc[j + 2].pos_ in ("NOUN", "PROPN")
        ):
            # "120 al-Shabaab fighters": a hyphenated name goes on to the noun it names
            j += 2
            head = None
            continue
        if (
            (t.text == "-" and head is None)
            or (t.is_quote and j == span.end)
            or (t.dep_ == "amod" and t.tag_ in ("VBN", "VBG") and t.head.i > t.i)
        ):  # "Azerbaijani-backed", “fighters”, "three suspected militants"
            j += 1
            continue
        if t.is_quote and head is not None:
            end = j + 1
        break
    if head is None:
        end = span.end
    elif end > head.i + 1 and doc[end - 1].lower_ not in _NOUN_COUNTED and not doc[end - 1].is_quote:
        end = head.i + 1
    return end, head


def _skip_tail(doc: Doc, end: int) -> tuple[int, Token | None]:
    """Skip an "of the regime forces" / "from Tahrir al-Sham" tail: (token after it, its last noun)."""
    if end >= len(doc) or doc[end].lower_ not in ("of", "from", "among"):
        return end, None
    sent_end = sentence_of(doc[end]).end if doc.has_annotation("SENT_START") else len(doc)
    k = end + 1
    noun: Token | None = None
    while k < sent_end and k - end < 10:
        t = doc[k]
        if t.like_num and k + 1 < sent_end and doc[k + 1].lower_ in _GROUP_NOUNS:
            k += 2  # "of one family", "from two villages"
            continue
        if t.pos_ == "CCONJ" and k + 1 < sent_end and doc[k + 1].pos_ in ("VERB", "AUX"):
            break  # "killing 34 members of the regime forces and injuring others"
        if (
            t.pos_ in ("VERB", "AUX")
            or t.like_num
            or t.lower_ in _NOUN_COUNTED
            or t.lower_ in _AUX_SKIP
            or t.text in (",", ";", ".")
        ):
            break
        if t.pos_ in ("NOUN", "PROPN"):
            noun = t
        k += 1
    return k, noun


def _after(doc: Doc, end: int, limit: int) -> tuple[Counted | None, int]:
    """A counted trigger right after the phrase: "were killed", "dead", "lost their lives"."""
    j = end
    sent_end = sentence_of(doc[end - 1]).end if doc.has_annotation("SENT_START") else len(doc)
    while j < min(sent_end, end + limit):
        t = doc[j]
        low = t.lower_
        if low in _AUX_SKIP or (t.pos_ == "ADV" and low not in ("dead",)):
            j += 1
            continue
        if (
            low in ("until", "till", "to", "so")
            and j + 1 < len(doc)
            and doc[j + 1].lower_ in ("now", "date", "far")
        ):
            j += 2  # "184 until now were killed"
            continue
        if low in _NOUN_COUNTED:
            got = _NOUN_COUNTED[low]
            return _combined(doc, j, got), j + 1
        if t.lemma_.lower() in _VERB_COUNTED and t.pos_ in ("VERB", "AUX", "ADJ"):
            if _acts_on_others(t):
                break  # "a man kills 6 members", "3 gunmen killed 5 soldiers": they did it
            got = _VERB_COUNTED[t.lemma_.lower()]
            return _combined(doc, j, got), j + 1
        if low == "lost" and j + 2 < len(doc) and doc[j + 2].lower_ in ("lives", "life"):
            return "killed", j + 3
        if _shot_dead(t):
            return "killed", j + 2
        if _to_death(t):
            return "killed", j + 1
        if t.lemma_.lower() in ("sustain", "suffer") and j + 1 < len(doc):
            nxt = doc[j + 1].lower_
            if nxt in ("injuries", "injury", "wounds", "burns") or (
                j + 2 < len(doc) and doc[j + 2].lower_ in ("injuries", "injury", "wounds", "burns")
            ):
                return "injured", j + 2  # "sustained (serious) injuries"
        if low == "among":  # "were among the dead"
            got_among = _among(doc, j)
            return (got_among, j + 1) if got_among is not None else (None, end)
        if low == "taken" and j + 1 < len(doc) and doc[j + 1].lower_ in ("prisoner", "hostage", "captive"):
            return "captured", j + 2
        break
    return None, end


def _one_of_them_lost(span: Span) -> bool:
    """ "kills one of them", "one of them was killed": one of the people just named."""
    doc, t = span.doc, span[-1]
    if (
        t.i + 2 >= len(doc)
        or doc[t.i + 1].lower_ != "of"
        or doc[t.i + 2].lower_ not in ("them", "whom", "those")
    ):
        return False
    head = t.head
    return t.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in _VERB_COUNTED


def _acts_on_others(verb: Token) -> bool:
    """An active loss verb with an object of its own: its subject is who did it."""
    return (
        verb.tag_ in ("VBZ", "VBP", "VBD", "VBG")
        and verb.lemma_.lower() not in _INTRANSITIVE
        and not any(
            c.dep_ in ("auxpass", "aux") and c.lower_ in ("were", "was", "been", "be") for c in verb.children
        )
        and any(c.dep_ == "dobj" for c in verb.children)
    )


def _combined(doc: Doc, j: int, got: Counted) -> Counted:
    """ "killed and injured" / "dead and wounded" is a combined figure: counted "other"."""
    if j + 2 < len(doc) and doc[j + 1].lower_ in ("and", "or", "/") and got in ("killed", "injured"):
        other = doc[j + 2].lower_
        o = _NOUN_COUNTED.get(other) or _VERB_COUNTED.get(doc[j + 2].lemma_.lower())
        if o is not None and o != got and o in ("killed", "injured"):
            return "other"
    if j >= 2 and doc[j - 1].lower_ in ("and", "or") and got in ("killed", "injured"):
        other = doc[j - 2].lower_
        o = _NOUN_COUNTED.get(other) or _VERB_COUNTED.get(doc[j - 2].lemma_.lower())
        if o is not None and o != got and o in ("killed", "injured"):
            return "other"
    return got


def _among(doc: Doc, end: int) -> Counted | None:
    """ "68 children among 126 killed", "4 soldiers among the dead": counted as the group they are among."""
    if end >= len(doc) or doc[end].lower_ != "among":
        return None
    sent_end = sentence_of(doc[end]).end if doc.has_annotation("SENT_START") else len(doc)
    k = end + 1
    while k < min(sent_end, end + 6) and (
        doc[k].like_num
        or doc[k].is_quote
        or doc[k].lower_ in ("the", "at", "least", "more", "than", "about", "those", "people")
    ):
        k += 1
    if k >= sent_end:
        return None
    t = doc[k]
    if t.lower_ in _NOUN_COUNTED:
        return _combined(doc, k, _NOUN_COUNTED[t.lower_])
    if t.pos_ in ("VERB", "ADJ") and t.lemma_.lower() in _VERB_COUNTED:
        return _combined(doc, k, _VERB_COUNTED[t.lemma_.lower()])
    return None


def _suffers(noun: Token) -> bool:
    """The noun undergoes the loss rather than causing it: "15 fishermen were executed", "the
    lives of 10 cadets", "killed 12 pilgrims" (not "720 airstrikes killed")."""
    # "killed the bomber and two bystanders", "kills district governor, 2 guards"
    while (
        noun.dep_ in ("conj", "appos")
        and noun.head is not noun
        and noun.head.pos_ in ("NOUN", "PROPN", "NUM")
    ):
        noun = noun.head
    if noun.dep_ in ("nsubjpass", "dobj"):
        return True
    if noun.dep_ == "nsubj" and (
        noun.head.lemma_.lower() in _INTRANSITIVE  # "7 miners died"
        or any(c.dep_ == "prep" and c.lower_ == "among" for c in noun.head.children)  # "were among"
    ):
        return True
    return (
        noun.dep_ == "pobj"
        and noun.head.lower_ == "of"
        and noun.head.head.lower_ in ("lives", "life", "deaths")
    )


def _shot_dead(t: Token) -> bool:
    """ "shot dead", "gunned down": a killing written as a shooting."""
    if t.i + 1 >= len(t.doc):
        return False
    nxt = t.doc[t.i + 1].lower_
    lemma = t.lemma_.lower()
    return (lemma == "shoot" and nxt == "dead") or (lemma == "gun" and nxt == "down")


# the nouns of a loss that an "of" phrase undergoes ("the deaths of 12 people", "claim the
# lives of 4 citizens", "the arrest of 3"), and what each counts
_LOSS_NOUNS: dict[str, Counted] = {
    **dict.fromkeys(
        (
            *("lives", "life", "deaths", "death", "killing", "killings", "bodies", "body"),
            *("execution", "executions", "beheading", "beheadings", "massacre"),
        ),
        "killed",
    ),
    **dict.fromkeys(("injury", "injuries", "wounding"), "injured"),
    **dict.fromkeys(("evacuation", "displacement"), "displaced"),
    **dict.fromkeys(("arrest", "arrests", "detention"), "detained"),
}


def _passive(verb: Token) -> bool:
    """ "were killed", and a headline's bare participle: "10 children killed in airstrikes"
    (not "have killed")."""
    if any(c.dep_ == "auxpass" for c in verb.children):
        return True
    return verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children)


def _to_death(verb: Token) -> bool:
    """ "hacked to death", "beaten to death": a killing written as its means."""
    return verb.pos_ == "VERB" and any(
        c.lower_ == "to" and any(g.lower_ == "death" for g in c.children) for c in verb.children
    )


def _left_dead(verb: Token) -> bool:
    """ "left 12 people dead", "left a teacher and her two daughters dead"."""
    return verb.lemma_.lower() == "leave" and any(
        c.dep_ in ("oprd", "ccomp", "xcomp", "advcl") and c.lower_ == "dead" for c in verb.children
    )


def _governing(tok: Token) -> Counted | None:
    """The verb governing the phrase: "kills 15 soldiers", "1.5 million fled"."""
    t = tok
    # "3 soldiers and 2 civilians were killed", "kills district governor, 2 guards"
    while True:
        for c in t.children:  # "12 women and children killed in a strike": a participle on the noun
            if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in _VERB_COUNTED and c.i > t.i:
                return _combined(tok.doc, c.i, _VERB_COUNTED[c.lemma_.lower()])
        # ("kills himself and 4 worshippers": the bomber and his victims share the verb)
        if (
            t.dep_ in ("conj", "appos")
            and t.head is not t
            and t.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON")
        ):
            t = t.head
        else:
            break
    head = t.head
    if head is t:
        return None
    lemma = head.lemma_.lower()
    if _shot_dead(head) and (
        t.dep_ in ("dobj", "nsubjpass")
        or (t.dep_ == "nsubj" and any(c.dep_ == "agent" for c in head.children))
    ):
        return "killed"  # "police shot dead 3 protesters", "3 protesters shot dead by police"
    if (
        t.lower_ in ("lives", "life")
        and lemma in ("claim", "take", "cost", "lose")
        and t.dep_
        in (
            "dobj",
            "nsubjpass",
        )
    ):
        return "killed"  # "the blast claimed 14 lives", "30 lives were lost"
    if lemma == "lose" and t.dep_ == "dobj" and t.lower_ in _MILITARY_NOUNS:
        return "killed"  # "the army said it lost 17 soldiers"
    if t.dep_ in ("dobj", "nsubjpass") and (_to_death(head) or _left_dead(head)):
        return "killed"  # "beat 3 men to death", "left a teacher and her daughters dead"
    # "killing himself and 6 guards": the parser may join the second object to the verb
    second_object = t.dep_ == "conj" and any(c.dep_ == "dobj" and c.i < t.i for c in head.children)
    if head.pos_ in ("VERB", "AUX") and lemma in _VERB_COUNTED:
        if t.dep_ in ("dobj", "nsubjpass", "obj", "attr", "oprd") or second_object:
            return _combined(tok.doc, head.i, _VERB_COUNTED[lemma])  # "killed and wounded 20"
        if t.dep_ == "nsubj" and (lemma in _INTRANSITIVE or _passive(head)):
            return _combined(tok.doc, head.i, _VERB_COUNTED[lemma])  # "killed and wounded 20"
    # "claim the lives of 4 citizens", "the deaths of 12 people"
    if t.dep_ == "pobj" and head.lower_ == "of":
        owner = head.head.lower_
        linked = {c.lower_ for c in head.head.children if c.dep_ == "conj"} | (
            {head.head.head.lower_} if head.head.dep_ == "conj" else set()
        )
        if owner in _LOSS_NOUNS and any(
            _LOSS_NOUNS.get(w, _LOSS_NOUNS[owner]) != _LOSS_NOUNS[owner] for w in linked
        ):
            return "other"  # "the death and injury of 65 people": a combined figure
        return _LOSS_NOUNS.get(owner)
    return None


_TOLL_BEFORE = re.compile(
    r"(?:death toll|toll|number of (?:the )?(?:dead|killed|deaths|victims|fatalities|martyrs|casualties)|"
    r"killing|killed|kills?|claim(?:ed|ing|s)? the lives of|the lives of|lives of|"
    r"(?:casualties|deaths|dead|victims|killed|fatalities)\s+(?:\w+\s+){0,2}?(?:rise|rises|rose|raise|raises|"
    r"raised|climb|climbs|climbed|reach|reaches|reached|increase|increases|increased)(?:\s+to)?|"
    r"(?:casualties|deaths|dead|victims|killed|fatalities|toll|martyrs)\W[^.;]{0,60}?\b(?:to|at)(?<!\bup to)|"
    r"toll\b[^.;]{0,60}?\b(?:reach(?:es|ed)?|hits?))"
    r"(?:\s+(?:\w+\s+){0,3}?(?:to|of|at|reached|reaches|rose to|rises to|stands at|climbed to))?\s*$",
    re.I,
)
_TOLL_AFTER = re.compile(
    r"^\s*(?:,\s*)?(?:the\s+)?(?:death toll|number of\b[^.;]{0,80}?\b"
    r"(?:killed|dead|deaths|died|fatalities|martyrs|casualties|victims|lost their lives))\b"
    r"(?!\s+and\s+(?:injured|wounded))",
    re.I,
)
# a toll that passed a figure: "the death toll rose above 5,000", "deaths topped 200", "the
# number of dead exceeded 1,000" (matched on the text up to the number, qualifier included)
_TOLL_PASSED = re.compile(
    r"\b(?:death toll|toll|deaths|fatalities|number of (?:the )?(?:dead|deaths|victims|fatalities))\b"
    rf"[^.;]{{0,60}}?\b(?:{_PASSED}|(?:rose|rises|risen|rising|climbed|climbs|jumped|jumps|soared|soars|"
    r"went|goes|is|was|stood|stands|now)\s+(?:above|over))\s*$",
    re.I,
)
# "raises the number of casualties in 7 cities and towns in the besieged Eastern Ghouta to 23":
# the count noun can be far from the number, so this one gets a wider window than _TOLL_BEFORE
_TOLL_RAISED = re.compile(
    r"\b(?:raise[sd]?|raising|rises?|rose|risen|rising|increase[sd]?|increasing|bring(?:s|ing)?|brought|"
    r"climb(?:s|ed|ing)?|push(?:es|ed|ing)?)\s+the\s+(?:death\s+toll|toll|number\s+of\s+(?:the\s+)?"
    r"(?:\w+\s+){0,3}?(?:dead|killed|deaths|victims|fatalities|martyrs|casualties))\b"
    r"(?![^.;]*\b(?:and|or)\s+(?:the\s+)?(?:wounded|injured|injuries|missing))[^.;]{0,100}?\bto\s*$",
    re.I,
)
# the toll as subject, far from its figure: "The death toll from Saturday's bombing at a mosque
# in Peshawar has climbed to 101"
_TOLL_SUBJECT = re.compile(
    r"\b(?:death\s+toll|toll|number\s+of\s+(?:the\s+)?(?:dead|deaths|victims|fatalities|people\s+killed))\b"
    r"(?![^.;]*\b(?:and|or)\s+(?:the\s+)?(?:wounded|injured|injuries|missing))[^.;]{0,120}?"
    r"\b(?:rose|rises|risen|climbed|climbs|jumped|jumps|increased|increases|reached|reaches|hit|hits|"
    r"stood|stands|was|is|now)\s+(?:at\s+|to\s+)?$",
    re.I,
)
# a killing noun that "targets" or "claims" the people: "a beheading targets 2 members of ..."
_KILLING_SUBJECT = re.compile(
    r"\b(?:beheading|execution|slaughter)s?\s+(?:targets?|targeted|targeting|claims?|claimed|claiming)\s*$",
    re.I,
)
# an apposition right after a bare number: "raises to 13 -mostly children and women- the number of
# people killed", "kill 9 (mainly children)": the figure is the bare number, the rest describes it
_APPOSITION = re.compile(
    r"\s*(?:[-\u2013\u2014(]\s*)?(?:mostly|mainly|most of them|many of them)\b[^-\u2013\u2014();,.]{0,60}"
    r"(?:[-\u2013\u2014)]|(?=[,;.])|$)",
    re.I,
)
_DEAD_AND_WOUNDED = re.compile(
    r"\b(?:dead|killed|deaths|casualties|martyrs|victims|fatalities)\s+(?:and|or|/)\s+(?:the\s+)?"
    r"(?:wounded|injured|injuries)\b",
    re.I,
)
# nouns that say what people are (prisoners, refugees), which a loss verb overrides
_STATUS = frozenset({"captured", "detained", "displaced", "deployed"})
# what joins two victims of one toll: "a nurse and 3 patients", "a teacher and her two daughters"
JOINED = r"\s*(?:,|and|, and|as well as|plus)\s*(?:(?:his|her|their|its)\s+)?"
_JOINED = re.compile(JOINED, re.I)
_PART_OF = re.compile(r"\b(?:including|among them|among whom|of whom|of them|among those)\s*$", re.I)
_INJ_BEFORE = re.compile(r"(?:wounding|injuring|wounded|injured)\s*$", re.I)


def _speaker_actor(span: Span, actors: list[Actor]) -> Actor | None:
    """The state actor saying a figure of its own ("the Pakistani military said 7 of its
    soldiers died"): the subject of the reporting verb the figure hangs on."""
    for anc in span.root.ancestors:
        if anc.lemma_.lower() not in REPORTING_LEMMAS:
            continue
        for subj in (c for c in anc.children if c.dep_ == "nsubj"):
            lo = min(t.idx for t in subj.subtree)
            hi = max(t.idx + len(t.text) for t in subj.subtree)
            for a in actors:
                if a.span is not None and lo <= a.span[0] and a.span[1] <= hi and a.country:
                    return a
        return None
    return None


def _victims(
    doc: Doc, start_char: int, end_tok: int, head: Token | None, actors: list[Actor]
) -> Victims | None:
    end_char = doc[end_tok - 1].idx + len(doc[end_tok - 1].text) if end_tok > 0 else start_char
    # an "of the regime forces" / "among Armenian soldiers" tail
    tail_end = end_char
    j = end_tok
    if j < len(doc) and doc[j].lower_ in ("of", "among", "from"):
        k = j + 1
        while (
            k < len(doc) and k - j < 6 and not doc[k].is_punct and doc[k].pos_ not in ("VERB", "AUX", "ADP")
        ):
            k += 1
        tail_end = doc[k - 1].idx + len(doc[k - 1].text)
    actor: Actor | None = None
    for a in actors:
        if a.span is None:
            continue
        if (
            a.span[0] >= start_char
            and a.span[1] <= tail_end
            and (a.country or a.kind in ("armed_group", "igo"))
        ):
            actor = a
            break
    kind: str | None = None
    words: set[str] = set()
    tail_span = doc.char_span(start_char, tail_end, alignment_mode="expand")
    if tail_span is not None:
        words = {t.lower_ for t in tail_span}
    if head is not None and head.lower_ in _MILITARY_NOUNS:
        kind = "military"
    elif (head is not None and head.lower_ in _CIVILIAN_NOUNS) or words & {"civilian", "civilians"}:
        kind = "civilian"
    elif words & {
        "soldiers",
        "troops",
        "forces",
        "army",
        "military",
        "servicemen",
        "members",
        "fighters",
    } and (words & {"forces", "army", "troops", "soldiers", "servicemen", "military", "fighters"}):
        kind = "military"
    if actor is not None and actor.kind in ("state_forces",):
        kind = kind or "military"
    # a people ("207 Armenians") says whose, not whether soldiers or civilians:
    # kind stays unknown unless a noun says it
    country: str | None = None
    if actor is None and tail_span is not None and any(t.lower_ in ("its", "their") for t in tail_span):
        speaker = _speaker_actor(tail_span, actors)  # "the Israeli army said 4 of its soldiers"
        country = speaker.country if speaker is not None else None
    if actor is None and tail_span is not None and country is None:
        # "three Salvadoran migrants": a demonym before a noun that names no force or body
        # ("17 of its Iraqi and Syrian members" name two: none is said)
        named = {c for t in tail_span if (c := demonym_country(t)) is not None}
        country = named.pop() if len(named) == 1 else None
    if actor is None and kind is None and country is None:
        return None
    if actor is None:
        return Victims(country=country, kind=kind)  # type: ignore[arg-type]
    return Victims(
        country=actor.country if actor.kind != "armed_group" else None,
        kind=kind,  # type: ignore[arg-type]
        actor_id=actor.actor_id,
        name=actor.name,
    )


def find_quantities(doc: Doc, actors: list[Actor]) -> list[Quantity]:
    """Every figure in ``doc`` that counts people or things, with what is counted and whose."""
    text = doc_text(doc)
    out: list[Quantity] = []
    has_sents = doc.has_annotation("SENT_START")
    consumed = 0
    prev_killed_sent = -1
    prev_killed_end = 0
    meta: list[tuple[int, int, Token | None, int]] = []  # per figure: start, end token, head, sentence
    inherited = False
    for num in _find_numbers(text):
        span = _tokens(doc, num.start, num.end)
        if span is None or _is_excluded(doc, num, span):
            continue
        sent = sentence_of(span[0]) if has_sents else doc[:]
        qual, qstart = _qualifier(text, num, sent.start_char)
        if num.start < consumed:
            continue  # inside the tail of the previous figure ("7 citizens of one family")
        appos = _APPOSITION.match(text, num.end)
        if appos is not None and not {w.lower() for w in re.findall(r"[A-Za-z]+", appos.group(0))} & (
            _PEOPLE_NOUNS
        ):
            appos = None
        if appos is not None:  # "13 -mostly children and women-": the figure is the bare number
            end_tok, head = span.end, None
            after_tok = next((t.i for t in doc[span.end :] if t.idx >= appos.end()), len(doc))
        elif num.article:
            # "a 25-year-old man": the noun the pattern found heads the phrase
            head = next((t for t in doc[span.end :] if t.idx + len(t.text) >= num.noun_end), None)
            end_tok = head.i + 1 if head is not None else span.end
            after_tok = end_tok
        else:
            end_tok, head = _phrase(doc, span)
            after_tok = end_tok
        tail_end, tail_noun = _skip_tail(doc, end_tok)
        if tail_end > end_tok and (
            head is None or head.lower_ in ("members", "member", "elements", "fighters")
        ):
            consumed = doc[tail_end - 1].idx + len(doc[tail_end - 1].text)
        gov_tok = head if head is not None else span[-1]
        if head is None and tail_noun is not None:
            head = tail_noun  # "3 of the regime forces"
        counted: Counted | None = None
        phrase_words = [t.lower_ for t in doc[span.end : end_tok]]
        for i, w in enumerate(phrase_words):
            if w in _NOUN_COUNTED:
                counted = _combined(doc, span.end + i, _NOUN_COUNTED[w])
        if counted in _STATUS:
            # "Five hostages were killed", "the deaths of 5 prisoners": the noun says who they
            # were, the verb what happened to them
            loss = _after(doc, end_tok, 5)[0] if end_tok < len(doc) else None
            loss = loss or _governing(gov_tok)
            if loss in ("killed", "injured", "other"):
                counted = loss
        if counted is None and after_tok < len(doc):
            counted, _ = _after(doc, after_tok, 5)
        if counted is None and tail_end > end_tok:
            counted, _ = _after(doc, tail_end, 5)
        if counted is None:
            counted = _among(doc, end_tok)
        if counted is None:
            counted = _governing(gov_tok)
        if counted is None and appos is not None and span[-1].head.pos_ == "NOUN":
            counted = _governing(span[-1].head)  # "kill 9 -mostly children-": 9 hangs on "children"
        if counted is None:
            before = text[max(sent.start_char, qstart - 60) : qstart]
            if appos is not None:  # the parser may end the sentence inside "-mostly ... -"
                after = text[appos.end() : appos.end() + 60]
            else:
                after = text[num.end : min(sent.end_char, num.end + 60)] if head is None else ""
            wide = text[max(sent.start_char, qstart - 160) : qstart]
            toll = _TOLL_BEFORE.search(before)
            if toll is not None and _DEAD_AND_WOUNDED.search(toll.group(0)):
                counted = "other"  # "the number of killed and wounded rose to 40": a combined figure
            elif (
                toll is not None
                or (after and _TOLL_AFTER.match(after))
                or _TOLL_RAISED.search(wide)
                or _TOLL_SUBJECT.search(wide)
                or _KILLING_SUBJECT.search(before)
                or _TOLL_PASSED.search(text[max(sent.start_char, num.start - 120) : num.start])
            ):
                counted = "killed"
            elif _INJ_BEFORE.search(before):
                counted = "injured"
        if head is not None and head.lower_ in ("helmets", "peacekeepers", "troops") and counted is None:
            nxt = doc[end_tok] if end_tok < len(doc) else None
            if head.lower_ != "troops" or (nxt is not None and nxt.lemma_ in ("deploy", "station", "send")):
                counted = "deployed"
        if (
            counted not in (None, "other")
            and head is not None
            and head.pos_ == "NOUN"
            and head.lower_ not in _PEOPLE_NOUNS
            and head.lower_ not in _NOUN_COUNTED
            and not _suffers(head)
            and not _suffers(gov_tok)  # "four of his bodyguards": the number is the object
            and not any(  # "kill 4 IS": the head names an armed group or force
                a.span is not None
                and a.span[0] <= head.idx < a.span[1]
                and a.kind in ("armed_group", "state_forces")
                for a in actors
            )
        ):
            counted = "other"  # "720 airstrikes killed ...": the number counts strikes, not people
        if counted in (None, "other") and prev_killed_sent == sent.start:
            # "189 were killed, including 51 members of the regime forces and 54 civilians"
            before = text[max(sent.start_char, qstart - 30) : qstart]
            # the next victims of the same verb ("kill a nurse and 3 patients"), not the subject
            # of a verb of its own ("killing 27 civilians, a local official said")
            joined = (
                head is not None
                and head.lower_ in _PEOPLE_NOUNS | _ONE_PERSON
                and _JOINED.fullmatch(text[prev_killed_end:qstart]) is not None
                and not (head.dep_ == "nsubj" and head.head.lemma_ in REPORTING_LEMMAS)
            )
            if _PART_OF.search(before) or (inherited and re.search(r"(?:\band|,)\s*$", before)):
                counted = "killed"
                inherited = True
            elif joined:
                counted = "killed"  # "kill a nurse and 3 patients": the next victims of the same verb
                inherited = False
            else:
                inherited = False
        else:
            inherited = False
        end_char = doc[end_tok - 1].idx + len(doc[end_tok - 1].text) if end_tok > span.end else num.end
        if counted == "killed":
            prev_killed_sent = sent.start
            prev_killed_end = end_char
        if num.article and counted not in _ONE_PERSON_COUNTED:
            continue  # "a resident said": a person, not a figure
        if counted is None:
            if head is None:
                continue  # a bare number with nothing counted: not a figure about people
            counted = "other"
        after_end = doc[end_tok - 1].idx + len(doc[end_tok - 1].text)
        if qual == "exact" and re.match(r"\s*at least\b", text[after_end:], re.I):
            qual = "at_least"
        if qual in ("exact", "at_least") and _NOT_FINAL.search(sent.text):
            qual = "not_final"
        if counted == "killed" and qual in ("exact", "not_final") and _OR_ANOTHER_LOSS.match(text, after_end):
            qual = "at_most"  # "207 had been killed or were missing": at most 207 killed
        victims = _victims(doc, num.start, end_tok, head, actors) if counted != "other" else None
        value, low, high = num.value, num.low, num.high
        if not num.is_range and not num.vague:
            if qual == "exact":
                low = high = value
            elif qual in ("at_least", "more_than", "not_final"):
                low = value
            elif qual in ("at_most", "fewer_than"):
                high = value
        elif num.vague:
            qual = "at_least"
        out.append(
            Quantity(
                text=text[qstart:end_char],
                span=(qstart, end_char),
                value=value,
                low=low,
                high=high,
                qualifier=qual,
                counted=counted,
                victims=victims,
                unit_text=head.text if head is not None else None,
            )
        )
        meta.append((num.start, end_tok, head, sent.start))
    _inherit_backwards(doc, text, out, meta, actors)
    out.extend(_bare_persons(doc, out, actors))
    out.sort(key=lambda q: q.span[0])
    return out


def _inherit_backwards(
    doc: Doc,
    text: str,
    out: list[Quantity],
    meta: list[tuple[int, int, Token | None, int]],
    actors: list[Actor],
) -> None:
    """ "2 Indian soldiers, 3 militants killed": a figure of people joined to the killed figure
    after it shares its verb."""
    for i in range(len(out) - 2, -1, -1):
        q, nxt = out[i], out[i + 1]
        start, end_tok, head, sent_start = meta[i]
        if q.counted != "other" or nxt.counted != "killed" or meta[i + 1][3] != sent_start:
            continue
        if (
            head is None
            or head.lower_ not in _PEOPLE_NOUNS
            or not _JOINED.fullmatch(text[q.span[1] : nxt.span[0]])
        ):
            continue
        q.counted = "killed"
        q.victims = _victims(doc, start, end_tok, head, actors)


@lru_cache(maxsize=1)
def _one_person_hashes() -> list[int]:
    strings = StringStore()  # hashes are the same in every store: a word's own hash
    return [strings[w] for w in _ONE_PERSON]


def _bare_persons(doc: Doc, found: list[Quantity], actors: list[Actor]) -> list[Quantity]:
    """One person named by a bare noun, as headlines write: "Soldier killed, 4 wounded",
    "Attack on UN base kills peacekeeper", "kills senior JNIM commander": a figure of one when
    something befell them."""
    out: list[Quantity] = []
    lower = doc.to_array(LOWER)  # one array read instead of a Python loop over every token
    for i in numpy.flatnonzero(numpy.isin(lower, _one_person_hashes())):
        t = doc[int(i)]
        # "kills two soldiers, civilian": the tagger may call a bare noun in a list an adjective
        listed = t.tag_ == "JJ" and t.dep_ in ("appos", "conj")
        if (t.tag_ not in ("NN", "NNP") and not listed) or t.dep_ in ("compound", "amod", "poss"):
            continue
        if any(c.dep_ in ("det", "nummod", "predet", "quantmod") for c in t.children):
            continue
        if any(c.dep_ == "poss" and c.tag_ != "PRP$" for c in t.children):
            continue  # "his bodyguard", "her son" are one person; "the group's commander" stays out
        left = t
        while left.i > 0 and doc[left.i - 1].head == t and doc[left.i - 1].dep_ in ("amod", "compound"):
            left = doc[left.i - 1]
        start, end = left.idx, t.idx + len(t.text)
        if any(q.span[0] < end and start < q.span[1] for q in found):
            continue
        counted = _after(doc, t.i + 1, 5)[0] if t.i + 1 < len(doc) else None
        counted = counted or _governing(t)
        if counted not in _ONE_PERSON_COUNTED:
            continue
        out.append(
            Quantity(
                text=doc_text(doc)[start:end],
                span=(start, end),
                value=1.0,
                low=1.0,
                high=1.0,
                qualifier="exact",
                counted=counted,
                victims=_victims(doc, start, t.i + 1, t, actors),
                unit_text=t.text,
            )
        )
    return out
