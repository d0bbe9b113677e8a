"""URL handling without the browser's URL parser, so CPython and the SDK agree byte for byte.

`default_url_filter` decides what a page view may say about the page: origin + path, never the
query, the fragment, credentials, `;` parameters or path segments that look like identifiers.
`check_endpoint` decides where the SDK may send anything: https, or http on loopback only
(SPEC §5).
"""

from userflow.pure.values import kind, char_count

MAX_URL = 2048
LOOPBACK = ['localhost', '127.0.0.1', '[::1]']
_SCHEME_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789+.-'
_HOST_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789.-'
_IPV6_CHARS = '0123456789abcdef:.'
ID_PLACEHOLDER = ':id'
_DIGITS = '0123456789'
_NUMBER_PUNCTUATION = '+-.()'
_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
_LOWER = 'abcdefghijklmnopqrstuvwxyz'
_HEX = '0123456789abcdefABCDEF'
_LETTERS = _UPPER + _LOWER
_BASE64 = _UPPER + _LOWER + _DIGITS + '+=_-'


def split_url(url):
    """Split an absolute URL into scheme, authority, path, query, fragment (RFC 3986 §3).
    Returns None when there is no valid scheme. Missing parts are None."""
    colon = url.find(':')
    if colon <= 0:
        return None
    scheme = url[:colon].lower()
    if 'abcdefghijklmnopqrstuvwxyz'.find(scheme[0]) < 0:
        return None
    for ch in scheme:
        if _SCHEME_CHARS.find(ch) < 0:
            return None
    rest = url[colon + 1 :]
    fragment = None
    cut = rest.find('#')
    if cut >= 0:
        fragment = rest[cut + 1 :]
        rest = rest[:cut]
    query = None
    cut = rest.find('?')
    if cut >= 0:
        query = rest[cut + 1 :]
        rest = rest[:cut]
    authority = None
    if rest.startswith('//'):
        rest = rest[2:]
        cut = rest.find('/')
        if cut < 0:
            authority = rest
            rest = ''
        else:
            authority = rest[:cut]
            rest = rest[cut:]
    return {'scheme': scheme, 'authority': authority, 'path': rest, 'query': query, 'fragment': fragment}


def split_authority(authority):
    """Split `[userinfo@]host[:port]`; the host is lower-cased. Returns None if malformed."""
    userinfo = None
    at = authority.rfind('@')
    if at >= 0:
        userinfo = authority[:at]
        authority = authority[at + 1 :]
    port = None
    if authority.startswith('['):
        close = authority.find(']')
        if close < 0:
            return None
        host = authority[: close + 1]
        tail = authority[close + 1 :]
        if len(tail) > 0:
            if not tail.startswith(':'):
                return None
            port = tail[1:]
    else:
        cut = authority.rfind(':')
        host = authority
        if cut >= 0:
            host = authority[:cut]
            port = authority[cut + 1 :]
    return {'userinfo': userinfo, 'host': host.lower(), 'port': port}


def has_unsafe_chars(text):
    # Control characters, spaces and backslashes: browsers strip or reinterpret them
    # (`https://a.com\@localhost`), so an endpoint containing one is never accepted.
    for ch in text:
        c = ord(ch)
        if c <= 0x20 or c == 0x7F or ch == '\\':
            return True
    return False


def valid_host(host):
    if len(host) == 0:
        return False
    chars = _HOST_CHARS
    if host.startswith('['):
        if not host.endswith(']') or len(host) < 4:
            return False
        host = host[1 : len(host) - 1]
        chars = _IPV6_CHARS
    for ch in host:
        if chars.find(ch) < 0:
            return False
    return True


def _valid_port(port):
    if port is None:
        return True
    if len(port) == 0 or len(port) > 5:
        return False
    for ch in port:
        if '0123456789'.find(ch) < 0:
            return False
    return float(port) <= 65535


