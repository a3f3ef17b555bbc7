"""Card codes: four characters a winner can shout from a balcony and a caller can type on a phone.

Letters and digits alternate (``K7M3``). Left out are characters that look alike on paper
(0/O/Q/D, 1/I/L/J, 2/Z, 5/S, 6/G, 8/B) and letters whose Dutch names rhyme and are easily
misheard across a courtyard (bee, cee, dee, gee, pee, tee, wee; aa, haa; en, es). The seven
letters left sound different in Dutch: E (ee), F (ef), K (kaa), M (em), R (er), U (uu), X (iks).
"""

import random
import re

LETTERS = "EFKMRUX"
DIGITS = "3479"
CODE_LENGTH = 4
CODE_SPACE = (len(LETTERS) * len(DIGITS)) ** (CODE_LENGTH // 2)  # 784: room for the 500 cards of a game
_SEPARATORS = re.compile(r"[\s\-.]")


def _code(number: int) -> str:
    """The ``number``-th code (0 <= number < CODE_SPACE): letter, digit, letter, digit."""
    characters = []
    for _pair in range(CODE_LENGTH // 2):
        number, pair = divmod(number, len(LETTERS) * len(DIGITS))
        letter, digit = divmod(pair, len(DIGITS))
        characters += [LETTERS[letter], DIGITS[digit]]
    return "".join(characters)


def card_codes(n: int, seed: int) -> list[str]:
    """``n`` distinct codes, the same for the same seed; ValueError above CODE_SPACE."""
    if not 0 <= n <= CODE_SPACE:
        raise ValueError(f"between 0 and {CODE_SPACE} codes (got {n})")
    rng = random.Random(f"veerkracht.bingo.codes:{seed}")  # noqa: S311 - a game, not a secret
    return [_code(number) for number in rng.sample(range(CODE_SPACE), n)]


def normalised_code(text: str) -> str:
    """What a caller typed, as stored: ``" k7-m3 "`` → ``"K7M3"``."""
    return _SEPARATORS.sub("", text or "").upper()[:20]
