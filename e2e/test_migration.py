"""Issue 15: an app written for Userflow.js runs unchanged. fixtures/spa/migrate.js calls every
method of Userflow.js 2.14's typings, with the argument forms they allow, before the core loads
and after, inside the Vue SPA; the results, the UI, the wire and the collector's profiles are
checked here (and the same page passes the privacy audit in test_audit.py)."""

import runpy

from helpers import hmac_hex, ui, wait_for

from sdk import PY_SRC

API = runpy.run_path(str(PY_SRC / 'userflow' / 'pure' / 'api.py'))

# Userflow.js 2.14's public methods (node_modules/userflow-js-2-14/dist/types/userflow.d.ts),
# each called by migrate.js; tests/types/compat.mts checks the same list against the typings.
USERFLOW_JS = set(
    'load init identify identifyAnonymous updateUser group updateGroup track isIdentified start '
    'startFlow startWalk endAll endAllFlows endChecklist openResourceCenter closeResourceCenter '
    'toggleResourceCenter setResourceCenterLauncherHidden getResourceCenterState reset remount on '
    'off setCustomInputSelector registerCustomInput setCustomNavigate setUrlFilter setLinkUrlDecorator '
    'setInferenceAttributeNames setInferenceAttributeFilter setInferenceClassNameFilter '
    'setScrollPadding setCustomScrollIntoView prepareAudio _setTargetEnv setShadowDomEnabled '
    'setPageTrackingDisabled setBaseZIndex setServerEndpoint disableEvalJs debugger'.split()
)


def migrated(page, collector):
    page.goto(collector.url + '/fixtures/spa/?migrate=1')
    wait_for(lambda: page.evaluate('window.__migration.done'))
    return page.evaluate('window.__migration')


def test_every_userflow_js_method_exists_and_nothing_reaches_the_host(page, collector):
    assert USERFLOW_JS <= set(API['all_methods']())
    run = migrated(page, collector)
    assert run['missing'] == [] and run['thrown'] == []
    assert page.record.errors == []
    fixture = page.evaluate('window.__fixture')
    assert fixture['errors'] == [] and fixture['rejections'] == []
    # What the stub answers before the core loads is what the core answers after.
    for name in ['isIdentified', 'getResourceCenterState']:
        assert run['before'][name] == run['after'][name], name
    assert run['after']['getResourceCenterState'] == 'null' and run['after']['isIdentified'] == 'true'
    for name in ['identify', 'track', 'startWalk', 'endChecklist', 'debugger']:
        assert run['after'][name] == 'promise', name
    wait_for(lambda: page.evaluate("window.__migration.after['debugger resolved']"))
    # Inert methods say so once, at debug level; nothing else is logged about them.
    inert = [m for m in page.record.console if 'does nothing here' in m]
    assert len(inert) == len(set(inert)) == 6


def test_load_content_then_start_starts_a_flow_of_that_content_though_the_fetch_lands_too(page, collector):
    migrated(page, collector)
    heard = "window.__migration.events.filter(e => e.kind == 'flowStarted').map(e => e.e.flowId)"
    wait_for(lambda: 'server-flow' in page.evaluate(heard))  # the engine loads after load() resolves
    started = page.evaluate(heard)
    assert started[0] == 'migrate-tour'  # before the core loaded: loadContent(c); start(id of c)
    assert 'server-flow' in started  # the fetched content was combined, not replaced
    assert not [m for m in page.record.warnings() if 'no flow' in m]


def test_custom_inputs_links_and_the_debugger_work_in_the_page(page, collector):
    migrated(page, collector)
    # The link in the step body, decorated by the app's setLinkUrlDecorator.
    link = wait_for(lambda: ui(page, 'a').count() and ui(page, 'a').first.get_attribute('href'))
    assert link == 'https://docs.example.com/start?ref=tour'
    # A registered custom input feeds `input` conditions: the checklist task completes.
    page.evaluate("document.querySelector('.rich-editor').setAttribute('data-value', 'done')")
    wait_for(lambda: page.evaluate("window.__migration.events.some(e => e.kind == 'checklistEnded')"))
    panel = page.locator('userflow-debugger .panel')  # (Playwright's CSS enters open shadow roots)
    wait_for(lambda: panel.count() and 'Flow migrate-tour' in (panel.text_content() or ''))
    text = panel.text_content()
    assert 'Flow server-flow' in text and 'Checklist setup' in text and 'nothing shown here is sent' in text
    page.locator('userflow-debugger button').click()  # above the tour's modal backdrop
    wait_for(lambda: page.locator('userflow-debugger').count() == 0)


def test_attribute_operations_reach_the_stored_profiles(page, collector):
    migrated(page, collector)
    user = hmac_hex('tok_migrate', 'migrate-user')
    group = hmac_hex('tok_migrate', 'acme')

    def profiles():
        store = collector.sink.store
        return store.profile('tok_migrate', 'user', user), store.profile('tok_migrate', 'group', group)

    wait_for(lambda: (profiles()[0] or {}).get('logins') == 2 and profiles()[1], timeout=15)
    person, company = profiles()
    assert person == {
        'plan': 'pro',
        'logins': 2,
        'first_seen': '2026-01-01',
        'tags': ['before', 'after'],
        'seats': 3,
    }
    assert company == {'seats': -2, 'plan': 'team'}
    bodies = b''.join(r.body for r in collector.sink.requests)
    assert b'data_type' not in bodies and b'membership' not in bodies and b'admin' not in bodies
