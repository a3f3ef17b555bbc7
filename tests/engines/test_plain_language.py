"""The plain-language hint: sentence length and long words, never a refusal."""

from hypothesis import given
from hypothesis import strategies as st

from veerkracht.engines.plain_language import MAX_WORDS, plain_language_check, sentences_of


def test_short_sentences_are_plain():
    report = plain_language_check("Hallo {first_name}. Kom je koffie drinken? Het is op zaterdag om 10.30 uur!")
    assert report.plain
    assert report.sentences == 3
    assert report.average_words == 4.3


def test_a_long_sentence_is_named_with_its_word_count():
    long = "Wij nodigen u van harte uit om op zaterdag samen met andere buren uit de flat koffie te drinken"
    report = plain_language_check(f"Hallo. {long}.")
    assert [(sentence.words, sentence.text) for sentence in report.long_sentences] == [(19, long)]


def test_times_and_amounts_do_not_end_a_sentence():
    text = "Om 14.30 uur begint het. Kosten: 2,50 euro."
    assert sentences_of(text) == ["Om 14.30 uur begint het", "Kosten: 2,50 euro"]


def test_very_long_words_are_named():
    report = plain_language_check("Vraag uw vrijwilligersvergoeding aan bij het gemeentehuis.")
    assert report.long_words == ["vrijwilligersvergoeding"]


@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=8))
def test_sentences_of_n_words_are_counted_exactly(lengths):
    text = " ".join(" ".join(["woord"] * length) + "." for length in lengths)
    report = plain_language_check(text)
    assert report.sentences == len(lengths)
    assert [sentence.words for sentence in report.long_sentences] == [n for n in lengths if n > MAX_WORDS]
