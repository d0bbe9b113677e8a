"""The SDK embedded in a framework-rendered SPA (Vue 3 + vue-router), history and hash routing:
page views follow the router, the app keeps working, and the page's globals stay untouched."""

import pytest

from helpers import wait_for


def page_urls(collector):
    return [e['url'] for e in collector.sink.events() if e['type'] == 'page']


@pytest.mark.parametrize('query', ['', '?csp=strict&tt=vue'])
def test_history_routing_sends_one_filtered_page_view_per_route(page, collector, query):
    base = collector.url + '/fixtures/spa/'
    page.goto(base + query)
    page.click('#nav-settings')
    page.fill('#api-key', 'sk_live_secret_value')
    assert page.text_content('#key-length') == 'length 20'
    page.click('#nav-billing')
    page.click('#pay')
    page.click('#pay')
    assert page.text_content('#pay') == 'Pay (2)'
    page.go_back()
    wait_for(
        lambda: (
            len(page_urls(collector)) >= 4
            and [e for e in collector.sink.events() if e.get('name') == 'invoice_paid']
        )
    )
    assert page_urls(collector) == [base, base + 'settings', base + 'billing/42', base + 'settings']
    paid = [e for e in collector.sink.events() if e.get('name') == 'invoice_paid']
    assert [e['attributes'] for e in paid] == [{'invoice': 42}, {'invoice': 42}]
    everything = b''.join(r.body for r in collector.sink.requests)
    assert b'sk_live_secret_value' not in everything and b'tab=keys' not in everything
    assert page.record.errors == [] and page.evaluate('window.__fixture.errors') == []
    assert page.evaluate('window.__fixture.violations') == []


def test_hash_routing_is_invisible_to_the_default_filter(page, collector):
    base = collector.url + '/fixtures/spa/'
    page.goto(base + '?mode=hash')
    page.click('#nav-settings')
    page.click('#nav-billing')
    page.evaluate("userflow.track('done')")
    wait_for(lambda: any(e.get('name') == 'done' for e in collector.sink.events()))
    assert '#/billing/42' in page.url
    assert page_urls(collector) == [base]


def test_a_url_filter_can_keep_hash_routes(page, collector):
    base = collector.url + '/fixtures/spa/'
    page.goto(base + '?mode=hash&hashfilter=1')
    page.click('#nav-settings')
    page.click('#nav-billing')
    wait_for(lambda: len(page_urls(collector)) >= 3)
    assert page_urls(collector) == [base + '#/', base + '#/settings', base + '#/billing/42']


def test_the_spa_keeps_its_globals_and_prototypes(page, collector):
    page.goto(collector.url + '/fixtures/spa/')
    page.click('#nav-billing')
    page.click('#pay')
    wait_for(lambda: any(e.get('name') == 'invoice_paid' for e in collector.sink.events()))
    before, after = page.evaluate('[window.__fixture.before, window.__fixture.snapshot()]')
    added = set(after['window']) - set(before['window'])
    assert added - {'Vue', 'VueRouter', '__VUE__'} == {'0', 'userflow'}  # the app's own: Vue*
    for name in before:
        if name != 'window':
            assert after[name] == before[name], f'{name}.prototype changed'
