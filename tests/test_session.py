"""The session (py_src/userflow/pure/session.py): what each public call decides, in CPython.
The same decisions are checked in V8 on generated call sequences in test_back_to_back.py."""

from userflow.pure.session import Session

PAGE = 'https://app.example.com/projects/8f3a9c2e-1b4d-4e5f-9a8b-7c6d5e4f3a2b?token=s3cret#x'
HERE = {'href': PAGE, 'now': 1000}
TOKEN = 'tok_live_1'
ENDPOINT = {'endpoint': 'https://collector.example.com'}


def kinds(effects):
    return [e['kind'] for e in effects]


def started(options=None, at=HERE):
    session = Session()
    session.init(at, TOKEN, options if options is not None else dict(ENDPOINT))
    return session


def test_init_configures_watches_sends_the_filtered_page_and_fetches_content_once():
    session = Session()
    effects = session.init(HERE, TOKEN, dict(ENDPOINT))
    # 'standard' privacy: flow events may not leave, so any stored ones are purged first.
    assert kinds(effects) == ['forget', 'purge', 'flows', 'configure', 'watch', 'event', 'content']
    assert effects[1]['type'] == 'flow'
    page = effects[5]
    # The default filter drops the query, the fragment and ID-like path segments.
    assert page['type'] == 'page' and page['fields'] == {'url': 'https://app.example.com/projects/:id'}
    assert page['chained'] is False and page['stamp'] == 1000
    again = session.init(HERE, TOKEN, dict(ENDPOINT))
    assert kinds(again) == ['purge', 'flows', 'configure']  # same token and page, content asked for
    assert kinds(session.init(HERE, 'tok_other', dict(ENDPOINT)))[0] == 'forget'


def test_a_refused_init_is_an_error_and_changes_nothing():
    session = Session()
    effects = session.init(HERE, '', None)
    assert kinds(effects) == ['refuse']
    assert effects[0]['level'] == 'error' and effects[0]['method'] == 'init'
    assert session.config is None
    assert kinds(session.track(HERE, 'x', None, None)) == ['refuse']
    assert session.track(HERE, 'x', None, None)[0]['message'] == 'call userflow.init(token) first'


def test_strict_privacy_purges_page_and_flow_events_and_sends_no_page_view():
    session = Session()
    effects = session.init(HERE, TOKEN, {'privacy': 'strict', **ENDPOINT})
    assert [e['type'] for e in effects if e['kind'] == 'purge'] == ['page', 'flow']
    assert 'event' not in kinds(effects)
    assert effects[kinds(effects).index('flows')]['args'] == [False, True, None]  # navigate on click only
    assert session.flow_event(HERE, {'flow': 'f', 'step': 's', 'action': 'started'}) == []


def test_flow_events_leave_under_analytics_only():
    assert started().flow_event(HERE, {'flow': 'f'}) == []
    [event] = started({'privacy': 'analytics', **ENDPOINT}).flow_event(HERE, {'flow': 'f'})
    assert event['type'] == 'flow' and event['fields'] == {'flow': 'f'}


def test_page_views_are_deduplicated_and_follow_page_tracking():
    session = started()
    assert session.navigated(HERE) == [{'kind': 'flows', 'op': 'navigated', 'args': [], 'wait': False}]
    assert session.setPageTrackingDisabled(HERE, True) == [{'kind': 'purge', 'type': 'page'}]
    assert session.navigated({'href': 'https://app.example.com/other', 'now': 2}) == [
        {'kind': 'flows', 'op': 'navigated', 'args': [], 'wait': False}
    ]
    # Turned back on: the page is sent again even though it is the last one sent.
    assert kinds(session.setPageTrackingDisabled(HERE, False)) == ['event']


def test_the_apps_url_filter_decides_and_its_failures_are_warnings():
    session = started()
    session.setPageTrackingDisabled(HERE, True)
    session.setPageTrackingDisabled(HERE, False)
    assert session.setUrlFilter(HERE, lambda href: href.split('?')[0]) == []
    [event] = session.navigated({'href': 'https://app.example.com/a?b=c', 'now': 5})[1:]
    assert event['fields'] == {'url': 'https://app.example.com/a'}
    session.setUrlFilter(HERE, lambda href: None)
    assert session.navigated({'href': 'https://app.example.com/b', 'now': 6})[1:] == []

    def boom(href):
        raise ValueError(href)

    session.setUrlFilter(HERE, boom)
    [warning] = session.navigated({'href': 'https://app.example.com/c', 'now': 7})[1:]
    assert warning == {'kind': 'warn', 'message': 'the URL filter threw; this page view was not sent'}
    session.setUrlFilter(HERE, lambda href: 'x' * 2049)
    assert 'at most 2048' in session.navigated(HERE)[1]['message']
    [refused] = session.setUrlFilter(HERE, 'not a function')
    assert refused['kind'] == 'refuse' and refused['level'] == 'warn'


def test_identify_checks_learns_and_asks_the_host_to_hash():
    session = started({'allowedAttributes': ['plan'], **ENDPOINT})
    effects = session.identify(HERE, 'user-1', {'plan': 'pro', 'email': 'a@b.c'}, None)
    assert kinds(effects) == ['warn', 'flows', 'identify']
    assert 'email' in effects[0]['message']
    assert effects[1] == {'kind': 'flows', 'op': 'learn', 'args': [{'plan': 'pro'}], 'wait': False}
    assert effects[2]['id'] == 'user-1' and effects[2]['derived'] is False
    assert effects[2]['call'] == {'attributes': {'plan': 'pro'}, 'signature': None, 'stamp': 1000}
    assert session.identified and session.known_attributes == {'plan': 'pro'}


