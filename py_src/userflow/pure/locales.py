"""Which language a text is shown in, decided in the browser and never sent (issue 16).

A text in content is a string, or a map of locale tag -> string. The tags asked for (init's
`locale`, else the browser's languages) each fall back to their language (`de-AT` -> `de`), then
to the content's default locale, then to the map's first entry. Tags compare case-insensitively.
The UI's own words (Close, "2 of 5") are English here and, for TRANSLATED languages, come with
the `locales` chunk (pure/translations.py), chosen the same way; a right-to-left language lays the
UI out mirrored.
"""

from userflow.pure.values import kind, map_get, map_keys

_TAG_FIRST = 'abcdefghijklmnopqrstuvwxyz'
_TAG_REST = _TAG_FIRST + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-'
RTL = ['ar', 'he', 'fa', 'ur', 'yi', 'ps', 'dv', 'ug', 'ckb', 'sd']
# The UI's own words in English; the other languages (pure/translations.py) come with the
# `locales` chunk, loaded only when a page shows one of them (TRANSLATED).
ENGLISH = {
    'close': 'Close',
    'of': 'of',
    'done': 'done',
    'step': 'Step',
    'tour': 'Product tour',
    'checklist': 'Checklist',
    'show': 'Show tasks',
    'hide': 'Hide tasks',
    'dismiss': 'Dismiss checklist',
    'tip': 'Open tip',
    'help': 'Help',
    'search': 'Search',
    'none': 'Nothing found',
    'notice': 'Notice',
}
TRANSLATED = ['de', 'fr', 'es', 'ar']


def valid_tag(tag):
    """A BCP 47-like tag: a 2-3 letter language, then `-` parts of 1-8 letters or digits."""
    if kind(tag) != 'str' or len(tag) < 2 or len(tag) > 35 or _TAG_FIRST.find(tag[0].lower()) < 0:
        return False
    for ch in tag:
        if _TAG_REST.find(ch) < 0 and _TAG_FIRST.find(ch) < 0:
            return False
    parts = tag.split('-')
    if len(parts[0]) > 3 or len(parts[0]) < 2:
        return False
    for ch in parts[0]:
        if _TAG_FIRST.find(ch.lower()) < 0:
            return False
    for part in parts:
        if len(part) == 0 or len(part) > 8:
            return False
    return True


def chain(asked, default):
    """The tags to try, in order: each asked tag, then its language; then `default`."""
    tags = list(asked)
    tags.append(default)  # (not `asked + [default]`: Transcrypt's + joins lists as text)
    out = []
    for tag in tags:
        if not valid_tag(tag):
            continue
        tag = tag.lower()
        for candidate in [tag, tag.split('-')[0]]:
            if _absent(out, candidate):
                out.append(candidate)
    return out


def _absent(items, item):
    for x in items:
        if x == item:
            return False
    return True


def pick(text, tags):
    """The string to show for `text` (a string, or a map of tag -> string) under `tags`."""
    if kind(text) != 'map':
        return text
    keys = map_keys(text)
    if len(keys) == 0:
        return ''
    for tag in tags:
        for key in keys:
            if key.lower() == tag:
                return text[key]
    return text[keys[0]]


def translated(tags):
    """The first language of `tags` with words of its own other than English, or None: whether
    the `locales` chunk is needed."""
    for tag in tags:
        language = tag.split('-')[0]
        if language == 'en':
            return None
        if not _absent(TRANSLATED, language):
            return language
    return None


def words(tags, translations):
    """The UI's own words for `tags`, from `translations` (language -> words) or English."""
    for tag in tags:
        language = tag.split('-')[0]
        if language == 'en':
            return ENGLISH
        found = map_get(translations, language)
        if found is not None:
            return found
    return ENGLISH


def right_to_left(tags):
    """Whether the language shown is written right to left: the first tag that is a language
    with UI words or a right-to-left one decides."""
    for tag in tags:
        language = tag.split('-')[0]
        if not _absent(RTL, language):
            return True
        if language == 'en' or not _absent(TRANSLATED, language):
            return False
    return False
