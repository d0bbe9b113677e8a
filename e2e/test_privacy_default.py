"""The privacy promise in the default configuration, to the letter (SPEC §5, §7; issue 12).

Each test drives the built SDK in Chromium against the real collector and asserts both what
arrives and what must not: no condition result leaves unless the app opted in to `analytics`,
nothing from before login is attached to the user, no server-chosen validator comes back, strict
content cannot choose a request, opting out reaches the batch in flight, the egress log lists
every request, identifiers in paths are replaced, pre-derived IDs pass as they are, and storage
holds only the documented keys.
"""

import json
import re
import uuid

from helpers import hmac_hex, wait_for
from sdk import ROOT
from sdk.identity import derive_user_id

TOKEN = 'tok_priv'
FLOW = {
    'version': 1,
    'flows': [
        {
            'id': 'typing',
            'autoStart': {'when': {'element': '#field', 'state': 'present'}},
            'steps': [
                {
                    'id': 'a-to-m',
                    'type': 'hidden',
                    'triggers': [
                        {
                            'when': {'input': '#field', 'op': 'matches', 'value': '^[a-m]'},
                            'action': {'next': True},
                        }
                    ],
                },
                {
                    'id': 'typed',
                    'type': 'hidden',
                    'triggers': [
                        {
                            'when': {'input': '#field', 'op': 'equals', 'value': 'done'},
                            'action': {'complete': True},
                        }
                    ],
                },
            ],
        }
    ],
}


def open_manual(page, collector, privacy=None, path='/fixtures/manual.html'):
    page.goto(collector.url + path)
    options = {'endpoint': collector.url}
    if privacy:
        options['privacy'] = privacy
    page.evaluate('([token, options]) => userflow.init(token, options)', [TOKEN, options])


def marker(page, collector, name):
    """Track `name` and wait until it arrived: everything queued before it has left too."""
    page.evaluate('(name) => userflow.track(name)', name)
    wait_for(lambda: any(e.get('name') == name for e in collector.sink.events()))


def typing_run(page, collector, privacy, typed):
    open_manual(page, collector, privacy)
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<input id=field>')")
    page.evaluate("window.steps = []; userflow.on('stepChanged', (e) => steps.push(e.stepId))")
    page.evaluate("userflow.identify('typist-1')")
    page.evaluate('(c) => userflow.loadContent(c)', FLOW)
    wait_for(lambda: page.evaluate('steps.length') == 1)
    page.fill('#field', typed)
    page.wait_for_timeout(300)  # a frame for the re-evaluation
    marker(page, collector, 'end_of_run')
    return page.evaluate('steps'), collector.sink.events()


def comparable(events):
    """Events with their volatile fields (id, ts) removed: what a differential compares."""
    return [{k: v for k, v in e.items() if k not in ('id', 'ts')} for e in events]


def test_by_default_no_flow_event_leaves_even_when_a_step_reads_what_the_user_types(page, collector):
    steps, events = typing_run(page, collector, None, 'alice')
    assert steps == ['a-to-m', 'typed'], 'the condition held in the browser'
    assert [e for e in events if e['type'] == 'flow'] == []
    assert {e['type'] for e in events} == {'identify', 'page', 'track'}


def test_standard_mode_egress_is_the_same_whatever_the_user_typed(browser, collector):
    seen = []
    for typed in ['alice', 'zed']:  # the condition holds for one and not the other
        collector.sink.clear()
        context = browser.new_context()
        page = context.new_page()
        steps, events = typing_run(page, collector, 'standard', typed)
        seen.append((steps, comparable(events)))
        context.close()
        collector.quiet()
    assert seen[0][0] != seen[1][0], 'the two runs took different paths in the browser'
    assert seen[0][1] == seen[1][1], 'and the server could not tell them apart'


def test_analytics_is_the_explicit_opt_in_that_sends_flow_progress(page, collector):
    steps, events = typing_run(page, collector, 'analytics', 'alice')
    flow = [(e['flow'], e.get('step'), e['action']) for e in events if e['type'] == 'flow']
    assert flow == [
        ('typing', 'a-to-m', 'started'),
        ('typing', 'a-to-m', 'stepSeen'),
        ('typing', 'typed', 'stepSeen'),
    ]


