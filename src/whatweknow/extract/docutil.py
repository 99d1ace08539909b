"""Cheap access to a Doc's text and sentences.

``Doc.text`` rebuilds the string from every token on each call, and
``Token.sent`` walks the sentence boundaries each time: both are O(document)
and, called per token or per sentence, dominate the pipeline's cost. These
helpers compute them once per document and keep them in ``doc.user_data``.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span, Token

_TEXT = "wwk.text"
_SENTS = "wwk.sents"
_STARTS = "wwk.sent_starts"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per document."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.text
        doc.user_data[_TEXT] = text
    return text


def remember_text(doc: Doc, text: str) -> None:
    """Record the text a Doc was made from (the tokenizer keeps every character, so it is
    ``doc.text``), sparing :func:`doc_text` the rebuild."""
    doc.user_data[_TEXT] = text


def sentences(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, computed once per document (after the parser has run)."""
    sents = doc.user_data.get(_SENTS)
    if sents is None:
        sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        doc.user_data[_SENTS] = sents
        doc.user_data[_STARTS] = [s.start for s in sents]
    return sents


def sentence_of(token: Token) -> Span:
    """The sentence holding ``token`` (``token.sent`` without the walk)."""
    doc = token.doc
    sents = sentences(doc)
    starts: list[int] = doc.user_data[_STARTS]
    return sents[max(0, bisect_right(starts, token.i) - 1)]
