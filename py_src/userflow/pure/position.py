"""Where a tooltip goes: pure geometry, no browser in sight.

`place(target, size, viewport, placement)` puts a box of `size` ({'width', 'height'}) beside
the `target` rectangle ({'top', 'left', 'width', 'height'}, viewport coordinates) inside the
`viewport` ({'width', 'height'}):

- side: the preferred one when the box fits there, else the opposite one, else the first of the
  others that fits, else the one with the most room. `auto` prefers bottom, then top, right, left.
- main axis: `GAP` away from the target (the arrow lives in the gap); clamped into the viewport
  only when no side fits (then covering the target is unavoidable).
- cross axis: centred on the target, then shifted to stay `MARGIN` inside the viewport.
- arrow: points at the target's centre, at least `ARROW_INSET` from the box's corners.
- hidden: the target does not intersect the viewport (scrolled away); the box is not shown.
"""

from userflow.pure.values import least, most

GAP = 12
MARGIN = 8
ARROW_INSET = 16
SIDES = ['bottom', 'top', 'right', 'left']
_OPPOSITE = {'top': 'bottom', 'bottom': 'top', 'left': 'right', 'right': 'left'}


def _vertical(side):
    return side == 'top' or side == 'bottom'


def _room(target, viewport, side):
    if side == 'top':
        return target['top']
    if side == 'bottom':
        return viewport['height'] - target['top'] - target['height']
    if side == 'left':
        return target['left']
    return viewport['width'] - target['left'] - target['width']


def _surplus(target, size, viewport, side):
    need = (size['height'] if _vertical(side) else size['width']) + GAP + MARGIN
    return _room(target, viewport, side) - need


def _clamp(value, low, high):
    # A box larger than the room keeps its start edge visible.
    return most(low, least(value, high))


def sides_in_order(placement):
    first = placement if placement in SIDES else 'bottom'
    order = [first, _OPPOSITE[first]]
    for side in SIDES:
        if side != first and side != _OPPOSITE[first]:
            order.append(side)
    return order


def place(target, size, viewport, placement):
    order = sides_in_order(placement)
    side = None
    for candidate in order:
        if _surplus(target, size, viewport, candidate) >= 0:
            side = candidate
            break
    fits = side is not None
    if not fits:
        side = order[0]
        for candidate in order:
            if _surplus(target, size, viewport, candidate) > _surplus(target, size, viewport, side):
                side = candidate
    centre_x = target['left'] + target['width'] / 2
    centre_y = target['top'] + target['height'] / 2
    if _vertical(side):
        x = _clamp(centre_x - size['width'] / 2, MARGIN, viewport['width'] - size['width'] - MARGIN)
        y = target['top'] - GAP - size['height'] if side == 'top' else target['top'] + target['height'] + GAP
        if not fits:
            y = _clamp(y, MARGIN, viewport['height'] - size['height'] - MARGIN)
        arrow = _clamp(centre_x - x, ARROW_INSET, size['width'] - ARROW_INSET)
    else:
        y = _clamp(centre_y - size['height'] / 2, MARGIN, viewport['height'] - size['height'] - MARGIN)
        x = target['left'] - GAP - size['width'] if side == 'left' else target['left'] + target['width'] + GAP
        if not fits:
            x = _clamp(x, MARGIN, viewport['width'] - size['width'] - MARGIN)
        arrow = _clamp(centre_y - y, ARROW_INSET, size['height'] - ARROW_INSET)
    return {'side': side, 'x': x, 'y': y, 'arrow': arrow, 'hidden': off_screen(target, viewport)}


def off_screen(target, viewport):
    return (
        target['top'] + target['height'] <= 0
        or target['left'] + target['width'] <= 0
        or target['top'] >= viewport['height']
        or target['left'] >= viewport['width']
    )


def beacon_spot(target, size, viewport):
    """A hotspot of `size` on the target's top-right corner, kept inside the viewport."""
    x = _clamp(target['left'] + target['width'] - size / 2, MARGIN, viewport['width'] - size - MARGIN)
    y = _clamp(target['top'] - size / 2, MARGIN, viewport['height'] - size - MARGIN)
    return {'x': x, 'y': y}


def spotlight(target, padding, viewport):
    """The cut-out around `target` (grown by `padding`, kept inside the viewport) and the four
    rectangles around it that block clicks outside: {'hole': rect, 'blocks': [top, bottom,
    left, right]}, each {'top', 'left', 'width', 'height'} with no negative size."""
    top = _clamp(target['top'] - padding, 0, viewport['height'])
    left = _clamp(target['left'] - padding, 0, viewport['width'])
    bottom = _clamp(target['top'] + target['height'] + padding, top, viewport['height'])
    right = _clamp(target['left'] + target['width'] + padding, left, viewport['width'])
    height = bottom - top
    return {
        'hole': {'top': top, 'left': left, 'width': right - left, 'height': height},
        'blocks': [
            {'top': 0, 'left': 0, 'width': viewport['width'], 'height': top},
            {'top': bottom, 'left': 0, 'width': viewport['width'], 'height': viewport['height'] - bottom},
            {'top': top, 'left': 0, 'width': left, 'height': height},
            {'top': top, 'left': right, 'width': viewport['width'] - right, 'height': height},
        ],
    }
