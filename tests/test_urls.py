"""Where the SDK may send (endpoints) and what a page view may say (the default URL filter)."""

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from userflow.pure.urls import ID_PLACEHOLDER, check_endpoint, default_url_filter, identifier_like, split_url

ACCEPTED = {
    'https://collector.example.com': 'https://collector.example.com',
    'https://Collector.Example.com/base/': 'https://collector.example.com/base',
    'HTTPS://a.io:8443/x': 'https://a.io:8443/x',
    'http://localhost:8000/': 'http://localhost:8000',
    'http://127.0.0.1:9': 'http://127.0.0.1:9',
    'http://[::1]:8080': 'http://[::1]:8080',
}
REFUSED = {
    'http://example.com': 'http is allowed only',
    'http://localhost.evil.com': 'http is allowed only',
    'http://127.0.0.1.nip.io': 'http is allowed only',
    'http://10.0.0.1': 'http is allowed only',
    'ftp://example.com': 'scheme must be https',
    'javascript:alert(1)': 'absolute https',
    'https://user:pw@example.com': 'credentials',
    'https://example.com/?q=1': 'query',
    'https://example.com/#f': 'fragment',
    'https://a.com\\@localhost': 'backslash',
    'https://exa mple.com': 'spaces',
    'https://example.com:99999': 'malformed',
    'https://exa%6dple.com': 'malformed',
    '//example.com': 'absolute',
    '': 'empty',
}


@pytest.mark.parametrize('url,normalised', ACCEPTED.items())
def test_https_and_loopback_http_endpoints_are_accepted_and_normalised(url, normalised):
    assert check_endpoint(url) == {'url': normalised, 'error': None}


@pytest.mark.parametrize('url,reason', REFUSED.items())
def test_other_endpoints_are_refused_with_a_reason(url, reason):
    result = check_endpoint(url)
    assert result['url'] is None
    assert reason in result['error']


def test_non_string_endpoint_is_refused():
    assert check_endpoint(42)['error'] == 'endpoint must be a string'


@pytest.mark.parametrize(
    'url,kept',
    [
        (
            'https://app.example.com/settings/billing?card=4111#tab',
            'https://app.example.com/settings/billing',
        ),
        ('https://user:secret@App.Example.com:8443/a?b', 'https://app.example.com:8443/a'),
        ('http://127.0.0.1:5000', 'http://127.0.0.1:5000/'),
        ('https://example.com/#/hash/route?x=1', 'https://example.com/'),
        ('about:blank', None),
        ('data:text/html,secret', None),
        ('not a url', None),
    ],
)
def test_default_filter_keeps_only_origin_and_path(url, kept):
    assert default_url_filter(url) == kept


def test_split_url_separates_every_part():
    assert split_url('https://h:1/p/q?x=1#y') == {
        'scheme': 'https',
        'authority': 'h:1',
        'path': '/p/q',
        'query': 'x=1',
        'fragment': 'y',
    }


@pytest.mark.parametrize(
    'url,kept',
    [
        ('https://a.com/reset-password/Xk3J9aLq0ZpR7tWm2Yb8', 'https://a.com/reset-password/:id'),
        ('https://a.com/users/jane.doe@example.com/', 'https://a.com/users/:id/'),
        ('https://a.com/users/jane.doe%40example.com/edit', 'https://a.com/users/:id/edit'),
        ('https://a.com/cart;jsessionid=0A1B2C3D/checkout;v=2', 'https://a.com/cart/checkout'),
        ('https://a.com/o/123e4567-e89b-12d3-a456-426614174000', 'https://a.com/o/:id'),
        ('https://a.com/orders/12345/items/7', 'https://a.com/orders/:id/items/7'),
        ('https://a.com/call/+1(555)123-4567', 'https://a.com/call/:id'),
        ('https://a.com/t/eyJhbGciOiJIUzI1NiJ9', 'https://a.com/t/:id'),
        ('https://a.com/c/QWxhZGRpbjpPcGVuU2VzYW1l', 'https://a.com/c/:id'),
        ('https://a.com/sha/9f86d081884c7d659a2feaa0c55ad015', 'https://a.com/sha/:id'),
        # words, slugs, CamelCase page names and short numbers are what analytics need: kept
        ('https://a.com/blog/getting-started-2024', 'https://a.com/blog/getting-started-2024'),
        ('https://a.com/docs/GettingStartedWithReact', 'https://a.com/docs/GettingStartedWithReact'),
        ('https://a.com/page/3/settings_billing', 'https://a.com/page/3/settings_billing'),
        ('https://a.com/v/1.2', 'https://a.com/v/1.2'),
    ],
)
def test_default_filter_replaces_identifier_like_segments(url, kept):
    assert default_url_filter(url) == kept


SECRETS = st.one_of(
    st.emails().filter(lambda e: not set(e) & set('/?#;%\\')),  # as a path segment holds it
    st.uuids().map(str),
    st.binary(min_size=8, max_size=32).map(lambda b: b.hex()).filter(lambda h: any(c.isdigit() for c in h)),
    st.integers(min_value=1000, max_value=10**15).map(str),
    st.binary(min_size=12, max_size=48)
    .map(lambda b: base64.urlsafe_b64encode(b).decode().rstrip('='))
    .filter(lambda t: identifier_like(t)),
)
WORDS = st.from_regex(r'[a-z]{1,12}(-[a-z]{1,12}){0,3}', fullmatch=True)


@given(
    before=st.lists(WORDS, max_size=3),
    secret=SECRETS,
    after=st.lists(WORDS, max_size=3),
    matrix=st.sampled_from(['', ';jsessionid=ABC', ';v=1']),
)
def test_no_generated_identifier_survives_the_default_filter_and_words_do(before, secret, after, matrix):
    path = '/'.join(['', *before, secret + matrix, *after])
    kept = default_url_filter('https://app.example.com' + path)
    assert secret not in kept and 'jsessionid' not in kept
    assert kept == 'https://app.example.com' + '/'.join(['', *before, ID_PLACEHOLDER, *after])
    assert default_url_filter(kept) == kept, 'filtering twice changes nothing'


def test_random_base64url_tokens_of_22_characters_are_caught():
    # A 128-bit token as base64url: the rule is a heuristic, measured here on fixed samples.
    random = __import__('random').Random(7)
    tokens = [base64.urlsafe_b64encode(random.randbytes(16)).decode().rstrip('=') for _ in range(2000)]
    caught = sum(identifier_like(t) for t in tokens)
    assert caught / len(tokens) > 0.97, caught
