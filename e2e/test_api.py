"""The public API in the browser: refusals that name the problem, and a host that never sees
an SDK error (SPEC §4, §5)."""

import json

from helpers import hmac_hex, wait_for

ENDPOINT_SETUP = "userflow.init('tok_api', {endpoint: location.origin})"


def open_manual(page, collector, setup=ENDPOINT_SETUP):
    page.goto(collector.url + '/fixtures/manual.html')
    page.evaluate(setup)


def host_saw_nothing(page):
    assert page.evaluate('window.__fixture.errors') == []
    assert page.evaluate('window.__fixture.rejections') == []
    assert page.record.errors == []
    page.click('#host-button')
    assert page.evaluate('window.hostClicks') >= 1


def test_bad_calls_are_refused_with_a_named_warning_and_never_reach_the_host(page, collector):
    open_manual(page, collector)
    page.evaluate("""async () => {
        const cyclic = {}; cyclic.self = cyclic;
        const hostile = {get plan() { throw new Error('getter bomb'); }};
        userflow.on('error', () => { throw new Error('listener bomb'); });
        userflow.on('nonsense', () => {});
        userflow.on(null, () => {});
        userflow.on(true, () => {});
        userflow.on(Object.create(null), () => {});
        userflow.setUrlFilter(() => { throw new Error('filter bomb'); });
        await userflow.identify(undefined);
        await userflow.identify({});
        await userflow.identify('u1', {'1bad': 1});
        await userflow.identify('u1', {plan: 'x'.repeat(1025)});
        await userflow.identify('u1', cyclic);
        await userflow.identify('u1', hostile);
        await userflow.identify('u1', {when: new Date()});
        await userflow.identify('u1', {n: NaN});
        await userflow.track('', {});
        await userflow.track(Symbol('x'));
        await userflow.updateGroup({a: 1});
        await userflow.group(null);
        userflow.init('bad token!');
        userflow.init('tok_api', {privacy: 'paranoid'});
        userflow.setServerEndpoint('javascript:alert(1)');
        await userflow.start('no-such-flow');
        await userflow.endAll();
        await userflow.loadContent({version: 1, flows: []});
        userflow.setBaseZIndex(10); userflow.setCustomNavigate(() => {}); userflow.remount();
    }""")
    warnings = '\n'.join(page.record.warnings())
    for expected in [
        'identify refused: user ID must be a non-empty string',
        'attribute key "1bad" does not match',
        'attribute "plan" is longer than 1024 characters',
        'attribute "self" must be a value or one operation {set|set_once|',
        'attribute "when" must be a string, number, boolean or null (got other)',
        'attribute "n" is not a finite number',
        'track refused: event name must be a string of 1 to 128 characters',
        'updateGroup refused: call group() first',
        'on refused: unknown event "nonsense"',
        # What the app passed, spelled as JavaScript spells it (prune.py's `str`)
        'on refused: unknown event "null"',
        'on refused: unknown event "true"',
        'on refused: unknown event "<object>"',
        'init refused: token must be',
        'init refused: privacy must be',
        'setServerEndpoint refused: endpoint must be an absolute https:// URL',
        'a listener for "error" threw',
    ]:
        assert expected in warnings, expected
    host_saw_nothing(page)
    # Nothing was identified, so nothing was sent, not even the page view.
    page.wait_for_timeout(2500)
    assert collector.sink.events_posts() == []


def test_a_hostile_attribute_object_is_refused_whole(page, collector):
    open_manual(page, collector)
    page.evaluate("""async () => {
        await userflow.identify('u1', {get plan() { throw new Error('getter bomb'); }});
        await userflow.identify('u2', {ok: 1});
    }""")
    events = wait_for(lambda: collector.sink.events())
    assert [(e['type'], e.get('attributes')) for e in events if e['type'] == 'identify'] == [
        ('identify', {'ok': 1})
    ]
    host_saw_nothing(page)


def test_an_http_endpoint_that_is_not_loopback_is_refused_and_nothing_is_sent(page, collector):
    open_manual(page, collector, "userflow.init('tok_api', {endpoint: 'http://collector.example'})")
    page.evaluate("""async () => {
        userflow.init('tok_api');
        userflow.setServerEndpoint('http://evil.example/v1');
        await userflow.identify('u1');
        await userflow.track('t');
    }""")
    page.wait_for_timeout(2500)
    errors = [m for m in page.record.console if 'refused' in m]
    assert any('init refused: http is allowed only for localhost' in m for m in errors)
    assert any('setServerEndpoint refused: http is allowed only' in m for m in errors)
    assert [r for r in page.record.requests if '/v1/' in r['url'] or 'example' in r['url']] == []
    assert 'no server endpoint set' in '\n'.join(page.record.warnings())
    assert [r['kind'] for r in page.evaluate('userflow.getEgressLog()')] == ['core'], 'no content, no events'