def test_page_views_before_login_are_never_stored_nor_attached_to_the_user_later(page, collector):
    page.goto(collector.url + '/fixtures/manual.html')
    # An older version kept drafts in storage: they are dropped, not sent, by the next page.
    page.evaluate("""localStorage.setItem('uf:q:0123456789abcdef', JSON.stringify({ready: [],
        drafts: [{type: 'page', seq: 1, ms: 0, id: 'x', fields: {url: 'https://old.example/legacy'}}]}))""")
    page.goto(collector.url + '/fixtures/basic.html?manual=1')  # anonymous: init, no identify
    page.evaluate('([t, e]) => userflow.init(t, {endpoint: e})', [TOKEN, collector.url])
    page.wait_for_timeout(300)
    stored = page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('uf:q:'))")
    assert stored == [], 'a draft waiting for an identity is never written to storage'
    open_manual(page, collector)  # the next page: the visitor logs in here
    page.evaluate("userflow.identify('alice')")
    marker(page, collector, 'logged_in')
    urls = [e['url'] for e in collector.sink.events() if e['type'] == 'page']
    assert urls == [collector.url + '/fixtures/manual.html']
    assert 'legacy' not in json.dumps(collector.sink.events())


def test_content_is_fetched_without_any_validator_the_server_chose(page, collector):
    for _ in range(3):  # the collector answers with an ETag each time
        page.goto(collector.url + '/fixtures/flows.html')
        wait_for(lambda: page.evaluate("!!document.querySelector('userflow-ui')"))
    gets = [r for r in collector.sink.requests if r.path.startswith('/v1/content/')]
    assert len(gets) == 3
    for request in gets:
        assert not {'if-none-match', 'if-modified-since', 'cookie'} & set(request.headers)
        assert request.target == '/v1/content/tok_flows'


NAVIGATING = {
    'version': 1,
    'flows': [
        {
            'id': 'go',
            'autoStart': {'when': {'element': '#secret-flag', 'state': 'present'}},
            'steps': [
                {
                    'id': 'card',
                    'type': 'modal',
                    'title': 'Go?',
                    'buttons': [{'label': 'Go', 'action': {'navigate': '/fixtures/other.html'}}],
                    'triggers': [
                        {
                            'when': {'element': '#secret-flag', 'state': 'visible'},
                            'action': {'navigate': '/fixtures/other.html?by=trigger'},
                        }
                    ],
                }
            ],
        }
    ],
}


def navigating_page(page, collector, privacy):
    open_manual(page, collector, privacy)
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<b id=secret-flag>flag</b>')")
    page.evaluate('(c) => userflow.loadContent(c)', NAVIGATING)


def test_in_strict_mode_a_trigger_cannot_navigate_but_a_click_can(page, collector):
    navigating_page(page, collector, 'strict')
    modal = page.locator('userflow-ui').get_by_role('dialog')
    modal.wait_for()
    page.wait_for_timeout(500)
    assert page.url.endswith('/fixtures/manual.html'), 'the trigger held, and nothing was requested'
    assert not [r for r in collector.sink.requests if r.path == '/fixtures/other.html']
    assert any('navigate refused: privacy "strict"' in m for m in page.record.warnings())
    modal.get_by_role('button', name='Go').click()
    page.wait_for_url('**/fixtures/other.html')


def test_in_standard_mode_a_trigger_still_navigates(page, collector):
    navigating_page(page, collector, 'standard')
    page.wait_for_url('**/fixtures/other.html?by=trigger')


def test_opting_out_removes_page_views_from_the_batch_in_flight_and_from_storage(page, collector):
    open_manual(page, collector)
    collector.sink.set_delay(1.5)
    collector.sink.fail_next(1, 503)  # the first batch (identify + page) will have to be retried
    page.evaluate("userflow.identify('alice')")
    wait_for(lambda: collector.sink.arrived == 1)  # the server holds it, its answer 1.5 s away
    page.evaluate('userflow.setPageTrackingDisabled(true)')  # while that batch is on its way
    stored = page.evaluate("""Object.keys(localStorage).filter((k) => k.startsWith('uf:q:'))
        .map((k) => localStorage.getItem(k)).join('')""")
    assert '"page"' not in stored and '"identify"' in stored
    collector.sink.set_delay(0)
    marker(page, collector, 'after_opt_out')
    assert [e['type'] for e in collector.sink.events()] == ['identify', 'track']


