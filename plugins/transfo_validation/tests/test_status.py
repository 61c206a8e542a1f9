"""The one status vocabulary: French and English words mean the same code, per kind."""

import pytest
from transfo_validation.fields import FieldError, ParseContext
from transfo_validation.status import (
    article_statuses,
    dossier_statuses,
    event_statuses,
    offer_statuses,
    page_statuses,
    status_code,
    status_field,
)

CTX = ParseContext(content_root=None, source_path=None)

# (kind's vocabulary, French words, English or older words, the code they all mean)
SAME_MEANING = [
    (article_statuses(), ("brouillon", "Brouillon", " BROUILLON "), ("draft", "Draft"), "draft"),
    (article_statuses(), ("publié", "publie", "Publiée"), ("published",), "published"),
    (page_statuses(), ("masquée", "caché"), ("hidden",), "hidden"),
    (dossier_statuses(), ("brouillon",), ("draft",), "draft"),
    (event_statuses(), ("publié", "prévu"), ("planned", "published"), "published"),
    (event_statuses(), ("annulé", "annulée"), ("cancelled", "canceled"), "cancelled"),
    (event_statuses(), ("reporté", "Reportee"), ("postponed",), "postponed"),
    (event_statuses(), ("passé en ligne", "passee_en_ligne"), ("moved-online",), "moved-online"),
    (event_statuses(), ("brouillon",), ("draft",), "draft"),
    (offer_statuses(), ("publiée", "ouverte", "Ouvert"), ("open", "published"), "published"),
    (offer_statuses(), ("pourvue",), ("filled",), "filled"),
    (offer_statuses(), ("clôturée", "cloturee", "annulée"), ("closed",), "closed"),
    (offer_statuses(), ("brouillon",), ("draft",), "draft"),
]


@pytest.mark.parametrize("terms,french,english,code", SAME_MEANING)
def test_french_and_english_words_mean_one_code(terms, french, english, code):
    field = status_field(terms)
    assert {field.parse(word, CTX) for word in (*french, *english)} == {code}
    assert {status_code(terms, word) for word in (*french, *english)} == {code}


def test_absent_status_is_published_and_unknown_words_are_none():
    assert status_code(article_statuses(), None) == "published"
    assert status_code(article_statuses(), "  ") == "published"
    assert status_code(article_statuses(), "relecture") is None


@pytest.mark.parametrize("terms,word", [
    (article_statuses(), "annulé"),  # an event's word, not an article's
    (article_statuses(), "masquée"),  # pages only
    (page_statuses(), "pourvue"),
    (event_statuses(), "clôturée"),  # an offer's word
    (offer_statuses(), "reporté"),
])
def test_each_kind_takes_only_its_own_words(terms, word):
    with pytest.raises(FieldError) as error:
        status_field(terms).parse(word, CTX)
    assert f"« {word} » inconnu ; attendu : une valeur parmi " in str(error.value)


def test_messages_list_the_french_words_of_the_kind():
    assert status_field(event_statuses()).expected == (
        "une valeur parmi publié, annulé, reporté, passé en ligne, brouillon")
    assert status_field(offer_statuses()).expected == (
        "une valeur parmi publié, pourvue, clôturée, brouillon")
    assert status_field(page_statuses()).options == ("publié", "masquée", "brouillon")
