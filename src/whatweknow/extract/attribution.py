"""Attribution: who says what.

For every reporting cue in a sentence ("X said", "X accused Y of", "according to
X", a quotation followed by "said X") we find the *source* (the speaker), the
*cue* and the *content* (what is asserted), and resolve the source to an
:class:`~whatweknow.model.Actor` where the actors found in the document allow.
Pronoun sources ("he said", "the latter") take the most recent named speaker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Attribution, TextSpan
from .docutil import doc_text, sentence_of, sentences

# Lemmas of verbs that report speech or a position. Speech-act verbs that are
# themselves events (accuse, urge, call on) are also attribution cues: their
# subject is the claimant of what follows.
REPORTING_LEMMAS = frozenset(
    {
        "say",
        "report",
        "announce",
        "claim",
        "state",
        "specify",
        "clarify",
        "assure",
        "add",
        "tell",
        "insist",
        "confirm",
        "deny",
        "warn",
        "declare",
        "note",
        "stress",
        "underline",
        "write",
        "explain",
        "allege",
        "accuse",
        "blame",
        "urge",
        "call",
        "assert",
        "indicate",
        "acknowledge",
        "admit",
        "argue",
        "maintain",
        "reiterate",
        "emphasise",
        "emphasize",
        "mention",
        "suggest",
        "tweet",
        "post",
        "inform",
        "quote",
        "cite",
        "describe",
        "estimate",
        "hope",
        "express",
        "demand",
        "reject",
        "dismiss",
        "condemn",
        "threaten",
        "promise",
        "pledge",
        "vow",
        "predict",
        "believe",
        "think",
        "fear",
        "recall",
        "testify",
        "respond",
        "reply",
        "answer",
        "comment",
        "observe",
        "remark",
        "concede",
        "signal",
    }
)
# Verbs that only count as cues with a clausal complement or a quotation
# (otherwise "call" or "post" are too loose).
NEEDS_COMPLEMENT = frozenset(
    {"call", "post", "describe", "express", "hope", "believe", "think", "fear", "respond", "reply", "answer"}
)
PRONOUNS = frozenset({"he", "she", "it", "they", "latter", "former", "we", "i", "who", "which", "this"})
RELATIVE = frozenset({"which", "who", "that", "whom"})
# Verbs whose object noun phrase is what was said: "reported 400 violations", "denied involvement".
NP_CONTENT = frozenset({"report", "confirm", "announce", "claim", "deny", "acknowledge", "admit", "allege"})
# "rejected accusations that ...": these verbs only report with an object that is itself a statement.
STATEMENT_OBJECT = frozenset({"reject", "dismiss", "refute"})
STATEMENT_NOUNS = frozenset(
    {
        "accusation",
        "allegation",
        "claim",
        "charge",
        "report",
        "statement",
        "assertion",
        "suggestion",
        "rumour",
        "rumor",
        "assessment",
        "finding",
        "conclusion",
        "version",
        "account",
    }
)
# Verbs taking the accused/addressee as object before the content: "accused X of Y", "urged X to Y".
OBJECT_FIRST = frozenset({"accuse", "blame", "urge", "call", "demand", "warn", "tell", "ask"})
# Subordinators that make an adverbial clause circumstance, not reported content.
CIRCUMSTANCE_MARKS = frozenset(
    {
        "while",
        "as",
        "when",
        "after",
        "before",
        "because",
        "since",
        "although",
        "though",
        "until",
        "whereas",
        "if",
    }
)
WH_WORDS = frozenset({"where", "whether", "how", "who", "what", "when", "why", "which", "if"})
# Prepositions of the medium or setting of a statement ("said in a statement", "wrote on X").
MEDIUM_PREPS = frozenset({"in", "on", "at", "during", "via", "through", "after", "before", "from"})
OPEN_QUOTES = '“"«‘'
CLOSE_QUOTES = '”"»’'


def _span_of(tokens: Iterable[Token]) -> tuple[int, int] | None:
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Strip spaces and surrounding punctuation (but not quotes' content)."""
    text = doc_text(doc)
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-."):
        end -= 1
    return start, end


