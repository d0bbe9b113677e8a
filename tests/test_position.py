"""Tooltip geometry (position.py) and links in text (links.py), in CPython; the same functions
run back to back in V8 at the end of this file."""

import json

from hypothesis import given, settings, strategies as st

from userflow.pure.links import text_links
from userflow.pure.values import least, most
from userflow.pure.position import ARROW_INSET, GAP, MARGIN, SIDES, beacon_spot, place, spotlight

coord = st.floats(-400, 2400, allow_nan=False).map(lambda v: round(v, 2))
extent = st.floats(0, 600, allow_nan=False).map(lambda v: round(v, 2))
viewports = st.fixed_dictionaries({'width': st.integers(320, 1920), 'height': st.integers(320, 1200)})
sizes = st.fixed_dictionaries({'width': st.integers(40, 440), 'height': st.integers(40, 400)})
targets = st.fixed_dictionaries({'top': coord, 'left': coord, 'width': extent, 'height': extent})
placements = st.sampled_from(['auto', *SIDES])


def overlaps(box, size, target):
    return (
        box['x'] < target['left'] + target['width']
        and target['left'] < box['x'] + size['width']
        and box['y'] < target['top'] + target['height']
        and target['top'] < box['y'] + size['height']
    )


def room(target, viewport, side):
    return {
        'top': target['top'],
        'left': target['left'],
        'bottom': viewport['height'] - target['top'] - target['height'],
        'right': viewport['width'] - target['left'] - target['width'],
    }[side]


def fits(target, size, viewport, side):
    need = (size['height'] if side in ('top', 'bottom') else size['width']) + GAP + MARGIN
    return room(target, viewport, side) >= need


@given(target=targets, size=sizes, viewport=viewports, placement=placements)
def test_the_box_stays_inside_the_viewport_when_the_target_is_on_screen(target, size, viewport, placement):
    at = place(target, size, viewport, placement)
    if (
        at['hidden']
        or size['width'] > viewport['width'] - 2 * MARGIN
        or size['height'] > viewport['height'] - 2 * MARGIN
    ):
        return
    assert MARGIN - 1e-9 <= at['x'] <= viewport['width'] - size['width'] - MARGIN + 1e-9
    assert MARGIN - 1e-9 <= at['y'] <= viewport['height'] - size['height'] - MARGIN + 1e-9


@given(target=targets, size=sizes, viewport=viewports, placement=placements)
def test_the_box_never_covers_its_target_when_some_side_has_room(target, size, viewport, placement):
    at = place(target, size, viewport, placement)
    if any(fits(target, size, viewport, side) for side in SIDES):
        assert not overlaps(at, size, target)
        assert fits(target, size, viewport, at['side'])


@given(target=targets, size=sizes, viewport=viewports, placement=placements)
def test_the_preferred_side_wins_when_it_fits_and_the_arrow_stays_on_the_box(
    target, size, viewport, placement
):
    at = place(target, size, viewport, placement)
    preferred = 'bottom' if placement == 'auto' else placement
    if fits(target, size, viewport, preferred):
        assert at['side'] == preferred
    length = size['width'] if at['side'] in ('top', 'bottom') else size['height']
    assert ARROW_INSET <= at['arrow'] <= length - ARROW_INSET


def test_flipping_and_shifting_by_example():
    viewport = {'width': 1000, 'height': 700}
    size = {'width': 300, 'height': 150}
    # A target at the bottom edge asked for "bottom" flips to the top.
    at = place({'top': 660, 'left': 450, 'width': 100, 'height': 30}, size, viewport, 'bottom')
    assert at['side'] == 'top' and at['y'] == 660 - GAP - 150 and at['x'] == 350
    # A target in the top-right corner: below it, shifted left to stay inside, the arrow still
    # pointing at the target's centre.
    at = place({'top': 10, 'left': 950, 'width': 40, 'height': 20}, size, viewport, 'auto')
    assert (at['side'], at['x'], at['y']) == ('bottom', 1000 - 300 - MARGIN, 10 + 20 + GAP)
    assert at['arrow'] == 970 - at['x']
    # "left" with no room on the left goes right.
    assert (
        place({'top': 300, 'left': 20, 'width': 40, 'height': 40}, size, viewport, 'left')['side'] == 'right'
    )
    # Scrolled away: hidden.
    assert place({'top': -80, 'left': 10, 'width': 40, 'height': 40}, size, viewport, 'auto')['hidden']
    # No side has room: clamped inside the viewport, on the side with the most room.
    huge = {'width': 990, 'height': 690}
    at = place({'top': 300, 'left': 300, 'width': 40, 'height': 40}, huge, viewport, 'auto')
    assert at['x'] == MARGIN and at['y'] == MARGIN


