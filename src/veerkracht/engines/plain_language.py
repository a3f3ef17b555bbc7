"""A plain-language hint for people writing to residents: sentences that are too long.

Dutch guidance for taalniveau B1 (the level most residents read comfortably; Rijksoverheid's
"Direct duidelijk", Stichting Makkelijk Lezen) keeps sentences to about fifteen words and words to
a few syllables. This is a hint, never a refusal: names and addresses may make a sentence long.
"""

import re
from dataclasses import dataclass

MAX_WORDS = 15
LONG_WORD_LETTERS = 14  # "gemeentehuis" passes, "vrijwilligersvergoeding" does not

# A sentence ends at . ! ? or a line break; a full stop inside a number or time ("14.30") does not end it.
_SENTENCE_END = re.compile(r"(?<!\d)[.!?]+(?!\d)|\n+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+(?:[.:,]\d+)*")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int


@dataclass(frozen=True)
class PlainLanguageReport:
    sentences: int
    average_words: float
    long_sentences: list[Sentence]  # more than MAX_WORDS words
    long_words: list[str]

    @property
    def plain(self) -> bool:
        return not self.long_sentences and not self.long_words


def sentences_of(text: str) -> list[str]:
    """The sentences of a text, stripped, without empty ones; placeholders count as one word."""
    flat = _PLACEHOLDER.sub("x", text)
    return [part.strip() for part in _SENTENCE_END.split(flat) if part.strip()]


def plain_language_check(text: str, *, max_words: int = MAX_WORDS) -> PlainLanguageReport:
    """Count the words of each sentence; list the sentences over ``max_words`` and the very long words."""
    counted = [Sentence(sentence, len(_WORD.findall(sentence))) for sentence in sentences_of(text)]
    counted = [sentence for sentence in counted if sentence.words]
    words = [word for word in _WORD.findall(_PLACEHOLDER.sub("x", text)) if not word[0].isdigit()]
    long_words = sorted({word for word in words if len(word) >= LONG_WORD_LETTERS and "-" not in word})
    total = sum(sentence.words for sentence in counted)
    return PlainLanguageReport(
        sentences=len(counted),
        average_words=round(total / len(counted), 1) if counted else 0.0,
        long_sentences=[sentence for sentence in counted if sentence.words > max_words],
        long_words=long_words,
    )
