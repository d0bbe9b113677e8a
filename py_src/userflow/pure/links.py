"""Links in plain text: the only way a URL from content becomes an anchor in the UI. Kept out
of `urls.py` so that it ships in the flows chunk with the UI, not in the core."""

from userflow.pure.values import least, most
from userflow.pure.urls import split_url, split_authority, valid_host, has_unsafe_chars


_URL_END = ' \t\n\r\f\v<>"\'`'
_TRAILING = '.,;:!?)]}'


def text_links(text):
    """Split plain text into pieces [[is_link, text], ...]: every `http://` or `https://` URL
    with a valid host becomes a link (trailing punctuation stays text); anything else, including
    `javascript:` and other schemes, stays text. The UI turns only link pieces into anchors."""
    pieces = []
    start = 0
    plain = 0
    while start < len(text):
        found = _next_scheme(text, start)
        if found < 0:
            break
        end = found
        while end < len(text) and _URL_END.find(text[end]) < 0:
            end += 1
        while end > found and _TRAILING.find(text[end - 1]) >= 0:
            end -= 1
        url = text[found:end]
        parts = split_url(url)
        auth = split_authority(parts['authority']) if parts is not None and parts['authority'] else None
        if auth is not None and valid_host(auth['host']) and not has_unsafe_chars(url):
            if found > plain:
                pieces.append([False, text[plain:found]])
            pieces.append([True, url])
            plain = end
        start = most(end, found + 1)
    if plain < len(text):
        pieces.append([False, text[plain:]])
    return pieces


def _next_scheme(text, start):
    http = text.find('http://', start)
    https = text.find('https://', start)
    if http < 0:
        return https
    if https < 0:
        return http
    return least(http, https)
