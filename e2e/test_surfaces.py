"""Launchers, banners, the resource center and rich text (issue 16) in a real Chromium, on the
demo tour (fixtures/tour.html with fixtures/content/tok_tour.json): they show while their
conditions hold, act, are remembered when dismissed, follow their targets, are keyboard and
axe clean, work under the strict CSP + Trusted Types, load the content's images when the
content arrives, and send nothing new on the wire."""

import json

import pytest

from helpers import ui, wait_for
from test_ui import AXE, MEASURE, frames, shot


def tour(page, collector, query=''):
    page.emulate_media(reduced_motion='reduce')
    page.set_viewport_size({'width': 1000, 'height': 700})
    page.goto(collector.url + '/fixtures/tour.html' + query)
    card = ui(page, '.card')
    card.locator('text=Welcome to Acme Projects').wait_for()
    card.locator('button:text-is("Skip")').click()
    wait_for(lambda: card.count() == 0)
    return card


def banner_text(page):
    return page.evaluate(
        "() => { const h = document.querySelector('userflow-banner'); return h && h.shadowRoot.textContent; }"
    )


@pytest.mark.parametrize('query', ['', '?csp=strict'])
def test_an_inline_banner_pushes_the_page_acts_and_stays_dismissed(page, collector, query):
    card = tour(page, collector, query)
    wait_for(lambda: banner_text(page) is not None)
    assert 'New: archive the projects' in banner_text(page)
    host = page.locator('userflow-banner')
    assert page.evaluate('document.body.firstElementChild.tagName') == 'USERFLOW-BANNER'
    height = host.bounding_box()['height']
    assert height > 20 and page.locator('header.top').bounding_box()['y'] >= height - 1  # pushed down
    bold = page.evaluate(
        "document.querySelector('userflow-banner').shadowRoot.querySelector('strong').textContent"
    )
    assert bold == 'New:'
    link = page.evaluate("document.querySelector('userflow-banner').shadowRoot.querySelector('a').href")
    assert link == collector.url + '/fixtures/tour.html#changes'
    frames(page)
    shot(page, 'banner' + ('-csp' if query else ''))
    host.locator('button:text-is("Show me")').click()  # startFlow
    card.locator('text=Welcome to Acme Projects').wait_for()
    card.locator('button:text-is("Skip")').click()
    host.locator('button[aria-label=Close]').click()
    wait_for(lambda: page.locator('userflow-banner').count() == 0)
    assert page.locator('header.top').bounding_box()['y'] < 5
    page.reload()
    ui(page, '.rc-button').wait_for()
    frames(page, 5)
    assert page.locator('userflow-banner').count() == 0  # remembered as dismissed
    assert page.record.errors == [] and page.evaluate('window.__fixture.errors') == []
    assert page.evaluate('window.__fixture.violations') == []


def test_a_launcher_follows_its_target_opens_a_rich_tooltip_and_can_be_dismissed(page, collector):
    card = tour(page, collector)
    icon = ui(page, '.launcher')
    icon.wait_for()
    frames(page)
    assert icon.get_attribute('aria-expanded') == 'false' and icon.text_content() == 'i'
    spot, target = page.evaluate(MEASURE, '.launcher'), page.locator('#count').bounding_box()
    assert (
        abs(spot['x'] + 12 - (target['x'] + target['width'])) < 16 and abs(spot['y'] + 12 - target['y']) < 16
    )
    page.evaluate("document.querySelector('#count').parentElement.style.marginLeft = '120px'")
    frames(page, 4)
    moved = page.evaluate(MEASURE, '.launcher')
    assert moved['x'] - spot['x'] == pytest.approx(120, abs=2)  # follows a layout change
    # The page renders the target anew, further down (a framework replacing it, a change no
    # condition watches): the launcher moves to the new element.
    page.evaluate("""() => { const old = document.querySelector('#count'), fresh = old.cloneNode(true);
        fresh.style.display = 'inline-block'; fresh.style.marginTop = '40px'; old.replaceWith(fresh); }""")
    frames(page, 4)
    fresh = page.locator('#count').bounding_box()
    again = page.evaluate(MEASURE, '.launcher')
    assert (
        abs(again['x'] + 12 - (fresh['x'] + fresh['width'])) < 16 and abs(again['y'] + 12 - fresh['y']) < 16
    )
    assert again['y'] > moved['y'] + 10  # it moved with the new element
    icon.click()
    tip = ui(page, '[data-tip=stats]')
    tip.wait_for()
    assert (
        page.evaluate("document.querySelector('[data-userflow]').shadowRoot.activeElement.dataset.tip")
        == 'stats'
    )
    assert tip.locator('strong').text_content() == 'as you work'
    assert tip.locator('ul.md > li').count() == 2 and tip.locator('em').first.text_content() == 'Projects'
    image = tip.locator('img')
    assert image.get_attribute('alt') == 'A bar chart of projects per week'
    wait_for(lambda: image.evaluate('i => i.complete && i.naturalWidth') == 240)
    frames(page)
    box = page.evaluate(MEASURE, '[data-tip=stats]')
    assert box['side'] == 'bottom' and box['y'] >= target['y'] + target['height']
    shot(page, 'launcher-open')
    page.keyboard.press('Escape')
    wait_for(lambda: tip.count() == 0)
    assert (
        page.evaluate("document.querySelector('[data-userflow]').shadowRoot.activeElement.dataset.key")
        == 'launcher:stats'
    )
    icon.click()
    tip.locator('button:text-is("Take the tour")').click()
    card.locator('text=Welcome to Acme Projects').wait_for()
    card.locator('button:text-is("Skip")').click()
    icon.click()
    tip.locator('button:text-is("Hide this")').click()
    wait_for(lambda: icon.count() == 0)
    assert json.loads(page.evaluate("localStorage.getItem('uf:flows')"))['dismissed'] == ['launcher:stats']
    assert page.record.errors == [] and page.evaluate('window.__fixture.errors') == []


