"""Attribution: who says what.

For every reporting cue in a sentence ("X said", "X accused Y of", "according to
X", a quotation followed by "said X") we find the *source* (the speaker), the
*cue* and the *content* (what is asserted), and resolve the source to an
:class:`~whatweknow.model.Actor` where the actors found in the document allow.
Pronoun sources ("he said", "the latter") take the most recent named speaker.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Attribution, TextSpan

# Lemmas of verbs that report speech or a position. Speech-act verbs that are
# themselves events (accuse, urge, call on) are also attribution cues: their
# subject is the claimant of what follows.
REPORTING_LEMMAS = frozenset(
    {
        "say", "report", "announce", "claim", "state", "specify", "clarify", "assure", "add",
        "tell", "insist", "confirm", "deny", "warn", "declare", "note", "stress", "underline",
        "write", "explain", "allege", "accuse", "blame", "urge", "call", "assert", "indicate",
        "acknowledge", "admit", "argue", "maintain", "reiterate", "emphasise", "emphasize",
        "mention", "suggest", "tweet", "post", "inform", "quote", "cite", "describe",
        "estimate", "hope", "express", "demand", "reject", "dismiss", "condemn", "threaten",
        "promise", "pledge", "vow", "predict", "believe", "think", "fear", "recall", "testify",
        "respond", "reply", "answer", "comment", "observe", "remark", "concede", "signal",
    }
)
# Verbs that only count as cues with a clausal complement or a quotation
# (otherwise "call" or "post" are too loose).
NEEDS_COMPLEMENT = frozenset({"call", "post", "describe", "express", "hope", "believe", "think", "fear"})
PRONOUNS = frozenset({"he", "she", "it", "they", "latter", "former", "we", "i", "who", "which", "this"})
RELATIVE = frozenset({"which", "who", "that", "whom"})
OPEN_QUOTES = "“\"«‘"
CLOSE_QUOTES = "”\"»’"


def _span_of(tokens: Iterable[Token]) -> tuple[int, int] | None:
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Strip spaces and surrounding punctuation (but not quotes' content)."""
    text = doc.text
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-."):
        end -= 1
    return start, end


CLAUSAL = frozenset({"ccomp", "xcomp", "advcl", "parataxis"})


def _subject(verb: Token) -> list[Token]:
    """The speaker's tokens for a reporting verb (empty when none is expressed)."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            # "a part of the population, which accuses ...": the antecedent speaks
            if child.lower_ in RELATIVE and verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
                own = {t.i for t in verb.subtree}
                return [t for t in verb.head.subtree if t.i not in own and not t.is_punct]
            return list(child.subtree)
    # "the Prime Minister, X, reported that ...": the verb hangs on the speaker noun
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and not infinitive:
        head = verb.head
        drop: set[int] = set()
        for c in head.children:
            if c.dep_ in ("acl", "relcl", "prep", "advcl", "ccomp") or c.i > verb.i:
                drop.update(t.i for t in c.subtree)
        return [t for t in head.subtree if t.i not in drop and t.i < verb.i]
    # inversion after a quotation or clause: "“...”, urged the Ministry", "..., announced X"
    clause_before = any(c.dep_ in CLAUSAL and c.i < verb.i for c in verb.children)
    prev = verb.doc[verb.i - 1] if verb.i > verb.sent.start else None
    if clause_before or (prev is not None and prev.text in "”\",»"):
        for child in verb.children:
            if child.dep_ in ("dobj", "attr", "npadvmod", "nsubjpass", "appos") and child.i > verb.i:
                return list(child.subtree)
    # conjoined verbs share the subject: "X called for ... and undertook mediation"
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)
    return []


def _complement(verb: Token) -> list[Token]:
    after = [c for c in verb.children if c.dep_ in CLAUSAL and c.i > verb.i]
    before = [c for c in verb.children if c.dep_ in CLAUSAL and c.i < verb.i]
    toks: list[Token] = []
    for child in after or before:
        toks.extend(child.subtree)
    if not toks and verb.lemma_ in ("accuse", "blame", "call", "urge", "demand"):
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "for", "on") and child.i > verb.i:
                toks.extend(child.subtree)
    return toks


def _quote_spans(sent: Span) -> list[tuple[int, int]]:
    """Character spans of quotations inside a sentence (content between quotes)."""
    text = sent.doc.text
    out: list[tuple[int, int]] = []
    i, end = sent.start_char, sent.end_char
    while i < end:
        ch = text[i]
        if ch in "“«":
            close = "”" if ch == "“" else "»"
            j = text.find(close, i + 1, end + 200)
            if j == -1:
                break
            out.append((i + 1, j))
            i = j + 1
            continue
        if ch == '"':
            j = text.find('"', i + 1, end + 200)
            if j == -1:
                break
            out.append((i + 1, j))
            i = j + 1
            continue
        i += 1
    return out


def _resolve_source(
    src: tuple[int, int],
    actors: Sequence[Actor],
    recent: list[Actor],
    doc: Doc,
    recent_sent: list[int] | None = None,
    sent_index: int = 0,
) -> Actor | None:
    inside = [a for a in actors if a.span and a.span[0] >= src[0] and a.span[1] <= src[1]]
    if inside:
        order = {"person": 0, "government": 1, "igo": 2, "state_forces": 3, "organisation": 4, "state": 5}
        inside.sort(key=lambda a: (order.get(a.kind or "", 9), a.span[0] if a.span else 0))
        return inside[0]
    words = doc.text[src[0] : src[1]].lower().split()
    if words and (words[-1] in PRONOUNS or words[0] in ("the", "this") and words[-1] == "latter"):
        personal = words[-1] in ("he", "she")
        # the speaker of the sentence just before wins whatever its kind: machine
        # translation renders a ministry ("il") as "he"
        if recent and recent_sent and recent_sent[-1] >= sent_index - 1:
            return recent[-1]
        for cand in reversed(recent):
            if (cand.kind == "person") == personal:
                return cand
        return recent[-1] if recent and not personal else None
    return None


def _salient_subject(sent: Span, actors: Sequence[Actor]) -> Actor | None:
    """The actor in subject position of the sentence's main verb, if any."""
    for c in sent.root.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            lo, hi = c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text)
            inside = [a for a in actors if a.span and a.span[0] >= lo and a.span[1] <= hi]
            if inside:
                return inside[0]
    return None