def test_the_egress_log_holds_exactly_what_was_sent(page, collector):
    open_manual(page, collector)
    page.evaluate("userflow.identify('u1', {plan: 'pro'}); userflow.track('clicked', {n: 2})")
    posts = wait_for(lambda: collector.sink.events_posts())
    log = [r for r in page.evaluate('userflow.getEgressLog()') if r['kind'] == 'events']
    assert [entry['body'].encode() for entry in log] == [p.body for p in posts]
    assert log[0]['method'] == 'POST' and log[0]['url'] == collector.url + '/v1/events'
    assert log[0]['options'] == {
        'method': 'POST',
        'body': log[0]['body'],
        'credentials': 'omit',
        'mode': 'cors',
        'cache': 'no-store',
        'referrerPolicy': 'no-referrer',
        'keepalive': False,
    }
    # The log is made of the host's own objects, not the SDK realm's.
    assert page.evaluate('Object.getPrototypeOf(userflow.getEgressLog()) === Array.prototype')


def test_events_pending_when_the_page_closes_are_flushed(page, collector):
    open_manual(page, collector)
    page.evaluate("userflow.identify('u1'); userflow.track('last_words')")
    page.click('#away')  # well inside the 2 s batch window
    wait_for(lambda: any(e.get('name') == 'last_words' for e in collector.sink.events()), 5)


def test_batches_wait_up_to_two_seconds_or_fifty_events(page, collector):
    open_manual(page, collector)
    page.evaluate("""() => { userflow.identify('u1');
        for (let i = 0; i < 120; i++) userflow.track('e' + i); }""")
    wait_for(lambda: len(collector.sink.events()) == 122, 8)
    batches = {p.json()['batch'][0]['id']: len(p.json()['batch']) for p in collector.sink.events_posts()}
    assert max(batches.values()) == 50 and sum(batches.values()) == 122  # a retried batch counts once
    assert [e['seq'] for e in collector.sink.events()] == list(range(1, 123))


def test_allowed_attributes_drop_other_keys_with_a_warning(page, collector):
    open_manual(
        page, collector, "userflow.init('tok_api', {endpoint: location.origin, allowedAttributes: ['plan']})"
    )
    page.evaluate("userflow.identify('u1', {plan: 'pro', email: 'a@b.example'})")
    event = wait_for(lambda: [e for e in collector.sink.events() if e['type'] == 'identify'])[0]
    assert event['attributes'] == {'plan': 'pro'}
    assert 'email' not in json.dumps([r.body.decode() for r in collector.sink.requests])
    assert any('dropped: email' in m for m in page.record.warnings())


def test_a_custom_url_filter_decides_what_page_views_say(page, collector):
    open_manual(
        page,
        collector,
        "userflow.setUrlFilter(u => u.includes('private') ? null : new URL(u).pathname); " + ENDPOINT_SETUP,
    )
    page.evaluate("userflow.identify('u1')")
    page.evaluate("history.pushState({}, '', '/private/area')")
    page.evaluate("history.pushState({}, '', '/public/page?x=1')")
    urls = wait_for(
        lambda: (
            len([e for e in collector.sink.events() if e['type'] == 'page']) >= 2
            and [e['url'] for e in collector.sink.events() if e['type'] == 'page']
        )
    )
    assert urls == ['/fixtures/manual.html', '/public/page']


def test_anonymous_ids_persist_and_reset_forgets_them(page, collector):
    open_manual(page, collector)
    page.evaluate('userflow.identifyAnonymous({trial: true})')
    first = wait_for(lambda: collector.sink.events())[0]['user']
    assert page.evaluate('userflow.isIdentified()') is True
    stored = page.evaluate('localStorage.getItem("uf:anon")')
    assert len(stored) == 32 and first == hmac_hex('tok_api', stored)
    page.reload()
    page.evaluate(ENDPOINT_SETUP + '; userflow.identifyAnonymous()')
    wait_for(
        lambda: len({e['user'] for e in collector.sink.events()}) == 1 and len(collector.sink.events()) >= 3
    )
    assert {e['user'] for e in collector.sink.events()} == {first}
    page.evaluate("localStorage.setItem('host-key', 'kept')")
    page.evaluate('userflow.reset()')
    assert page.evaluate('userflow.isIdentified()') is False
    keys = page.evaluate('Object.keys(localStorage)')
    assert keys == ['host-key']
    page.evaluate('userflow.identifyAnonymous()')
    wait_for(lambda: len({e['user'] for e in collector.sink.events()}) == 2)


def test_group_ids_leave_hashed_like_user_ids(page, collector):
    open_manual(page, collector)
    page.evaluate("userflow.identify('u1'); userflow.group('acme-corp', {plan: 'team'})")
    group = wait_for(lambda: [e for e in collector.sink.events() if e['type'] == 'group'])[0]
    assert group['group'] == hmac_hex('tok_api', 'acme-corp')
    assert 'acme-corp' not in ''.join(r.body.decode() for r in collector.sink.requests)