def check_endpoint(url):
    """Validate a server endpoint. Returns {'url': normalised, 'error': None} or
    {'url': None, 'error': message}. Normalised: lower-case scheme and host, no trailing '/'."""
    if kind(url) != 'str':
        return {'url': None, 'error': 'endpoint must be a string'}
    if len(url) == 0 or len(url) > MAX_URL or has_unsafe_chars(url):
        return {
            'url': None,
            'error': 'endpoint is empty, too long or contains spaces, control characters or backslashes',
        }
    parts = split_url(url)
    if parts is None or parts['authority'] is None:
        return {'url': None, 'error': 'endpoint must be an absolute https:// URL'}
    scheme = parts['scheme']
    if scheme != 'https' and scheme != 'http':
        return {'url': None, 'error': 'endpoint scheme must be https (got ' + scheme + ':)'}
    if parts['query'] is not None or parts['fragment'] is not None:
        return {'url': None, 'error': 'endpoint must not have a query or a fragment'}
    auth = split_authority(parts['authority'])
    if auth is None or not valid_host(auth['host']) or not _valid_port(auth['port']):
        return {'url': None, 'error': 'endpoint host or port is malformed'}
    if auth['userinfo'] is not None:
        return {'url': None, 'error': 'endpoint must not contain credentials'}
    host = auth['host']
    if scheme == 'http' and not _is_loopback(host):
        return {
            'url': None,
            'error': 'http is allowed only for localhost, 127.0.0.1 and [::1]; use https for ' + host,
        }
    path = parts['path']
    while path.endswith('/'):
        path = path[: len(path) - 1]
    port = ''
    if auth['port'] is not None and len(auth['port']) > 0:
        port = ':' + auth['port']
    return {'url': scheme + '://' + host + port + path, 'error': None}


def _is_loopback(host):
    for name in LOOPBACK:
        if host == name:
            return True
    return False


def default_url_filter(url):
    """The URL a page view may carry by default: scheme, host, port and path. Query, fragment,
    credentials and `;` parameters are removed, and path segments that look like identifiers
    are replaced by `:id` (see `identifier_like`). Returns None for URLs without a host (about:,
    data:, blob:)."""
    if kind(url) != 'str' or has_unsafe_chars(url):
        return None
    parts = split_url(url)
    if parts is None or parts['authority'] is None:
        return None
    auth = split_authority(parts['authority'])
    if auth is None:
        return None
    port = ''
    if auth['port'] is not None and len(auth['port']) > 0:
        port = ':' + auth['port']
    path = filter_path(parts['path'])
    if len(path) == 0:
        path = '/'
    return parts['scheme'] + '://' + auth['host'] + port + path


def filter_path(path):
    """`path` with each segment's `;` parameters cut (`;jsessionid=...`) and each segment that
    looks like an identifier replaced by ID_PLACEHOLDER."""
    kept = []
    for segment in path.split('/'):
        cut = segment.find(';')
        if cut >= 0:
            segment = segment[:cut]
        kept.append(ID_PLACEHOLDER if identifier_like(segment) else segment)
    return '/'.join(kept)


def identifier_like(segment):
    """Whether a path segment looks like it names a person, a record or a secret:
    - an e-mail address: an `@`, plain or `%40`;
    - a number: digits only, 4 or more (`+ - . ( )` between them ignored: phone numbers, dates);
    - a hex run of 16+ characters holding a digit (dashes ignored: UUIDs, hashes);
    - a token: a run of 16+ base64/base64url characters where letters and digits touch 3+ times,
      or of 20+ characters at least a quarter upper case and a quarter lower case.
    Words, slugs (`getting-started-2024`), CamelCase names and short numbers stay."""
    if segment.find('@') >= 0 or segment.lower().find('%40') >= 0:
        return True
    digits = 0
    others = 0
    for ch in segment:
        if _DIGITS.find(ch) >= 0:
            digits += 1
        elif _NUMBER_PUNCTUATION.find(ch) < 0:
            others += 1
    if others == 0 and digits >= 4:
        return True
    for run in _runs(''.join(segment.split('-')), _HEX):
        if len(run) >= 16 and _count(run, _DIGITS) > 0:
            return True
    for run in _runs(segment, _BASE64):
        size = len(run)
        if size >= 16 and _contacts(run) >= 3:
            return True
        if size >= 20 and _count(run, _UPPER) * 4 >= size and _count(run, _LOWER) * 4 >= size:
            return True
    return False


def _contacts(run):
    """How often a letter and a digit stand next to each other in `run`."""
    found = 0
    for i in range(1, len(run)):
        before = run[i - 1]
        here = run[i]
        if _DIGITS.find(before) >= 0 and _LETTERS.find(here) >= 0:
            found += 1
        elif _LETTERS.find(before) >= 0 and _DIGITS.find(here) >= 0:
            found += 1
    return found


def _runs(text, alphabet):
    """The maximal runs of `text` made only of characters in `alphabet`."""
    runs = []
    start = -1
    for i in range(len(text)):
        inside = alphabet.find(text[i]) >= 0
        if inside and start < 0:
            start = i
        elif not inside and start >= 0:
            runs.append(text[start:i])
            start = -1
    if start >= 0:
        runs.append(text[start:])
    return runs


def _count(text, alphabet):
    found = 0
    for ch in text:
        if alphabet.find(ch) >= 0:
            found += 1
    return found


def check_sendable_url(url):
    """A URL a filter returned may be sent only if it is a string within the wire limit."""
    return kind(url) == 'str' and 0 < char_count(url) <= MAX_URL
