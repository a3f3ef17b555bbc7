"""The one rule for the language of a text to a resident: their first language with a text, else Dutch."""

from veerkracht.core import text_language

CANCELLED = "%(title)s on %(when)s has been cancelled. We are sorry."


def test_the_first_of_the_persons_languages_with_texts_else_dutch():
    assert text_language.language_for(["ber", "tr", "ar"]) == "tr"  # Tamazight has no texts: the next one
    assert text_language.language_for(["ar-MA"]) == "ar"
    assert text_language.language_for(["ber", "so"]) == "nl"
    assert text_language.language_for([]) == "nl"


def test_a_text_exists_only_where_the_catalogue_itself_holds_it():
    assert text_language.translated(CANCELLED, "tr") == "%(when)s tarihindeki %(title)s iptal edildi. Üzgünüz."
    assert text_language.translated(CANCELLED, "en") == CANCELLED  # the message ids are English
    missing = "A sentence no catalogue has."
    assert text_language.translated(missing, "tr") is None  # Django itself would answer in Dutch
    assert text_language.language_for(["tr", "en"], text_language.has_texts(missing)) == "en"
    assert text_language.language_for(["tr"], text_language.has_texts(missing)) == "nl"


def test_a_registrants_form_language_comes_first_unless_it_is_only_the_default():
    assert text_language.registrant_languages("tr", ["ar"]) == ["tr", "ar"]
    assert text_language.registrant_languages("nl", ["ar"]) == ["ar"]  # a worker registered them
    assert text_language.registrant_languages("nl", None) == []


def test_arabic_reads_right_to_left():
    assert text_language.is_rtl_language("ar")
    assert not text_language.is_rtl_language("tr")