def test_guessable_ids_warn_and_derived_ids_skip_hashing():
    session = started()
    assert kinds(session.identify(HERE, '12345', None, None)) == ['warn', 'flows', 'identify']
    derived = 'a' * 64
    effects = session.identify(HERE, derived, None, {'hashed': True})
    assert kinds(effects) == ['flows', 'identify'] and effects[1]['derived'] is True
    assert kinds(session.identify(HERE, 'short', None, {'hashed': True})) == ['refuse']


def test_track_remembers_the_name_and_chains_its_event():
    session = started()
    assert kinds(session.track(HERE, '', None, None)) == ['refuse']
    tracked, event = session.track(HERE, 'invited', {'n': 2}, None)
    assert tracked == {'kind': 'tracked', 'name': 'invited'}
    assert event['type'] == 'track' and event['chained'] is True
    assert event['fields'] == {'name': 'invited', 'attributes': {'n': 2}}


def test_events_are_numbered_in_the_order_they_are_queued():
    session = started()
    first = session.draft('track', {'name': 'a', 'attributes': {}}, 1, 'id-1')
    second = session.draft('page', {'url': 'https://x/'}, 2, 'id-2')
    assert [first['seq'], second['seq']] == [1, 2]


def test_groups_and_updates():
    session = started()
    [refused] = session.group(HERE, '', None, None)
    assert refused['method'] == 'group'
    [group] = session.group(HERE, 'acme', {'seats': 3}, {'signature': 'f' * 64})
    assert group['kind'] == 'group' and group['call']['signature'] == 'f' * 64
    assert kinds(session.updateGroup(HERE, {'seats': 4}, None)) == ['update_group']
    assert kinds(session.updateUser(HERE, {'plan': 'x'}, None)) == ['flows', 'event']


def test_flow_operations_are_checked_and_wait_for_the_engine():
    session = started()
    assert session.start(HERE, 'tour', {'once': True}) == [
        {'kind': 'flows', 'op': 'start', 'args': ['tour', True], 'wait': True}
    ]
    assert session.setBaseZIndex(HERE, 12.7)[0]['args'] == [12]
    assert session.setBaseZIndex(HERE, float('inf'))[0]['kind'] == 'refuse'
    assert session.setCustomNavigate(HERE, 3)[0]['kind'] == 'refuse'
    assert kinds(session.endAll(HERE) + session.remount(HERE)) == ['flows', 'flows']


def test_endpoints_are_checked_and_content_is_fetched_once():
    session = Session()
    [refused] = session.setServerEndpoint(HERE, 'http://evil.example.com')
    assert refused['level'] == 'error'
    assert kinds(session.setServerEndpoint(HERE, 'https://c.example.com')) == ['configure']  # no init yet
    assert kinds(session.init(HERE, TOKEN, None))[-1] == 'content'  # the endpoint set before init stays
    assert kinds(session.setServerEndpoint(HERE, 'https://d.example.com')) == ['configure']


def test_reset_forgets_who_the_user_is():
    session = started()
    session.identify(HERE, 'user-1', {'plan': 'pro'}, None)
    assert session.reset(HERE) == [{'kind': 'reset'}]
    assert not session.identified and session.known_attributes == {}


def test_userflow_js_names_and_options():
    session = started()
    assert session.startFlow(HERE, 'tour', None) == session.start(HERE, 'tour', None)
    assert session.startWalk(HERE, 'tour', {'once': True})[0]['args'] == ['tour', True]
    assert session.endAllFlows(HERE) == session.endAll(HERE)
    # group membership is checked like attributes, and not sent
    [refused] = session.group(HERE, 'acme', None, {'membership': {'bad key': 1}})
    assert refused['message'].startswith('membership: attribute key "bad key"')
    [group] = session.group(HERE, 'acme', None, {'membership': {'role': 'admin'}})
    assert 'membership' not in group['call'] and group['call']['attributes'] == {}
    # track takes {set} only; its options (userOnly) change nothing: events carry no group
    assert session.track(HERE, 'x', {'n': {'add': 1}}, None)[0]['kind'] == 'refuse'
    assert session.track(HERE, 'x', {'n': {'set': 1}}, {'userOnly': True})[1]['fields']['attributes'] == {
        'n': {'set': 1}
    }


def test_shadow_dom_can_be_turned_on_at_runtime_until_the_next_init():
    session = started()
    assert session.setShadowDomEnabled(HERE, True)[0]['args'] == [True, False, None]
    assert session.flow_settings()['args'] == [True, False, None]
    session.init(HERE, TOKEN, dict(ENDPOINT))
    assert session.flow_settings()['args'] == [False, False, None]


def test_the_locale_goes_to_the_flow_engine_and_nowhere_else():
    session = started({'locale': 'de-AT', **ENDPOINT})
    assert session.flow_settings()['args'] == [False, False, 'de-AT']
    assert Session().init(HERE, TOKEN, {'locale': 42})[0]['message'].startswith('locale must be a locale tag')
