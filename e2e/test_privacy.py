"""The core promise on the wire (SPEC §1, §7), observed by Playwright and at the sink."""

import json

import jsonschema

from helpers import INSECURE_HOST, hmac_hex, wait_for
from sdk.collector import Collector, load_schema

VALIDATOR = jsonschema.Draft202012Validator(load_schema())
USER = 'alice@example.com'
TOKEN = 'tok_privacy'


def sdk_requests(page):
    """Everything the SDK caused: its files and its API calls (not the fixture pages)."""
    return [r for r in page.record.requests if '/dist/' in r['url'] or '/v1/' in r['url']]


def everything_sent(page, collector):
    parts = []
    for r in page.record.requests:
        parts += [r['url'], json.dumps(r['headers']), r['body']]
    for r in collector.sink.requests:
        parts += [r.path, json.dumps(r.headers), r.body.decode('utf-8', 'replace')]
    return '\n'.join(parts)


def open_basic(page, collector, query, host='127.0.0.1'):
    base = collector.url.replace('127.0.0.1', host)
    page.goto(f'{base}/fixtures/basic.html?token={TOKEN}&user={USER}&{query}')
    return wait_for(lambda: [e for e in collector.sink.events() if e['type'] == 'track'])


def test_the_user_id_on_the_wire_is_the_hmac_python_computes(page, collector):
    open_basic(page, collector, '')
    assert page.evaluate('isSecureContext') is True  # WebCrypto path
    chunks = [r.path.split('.')[0] for r in collector.sink.requests if r.path.startswith('/dist/userflow-')]
    # WebCrypto at hand: no sha256 chunk. init with an endpoint came first: the core comes with
    # the engine and its UI in one file, beside the content request (issue 17: one round trip),
    # whether or not the content turns out to have flows.
    assert sorted(chunks) == ['/dist/userflow-app']
    users = {e['user'] for e in collector.sink.events()}
    assert users == {hmac_hex(TOKEN, USER)}
    assert all(e['hashed'] is True for e in collector.sink.events())


def test_the_pure_hmac_gives_the_same_id_where_webcrypto_is_missing(page, collector):
    # http://app.test is not loopback: the SDK would refuse it as an endpoint, rightly.
    open_basic(page, collector, 'endpoint=' + collector.url, host=INSECURE_HOST)
    assert page.evaluate('isSecureContext') is False
    assert page.evaluate('document.querySelector("iframe").contentWindow.crypto.subtle') is None
    assert {e['user'] for e in collector.sink.events()} == {hmac_hex(TOKEN, USER)}
    assert any(r.path.startswith('/dist/userflow-sha256.') for r in collector.sink.requests)


def test_the_raw_user_id_appears_in_no_request(page, collector):
    open_basic(page, collector, '')
    page.click('#next')
    page.wait_for_url('**/other.html**')
    sent = everything_sent(page, collector)
    # The fixture page's own URL carries the ID in its query: the SDK must not repeat it.
    sdk_only = '\n'.join(json.dumps(r) for r in sdk_requests(page))
    assert USER not in sdk_only and 'alice%40example.com' not in sdk_only
    assert USER not in ''.join(r.body.decode() for r in collector.sink.events_posts())
    assert hmac_hex(TOKEN, USER) in sent  # the capture saw the traffic it searched


def test_with_page_tracking_disabled_no_url_leaves_in_any_form(page, collector):
    open_basic(page, collector, 'disable=1')
    page.evaluate("history.pushState({}, '', '/fixtures/secret-route?q=1')")
    page.evaluate("userflow.track('after_navigation')")
    wait_for(lambda: any(e.get('name') == 'after_navigation' for e in collector.sink.events()))
    assert [e for e in collector.sink.events() if e['type'] == 'page'] == []
    for request in sdk_requests(page):
        text = request['body'] + json.dumps(request['headers'])
        assert '/fixtures/' not in text and 'basic.html' not in text and 'secret-route' not in text
        assert 'referer' not in request['headers']


