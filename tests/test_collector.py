"""The dev collector as a server: schema gate, deduplication, limits, HTTPS with HSTS."""

import http.client
import json
import ssl

import pytest

from sdk.collector import Collector
from sdk.limits import TokenBuckets

EVENT = {
    'id': '00000000-0000-4000-8000-000000000001',
    'seq': 1,
    'ts': '2026-01-01T00:00:00.000Z',
    'type': 'track',
    'user': 'u',
    'hashed': False,
    'name': 'clicked',
}


def send(collector, method, path, context=None, **request):
    """(status, headers, text) of one request to the collector."""
    host, port = collector.url.split('://')[1].split(':')
    cls = http.client.HTTPSConnection if context else http.client.HTTPConnection
    conn = cls(host, int(port), context=context) if context else cls(host, int(port))
    conn.request(method, path, **request)
    response = conn.getresponse()
    result = (response.status, dict(response.getheaders()), response.read().decode())
    conn.close()
    return result


def post(collector, body, context=None):
    headers = {'Content-Type': 'text/plain;charset=UTF-8'}
    return send(collector, 'POST', '/v1/events', context, body=json.dumps(body), headers=headers)


def body(*events, token='tok'):
    return {'v': 1, 'token': token, 'sdk': '0.1.0', 'batch': list(events)}


@pytest.fixture
def collector(tmp_path):
    with Collector(db=str(tmp_path / 'events.sqlite'), rate=5, burst=3) as server:
        yield server


def test_a_body_outside_the_schema_gets_400_with_the_path_of_the_violation(collector):
    status, _, text = post(collector, body(dict(EVENT, extra='leak')))
    assert status == 400 and text.startswith('$.batch[0]: Additional properties are not allowed')
    assert collector.sink.violations and collector.sink.events() == []


def test_a_batch_that_arrives_twice_is_stored_once_in_sqlite(collector, tmp_path):
    assert post(collector, body(EVENT))[0] == 204
    assert post(collector, body(EVENT))[0] == 204
    assert collector.sink.events() == [EVENT]
    import sqlite3

    rows = sqlite3.connect(tmp_path / 'events.sqlite').execute('SELECT count(*) FROM events').fetchone()
    assert rows == (1,)


def test_past_its_rate_a_token_gets_429_with_retry_after_and_cors_exposes_it(collector):
    statuses = [
        post(collector, body(dict(EVENT, id=f'00000000-0000-4000-8000-00000000000{i}'))) for i in range(5)
    ]
    assert [s for s, _, _ in statuses][:3] == [204, 204, 204] and statuses[3][0] == 429
    headers = statuses[3][1]
    assert headers['Retry-After'] == '1' and headers['Access-Control-Expose-Headers'] == 'Retry-After'
    assert post(collector, body(EVENT, token='other'))[0] == 204, 'buckets are per token'


def test_token_buckets_refill_with_time():
    now = [0.0]
    buckets = TokenBuckets(rate=2, burst=2, clock=lambda: now[0])
    assert [buckets.take('t') for _ in range(3)] == [None, None, 1]
    now[0] = 0.5
    assert buckets.take('t') is None and buckets.take('t') == 1


def test_https_mode_sends_hsts_and_never_a_cookie(tmp_path):
    with Collector(https=True) as server:
        context = ssl.create_default_context()
        server.ca.configure_trust(context)
        status, headers, _ = post(server, body(EVENT), context)
        assert status == 204
        assert headers['Strict-Transport-Security'] == 'max-age=63072000; includeSubDomains; preload'
        assert 'Set-Cookie' not in headers
        assert server.url.startswith('https://')


def test_the_packaged_wire_schema_equals_the_shared_one_when_it_is_checked_out():
    from sdk import ROOT
    from sdk.collector import SCHEMA_PATH, load_schema

    shared = ROOT.parent / 'shared' / 'wire-schema.json'  # the checkout beside this one, if any

    assert SCHEMA_PATH.is_file() and load_schema()['$defs']['event']['additionalProperties'] is False
    if not shared.is_file():
        pytest.skip('no ../shared checkout beside this repository (a bare clone)')
    assert json.loads(shared.read_text()) == load_schema()


def test_dist_files_are_served_with_the_lifetimes_the_readme_gives(tmp_path):
    """Content-named files for a year (immutable), the loader for 5 minutes, the rest
    revalidated, API answers never stored: what the README's Embed it section tells self-hosters."""
    hashed = ['userflow-core.0123456789ab.js', 'userflow-flows.0123456789ab.js.map']
    names = [*hashed, 'userflow.js', 'snippet.html']
    for name in names:
        (tmp_path / name).write_text('x')
    with Collector(dist=tmp_path) as server:
        lifetimes = {name: send(server, 'GET', '/dist/' + name)[1]['Cache-Control'] for name in names}
        _, posted, _ = post(server, body(EVENT))
    assert lifetimes == {
        hashed[0]: 'public, max-age=31536000, immutable',
        hashed[1]: 'public, max-age=31536000, immutable',
        'userflow.js': 'public, max-age=300',
        'snippet.html': 'no-cache',
    }
    assert posted['Cache-Control'] == 'no-store'
