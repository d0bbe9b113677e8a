"""Findings in plain words: where a canary came from (its source) and how it was encoded (its
form's label, as sdk.audit.encodings makes them: `url(as-is)`, `base64(sha256-hex(lower))`,
`substring(9 chars)`), for a reviewer who has not read the audit's code."""

import re

_SOURCES = {
    'input-text': 'the value typed into a text field',
    'input-email': 'the value typed into an e-mail field',
    'input-password': 'the value typed into a password field',
    'input-tel': 'the value typed into a phone field',
    'input-number': 'the value typed into a number field',
    'input-search': 'the value typed into a search field',
    'input-hidden': "a hidden field's value",
    'textarea': 'the text typed into a textarea',
    'contenteditable': 'the text typed into an editable element',
    'select-option': 'the option chosen in a select',
    'page-text': "the page's text",
    'attr-id': "an element's id",
    'attr-class': "an element's class",
    'attr-data': "an element's data- attribute",
    'attr-aria-label': "an element's aria-label",
    'attr-title': "an element's title",
    'attr-alt': "an image's alt text",
    'meta': 'a <meta> tag',
    'document-title': "the document's title",
    'url-query': "the page URL's query",
    'url-fragment': "the page URL's fragment",
    'cookie': "the site's own cookie",
    'local-storage': 'a value the page keeps in localStorage',
    'session-storage': 'a value the page keeps in sessionStorage',
    'window-name': 'window.name',
}
_LAYERS = {
    'url': 'URL-encoded',
    'url+': 'form-encoded',
    'url2': 'URL-encoded twice',
    'base64': 'base64',
    'base64url': 'base64url',
    'base32': 'base32',
    'hex': 'hex',
    'HEX': 'upper-case hex',
    'entities': 'as HTML character references',
    'html': 'HTML-escaped',
    'json': 'JSON-escaped',
    'json-u': 'as JSON \\u escapes',
    'utf16le': 'UTF-16LE',
    'charcodes': 'as character codes',
    'rot13': 'rot13',
    'lower': 'lower-cased',
    'upper': 'upper-cased',
    'trimmed': 'trimmed',
    'reversed': 'reversed',
}


_HASHED = re.compile(
    r'(md5|sha1|sha224|sha256|sha384|sha512|sha3_256|hmac-sha256)-(hex|HEX|base64url|base64|hex16)'
)
_DIGEST = {
    'hex': 'hex',
    'HEX': 'upper-case hex',
    'base64': 'base64',
    'base64url': 'base64url',
    'hex16': 'its first 16 hex digits',
}


def source(name: str) -> str:
    """`input-email#2` -> 'the value typed into an e-mail field (input-email#2)'."""
    base = name.split('#')[0]
    return f'{_SOURCES[base]} ({name})' if base in _SOURCES else name


def form(label: str) -> str:
    """`base64(sha256-hex(lower))` -> 'lower-cased, as the SHA256 hash in hex, base64'."""
    if label == 'as-is':
        return 'as it is'
    match = re.fullmatch(r'substring\((\d+) chars\)', label)
    if match:
        return f'a {match.group(1)}-character piece of it'
    steps = []
    while True:
        match = re.fullmatch(r'([^()]+)\((.*)\)', label)
        if not match:
            break
        steps.append(match.group(1))
        label = match.group(2)
    steps.append(label)
    words = []
    for step in reversed(steps):
        if step == 'as-is':
            continue
        hashed = _HASHED.fullmatch(step)
        if hashed:
            what = hashed.group(1).upper().replace('_', '-')
            if what == 'HMAC-SHA256':
                what += ' (keyed with the project token)'
            words.append(f'hashed with {what}, as {_DIGEST[hashed.group(2)]}')
        else:
            words.append(_LAYERS.get(step, step))
    return ', then '.join(words) or 'as it is'


def where(part: str) -> str:
    if part == 'url':
        return 'in the URL'
    if part.startswith('header:'):
        return f'in the {part[len("header:") :]} header'
    if part == 'websocket':
        return 'in a WebSocket frame'
    return 'in the body'


def canary(source_name: str, label: str, part: str) -> str:
    """The words of a canary finding; keeps `found as <label>` for tools that match on it."""
    return f'{source(source_name)} found as {label}: {form(label)}, {where(part)}'
