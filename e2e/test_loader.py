"""The loader (SPEC §4): queue and replay, an isolated realm, strict CSP and Trusted Types."""

import pytest

from helpers import INSECURE_HOST, tamper, wait_for


def test_calls_made_before_the_core_loads_are_replayed_in_order(page, collector):
    page.goto(collector.url + '/fixtures/basic.html')
    # app.js called init, identify and track before the core existed; identify's promise,
    # returned by the stub, resolves once the core has replayed it.
    assert page.evaluate('window.__fixture.identified.then(() => "resolved")') == 'resolved'
    events = wait_for(lambda: len(collector.sink.events()) >= 3 and collector.sink.events())
    diagnostic = [(r.method, r.path, r.status, r.body[:300]) for r in collector.sink.requests]
    assert [(e['type'], e['seq']) for e in events] == [('page', 1), ('identify', 2), ('track', 3)], diagnostic
    assert events[2]['name'] == 'queued_before_load'
    assert page.evaluate('userflow.isIdentified()') is True


def test_the_core_runs_in_one_hidden_same_origin_iframe(page, collector):
    page.goto(collector.url + '/fixtures/basic.html')
    wait_for(lambda: collector.sink.events())
    frame = page.evaluate("""() => {
        const frames = document.querySelectorAll('iframe');
        const f = frames[0];
        return {count: frames.length, display: getComputedStyle(f).display,
                hidden: f.getAttribute('aria-hidden'), tab: f.tabIndex,
                sameOrigin: f.contentWindow.location.href,
                // Transcrypt's runtime extends the iframe's prototypes, never the host's.
                runtimeInFrame: 'append' in f.contentWindow.Array.prototype,
                runtimeInHost: 'append' in Array.prototype};
    }""")
    assert frame == {
        'count': 1,
        'display': 'none',
        'hidden': 'true',
        'tab': -1,
        'sameOrigin': 'about:blank',
        'runtimeInFrame': True,
        'runtimeInHost': False,
    }


def test_host_globals_and_builtin_prototypes_are_untouched_except_userflow(page, collector):
    page.goto(collector.url + '/fixtures/basic.html')
    wait_for(lambda: collector.sink.events())
    page.evaluate("""async () => {
        await userflow.track('used', {a: [1, 2]});
        await userflow.updateUser({b: true});
        userflow.on('error', () => {});
        userflow.getEgressLog();
        userflow.track('bad name that is fine', {'bad key': 1});
    }""")
    before, after = page.evaluate('[window.__fixture.before, window.__fixture.snapshot()]')
    added = sorted(set(after['window']) - set(before['window']))
    removed = sorted(set(before['window']) - set(after['window']))
    # The one hidden iframe appears as window[0] (an indexed frame, not a property the SDK set).
    assert added == ['0', 'userflow'] and removed == []
    for name in before:
        if name != 'window':
            assert after[name] == before[name], f'{name}.prototype changed'


@pytest.mark.parametrize('when', ['first', 'later'])
def test_init_with_an_endpoint_requests_the_content_and_chunks_while_the_core_is_on_its_way(
    page, collector, when
):
    """One round trip after the loader: on init with an endpoint the loader starts the content
    request and loads the core with the engine in one file (the app file) when init comes before
    it booted (`first`, as the snippet has it); else (`later`: the core alone is on its way) it
    preloads the engine's chunk. The core, once it runs, takes those responses (each file and
    the content requested once, each request in the egress log once)."""
    held = []
    core = 'userflow-app' if when == 'first' else 'userflow-core'
    page.route(f'**/{core}.*.js', lambda route: held.append(route))  # on its way until released
    page.goto(collector.url + f'/fixtures/flows.html?init={when}', wait_until='domcontentloaded')

    def sdk_requests():
        page.wait_for_timeout(20)  # a call into Playwright: only then are its request events heard
        return [
            r['url'].rsplit('/', 1)[1]
            for r in page.record.requests
            if '/userflow-' in r['url'] or '/v1/' in r['url']
        ]

    expected = ['tok_flows', core] + ([] if when == 'first' else ['userflow-flows'])
    early = wait_for(lambda: len(sdk_requests()) >= len(expected) and sdk_requests())
    assert held and sorted(n.split('.')[0] for n in early) == sorted(expected)
    assert page.evaluate('document.querySelector("iframe").contentWindow.userflowBoot.content[0]') == (
        collector.url + '/v1/content/tok_flows'
    )
    held[0].continue_()
    wait_for(lambda: page.evaluate("!!document.querySelector('userflow-ui')"))
    page.wait_for_timeout(300)
    requested = [n for n in sdk_requests() if n != 'events']
    # The content has a checklist: the engine then asks for the chunk that draws it (the loader
    # cannot know that at init). Nothing else is requested again.
    surfaces = [n for n in requested if n.startswith('userflow-surfaces.')]
    assert len(surfaces) == 1
    assert sorted(n for n in requested if n not in surfaces) == sorted(early), 'nothing the loader started'
    log = page.evaluate('userflow.getEgressLog()')
    assert sorted(r['url'].rsplit('/', 1)[1] for r in log if r['kind'] != 'events') == sorted(
        early + surfaces
    )
    assert not [m for m in page.record.console if 'preload' in m]