def test_page_views_carry_only_origin_and_path_by_default(page, collector):
    open_basic(page, collector, 'extra=secret-query#frag')
    page.evaluate("history.pushState({}, '', '/fixtures/route-2?card=4111#x')")
    pages = wait_for(
        lambda: (
            len([e for e in collector.sink.events() if e['type'] == 'page']) >= 2
            and [e['url'] for e in collector.sink.events() if e['type'] == 'page']
        ),
        5,
    )
    assert pages == [collector.url + '/fixtures/basic.html', collector.url + '/fixtures/route-2']


def test_events_requests_carry_no_cookie_even_to_the_pages_own_origin(page, collector):
    page.context.add_cookies(
        [{'name': 'session', 'value': 'cookie-canary', 'domain': '127.0.0.1', 'path': '/'}]
    )
    open_basic(page, collector, '')
    page.evaluate("userflow.track('leaving')")
    page.click('#next')  # leaving flushes with keepalive; those requests are checked too
    page.wait_for_url('**/other.html**')
    wait_for(lambda: len(collector.sink.events_posts()) >= 2)
    assert any('cookie-canary' in r.headers.get('cookie', '') for r in collector.sink.requests), (
        'the page never sent its cookie anywhere: this test would prove nothing'
    )
    for request in collector.sink.requests:
        if request.path.startswith('/v1/'):
            assert 'cookie' not in request.headers and 'referer' not in request.headers


def test_an_sdk_hosted_elsewhere_gets_no_cookie_and_no_referer_at_all(page, collector):
    """Loader, core and events from another origin of the same site (a CDN and a collector):
    a same-site cookie would go along with any request that included credentials."""
    with Collector() as cdn:
        other = cdn.url.replace('127.0.0.1', 'localhost')
        page.context.add_cookies(
            [{'name': 'session', 'value': 'cookie-canary', 'domain': 'localhost', 'path': '/'}]
        )
        base = collector.url.replace('127.0.0.1', 'localhost')
        page.goto(f'{base}/fixtures/basic.html?dist={other}&endpoint={other}&user={USER}')
        wait_for(lambda: [e for e in cdn.sink.events() if e['type'] == 'track'])
        page.evaluate("userflow.track('leaving')")
        page.click('#next')
        page.wait_for_url('**/other.html**')
        wait_for(lambda: len(cdn.sink.events_posts()) >= 2)
        assert {r.path for r in cdn.sink.requests} >= {'/dist/userflow.js', '/v1/events'}
        assert any(r.path.startswith('/dist/userflow-app.') for r in cdn.sink.requests)  # core and engine
        for request in cdn.sink.requests:
            assert 'cookie' not in request.headers, request.path
            assert 'referer' not in request.headers, request.path
        assert any('cookie-canary' in r.headers.get('cookie', '') for r in collector.sink.requests)
        assert any('referer' in r.headers for r in collector.sink.requests), (
            'the page sends Referer to its own server, so the check above could fail'
        )


def test_every_events_body_validates_against_the_wire_schema(page, collector):
    open_basic(page, collector, '')
    page.evaluate("""async () => {
        await userflow.group(7, {name: 'Acme', size: 3.5, tags: ['x', null]}, {signature: 'sig'});
        await userflow.updateGroup({paid: true});
        await userflow.identify('bob', {}, {signature: 'abc'});
        await userflow.track('x'.repeat(128), {list: [1, 'two', false, null]});
    }""")
    posts = wait_for(
        lambda: (
            [r for r in collector.sink.events_posts() if b'"group"' in r.body and b'"x' in r.body]
            and collector.sink.events_posts()
        )
    )
    assert collector.sink.violations == []
    for post in posts:
        assert post.headers['content-type'] == 'text/plain;charset=UTF-8'
        VALIDATOR.validate(post.json())


def test_strict_privacy_sends_only_the_apps_own_calls(page, collector):
    open_basic(page, collector, 'strict=1')
    page.evaluate("history.pushState({}, '', '/fixtures/elsewhere')")
    page.evaluate("userflow.track('second')")
    wait_for(lambda: any(e.get('name') == 'second' for e in collector.sink.events()))
    assert {e['type'] for e in collector.sink.events()} == {'identify', 'track'}
