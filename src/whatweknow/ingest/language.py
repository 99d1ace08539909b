"""Language identification with py3langid (model loaded lazily, once per process)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# Fewer letters than this and the guess is noise: say "unknown" instead.
MIN_LETTERS = 40
MIN_WORDS = 6
MIN_CONFIDENCE = 0.6
# Enough text to decide; classifying a whole long article only costs time.
MAX_CHARS = 4000

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or ``None`` when the text is too
    short or the model is unsure (a wrong language is worse than none)."""
    sample = text[:MAX_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS or len(_WORD.findall(sample)) < MIN_WORDS:
        return None
    lang, conf = _identifier().classify(sample)
    if conf < MIN_CONFIDENCE:
        return None
    return str(lang)