def test_the_egress_log_lists_every_request_the_sdk_made(page, collector):
    page.goto(collector.url + '/fixtures/flows.html')
    wait_for(lambda: page.evaluate("!!document.querySelector('userflow-ui')"))
    page.evaluate("userflow.track('logged')")
    wait_for(lambda: any(e.get('name') == 'logged' for e in collector.sink.events()))
    log = page.evaluate('userflow.getEgressLog()')
    assert [r['kind'] for r in log][:1] == ['core']
    assert {r['kind'] for r in log} == {'core', 'content', 'chunk', 'events'}
    logged = sorted((r['method'], r['url']) for r in log)

    def seen():  # Playwright hears of the SDK frame's last request a moment after it is made
        sdk = [r for r in page.record.requests if '/dist/userflow-' in r['url'] or '/v1/' in r['url']]
        return sorted((r['method'], r['url']) for r in sdk)

    wait_for(lambda: len(seen()) >= len(logged))
    assert seen() == logged
    posted = [r.body.decode() for r in collector.sink.events_posts()]
    assert [r['body'] for r in log if r['kind'] == 'events'] == posted
    content = next(r for r in log if r['kind'] == 'content')
    assert content['options']['cache'] == 'no-store' and content['options']['credentials'] == 'omit'
    # init came first: the core came with the engine (the app file), pinned by sha256 as the chunks are
    assert [r['options']['integrity'][:7] for r in log if r['kind'] == 'core'] == ['sha256-']
    assert all(r['options']['integrity'].startswith('sha256-') for r in log if r['kind'] == 'chunk')


def test_identifiers_in_paths_never_leave_with_the_default_filter(page, collector):
    open_manual(page, collector)
    page.evaluate("userflow.identify('alice')")
    token = 'Xk3J9aLq0ZpR7tWm2Yb8'
    for path in [
        '/reset-password/' + token,
        '/users/jane.doe@example.com/',
        '/cart;jsessionid=ABC123',
        '/orders/982341/items',
    ]:
        page.evaluate('(p) => history.pushState({}, "", p)', path)
        page.wait_for_timeout(50)
    marker(page, collector, 'browsed')
    urls = [e['url'] for e in collector.sink.events() if e['type'] == 'page']
    origin = collector.url
    assert urls == [
        origin + '/fixtures/manual.html',
        origin + '/reset-password/:id',
        origin + '/users/:id/',
        origin + '/cart',
        origin + '/orders/:id/items',
    ]
    sent = ''.join(r.body.decode() for r in collector.sink.events_posts())
    assert token not in sent and 'jane' not in sent and 'jsessionid' not in sent and '982341' not in sent


def test_an_id_derived_on_the_server_passes_as_is_and_a_guessable_one_is_warned_about(page, collector):
    open_manual(page, collector)
    derived = derive_user_id('server-side secret', 'alice@example.com')
    page.evaluate("userflow.identify('not-hex', {}, {hashed: true})")
    page.evaluate('(id) => userflow.identify(id, {}, {hashed: true})', derived)
    marker(page, collector, 'derived')
    assert {e['user'] for e in collector.sink.events()} == {derived}
    assert all(e['hashed'] is True for e in collector.sink.events())
    refusal = 'identify refused: a hashed user ID must be 64 hex digits'
    assert any(refusal in m for m in page.record.warnings())
    assert not any('guessable' in m for m in page.record.warnings())
    page.evaluate("userflow.identify('1234567')")
    marker(page, collector, 'guessable')
    assert hmac_hex(TOKEN, '1234567') in {e['user'] for e in collector.sink.events()}
    assert sum('guessable user ID' in m for m in page.record.warnings()) == 1


STORED_KEY = re.compile(r'^uf:(anon|flows|events|q:[0-9a-f]{16})$')


def test_storage_holds_only_the_documented_keys_and_nothing_sent_later_that_may_not_be_sent_now(
    page, collector
):
    typing_run(page, collector, 'analytics', 'alice')
    page.evaluate('userflow.identifyAnonymous()')
    marker(page, collector, 'anonymous')
    keys = page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('uf:'))")
    assert keys and all(STORED_KEY.match(k) for k in keys), keys
    readme = (ROOT / 'README.md').read_text()
    for key in ['uf:anon', 'uf:flows', 'uf:events', 'uf:q:']:
        assert f'`{key}' in readme, f'{key} is documented in the README'
    # What an analytics-mode page left queued (a flow event, a page view) is not sent by a
    # later page in strict mode: only what may be sent now leaves.
    event = {'seq': 1, 'ts': '2026-01-01T00:00:00.000Z', 'user': 'u1', 'hashed': False}
    queued = [
        dict(event, id=str(uuid.uuid4()), type='flow', flow='typing', action='started'),
        dict(event, id=str(uuid.uuid4()), type='page', url='https://x.example/'),
        dict(event, id=str(uuid.uuid4()), type='track', name='kept'),
    ]
    page.evaluate('(q) => localStorage.setItem("uf:q:00000000000000ff", JSON.stringify({ready: q}))', queued)
    before = len(collector.sink.events())
    open_manual(page, collector, 'strict')
    page.evaluate("userflow.identify('alice')")
    marker(page, collector, 'strict_page')
    later = collector.sink.events()[before:]
    assert [(e['type'], e.get('name')) for e in later] == [
        ('track', 'kept'),
        ('identify', None),
        ('track', 'strict_page'),
    ]
