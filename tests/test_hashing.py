"""The pure SHA-256/HMAC that runs where WebCrypto is missing equals Python's hashlib/hmac."""

import hashlib
import hmac

from hypothesis import given, strategies as st

from userflow.pure.hashing import sha256_hex, hmac_sha256_hex, utf8_bytes

VECTORS = [
    '',
    'abc',
    'abcdbcdecdefdefgefghfghighijhijkijkljklmjklmnklmnolmnomnopnopq',
    'x' * 55,
    'x' * 56,
    'x' * 64,
    'a' * 300,
    'héllo wörld 😀 ✓',
]


def test_sha256_matches_hashlib_on_standard_vectors():
    for text in VECTORS:
        assert sha256_hex(text) == hashlib.sha256(text.encode()).hexdigest()


def test_hmac_with_long_key_hashes_the_key_first():
    key = 'k' * 300
    assert hmac_sha256_hex(key, 'msg') == hmac.new(key.encode(), b'msg', 'sha256').hexdigest()


@given(st.text(), st.text(min_size=1))
def test_hmac_matches_python_hmac_for_any_text(message, key):
    expected = hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()
    assert hmac_sha256_hex(key, message) == expected


@given(st.text())
def test_utf8_bytes_match_python_encoding(text):
    assert utf8_bytes(text) == list(text.encode('utf-8'))
