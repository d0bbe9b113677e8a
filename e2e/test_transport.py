"""Delivery (SPEC §7): nothing lost across outages and reloads, nothing counted twice, the
server's Retry-After respected, nothing tried while offline."""

from helpers import wait_for
from sdk.collector import Collector

SETUP = "userflow.init('tok_transport', {endpoint: location.origin}); userflow.identify('u1')"


def identified(page, collector):
    """The manual fixture, identified, with its first events delivered."""
    page.goto(collector.url + '/fixtures/manual.html')
    page.evaluate(SETUP)
    wait_for(lambda: collector.sink.events())


def tracked(collector, prefix):
    return [e['name'] for e in collector.sink.events() if e.get('name', '').startswith(prefix)]


def test_an_outage_then_recovery_delivers_every_event_exactly_once(page, collector):
    identified(page, collector)
    collector.sink.set_down(True)
    page.evaluate("for (let i = 0; i < 30; i++) userflow.track('o' + i)")
    wait_for(lambda: any(r.status == 0 for r in collector.sink.requests), 10)
    collector.sink.set_down(False)
    names = wait_for(lambda: len(tracked(collector, 'o')) == 30 and tracked(collector, 'o'), 30)
    assert names == [f'o{i}' for i in range(30)]
    attempts = [r for r in collector.sink.events_posts() if b'"o0"' in r.body]
    assert len(attempts) >= 2, 'the first attempt failed, a retry delivered'


def test_a_reload_in_the_middle_of_an_outage_loses_nothing(page, collector):
    identified(page, collector)
    collector.sink.set_down(True)
    page.evaluate("for (let i = 0; i < 10; i++) userflow.track('r' + i)")
    page.wait_for_timeout(500)
    keys = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('uf:q:'))")
    assert len(keys) == 1, 'the unsent events are kept in localStorage'
    page.reload()
    collector.sink.set_down(False)
    page.evaluate(SETUP)
    names = wait_for(lambda: len(tracked(collector, 'r')) == 10 and tracked(collector, 'r'), 30)
    assert names == [f'r{i}' for i in range(10)]
    wait_for(
        lambda: page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('uf:q:')).length") == 0
    )


def test_a_429_with_retry_after_is_respected(page, collector):
    page.goto(collector.url + '/fixtures/manual.html')
    collector.sink.fail_next(1, 429, '5')
    page.evaluate(SETUP)
    wait_for(lambda: collector.sink.events(), 15)
    refused, accepted = collector.sink.events_posts()
    assert (refused.status, accepted.status) == (429, 204)
    assert accepted.at - refused.at >= 5 - 0.05  # no request before the 5 s the server asked for
    assert refused.body == accepted.body


def test_nothing_is_tried_offline_and_everything_leaves_when_back_online(page, collector):
    identified(page, collector)
    posts = len(collector.sink.events_posts())
    page.context.set_offline(True)
    page.evaluate("for (let i = 0; i < 5; i++) userflow.track('f' + i)")
    page.wait_for_timeout(3000)
    assert len(collector.sink.events_posts()) == posts
    page.context.set_offline(False)
    names = wait_for(lambda: len(tracked(collector, 'f')) == 5 and tracked(collector, 'f'), 15)
    assert names == [f'f{i}' for i in range(5)]


def test_past_1000_events_offline_the_oldest_are_dropped_and_counted(page, collector):
    identified(page, collector)
    page.context.set_offline(True)
    page.evaluate("for (let i = 0; i < 1200; i++) userflow.track('b' + i)")
    assert page.evaluate('userflow.getEgressLog().dropped') == 200
    assert page.evaluate('userflow.getEgressLog().droppedBy') == {'full': 200, 'refused': 0, 'purged': 0}
    page.context.set_offline(False)
    names = wait_for(lambda: len(tracked(collector, 'b')) == 1000 and tracked(collector, 'b'), 30)
    assert names == [f'b{i}' for i in range(200, 1200)]
    assert len([m for m in page.record.warnings() if 'the event queue is full' in m]) == 1  # once a page


def test_a_refused_batch_is_dropped_and_counted_with_its_reason(page, collector):
    page.goto(collector.url + '/fixtures/manual.html')
    collector.sink.fail_next(1, 400)
    page.evaluate(SETUP)
    wait_for(lambda: collector.sink.events_posts(), 15)
    page.wait_for_timeout(300)
    log = page.evaluate('(() => { const l = userflow.getEgressLog(); return [l.dropped, l.droppedBy]; })()')
    sent = len(collector.sink.events_posts()[0].json()['batch'])
    assert log == [sent, {'full': 0, 'refused': sent, 'purged': 0}]
    assert any('the server refused a batch' in m for m in page.record.warnings())


def test_the_sdk_delivers_to_an_https_collector_that_sends_hsts(browser):
    with Collector(https=True) as server:
        context = browser.new_context(ignore_https_errors=True)  # the collector's CA is local
        page = context.new_page()
        response = page.goto(server.url + '/fixtures/manual.html')
        assert response.headers['strict-transport-security'] == 'max-age=63072000; includeSubDomains; preload'
        page.evaluate(SETUP)
        assert [e['type'] for e in wait_for(lambda: server.sink.events())][:2] == ['page', 'identify']
        assert page.evaluate('isSecureContext') is True
        context.close()


def test_a_30_second_outage_loses_nothing_and_duplicates_nothing(page, collector):
    """Real time: the SDK's timers live in its own realm, which clock control does not reach
    reliably, and this is the case users meet."""
    identified(page, collector)
    collector.sink.set_down(True)
    for second in range(30):
        page.evaluate(f"userflow.track('long{second}')")
        page.wait_for_timeout(1000)
    failed = len([r for r in collector.sink.requests if r.status == 0])
    collector.sink.set_down(False)
    names = wait_for(lambda: len(tracked(collector, 'long')) == 30 and tracked(collector, 'long'), 90)
    assert names == [f'long{i}' for i in range(30)]
    assert failed >= 3, 'the SDK kept retrying through the outage, with backoff'
    assert failed <= 30, 'and did not hammer the server'


def test_a_slow_server_gets_one_request_at_a_time_and_everything_in_order(page, collector):
    identified(page, collector)
    collector.sink.set_delay(1.5)
    page.evaluate("for (let i = 0; i < 120; i++) userflow.track('slow' + i)")
    names = wait_for(lambda: len(tracked(collector, 'slow')) == 120 and tracked(collector, 'slow'), 30)
    assert names == [f'slow{i}' for i in range(120)]
    posts = [r for r in collector.sink.events_posts() if b'slow' in r.body]
    assert all(b.at - a.at >= 1.4 for a, b in zip(posts, posts[1:], strict=False)), 'never two at once'
