"""Claim assembly: turn the mentions found in one document into atomic claims.

Per sentence, each event trigger becomes a claim with its roles (agent,
target, mediator, place, time) read off the dependency parse, and each counted
figure becomes a claim carrying its quantity. The claimant is the speaker when
the sentence attributes the statement (said, accused, according to ...), else
the outlet. Sentences about earlier periods (a time expression well before
publication, or the past perfect with no recent time) are background, and a
background flag carries on to the following sentences of the same passage
until a recent time or a heading resets it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from spacy.tokens import Doc, Span, Token

from .. import ontology
from ..model import (
    Actor,
    Attribution,
    Claim,
    Document,
    EventType,
    Modality,
    Place,
    Polarity,
    Quantity,
    TextSpan,
    TimeSpan,
)
from .attribution import REPORTING_LEMMAS
from .docutil import doc_text, sentences
from .eventtype import Trigger, find_triggers, rank_types

STATEMENT_FAMILIES = frozenset({"statement", "diplomacy"})
BACKGROUND_AGE = timedelta(days=120)
RECENT_WINDOW = timedelta(days=45)
ACTOR_ORDER = {"person": 0, "government": 1, "state_forces": 2, "igo": 3, "state": 4, "armed_group": 5}


@dataclass(slots=True)
class SentenceInfo:
    sent: Span
    places: list[Place]
    times: list[TimeSpan]
    quantities: list[Quantity]
    actors: list[Actor]
    attributions: list[Attribution]
    background: bool


def _inside(span: tuple[int, int] | None, s: Span) -> bool:
    return span is not None and s.start_char <= span[0] < s.end_char


def _claim_id(doc_id: str, *parts: object) -> str:
    h = hashlib.sha1(doc_id.encode("utf-8"))
    for p in parts:
        h.update(b"\x1f" + str(p).encode("utf-8"))
    return h.hexdigest()[:16]


def _is_heading(sent: Span) -> bool:
    """A short line standing alone (a title or section heading)."""
    text = sent.text.strip()
    full = doc_text(sent.doc)
    after = full[sent.start_char + len(sent.text.rstrip()) : sent.end_char + 1]
    ends_line = "\n" in after or sent.end_char >= len(full) - 1
    return len(text.split()) <= 14 and not text.endswith((".", "”", '"', "?", "!", ":")) and ends_line


def _new_paragraph(prev: Span | None) -> bool:
    """Does a paragraph break (a newline) separate ``prev`` from the next sentence?"""
    if prev is None:
        return True
    return "\n" in prev.text[len(prev.text.rstrip()) :] or "\n" in prev[-1].whitespace_


def background_flags(
    sents: Sequence[Span], times: Sequence[TimeSpan], published: datetime | None
) -> list[bool]:
    """One flag per sentence: does it describe an earlier period than the news?

    A sentence is background when its own time expressions all lie well before
    publication; a sentence with no time expression of its own inherits the flag
    of the sentence before it in the same paragraph ("After the 1990s war ...
    It had caused ..."). Headings and new paragraphs start afresh.
    """
    flags: list[bool] = []
    carry = False
    prev: Span | None = None
    for s in sents:
        if _new_paragraph(prev):
            carry = False
        prev = s
        own = [t for t in times if _inside(t.span, s) and t.start is not None]
        if _is_heading(s):
            carry = False
            flags.append(False)
            continue
        flag = carry
        if own and published is not None:
            cutoff = published - RECENT_WINDOW
            recent = any(t.start is not None and t.start >= cutoff for t in own)
            old = any(t.start is not None and t.start < published - BACKGROUND_AGE for t in own)
            if recent:
                flag = False
            elif old:
                flag = True
        flags.append(flag)
        carry = flag
    return flags


# --------------------------------------------------------------------------- roles


def _actor_at(tokens: Sequence[Token], actors: Sequence[Actor]) -> Actor | None:
    """The actor mention covering these tokens (the head-most one)."""
    if not tokens:
        return None
    lo = min(t.idx for t in tokens)
    hi = max(t.idx + len(t.text) for t in tokens)
    inside = [a for a in actors if a.span and a.span[0] < hi and a.span[1] > lo]
    if not inside:
        return None
    head = min(tokens, key=lambda t: t.i)  # fall back to the leftmost
    for t in tokens:
        if t.head not in tokens:
            head = t
            break
    for a in inside:
        if a.span and a.span[0] <= head.idx < a.span[1]:
            return a
    inside.sort(key=lambda a: (ACTOR_ORDER.get(a.kind or "", 9), a.span[0] if a.span else 0))
    return inside[0]


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.i > tok.i]]


def _subject_of(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        return _subject_of(verb.head)
    return None


def _roles(tok: Token, actors: Sequence[Actor]) -> tuple[Actor | None, list[Actor]]:
    """Agent and targets of the event expressed by ``tok``."""
    agent: Actor | None = None
    targets: list[Actor] = []

    def add_targets(head: Token) -> None:
        for c in _conjuncts(head):
            a = _actor_at(list(c.subtree) if c is head else [c, *c.children], actors)
            if a is not None and a not in targets:
                targets.append(a)

    if tok.pos_ in ("VERB", "AUX"):
        subj = _subject_of(tok)
        if subj is not None:
            agent = _actor_at(list(subj.subtree), actors)
        for c in tok.children:
            if c.dep_ == "agent":  # passive "by X"
                for p in c.children:
                    if p.dep_ == "pobj":
                        agent = _actor_at(list(p.subtree), actors)
            elif c.dep_ in ("dobj", "nsubjpass"):
                add_targets(c)
            elif c.dep_ == "prep" and c.lower_ in ("against", "on", "with", "to", "at", "upon"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        add_targets(p)
    else:
        for c in tok.children:
            if c.dep_ in ("poss", "amod", "compound", "nmod") and agent is None:
                agent = _actor_at([c], actors)
            elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
                for p in c.children:
                    if p.dep_ == "pobj" and agent is None:
                        agent = _actor_at(list(p.subtree), actors)
            elif c.dep_ == "prep" and c.lower_ == "between":
                # "a conversation between X and Y": X acts, Y is the other party
                for p in c.children:
                    if p.dep_ == "pobj":
                        first = _actor_at(
                            [p, *[t for t in p.children if t.dep_ in ("compound", "amod")]], actors
                        )
                        if agent is None:
                            agent = first
                        for other in p.conjuncts:
                            a = _actor_at(list(other.subtree), actors)
                            if a is not None and a not in targets:
                                targets.append(a)
            elif c.dep_ == "prep" and c.lower_ in ("against", "on", "with", "in", "to"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        add_targets(p)
        if agent is None and tok.dep_ in ("dobj", "pobj", "attr"):
            verb = tok.head if tok.dep_ != "pobj" else tok.head.head
            subj = _subject_of(verb) if verb.pos_ in ("VERB", "AUX") else None
            if subj is not None:
                agent = _actor_at(list(subj.subtree), actors)
    if agent is not None:
        targets = [
            t for t in targets if t is not agent and (t.actor_id is None or t.actor_id != agent.actor_id)
        ]
    return agent, targets


MEDIATION = re.compile(
    r"(?P<pre>\b[\w-]+)\s+(?:mediation|brokered|-brokered)|"
    r"(?:brokered|negotiated|mediated)\s+by\s+(?P<post>[\w\s-]{2,40}?)(?=[,.;)]|\s+(?:and|on|in|at|from)\b|$)",
    re.I,
)


def _mediator(sent: Span, tok: Token, actors: Sequence[Actor]) -> Actor | None:
    text = doc_text(sent.doc)
    for m in MEDIATION.finditer(text, sent.start_char, sent.end_char):
        g = "pre" if m.group("pre") else "post"
        s, e = m.span(g)
        for a in actors:
            if a.span and a.span[0] < e and a.span[1] > s:
                return a
    # "Russia (announced that it) had negotiated a ceasefire": the negotiator
    for t in sent:
        if t.lemma_ in ("negotiate", "broker", "mediate") and t.pos_ == "VERB":
            subj = _subject_of(t)
            if subj is not None and subj.lower_ in ("it", "they"):
                head = t.head
                while head.dep_ not in ("ROOT",) and head.head is not head:
                    head = head.head
                subj = _subject_of(head) or subj
            if subj is not None:
                found = _actor_at(list(subj.subtree), actors)
                if found is not None:
                    return found
    return None


# --------------------------------------------------------------------------- assembly


def _token_for(doc: Doc, span: tuple[int, int]) -> Token | None:
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    return sp.root if sp is not None and len(sp) else None


def _nearest(items: Sequence[TimeSpan], pos: int) -> TimeSpan | None:
    if not items:
        return None
    return min(items, key=lambda t: abs(t.span[0] - pos))


LOCATIVE = frozenset(
    {
        "in",
        "at",
        "near",
        "around",
        "outside",
        "inside",
        "across",
        "along",
        "towards",
        "toward",
        "into",
        "on",
        "from",
        "over",
        "throughout",
        "within",
        "of",
        "between",
        "such",
    }
)


STATEMENT_LOCATIVE = frozenset({"in", "at", "near", "inside", "outside", "throughout"})


# verbs whose object is the place acted on ("struck Kharkiv", "bombed Gaza", "captured Lyman");
# they say which found place is a claim's scene (extract.places does not accept a name
# for being such an object: people, teams and firms are hit and captured too)
HIT_PLACE_VERBS = frozenset(
    [
        "shell",
        "hit",
        "strike",
        "bomb",
        "bombard",
        "attack",
        "target",
        "pound",
        "raid",
        "storm",
        "capture",
        "seize",
        "retake",
        "recapture",
        "besiege",
        "overrun",
        "invade",
        "occupy",
        "encircle",
        "surround",
        "liberate",
    ]
)
# speakers whose place is their seat, not the scene ("residents in Goris said" keeps Goris)
_SEATED = frozenset(
    [
        "ministry",
        "office",
        "government",
        "authorities",
        "official",
        "officials",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "agency",
        "embassy",
        "service",
        "command",
        "headquarters",
        "presidency",
        "administration",
    ]
)


# last words of news outlets' names that begin with a place ("the Washington Post")
_MEDIA_HEADS = frozenset(
    [
        "Times",
        "Post",
        "Herald",
        "Journal",
        "Tribune",
        "Gazette",
        "Chronicle",
        "Telegraph",
        "Guardian",
        "Examiner",
        "Observer",
        "Courier",
        "Dispatch",
        "Independent",
        "Standard",
        "Express",
        "Star",
        "Sun",
        "Mirror",
        "Inquirer",
        "Register",
        "Bulletin",
        "News",
        "Radio",
        "TV",
        "Television",
    ]
)


def _in_media_name(tok: Token) -> bool:
    """The name begins an outlet's name: "New York" in "the New York Times"."""
    while tok.dep_ == "compound" and tok.head is not tok:
        tok = tok.head
        if tok.text in _MEDIA_HEADS:
            return True
    return False


# a name glued by a hyphen to a lowercase word modifies a noun ("Turkey-backed militants"):
# who backs, where one is based, not where it happens ("Damascus-Aleppo highway" stays)
_MODIFIER_AFTER = re.compile(r"[-‐][a-z]")


def _literal(doc: Doc, place: Place) -> bool:
    """Is the place mention used as a location (not as an actor: "Moscow said", "neither
    Yerevan nor Baku commented"), and not the seat of the one speaking ("the Defence
    Ministry in Baku said")?"""
    tok = _token_for(doc, place.span)
    if tok is None:
        return False
    if _MODIFIER_AFTER.match(doc_text(doc), place.span[1]):
        return False  # "Ankara-loyal factions", "a London-based monitor", "US-made drones"
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if _in_media_name(tok):
        return False  # "the New York Times reported", "the Kyiv Independent": an outlet
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in HIT_PLACE_VERBS:
        return True  # "shelled Goris", "captured Lyman": the place hit is the scene
    if tok.dep_ in ("nsubj", "nsubjpass", "poss", "dobj"):
        return False  # "Moscow said", "accused Baku": a government named by its seat
    if tok.dep_ == "pobj" and tok.head.dep_ == "agent":
        return False  # "a truce announced by Russia": who did it, not where
    owner = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" else None
    if (
        owner is not None
        and owner.dep_ == "nsubj"
        and owner.head.lemma_.lower() in REPORTING_LEMMAS
        and (owner.ent_type_ == "ORG" or owner.lemma_.lower() in _SEATED)
    ):
        return False
    if tok.dep_ == "pobj" and tok.head.lower_ in ("by", "to") and tok.head.head.lower_ in ("according", "by"):
        return False
    according = tok.head.i > 0 and doc[tok.head.i - 1].lower_ == "according"
    return not (tok.dep_ == "pobj" and tok.head.lower_ == "to" and according)


def _phrase_head(tok: Token) -> Token:
    """The head of the name's phrase: "Goris" in "Goris and Sotk", "New York" in "New York City"."""
    while tok.dep_ in ("conj", "appos", "compound") and tok.head is not tok:
        tok = tok.head
    return tok


def _located(doc: Doc, place: Place, preps: frozenset[str] = LOCATIVE) -> bool:
    """A place introduced by a locative preposition ("in Geneva", "near Goris")."""
    tok = _token_for(doc, place.span)
    if tok is None:
        return False
    head = _phrase_head(tok)
    return head.dep_ == "pobj" and head.head.lower_ in preps


def _said_at(doc: Doc, place: Place) -> bool:
    """Where words were spoken, not where the happening was: "the spokesman told
    reporters in New York", "she said in Geneva"."""
    tok = _token_for(doc, place.span)
    if tok is None:
        return False
    tok = _phrase_head(tok)
    if tok.dep_ != "pobj" or tok.head.dep_ != "prep":
        return False
    head = tok.head.head
    if head.dep_ in ("dobj", "dative", "pobj") and head.pos_ in ("NOUN", "PROPN", "PRON"):
        head = head.head
    return head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in REPORTING_LEMMAS


def _clause_apart(doc: Doc, attribution: Attribution, pos: tuple[int, int]) -> bool:
    """Whether a position lies in a clause of its own, away from an attribution's cue and
    content: after "and as", "while", "as" or "but" that follows the content ("... a ceasefire
    had been agreed, and as both countries continued to trade accusations")."""
    start, end = attribution.content.span
    if start <= pos[0] < end or attribution.cue.span[0] <= pos[0] < attribution.cue.span[1]:
        return False
    if pos[0] < start:
        return False  # before the content: the speaker's own lead-in ("Russia, which brokered ...")
    between = doc_text(doc)[end : pos[0]]
    return bool(_NEW_CLAUSE.search(between))


_NEW_CLAUSE = re.compile(r"[,;]\s*(?:and\s+)?(?:as|while|whereas|but|although|even as)\b", re.I)


def _event_places(doc: Doc, places: Sequence[Place], *, statement: bool = False) -> list[Place]:
    """Places fit to locate an event: literal, not demonyms, not where it was told of, not a
    seat of government unless something happens at it; countries only when nothing finer.

    A statement is located only by a place introduced as a location ("in Geneva")."""
    real = [p for p in places if not p.is_demonym and p.lat is not None and _literal(doc, p)]
    # a seat of government locates only what happens at it ("talks at the White House"), not
    # what its people speak of ("Pentagon officials said", "a White House statement")
    real = [p for p in real if p.feature != "landmark" or _located(doc, p)]
    if not statement:
        real = [p for p in real if not _said_at(doc, p)]
    if statement:
        real = [
            p
            for p in real
            if _located(doc, p, STATEMENT_LOCATIVE) and p.precision not in ("continent", "region")
        ]
    fine = [p for p in real if p.precision not in ("country", "continent", None)]
    return fine or [p for p in real if p.precision == "country"][:1]


def build_claims(
    doc: Doc,
    document: Document,
    *,
    places: Sequence[Place],
    times: Sequence[TimeSpan],
    quantities: Sequence[Quantity],
    actors: Sequence[Actor],
    attributions: Sequence[Attribution],
) -> tuple[list[Claim], EventType | None]:
    """All claims of one document, and the document's primary event type."""
    sents = sentences(doc)
    text = doc_text(doc)
    flags = background_flags(sents, times, document.published_at)
    outlet = (
        Actor(
            name=document.source,
            actor_id="media:" + re.sub(r"\W+", "-", document.source.lower()),
            kind="media",
        )
        if document.source
        else None
    )
    claims: list[Claim] = []
    seen: set[str] = set()
    lethal_first: list[tuple[int, str]] = []  # the first violence or disaster of each sentence

    def emit(c: Claim) -> None:
        if c.id not in seen:
            seen.add(c.id)
            claims.append(c)

    sentence_triggers: list[list[Trigger]] = []
    for s, bg in zip(sents, flags, strict=True):
        s_places = [p for p in places if _inside(p.span, s)]
        s_times = [t for t in times if _inside(t.span, s)]
        s_qty = [q for q in quantities if _inside(q.span, s)]
        s_actors = [a for a in actors if _inside(a.span, s)]
        s_attr = [a for a in attributions if _inside(a.cue.span, s)]
        evidence = TextSpan(text[s.start_char : s.end_char], (s.start_char, s.end_char))
        triggers = find_triggers(s)
        sentence_triggers.append(triggers)
        event_places = _event_places(doc, s_places)
        statement_places = _event_places(doc, s_places, statement=True)

        def claimant_for(pos: tuple[int, int], *, _attr: Sequence[Attribution] = s_attr) -> Actor | None:
            # the narrowest attributed content holding the position speaks for it
            holding = [
                a
                for a in _attr
                if a.content.span[0] <= pos[0] and pos[1] <= a.content.span[1] and a.speaker is not None
            ]
            if holding:
                best = min(holding, key=lambda a: a.content.span[1] - a.content.span[0])
                return best.speaker
            # outside every attributed content the outlet narrates: "as both countries continued to
            # trade accusations" is not Moscow's, though "Moscow said" is in the sentence; a
            # sentence whose speaker's content was not delimited keeps that speaker
            delimited = [a for a in _attr if a.speaker is not None and a.content.span[1] > a.content.span[0]]
            if delimited and all(_clause_apart(doc, a, pos) for a in delimited):
                return outlet
            spoken = [a.speaker for a in _attr if a.speaker is not None]
            return spoken[0] if spoken else outlet

        # accusations: embedded violence is alleged, its agent the accused
        accusations: list[tuple[Attribution, Actor | None, list[Actor]]] = []
        for t in triggers:
            if t.type_id in ("accuse",):
                tok = _token_for(doc, t.span)
                if tok is not None:
                    ag, tg = _roles(tok, s_actors)
                    for a in s_attr:
                        if a.cue.span == t.span or a.cue.span[0] == t.span[0]:
                            accusations.append((a, ag, tg))

        sentence_violent: Trigger | None = None
        sentence_disaster: Trigger | None = None  # a disaster's toll is the disaster's
        for t in triggers:
            et = ontology.get_type(t.type_id)
            fam = ontology.family(t.type_id)
            tok = _token_for(doc, t.span)
            if tok is None:
                continue
            agent, targets = _roles(tok, s_actors)
            claimant = claimant_for(t.span)
            modality: Modality = "reported"
            if fam in STATEMENT_FAMILIES:
                own = [a for a in s_attr if a.cue.span[0] == t.span[0]]
                if own and own[0].speaker is not None:
                    claimant = own[0].speaker
                elif agent is not None:
                    claimant = agent
                if agent is None:
                    agent = claimant if claimant is not outlet else None
                if t.type_id in ("request_appeal", "demand"):
                    modality = "called_for"
            else:
                for acc, accuser, accused in accusations:
                    if acc.content.span[0] <= t.span[0] < acc.content.span[1]:
                        modality = "alleged"
                        if accused:
                            agent = accused[0]
                        claimant = accuser or acc.speaker or claimant
                if sentence_violent is None and fam == "violent":
                    sentence_violent = t
                    lethal_first.append((s.start_char, t.type_id))
                if sentence_disaster is None and t.type_id in ontology.DISASTER_TYPES and not t.negated:
                    sentence_disaster = t
                    lethal_first.append((s.start_char, t.type_id))
            mediator = _mediator(s, tok, s_actors) if t.type_id in ("agree", "mediate") else None
            time = _nearest(s_times, t.span[0])
            polarity: Polarity = "denied" if t.negated else "asserted"
            chosen = event_places if fam == "violent" else statement_places[:1]
            place_opts: list[Place | None] = [*chosen]
            if not place_opts:
                place_opts = [None]
            target_opts: list[Actor | None] = list(targets) or [None]
            for place in place_opts:
                for target in target_opts:
                    cid = _claim_id(
                        document.id,
                        t.span,
                        t.type_id,
                        place.span if place else None,
                        target.span if target else None,
                    )
                    emit(
                        Claim(
                            id=cid,
                            doc_id=document.id,
                            event_type=et,
                            evidence=evidence,
                            claimant=claimant,
                            agent=agent,
                            target=target,
                            mediator=mediator,
                            place=place,
                            time=time,
                            polarity=polarity,
                            modality=modality,
                            is_background=bg,
                            trigger=TextSpan(t.text, t.span),
                        )
                    )

        for q in s_qty:
            if q.counted in (None, "other") or (q.value is None and q.low is None):
                continue
            claimant = claimant_for(q.span)
            _resolve_victims(q, s, s_actors, claimant)
            if sentence_violent is not None:
                et = ontology.get_type(sentence_violent.type_id)
            elif sentence_disaster is not None and q.counted in ("killed", "injured", "missing", "displaced"):
                et = ontology.get_type(sentence_disaster.type_id)
            elif q.counted in ("killed", "injured", "missing", "captured"):
                et = ontology.get_type(lethal_first[0][1] if lethal_first else "armed_clash")
            elif q.counted == "deployed":
                et = (
                    ontology.get_type("mobilize")
                    if "mobilize" in ontology.ALL_TYPES
                    else ontology.get_type("other")
                )
            else:
                et = ontology.get_type("other")
            emit(
                Claim(
                    id=_claim_id(document.id, q.span, "quantity"),
                    doc_id=document.id,
                    event_type=et,
                    evidence=evidence,
                    claimant=claimant,
                    place=event_places[0] if event_places else None,
                    time=_nearest(s_times, q.span[0]),
                    quantity=q,
                    modality="reported",
                    is_background=bg,
                )
            )
    # the document's main event as the classifier ranks it (what `wwk extract` reports and
    # `wwk eval eventtypes` scores); the report claim keeps the type most current claims
    # carry, violence first, which is what groups reports into stories
    primary = _ranked_primary(sentence_triggers) or _primary(claims, doc)
    report = _report_claim(document, sents, flags, places, times, _primary(claims, doc) or primary, outlet)
    if report is not None:
        claims.insert(0, report)
    return claims, primary


def _report_claim(
    document: Document,
    sents: Sequence[Span],
    flags: Sequence[bool],
    places: Sequence[Place],
    times: Sequence[TimeSpan],
    primary: EventType | None,
    outlet: Actor | None,
) -> Claim | None:
    """The document-level claim: this report is about a happening of its primary type.

    Its evidence is the lead (the first sentence that is not a heading); its place
    and time are those of the lead when it gives them. Consolidation uses it to
    join reports that tell the same story.
    """
    lead = next((s for s, bg in zip(sents, flags, strict=True) if not bg and not _is_heading(s)), None)
    if lead is None:
        lead = next((s for s in sents if s.text.strip()), None)
    if lead is None:
        return None
    text = doc_text(lead.doc)
    evidence = TextSpan(text[lead.start_char : lead.end_char], (lead.start_char, lead.end_char))
    doc = lead.doc
    lead_places = _event_places(doc, [p for p in places if _inside(p.span, lead)])
    lead_times = [t for t in times if _inside(t.span, lead) and t.start is not None]
    return Claim(
        id=_claim_id(document.id, "report"),
        doc_id=document.id,
        event_type=primary or ontology.get_type("none"),
        evidence=evidence,
        claimant=outlet,
        place=lead_places[0] if lead_places else None,
        time=lead_times[0] if lead_times else None,
        modality="reported",
        is_report=True,
    )


POSSESSIVE = re.compile(r"\b(its|their|our|own)\b", re.I)
OWN_PEOPLE = re.compile(r"\b(?:of\s+)?(its|their|our)\s+(?:own\s+)?\w+", re.I)
FORCES_SUFFIX = (":mil", ":mod")


def _does_it(doc: Doc, actor: Actor) -> bool:
    """The actor is the one acting: the active subject ("Russian forces shelled ...,
    killing one person") or the agent of a passive ("killed by Russian forces")."""
    if actor.span is None:
        return False
    span = doc.char_span(actor.span[0], actor.span[1], alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.dep_ == "nsubj":
        return root.head.lemma_.lower() not in ("lose", "suffer")  # "forces lost 12 soldiers"
    return root.dep_ == "pobj" and root.head.dep_ == "agent"


def _resolve_victims(q: Quantity, sent: Span, actors: Sequence[Actor], claimant: Actor | None) -> None:
    """Fill in whose people a figure counts when the phrase itself did not say.

    "The number of Armenian soldiers killed ... has risen to 105": one nation's
    forces named in the sentence; "50 of its servicemen": the claimant's own.
    """
    if q.victims is not None and q.victims.country:
        return
    from ..model import Victims

    victims = q.victims or Victims()
    forces = {
        a.country
        for a in actors
        if a.country and (a.actor_id or "").endswith(FORCES_SUFFIX) and not _does_it(sent.doc, a)
    }
    full = doc_text(sent.doc)
    text = full[sent.start_char : sent.end_char]
    phrase = (q.text or "") + " " + full[q.span[1] : q.span[1] + 12]
    if OWN_PEOPLE.search(phrase) and claimant is not None and claimant.country and claimant.kind != "igo":
        # "50 of its servicemen": the claimant's own people
        victims.country = claimant.country
    elif len(forces) == 1:
        victims.country = next(iter(forces))
        victims.kind = victims.kind or "military"
    elif (
        POSSESSIVE.search(text)
        and claimant is not None
        and claimant.country
        and claimant.kind
        not in (
            "igo",
            "media",
            "person",
        )
    ):
        victims.country = claimant.country
    if victims.country or victims.kind:
        q.victims = victims


def _ranked_primary(sentence_triggers: Sequence[Sequence[Trigger]], lead: int = 3) -> EventType | None:
    """The document's main event as the event-type classifier ranks it: the best-ranked type
    of the headline and lead (``eventtype.primary_type``, on the triggers already found)."""
    for chunk in (sentence_triggers[:lead], sentence_triggers):
        ranked = rank_types(chunk)
        if ranked:
            return ontology.get_type(ranked[0][0])
    return None


def _primary(claims: Sequence[Claim], doc: Doc) -> EventType | None:
    current = [c for c in claims if not c.is_background and c.trigger is not None]
    violent = [c for c in current if ontology.family(c.event_type.id) == "violent"]
    pool = violent or current
    if not pool:
        return None
    counts: dict[str, int] = {}
    for c in pool:
        counts[c.event_type.id] = counts.get(c.event_type.id, 0) + 1
    first = min(pool, key=lambda c: c.evidence.span[0]).event_type.id
    best = max(counts, key=lambda k: (counts[k], k == first))
    return ontology.get_type(best)