def find_attributions(doc: Doc, actors: Sequence[Actor]) -> list[Attribution]:
    """All attributions in ``doc``; ``actors`` are the document's actor mentions."""
    out: list[Attribution] = []
    recent: list[Actor] = []
    recent_sent: list[int] = []
    for si, sent in enumerate(doc.sents):
        quotes = _quote_spans(sent)
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in REPORTING_LEMMAS:
                continue
            lemma = tok.lemma_.lower()
            comp = _complement(tok)
            if lemma in NEEDS_COMPLEMENT and not comp and not quotes:
                continue
            subj = _subject(tok)
            src = _span_of(subj)
            if src is not None:
                src = _trim(doc, *src)
            content: tuple[int, int] | None = None
            if comp:
                content = _span_of(comp)
            elif quotes:
                # the quotation nearest the cue
                content = min(quotes, key=lambda q: min(abs(q[0] - tok.idx), abs(q[1] - tok.idx)))
            elif tok.dep_ in ("parataxis", "advcl", "ccomp") or (tok.dep_ == "ROOT" and subj):
                # parenthetical "X, he said, did Y": the content is the rest of the sentence
                own = {t.i for t in tok.subtree}
                rest = [t for t in sent if t.i not in own and not t.is_punct]
                content = _span_of(rest)
            if content is None:
                continue
            content = _trim(doc, *content)
            if content[1] <= content[0]:
                continue
            speaker = _resolve_source(src, actors, recent, doc, recent_sent, si) if src else None
            if speaker is not None:
                recent.append(speaker)
                recent_sent.append(si)
            out.append(
                Attribution(
                    source=TextSpan(doc.text[src[0] : src[1]], src) if src else None,
                    cue=TextSpan(tok.text, (tok.idx, tok.idx + len(tok.text))),
                    content=TextSpan(doc.text[content[0] : content[1]], content),
                    speaker=speaker,
                )
            )
        subj_actor = _salient_subject(sent, actors)
        if subj_actor is not None and (not recent or recent[-1] is not subj_actor):
            recent.append(subj_actor)
            recent_sent.append(si)
        # "according to X": X is the source of the whole sentence
        for tok in sent:
            if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                pobj = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
                if not pobj:
                    continue
                src = _trim(doc, *(_span_of(pobj[0].subtree) or (0, 0)))
                phrase = set(range(tok.i, pobj[0].right_edge.i + 1))
                rest = [t for t in sent if t.i not in phrase and not t.is_punct]
                content = _span_of(rest)
                if content is None:
                    continue
                content = _trim(doc, *content)
                speaker = _resolve_source(src, actors, recent, doc, recent_sent, si)
                if speaker is not None:
                    recent.append(speaker)
                    recent_sent.append(si)
                out.append(
                    Attribution(
                        source=TextSpan(doc.text[src[0] : src[1]], src),
                        cue=TextSpan("according to", (tok.idx, doc[tok.i + 1].idx + 2)),
                        content=TextSpan(doc.text[content[0] : content[1]], content),
                        speaker=speaker,
                    )
                )
    return out
