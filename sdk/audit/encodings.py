"""Every form a canary could take on the wire (AUDIT §4), and a fast search for all of them.

`needles(canary, token)` derives, from each seed (the canary, lower-case, upper-case, trimmed,
reversed), every encoding and hash of AUDIT §4 and chains of two of them (base64 of sha256 of
the lower-case canary, ...), each with a label that says how it was made. Substrings of 8+
characters of the canary itself are searched too. `Index` finds them in any number of byte
strings with one pass per haystack: every needle is at least 8 bytes long, so a set of the
haystack's 8-byte windows rules out almost every needle before a real substring test.
"""

import base64
import codecs
import hashlib
import hmac
import html
import json
from urllib.parse import quote, quote_plus

WINDOW = 8
HASHES = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3_256']


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip('=')


def _entities(text: str) -> str:
    return ''.join(f'&#{ord(c)};' for c in text)


def _json_escapes(text: str) -> str:
    return ''.join(f'\\u{ord(c):04x}' for c in text)


def _char_codes(text: str) -> str:
    return ','.join(str(ord(c)) for c in text)


# Text -> text layers: the encodings (AUDIT §4).
ENCODINGS = {
    'url': lambda t: quote(t, safe=''),
    'url+': quote_plus,
    'url2': lambda t: quote(quote(t, safe=''), safe=''),
    'base64': lambda t: _b64(t.encode()),
    'base64url': lambda t: _b64url(t.encode()),
    'base32': lambda t: base64.b32encode(t.encode()).decode().rstrip('='),
    'hex': lambda t: t.encode().hex(),
    'HEX': lambda t: t.encode().hex().upper(),
    'entities': _entities,
    'html': lambda t: html.escape(t, quote=True),
    'json': lambda t: json.dumps(t)[1:-1],
    'json-u': _json_escapes,
    'utf16le': lambda t: t.encode('utf-16-le').decode('latin-1'),
    'charcodes': _char_codes,
    'rot13': lambda t: codecs.encode(t, 'rot13'),
}


def _digest_forms(name: str, digest: bytes) -> dict:
    hex_ = digest.hex()
    return {
        f'{name}-hex': hex_,
        f'{name}-HEX': hex_.upper(),
        f'{name}-base64': _b64(digest),
        f'{name}-base64url': _b64url(digest),
        f'{name}-hex16': hex_[:16],
    }


def hash_forms(text: str, token: str | None) -> dict:
    data = text.encode()
    forms = {}
    for name in HASHES:
        forms.update(_digest_forms(name, hashlib.new(name, data).digest()))
    if token:
        forms.update(_digest_forms('hmac-sha256', hmac.new(token.encode(), data, hashlib.sha256).digest()))
    return forms


def layers(text: str, token: str | None) -> dict:
    """One layer: every encoding and every hash form of `text`."""
    out = {name: fn(text) for name, fn in ENCODINGS.items()}
    out.update(hash_forms(text, token))
    return out


def seeds(canary: str) -> dict:
    out = {
        'as-is': canary,
        'lower': canary.lower(),
        'upper': canary.upper(),
        'trimmed': canary.strip(),
        'reversed': canary[::-1],
    }
    unique = {}
    for name, value in out.items():
        unique.setdefault(value, name)
    return {name: value for value, name in unique.items()}


def needles(canary: str, token: str | None = None, core: str | None = None) -> dict[bytes, str]:
    """{needle bytes: label}: the canary in every form, up to two layers deep, and substrings
    of its random `core` (all of it by default) of 8+ characters."""
    found: dict[bytes, str] = {}

    def add(value: str, label: str):
        data = (
            value.encode('utf-8', 'surrogatepass')
            if not label.endswith('utf16le')
            else value.encode('latin-1')
        )
        if len(data) >= WINDOW and data not in found:
            found[data] = label

    # Shallow forms first: a needle reachable several ways keeps its most direct label.
    firsts = []
    for seed_name, seed in seeds(canary).items():
        add(seed, seed_name)
    for seed_name, seed in seeds(canary).items():
        for name, first in layers(seed, token).items():
            add(first, f'{name}({seed_name})')
            if name != 'utf16le':
                firsts.append((f'{name}({seed_name})', first))
    for label, first in firsts:
        for outer, second in layers(first, token).items():
            add(second, f'{outer}({label})')
    core = core or canary
    for size in range(len(core), WINDOW - 1, -1):  # substrings of the canary itself
        for start in range(0, len(core) - size + 1):
            add(core[start : start + size], f'substring({size} chars)')
    return found


class Index:
    """Needles of many canaries: `search(haystack)` -> [(canary source, label)]."""

    def __init__(self, canaries: dict[str, str], token: str | None = None, cores: dict | None = None):
        self.by_prefix: dict[bytes, list] = {}
        self.count = 0
        for source, canary in canaries.items():
            for needle, label in needles(canary, token, (cores or {}).get(source)).items():
                self.by_prefix.setdefault(needle[:WINDOW], []).append((needle, source, label))
                self.count += 1

    def search(self, haystack: bytes) -> list[tuple[str, str]]:
        if len(haystack) < WINDOW:
            return []
        windows = {haystack[i : i + WINDOW] for i in range(len(haystack) - WINDOW + 1)}
        # One finding per source: the most direct form found (a whole-canary form with the
        # shortest label, else the longest substring).
        best: dict[str, tuple] = {}
        for window in windows & self.by_prefix.keys():
            for needle, source, label in self.by_prefix[window]:
                rank = (
                    label.startswith('substring'),
                    -len(needle) if label.startswith('substring') else len(label),
                )
                if (source not in best or rank < best[source][0]) and needle in haystack:
                    best[source] = (rank, label)
        return sorted((source, label) for source, (_, label) in best.items())