def test_a_return_visit_requests_only_the_content_the_sdk_files_come_from_the_cache(page, collector):
    """The loader for 5 minutes, the content-named core and chunks for a year (immutable): a
    second visit in the same browser loads the loader, core and chunks from its cache and sends
    one request, for the content (the collector serves dist/ as the README tells self-hosters to)."""
    url = collector.url + '/fixtures/flows.html'
    page.goto(url)
    # The content has a checklist: the surfaces chunk draws it.
    sdk_files = ['userflow', 'userflow-app', 'userflow-surfaces']

    def first():
        return sorted(
            {
                r.path.rsplit('/', 1)[1].split('.')[0]
                for r in collector.sink.requests
                if r.path.startswith('/dist/')
            }
        )

    wait_for(lambda: first() == sdk_files)
    page.goto('about:blank')
    collector.sink.clear()
    page.goto(url)
    content = '/v1/content/tok_flows'
    wait_for(lambda: content in [r.path for r in collector.sink.requests])
    files = """() => [window, document.querySelector('iframe').contentWindow].flatMap(w =>
        w.performance.getEntriesByType('resource').filter(e => /userflow[-.]/.test(e.name))
          .map(e => [e.name.split('/').pop().split('.')[0], e.transferSize]))"""
    loaded = wait_for(lambda: len(page.evaluate(files)) == len(sdk_files) and page.evaluate(files))
    assert sorted(loaded) == [[name, 0] for name in sdk_files], 'each from the cache: nothing transferred'
    page.wait_for_timeout(300)
    sent = [r.path for r in collector.sink.requests]
    assert [p for p in sent if not p.startswith('/fixtures/') and p != '/v1/events'] == [content]


def test_an_endpoint_the_core_would_rewrite_gets_no_early_request_and_one_from_the_core(page, collector):
    # A trailing slash: the core strips it, so the loader leaves the request to the core.
    page.goto(collector.url + '/fixtures/basic.html?endpoint=' + collector.url + '/')
    wait_for(lambda: collector.sink.events())
    assert page.evaluate('document.querySelector("iframe").contentWindow.userflowBoot.content') is None
    content = [r for r in page.record.requests if '/v1/content/' in r['url']]
    assert [r['url'] for r in content] == [collector.url + '/v1/content/tok_fixture']
    assert [r['kind'] for r in page.evaluate('userflow.getEgressLog()')].count('content') == 1


def test_a_strict_nonce_csp_with_trusted_types_runs_with_zero_violations(page, collector):
    page.goto(collector.url + '/fixtures/basic.html?csp=strict')
    events = wait_for(lambda: len(collector.sink.events()) >= 3 and collector.sink.events())
    assert [e['type'] for e in events] == ['page', 'identify', 'track']
    headers = next(r for r in collector.sink.requests if r.path == '/fixtures/basic.html')
    assert headers.status == 200
    csp = page.evaluate('window.__fixture.violations')
    assert csp == [] and collector.sink.csp_reports == []
    assert not [m for m in page.record.console if 'Content Security Policy' in m or 'Trusted Type' in m]