def test_the_resource_center_lists_searches_starts_and_reports_its_state(page, collector):
    card = tour(page, collector)
    button = ui(page, '.rc-button')
    button.wait_for()
    state = page.evaluate('userflow.getResourceCenterState()')
    assert state == {
        'isOpen': False,
        'hasChecklist': True,
        'uncompletedChecklistTaskCount': 3,
        'unreadAnnouncementCount': 0,
    }
    assert button.locator('.count').text_content() == '3'
    page.evaluate("window.changes = 0; userflow.on('resourceCenterChanged', () => changes++)")
    page.evaluate('userflow.openResourceCenter()')
    panel = ui(page, '.rc')
    panel.wait_for()
    assert page.evaluate('userflow.getResourceCenterState().isOpen') is True
    rows = panel.locator('.rc-items > li')
    assert rows.count() == 4 and panel.locator('.checklist h2').text_content() == 'Getting started'
    frames(page)
    shot(page, 'resource-center')
    search = panel.locator('input.search')
    search.fill('DOC')  # local filtering, case-insensitive
    assert [r.is_visible() for r in rows.all()] == [False, False, True, False]
    search.fill('zzz')
    assert panel.locator('.empty').is_visible()
    search.fill('')
    page.keyboard.press('Escape')
    wait_for(lambda: panel.count() == 0)
    assert (
        page.evaluate("document.querySelector('[data-userflow]').shadowRoot.activeElement.dataset.key")
        == 'center'
    )
    page.evaluate('userflow.toggleResourceCenter()')
    panel.locator('button:text-is("Take the product tour")').click()
    card.locator('text=Welcome to Acme Projects').wait_for()
    assert panel.count() == 0  # starting a flow closes the panel
    assert page.evaluate('changes') == 4
    card.locator('button:text-is("Skip")').click()
    page.evaluate('userflow.setResourceCenterLauncherHidden(true)')
    wait_for(lambda: button.evaluate("b => b.classList.contains('away')"))
    page.evaluate('userflow.openResourceCenter()')  # still opens from the API
    panel.wait_for()
    page.evaluate('userflow.closeResourceCenter()')
    wait_for(lambda: panel.count() == 0)
    assert page.record.errors == [] and page.evaluate('window.__fixture.errors') == []


def test_images_load_when_the_content_arrives_and_nothing_new_is_sent(page, collector):
    page.set_viewport_size({'width': 1000, 'height': 700})
    page.goto(collector.url + '/fixtures/tour.html')
    ui(page, '.card').locator('text=Welcome to Acme Projects').wait_for()
    wait_for(lambda: any(r['url'].endswith('/fixtures/chart.svg') for r in page.record.requests))
    assert ui(page, '[data-tip]').count() == 0  # loaded though no launcher was opened
    images = [r for r in page.record.requests if r['url'].endswith('/fixtures/chart.svg')]
    assert len(images) == 1 and images[0]['method'] == 'GET'
    ui(page, '.card button:text-is("Skip")').click()
    ui(page, '.launcher').click()
    ui(page, '[data-tip=stats] img').wait_for()
    page.evaluate('userflow.openResourceCenter()')
    ui(page, '.rc input.search').fill('tour')
    page.evaluate('userflow.closeResourceCenter()')
    frames(page, 5)
    assert len([r for r in page.record.requests if r['url'].endswith('/fixtures/chart.svg')]) == 1
    wait_for(lambda: collector.sink.events())
    events = collector.sink.events()
    assert {e['type'] for e in events} <= {'identify', 'page'}, events  # standard mode: no flow events
    text = ''.join(r.body.decode() for r in collector.sink.events_posts())
    for secret in ['stats', 'archive', '"tour"', 'Documentation', 'search']:
        assert secret not in text