CLAUSAL = frozenset({"ccomp", "xcomp", "advcl", "parataxis"})


def _is_reporting(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in REPORTING_LEMMAS


def _participial_report(tok: Token) -> bool:
    """ "..., adding that ...", "..., saying ...": a reporting participle without its own subject."""
    return (
        tok.tag_ == "VBG"
        and tok.dep_ in ("advcl", "xcomp", "pcomp", "conj")
        and _is_reporting(tok)
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
    )


def _clean_source(verb: Token, head: Token, tokens: Iterable[Token]) -> list[Token]:
    """The speaker phrase without relative clauses, participial modifiers ("speaking on
    condition of anonymity", "who asked not to be named") or anything past the cue."""
    drop: set[int] = set()
    for c in head.subtree:
        # "A senior official in Kabul, who asked not to be named": the clause may hang on
        # any word of the phrase
        if c.dep_ == "relcl" or (c.head.i == head.i and c.dep_ == "acl" and c.tag_ in ("VBG", "VBN")):
            drop.update(t.i for t in c.subtree)
    before = head.i < verb.i
    kept = [t for t in tokens if t.i not in drop and (t.i < verb.i if before else t.i > verb.i)]
    if drop and kept:
        # "A resident, who asked not to be named, said": the run of words around the head,
        # without the commas that set the clause off
        runs: list[list[Token]] = [[kept[0]]]
        for t in kept[1:]:
            if t.i == runs[-1][-1].i + 1:
                runs[-1].append(t)
            else:
                runs.append([t])
        kept = next((r for r in runs if any(t.i == head.i for t in r)), kept)
        while kept and kept[-1].is_punct:
            kept = kept[:-1]
    return kept


def _subject(verb: Token) -> list[Token]:
    """The speaker's tokens for a reporting verb (empty when none is expressed)."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            # "a part of the population, which accuses ...": the antecedent speaks
            if child.lower_ in RELATIVE and verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
                own = {t.i for t in verb.subtree}
                return _clean_source(
                    verb, verb.head, [t for t in verb.head.subtree if t.i not in own and not t.is_punct]
                )
            return _clean_source(verb, child, child.subtree)
    # "Speaking on condition of anonymity, a Western diplomat said": the parser hangs the
    # speaker on the participle's phrase
    for c in verb.children:
        if c.dep_ == "advcl" and c.tag_ == "VBG" and c.i < verb.i:
            appos = [t for t in c.subtree if t.dep_ == "appos" and max(x.i for x in t.subtree) == verb.i - 1]
            if appos:
                return _clean_source(verb, appos[0], appos[0].subtree)
    # "As reported the Ministry of Defence, ...": machine-translated inversion after "as"
    if any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        for child in verb.children:
            if child.dep_ in ("dobj", "attr", "nsubjpass", "npadvmod") and child.i > verb.i:
                return _clean_source(verb, child, child.subtree)
    # "..., adding that ...", "was quoted as saying": the subject of the governing clause
    if _participial_report(verb):
        # the nearest governing reporting verb's speaker, else the nearest subject above:
        # "X said it had struck Y, adding that ..." (the parser hangs "adding" on "struck")
        chain = [a for a in verb.ancestors][:5]
        ranked = [a for a in chain if _is_reporting(a)] + chain
        for anc in ranked:
            subj = [c for c in anc.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i]
            if subj:
                return _clean_source(verb, subj[0], subj[0].subtree)
    # "the Prime Minister, X, reported that ...": the verb hangs on the speaker noun
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and not infinitive and verb.tag_ != "VBG":
        head = verb.head
        drop: set[int] = set()
        for c in head.children:
            if c.dep_ in ("acl", "relcl", "prep", "advcl", "ccomp") or c.i > verb.i:
                drop.update(t.i for t in c.subtree)
        return [t for t in head.subtree if t.i not in drop and t.i < verb.i]
    # inversion after a quotation or clause: "“...”, urged the Ministry", "..., announced X"
    clause_before = any(c.dep_ in CLAUSAL and c.i < verb.i for c in verb.children)
    prev = verb.doc[verb.i - 1] if verb.i > sentence_of(verb).start else None
    if clause_before or (prev is not None and prev.text in '”",»'):
        for child in verb.children:
            if child.dep_ in ("dobj", "attr", "npadvmod", "nsubjpass", "appos") and child.i > verb.i:
                return _clean_source(verb, child, child.subtree)
    # conjoined verbs share the subject: "X called for ... and undertook mediation"
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)
    return []


def _is_content_clause(child: Token) -> bool:
    if child.dep_ not in CLAUSAL:
        return False
    if child.dep_ == "advcl":
        if _participial_report(child):
            return False  # "said X, adding Y": a second attribution, not part of the first
        if any(c.dep_ in ("mark", "advmod") and c.lower_ in CIRCUMSTANCE_MARKS for c in child.children):
            return False
        if child.tag_ in ("VBG", "VBN") and not any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children):
            return False  # "..., raising fears of ...": a circumstance
    return True


def _nested_participles(tokens: list[Token]) -> set[int]:
    """Tokens of reporting participles ("adding that ...") nested in a content clause."""
    out: set[int] = set()
    for t in tokens:
        if _participial_report(t) and t.dep_ == "advcl":
            sub = list(t.subtree)
            out.update(x.i for x in sub)
            left = t.doc[sub[0].i - 1] if sub[0].i > 0 else None
            if left is not None and left.is_punct:
                out.add(left.i)
    return out


def _complement(verb: Token) -> list[Token]:
    after = [c for c in verb.children if _is_content_clause(c) and c.i > verb.i]
    before = [c for c in verb.children if _is_content_clause(c) and c.i < verb.i]
    toks: list[Token] = []
    for child in after or before:
        toks.extend(child.subtree)
    lemma = verb.lemma_.lower()
    if not toks:
        # "said in a statement that the strike ...", "told a press briefing that ...": the
        # parser hangs the clause on the medium or the audience
        nouns = [
            c
            for c in verb.children
            if c.dep_ == "dobj" and c.i > verb.i and c.lemma_.lower() not in STATEMENT_NOUNS
        ]  # "rejected accusations that ...": the accusation is the content (below)
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in MEDIUM_PREPS):
            nouns.extend(c for c in prep.children if c.dep_ == "pobj")
        for noun in nouns:
            for clause in noun.children:
                if clause.dep_ in ("acl", "relcl") and any(
                    m.dep_ == "mark" and m.lower_ == "that" for m in clause.children
                ):
                    toks.extend(clause.subtree)
    # "called on the militia to lay down its weapons": the one called on is in the content
    if lemma == "call" and any(c.dep_ == "xcomp" for c in verb.children):
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "on" and c.i > verb.i):
            toks.extend(t for t in prep.subtree if t.i != prep.i)
    # "urged all parties to ...", "told reporters that ...": keep the addressee only when
    # the content is a to-infinitive ("urged X to", "called on X to")
    if lemma in OBJECT_FIRST and toks and lemma != "tell" and any(c.dep_ == "xcomp" for c in verb.children):
        for c in verb.children:
            if c.dep_ in ("dobj", "dative") and c.i > verb.i:
                toks.extend(c.subtree)
    if not toks and lemma in OBJECT_FIRST:
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "for", "on") and child.i > verb.i:
                toks.extend(child.subtree)
        if lemma in ("accuse", "blame"):
            for child in verb.children:
                if child.dep_ == "dobj" and child.i > verb.i:
                    toks.extend(child.subtree)
    if not toks and (
        lemma in NP_CONTENT
        or (
            lemma in STATEMENT_OBJECT
            and any(c.dep_ == "dobj" and c.lemma_.lower() in STATEMENT_NOUNS for c in verb.children)
        )
    ):
        for child in verb.children:
            if child.dep_ == "dobj" and child.i > verb.i:
                own = list(child.subtree)
                # "claimed responsibility for the attack in a statement posted online"
                cut = [
                    t for t in own if t.dep_ == "prep" and t.lower_ in MEDIUM_PREPS and t.head.i != child.i
                ]
                drop = {x.i for c in cut for x in c.subtree}
                toks.extend(t for t in own if t.i not in drop)
    if toks:
        nested = _nested_participles(toks)
        toks = [t for t in toks if t.i not in nested]
    return toks


def _is_parenthetical(verb: Token) -> bool:
    """ "X, he said, did Y" / "X did Y, the envoy acknowledged": a cue set off from its content."""
    for c in verb.children:
        if c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp", "oprd") and verb.lemma_.lower() != "tell":
            return False
        if c.dep_ == "prep" and c.lower_ not in MEDIUM_PREPS and c.lower_ != "to":
            return False
        if c.dep_ == "prep" and c.lower_ == "to" and verb.lemma_.lower() not in ("say", "tell"):
            return False
    return True


def _strip_that(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
    """Drop a leading complementiser: "that the army ..." -> "the army ..."."""
    text = doc_text(doc)
    if text[span[0] : span[0] + 5].lower() == "that " and span[1] > span[0] + 5:
        tok = doc.char_span(span[0], span[0] + 4)
        if tok is not None and len(tok) == 1 and tok[0].dep_ == "mark":
            return span[0] + 5, span[1]
    return span


def _quote_spans(sent: Span) -> list[tuple[int, int]]:
    """Character spans of quotations inside a sentence (content between quotes)."""
    text = doc_text(sent.doc)
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
    words = doc_text(doc)[src[0] : src[1]].lower().split()
    if words and (words[-1] in PRONOUNS or (words[0] in ("the", "this") and words[-1] == "latter")):
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


def _as_clause(tok: Token) -> bool:
    """ "As reported the ministry, ..." / "as X said, ...": an "as" clause framing the sentence."""
    return tok.dep_ in ("advcl", "ROOT") and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)


def _is_cue(tok: Token) -> bool:
    if _is_reporting(tok):
        return True
    # tagger slips on machine-translated inversions: "As informs the press service ..."
    return tok.lemma_.lower() in REPORTING_LEMMAS and _as_clause(tok)


# after the cue of a split quotation: the speaker, then ', "' and the quotation's second part
_QUOTE_GOES_ON = re.compile(r'(?:\b[A-Z][a-z]{0,3}\.|[^.!?"“”]){0,120}?,\s*[“"]([^”"]{1,400})(?=[”"])')


def _split_quotation(
    text: str, content: tuple[int, int], tok: Token, quotes: list[tuple[int, int]]
) -> tuple[int, int]:
    """'"We will respond," said X, "and it will be painful."': one quotation split by its cue
    runs from its first quoted word to its last."""
    first = next((q for q in quotes if q[0] <= content[0] and content[1] <= q[1] and q[1] <= tok.idx), None)
    if first is None or "," not in text[max(first[0], first[1] - 2) : first[1] + 1]:
        return content
    rest = _QUOTE_GOES_ON.match(text, tok.idx + len(tok.text))
    return (content[0], rest.end(1)) if rest is not None else content


def _content_for(
    tok: Token, sent: Span, subj: list[Token], quotes: list[tuple[int, int]]
) -> list[Token] | tuple[int, int] | None:
    """The content of cue ``tok``: tokens, a character span (a quotation), or None."""
    own = {t.i for t in tok.subtree}
    if _as_clause(tok) and tok.dep_ != "ROOT":
        return [t for t in tok.head.subtree if t.i not in own and not t.is_punct]
    comp = _complement(tok)
    lemma = tok.lemma_.lower()
    negated = any(c.dep_ == "neg" for c in tok.children)
    if negated and comp and max(t.i for t in comp) < tok.i:
        return None  # "...; Hezbollah did not immediately comment": nothing said about it
    if comp:
        first = min(comp, key=lambda t: t.i)
        if first.lower_ == "whether" or (
            first.lower_ in WH_WORDS and any(c.dep_ == "neg" for c in tok.children)
        ):
            return None  # "did not say where ...", "asked whether ...": no assertion
        return comp
    if lemma in NEEDS_COMPLEMENT and not quotes:
        return None
    if negated:
        return None  # "Hezbollah did not immediately comment": nothing said
    if quotes:
        # the quotation nearest the cue
        return min(quotes, key=lambda q: min(abs(q[0] - tok.idx), abs(q[1] - tok.idx)))
    if not subj or not _is_parenthetical(tok):
        return None
    if tok.dep_ == "ROOT":
        rest = [t for t in sent if t.i not in own and not t.is_punct]
        return rest
    if tok.dep_ == "relcl" and subj[0].lower_ not in RELATIVE:
        # "Eritrean troops have not left Tigray, the envoy acknowledged": a misparsed trailing cue
        left = min(t.i for t in subj)
        return [t for t in sent if t.i < left and not t.is_punct]
    if tok.dep_ in ("parataxis", "advcl", "ccomp"):
        # parenthetical "X, he said, did Y": the content is the clause the cue interrupts
        return [t for t in tok.head.subtree if t.i not in own and not t.is_punct]
    return None


_MEDIUM_NOUNS = frozenset(
    {"statement", "report", "post", "communique", "communiqué", "release", "tweet", "video", "message"}
)
# "..., according to X, although Y said Z": the content is X's clause, not Y's
_CONTRAST = re.compile(r",\s*(?:although|though|while|whereas|but)\b", re.I)


def _phrase_sources(sent: Span) -> list[tuple[Token, Token, list[Token]]]:
    """ "according to X", "in X's words", "in the words of X": (first cue token, last cue token,
    source tokens)."""
    doc = sent.doc
    out: list[tuple[Token, Token, list[Token]]] = []
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to":
            pobj = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
            if pobj:
                src = pobj[0]
                # "according to a statement from UNIFIL": the one who issued it
                if src.lemma_.lower() in _MEDIUM_NOUNS:
                    by = [
                        g
                        for c in src.children
                        if c.dep_ == "prep" and c.lower_ in ("from", "by", "of")
                        for g in c.children
                        if g.dep_ == "pobj"
                    ]
                    src = by[0] if by else src
                out.append((tok, doc[tok.i + 1], list(src.subtree)))
        elif tok.lower_ == "words" and tok.dep_ == "pobj" and tok.head.lower_ == "in":
            poss = [c for c in tok.children if c.dep_ == "poss"]
            of = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
            if poss:
                out.append((tok.head, tok, list(poss[0].subtree)))
            elif of:
                pobj = [c for c in of[0].children if c.dep_ == "pobj"]
                if pobj:
                    out.append((tok.head, of[0], list(pobj[0].subtree)))
    return out


_COORDINATOR_BEFORE = re.compile(r"\s*(?:[,;]\s*)?(?:while|whereas|but|and)?\s*$", re.I)
_AND_BEFORE = re.compile(r"(?:,\s*)?\band\s*$", re.I)


def _split_coordinated(doc: Doc, out: list[Attribution], first: int) -> None:
    """Two speakers (or two cues of one) joined in a sentence: "X said A, while Y told
    reporters B", "X told a press conference A, and insisted that B". The first content
    ends where the second clause begins; a second cue with no subject of its own ("and
    insisted") has the first one's speaker."""
    text = doc_text(doc)
    mine = out[first:]
    for i, a in enumerate(mine):
        for b in mine[i + 1 :]:
            c0, c1 = a.content.span
            if not (c0 < b.cue.span[0] < c1) or b.cue.span[0] <= a.cue.span[1]:
                continue
            joined = bool(_AND_BEFORE.search(text[a.cue.span[1] : b.cue.span[0]]))  # "..., and insisted"
            own_source = (
                not joined and b.source is not None and a.cue.span[1] < b.source.span[0] < b.cue.span[0]
            )
            clause_start = b.source.span[0] if own_source and b.source is not None else b.cue.span[0]
            head = text[c0:clause_start]
            if not re.search(r"(?:[,;]\s*(?:while|whereas|but|and)|;|\b(?:while|whereas))\s*$", head):
                continue  # nested reporting ("said Russia had claimed that ..."): keep it whole
            m = _COORDINATOR_BEFORE.search(head)
            cut = c0 + (m.start() if m else len(head))
            if cut <= c0:
                continue
            a.content = TextSpan(text[c0:cut], (c0, cut))
            if joined:
                b.source = a.source
                b.speaker = a.speaker


def find_attributions(doc: Doc, actors: Sequence[Actor]) -> list[Attribution]:
    """All attributions in ``doc``; ``actors`` are the document's actor mentions."""
    out: list[Attribution] = []
    recent: list[Actor] = []
    recent_sent: list[int] = []
    text = doc_text(doc)

    def emit(src: tuple[int, int] | None, cue: tuple[int, int], content: tuple[int, int], si: int) -> None:
        speaker = _resolve_source(src, actors, recent, doc, recent_sent, si) if src else None
        if speaker is not None:
            recent.append(speaker)
            recent_sent.append(si)
        out.append(
            Attribution(
                source=TextSpan(text[src[0] : src[1]], src) if src else None,
                cue=TextSpan(text[cue[0] : cue[1]], cue),
                content=TextSpan(text[content[0] : content[1]], content),
                speaker=speaker,
            )
        )

    for si, sent in enumerate(sentences(doc)):
        first_of_sentence = len(out)
        quotes = _quote_spans(sent)
        for tok in sent:
            if not _is_cue(tok):
                continue
            subj = _subject(tok)
            found = _content_for(tok, sent, subj, quotes)
            if found is None:
                continue
            content = found if isinstance(found, tuple) else _span_of(found)
            if content is None:
                continue
            if any(q[0] <= tok.idx < q[1] and q[0] <= content[0] and content[1] <= q[1] for q in quotes):
                continue  # '"We will respond to every violation," said X': a word of the quotation
            if tok.dep_ == "pcomp" and tok.head.lower_ == "without":
                continue  # "without saying where": nothing said
            content = _split_quotation(text, content, tok, quotes)
            content = _strip_that(doc, _trim(doc, *content))
            if content[1] <= content[0]:
                continue
            src = _span_of(subj)
            if src is not None:
                src = _trim(doc, *src)
                if src[1] <= src[0]:
                    src = None
            cue_end = tok.idx + len(tok.text)
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if (
                tok.lemma_.lower() == "call"
                and nxt is not None
                and nxt.lower_ in ("on", "for")
                and nxt.head == tok
            ):
                cue_end = nxt.idx + len(nxt.text)  # "called on", "called for"
            emit(src, (tok.idx, cue_end), content, si)
        _split_coordinated(doc, out, first_of_sentence)
        subj_actor = _salient_subject(sent, actors)
        if subj_actor is not None and (not recent or recent[-1] is not subj_actor):
            recent.append(subj_actor)
            recent_sent.append(si)
        # "according to X": X is the source of the whole sentence
        for first, last, src_toks in _phrase_sources(sent):
            src_span = _span_of(src_toks)
            if src_span is None:
                continue
            src = _trim(doc, *src_span)
            phrase = set(range(first.i, max(last.i, max(t.i for t in src_toks)) + 1))
            rest = [t for t in sent if t.i not in phrase and not t.is_punct]
            after = text[last.idx : sent.end_char]
            contrast = _CONTRAST.search(after)
            if contrast is not None:
                stop = last.idx + contrast.start()
                rest = [t for t in rest if t.idx < stop]
            rest_span = _span_of(rest)
            if rest_span is None:
                continue
            content = _trim(doc, *rest_span)
            emit(src, (first.idx, last.idx + len(last.text)), content, si)
    return out
