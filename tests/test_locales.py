"""Choosing a language in the browser (py_src/userflow/pure/locales.py); back to back in V8 in
test_back_to_back.py."""

import pytest

from userflow.pure.locales import ENGLISH, chain, pick, right_to_left, translated, valid_tag, words
from userflow.pure.translations import TRANSLATIONS


@pytest.mark.parametrize(
    'tag,ok',
    [
        ('de', True),
        ('de-AT', True),
        ('zh-Hant-TW', True),
        ('es-419', True),
        ('d', False),
        ('deutsch', False),
        ('de_AT', False),
        ('d1', False),
        ('de-', False),
        ('-de', False),
        ('', False),
        (None, False),
        ('de-abcdefghi', False),
    ],
)
def test_tags(tag, ok):
    assert valid_tag(tag) is ok


def test_the_chain_falls_back_from_region_to_language_to_the_default():
    assert chain(['de-AT', 'en-US'], 'fr') == ['de-at', 'de', 'en-us', 'en', 'fr']
    assert chain(['bad tag', 'DE'], 'de') == ['de']
    assert chain([], None) == []


def test_pick_takes_the_first_tag_the_text_has_else_its_first_entry():
    text = {'en': 'Welcome', 'de': 'Willkommen', 'de-CH': 'Grüezi'}
    assert pick(text, chain(['de-AT'], 'en')) == 'Willkommen'
    assert pick(text, chain(['de-CH'], 'en')) == 'Grüezi'
    assert pick(text, chain(['ja'], 'en')) == 'Welcome'
    assert pick({'it': 'Ciao', 'pt': 'Olá'}, chain(['ja'], 'en')) == 'Ciao'
    assert pick('plain', ['de']) == 'plain'


def test_the_ui_words_and_direction_follow_the_chain():
    assert translated(chain(['de-AT'], 'en')) == 'de' and translated(chain(['en-GB', 'de'], None)) is None
    assert translated(chain(['ja'], None)) is None
    assert words(chain(['de-AT'], 'en'), TRANSLATIONS)['close'] == 'Schließen'
    assert words(chain(['de-AT'], 'en'), {}) is ENGLISH  # before the locales chunk has loaded
    assert words(chain(['ja'], None), TRANSLATIONS) is ENGLISH
    assert right_to_left(chain(['ar-EG'], 'en')) and right_to_left(chain(['he'], 'en'))
    assert not right_to_left(chain(['en', 'ar'], 'en'))
    assert all(set(ENGLISH) == set(table) for table in TRANSLATIONS.values())