def test_the_beacon_sits_on_the_corner_inside_the_viewport():
    viewport = {'width': 800, 'height': 600}
    assert beacon_spot({'top': 100, 'left': 100, 'width': 80, 'height': 30}, 24, viewport) == {
        'x': 168,
        'y': 88,
    }
    assert beacon_spot({'top': 0, 'left': 780, 'width': 20, 'height': 20}, 24, viewport) == {'x': 768, 'y': 8}


@given(target=targets, viewport=viewports, padding=st.integers(0, 64))
def test_the_spotlight_cuts_out_the_target_and_the_blocks_cover_the_rest(target, viewport, padding):
    cut = spotlight(target, padding, viewport)
    hole, blocks = cut['hole'], cut['blocks']
    for rect in [hole, *blocks]:
        assert rect['width'] >= 0 and rect['height'] >= 0
        assert rect['top'] >= 0 and rect['left'] >= 0
        assert rect['top'] + rect['height'] <= viewport['height'] + 1e-9
        assert rect['left'] + rect['width'] <= viewport['width'] + 1e-9
    # The hole and the four blocks tile the viewport: nothing outside the hole is clickable.
    area = sum(r['width'] * r['height'] for r in [hole, *blocks])
    assert abs(area - viewport['width'] * viewport['height']) < 1e-3 * viewport['width'] * viewport['height']


def test_the_spotlight_by_example():
    cut = spotlight({'top': 100, 'left': 50, 'width': 200, 'height': 40}, 6, {'width': 800, 'height': 600})
    assert cut['hole'] == {'top': 94, 'left': 44, 'width': 212, 'height': 52}
    assert cut['blocks'][0] == {'top': 0, 'left': 0, 'width': 800, 'height': 94}
    assert cut['blocks'][1] == {'top': 146, 'left': 0, 'width': 800, 'height': 454}
    assert cut['blocks'][2] == {'top': 94, 'left': 0, 'width': 44, 'height': 52}
    assert cut['blocks'][3] == {'top': 94, 'left': 256, 'width': 544, 'height': 52}


def test_links_are_only_http_urls_with_a_host():
    assert text_links('See https://example.com/a?b=1. Or javascript:alert(1) and http://x.io!') == [
        [False, 'See '],
        [True, 'https://example.com/a?b=1'],
        [False, '. Or javascript:alert(1) and '],
        [True, 'http://x.io'],
        [False, '!'],
    ]
    for text in [
        'https://',
        'http://<script>',
        'data:text/html,x',
        'HTTPS://EXAMPLE.COM',
        'http://exa mple.com',
        'http://ex\\ample.com',
        'http://a"onmouseover="x',
    ]:
        assert all(
            not link or piece.startswith(('http://', 'https://')) and '"' not in piece
            for link, piece in text_links(text)
        ), text
    assert text_links('') == []


@given(st.text(st.sampled_from(list('htps:/.ab ?#"<>\\()@[]:1')), max_size=60) | st.text(max_size=60))
def test_links_lose_nothing_and_carry_no_quotes_or_spaces(text):
    pieces = text_links(text)
    assert ''.join(piece for _, piece in pieces) == text
    for link, piece in pieces:
        if link:
            assert piece.startswith(('http://', 'https://'))
            assert not any(ch in piece for ch in ' \t\n<>"\'`\\')


# -- back to back --------------------------------------------------------------------------
from test_back_to_back import js, same  # noqa: E402,F401 -- the V8 realm fixture and comparison
from hypothesis import HealthCheck  # noqa: E402


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=150)
@given(target=targets, size=sizes, viewport=viewports, placement=placements, beacon=st.integers(8, 40))
def test_geometry_agrees_in_v8(js, target, size, viewport, placement, beacon):  # noqa: F811
    same(js, 'place', target, size, viewport, placement)
    same(js, 'beacon_spot', target, beacon, viewport)
    same(js, 'spotlight', target, beacon, viewport)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=150)
@given(text=st.text(st.sampled_from(list('htps:/.ab ?#"<>()@[]1é😀')), max_size=60))
def test_links_agree_in_v8(js, text):  # noqa: F811
    same(js, 'text_links', text)
    json.dumps(text)


@given(
    a=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers()),
    b=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers()),
)
def test_least_and_most_decide_as_min_and_max(a, b):
    """values.least/most stand in for min/max in the pure modules (Transcrypt's take 0.3 KB)."""
    assert repr(least(a, b)) == repr(min(a, b)) and repr(most(a, b)) == repr(max(a, b))