@pytest.mark.parametrize('what', ['banner', 'launcher', 'resource-center'])
def test_axe_finds_no_violations_in_surfaces(page, collector, what):
    tour(page, collector)
    ui(page, '.rc-button').wait_for()
    if what == 'launcher':
        ui(page, '.launcher').click()
        ui(page, '[data-tip]').wait_for()
    elif what == 'resource-center':
        page.evaluate('userflow.openResourceCenter()')
        ui(page, '.rc').wait_for()
    page.add_script_tag(path=str(AXE))
    # The SDK's hosts as the context (as in test_ui), not `document`: with `document`, axe here
    # now and then finds no node for it at all, in every load of that browser context.
    found = page.evaluate("""async () => (await axe.run(
            {include: [['[data-userflow]'], ['[data-userflow-banner]']]}, {runOnly: ['wcag2a', 'wcag2aa']}))
        .violations.map(v => v.id + ': ' + v.nodes.map(n => JSON.stringify(n.target)).join(' '))""")
    assert found == []


def test_content_without_surfaces_never_loads_their_chunk(page, collector):
    page.goto(collector.url + '/fixtures/stage.html')
    page.evaluate(
        """() => { userflow.loadContent({version: 1, flows: [{id: 'f', steps: [
            {id: 's', type: 'modal', title: 'Plain', body: 'Some **rich** text'}]}]});
            return userflow.start('f'); }"""
    )
    ui(page, '.card strong').wait_for()
    frames(page, 3)
    loaded = [r['url'].rsplit('/', 1)[-1] for r in page.record.requests if '/userflow-' in r['url']]
    assert any(name.startswith('userflow-app.') for name in loaded)  # the core with the engine
    assert not any(name.startswith('userflow-surfaces.') for name in loaded), loaded
    page.evaluate("userflow.loadContent({version: 1, banners: [{id: 'b', body: 'Now one'}]})")
    wait_for(lambda: ui(page, '[data-banner=b]').count() == 1)
    assert any('/userflow-surfaces.' in r['url'] for r in page.record.requests)


def _show(page, body):
    page.evaluate(
        """(body) => { userflow.endAll(); userflow.loadContent({version: 1, flows: [{id: 'f', steps: [
            {id: 's', type: 'modal', title: 'Rich?', body: body}]}]}); return userflow.start('f'); }""",
        body,
    )


def test_only_content_with_markup_loads_the_richtext_chunk_and_no_markup_shows_first(page, collector):
    """Rich text is a chunk (issue 17): a plain body is drawn without it; a body with markup
    waits for it, so that `**` never shows, and is drawn as written when it cannot load."""
    held = []
    page.route('**/userflow-richtext.*.js', lambda route: held.append(route))  # until the test lets it on
    page.goto(collector.url + '/fixtures/stage.html')
    _show(page, 'Plain words (only), 3 steps: no marks!')
    assert ui(page, '.card .body').inner_html() == '<p>Plain words (only), 3 steps: no marks!</p>'
    _show(page, 'Some **rich** text')
    wait_for(lambda: page.wait_for_timeout(20) or len(held) == 1)  # (Playwright's events: in its calls)
    frames(page, 5)
    assert ui(page, '.card').count() == 0 or 'rich?' not in ui(page, '.card').inner_text().lower()
    assert '**' not in page.evaluate(
        "document.querySelector('[data-userflow]')?.shadowRoot.textContent || ''"
    )
    held[0].continue_()
    ui(page, '.card strong').wait_for()
    assert ui(page, '.card .body').inner_html() == '<p>Some <strong>rich</strong> text</p>'
    loaded = [r['url'] for r in page.record.requests if '/userflow-richtext.' in r['url']]
    assert len(loaded) == 1, loaded
    assert not any('/userflow-extras.' in r['url'] for r in page.record.requests)  # no spotlight
    _show(page, '- one\n- two')  # the chunk is there: drawn at once
    wait_for(lambda: ui(page, '.card li').count() == 2)
    assert page.record.errors == []


def test_a_body_is_shown_as_written_when_the_richtext_chunk_cannot_load(page, collector):
    page.route('**/userflow-richtext.*.js', lambda route: route.abort())
    page.goto(collector.url + '/fixtures/stage.html')
    _show(page, 'Some **rich** text')
    ui(page, '.card').wait_for()
    assert ui(page, '.card .body').inner_html() == '<p>Some **rich** text</p>'
    assert any('richtext chunk failed to load' in line for line in page.record.console), page.record.console
    assert page.record.errors == []


def test_a_checklist_alone_loads_the_surfaces_chunk_which_draws_it(page, collector):
    """Checklists are drawn by the surfaces chunk (issue 17: a plain flow does not load them)."""
    page.goto(collector.url + '/fixtures/stage.html')
    page.evaluate(
        """() => userflow.loadContent({version: 1, checklists: [{id: 'c', title: 'Get going',
            tasks: [{id: 't', title: 'One'}, {id: 'u', title: 'Two'}]}]})"""
    )
    ui(page, '[data-checklist=c] [data-task=u]').wait_for()
    assert any('/userflow-surfaces.' in r['url'] for r in page.record.requests)
    assert ui(page, '[data-checklist=c] .summary').inner_text() == '0 of 2 done'
