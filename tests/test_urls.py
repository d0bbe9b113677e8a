"""Where the SDK may send (endpoints) and what a page view may say (the default URL filter)."""

import pytest

from userflow.urls import check_endpoint, default_url_filter, split_url

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


@pytest.mark.parametrize('url,kept', [
    ('https://app.example.com/settings/billing?card=4111#tab', 'https://app.example.com/settings/billing'),
    ('https://user:secret@App.Example.com:8443/a?b', 'https://app.example.com:8443/a'),
    ('http://127.0.0.1:5000', 'http://127.0.0.1:5000/'),
    ('https://example.com/#/hash/route?x=1', 'https://example.com/'),
    ('about:blank', None),
    ('data:text/html,secret', None),
    ('not a url', None),
])
def test_default_filter_keeps_only_origin_and_path(url, kept):
    assert default_url_filter(url) == kept


def test_split_url_separates_every_part():
    assert split_url('https://h:1/p/q?x=1#y') == {
        'scheme': 'https', 'authority': 'h:1', 'path': '/p/q', 'query': 'x=1', 'fragment': 'y'}