def test_the_strict_csp_fixture_really_blocks_scripts_without_the_nonce(page, collector):
    """The CSP test above proves something only if the policy is enforced."""
    response = page.goto(collector.url + '/fixtures/basic.html?csp=strict')
    assert "require-trusted-types-for 'script'" in response.headers['content-security-policy']
    refused = page.evaluate("""() => { const s = document.createElement('script');
        try { s.textContent = 'window.injected = 1'; } catch (e) { return e.name; }
        document.head.appendChild(s); return 'accepted'; }""")
    assert refused == 'TypeError'
    wait_for(lambda: page.evaluate('window.__fixture.violations.length') > 0)
    assert page.evaluate('window.injected') is None


def test_a_core_that_fails_its_sri_check_is_refused_and_the_host_keeps_working(page, collector):
    tamper(page, '**/userflow-core.*.js')
    page.goto(collector.url + '/fixtures/manual.html')
    page.click('#host-button')
    assert page.evaluate('window.hostClicks') == 1
    wait_for(lambda: [m for m in page.record.console if 'integrity' in m or 'core failed' in m])
    frame_tampered = page.evaluate('document.querySelector("iframe").contentWindow.tampered')
    assert frame_tampered is None and page.record.errors == []


@pytest.mark.parametrize('failure', ['404', 'sri'])
def test_every_promise_settles_and_error_listeners_hear_why_if_the_core_cannot_load(page, collector, failure):
    if failure == '404':
        page.route('**/userflow-core.*.js', lambda route: route.fulfill(status=404, body='gone'))
    else:
        tamper(page, '**/userflow-core.*.js')
    page.goto(collector.url + '/fixtures/manual.html')
    outcome = page.evaluate("""async () => {
        const heard = [];
        userflow.on('error', (e) => heard.push(e));
        userflow.init('tok_fail', {endpoint: location.origin});
        const started = performance.now();
        const results = await Promise.all([userflow.identify('u1'), userflow.track('t'),
                                           userflow.start('x'), userflow.reset()]);
        await new Promise((r) => setTimeout(r, 50));  // listeners run in a task of their own
        const later = await userflow.track('after');  // a call after the failure resolves too
        return {results, later, heard, ms: performance.now() - started,
                identified: userflow.isIdentified(), log: userflow.getEgressLog()};
    }""")
    assert outcome['results'] == [None, None, None, None] and outcome['later'] is None
    assert outcome['ms'] < 5000
    assert outcome['heard'] == [{'method': 'load', 'message': outcome['heard'][0]['message']}]
    assert 'core failed to load' in outcome['heard'][0]['message']
    assert outcome['log'] == [] and page.record.errors == []
    # At most the content request the loader starts on init beside the core (the token alone),
    # if init came before the failure was known; nothing about the user.
    assert {(r['method'], r['url']) for r in page.record.requests if '/v1/' in r['url']} <= {
        ('GET', collector.url + '/v1/content/tok_fail')
    }


def test_a_chunk_that_cannot_load_drops_its_call_with_an_error_event_and_resolves(page, collector):
    # Not a secure context: identify needs the pure HMAC of the sha256 chunk, which 404s here.
    page.route('**/userflow-sha256.*.js', lambda route: route.fulfill(status=404, body='gone'))
    base = collector.url.replace('127.0.0.1', INSECURE_HOST)
    page.goto(base + '/fixtures/manual.html')
    outcome = page.evaluate(
        """async (endpoint) => {
        const heard = [];
        userflow.on('error', (e) => heard.push(e));
        userflow.init('tok_fail', {endpoint});
        const result = await userflow.identify('u1');
        await new Promise((r) => setTimeout(r, 50));
        return {result, heard};
    }""",
        collector.url,
    )
    assert outcome['result'] is None
    assert [e['method'] for e in outcome['heard']] == ['call']
    assert 'sha256 chunk failed to load' in outcome['heard'][0]['message']
    assert page.record.errors == []
