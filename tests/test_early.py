"""The loader starts the content request on init, beside the core (loader.js.j2, `early`), only
for an endpoint and a token the core accepts as they are: then the URL it fetches is the one the
core would fetch (browser/egress.py takes that response), and nothing goes where the core would
send nothing."""

import re
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st
from py_mini_racer import MiniRacer

from sdk.builder.declarations import EARLY_ENDPOINT, EARLY_TOKEN
from userflow.pure.config import valid_token
from userflow.pure.urls import check_endpoint

ENDPOINT = re.compile(EARLY_ENDPOINT, re.ASCII)
TOKEN = re.compile(EARLY_TOKEN, re.ASCII)


def _port_in_range(url: str) -> bool:
    try:
        port = urlsplit(url).port
    except ValueError:  # above 65535: no URL, so fetch() rejects and no request leaves
        return False
    return port is None or port <= 65535


@settings(max_examples=400)
@given(st.from_regex(ENDPOINT, fullmatch=True))
def test_every_endpoint_the_loader_requests_early_is_one_the_core_accepts_unchanged(endpoint):
    if _port_in_range(endpoint):
        assert check_endpoint(endpoint) == {'url': endpoint, 'error': None}


@settings(max_examples=200)
@given(st.from_regex(TOKEN, fullmatch=True))
def test_every_token_the_loader_requests_early_is_one_the_core_accepts(token):
    assert valid_token(token)


def test_endpoints_the_core_would_rewrite_or_refuse_get_no_early_request():
    for endpoint in [
        'https://collector.example.com/',  # the core strips the slash: its URL would differ
        'https://Collector.example.com',  # ... lower-cases the host
        'HTTPS://collector.example.com',
        'http://collector.example.com',  # refused: http only on loopback
        'https://user:pw@collector.example.com',
        'https://collector.example.com?x=1',
        'https://collector.example.com/a b',
        'https://collector.example.com\\@localhost',
        'javascript:alert(1)',
    ]:
        assert not ENDPOINT.fullmatch(endpoint), endpoint
    for token in ['', 'a/b', 'a?b', 'tok en', 'x' * 129]:
        assert not TOKEN.fullmatch(token), token


words = st.text(alphabet='hpst:/.-_~@?#[]19azAZ\\ %é', max_size=40)


@settings(max_examples=300)
@given(st.one_of(st.from_regex(ENDPOINT, fullmatch=True), words), st.one_of(st.from_regex(TOKEN), words))
def test_the_patterns_mean_the_same_in_javascript_and_in_python(endpoint, token):
    js = MiniRacer()
    found = js.call(
        '((e, t, a, b) => [new RegExp(a).test(e), new RegExp(b).test(t)])',
        endpoint,
        token,
        EARLY_ENDPOINT,
        EARLY_TOKEN,
    )
    assert found == [bool(ENDPOINT.fullmatch(endpoint)), bool(TOKEN.fullmatch(token))]
