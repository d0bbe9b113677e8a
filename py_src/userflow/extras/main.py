"""Binding, an on-demand chunk: a tooltip step's spotlight (the page dimmed around a cut-out on
the target, which `position.spotlight` keeps on it; with blockClicks, four transparent blocks
stop clicks outside it) and a flow's progress on its cards ('2 of 5', or dots). The flows chunk
loads it only for content with a spotlight or a progress (issue 17: a page with plain flows does
not load them) and draws nothing until it is there. It uses the Ui's public members
(flows/view.py): the two are separate bundles.
"""

from userflow.pure.position import off_screen, spotlight
from userflow.pure.values import map_get

CSS = ''.join(
    [
        # A shadow, so that the cut-out lets clicks through; .block stops them outside it.
        '.spot{position:fixed;top:0;left:0;border-radius:var(--r);pointer-events:none;'
        'box-shadow:0 0 0 200vmax var(--uf-backdrop,rgba(17,24,39,.55));animation:uf-in .2s ease-out}',
        '.block{position:fixed;top:0;left:0;pointer-events:auto}',
        '.progress{color:var(--mu);font-size:.85em;margin-top:10px}',
        '.dots{display:flex;gap:6px;margin-top:12px}.dots>span{width:7px;height:7px;border-radius:50%;'
        'background:var(--bd)}.dots>.on{background:var(--a)}',
    ]
)


class Extras:
    def __init__(self, ui):
        self.ui = ui
        ui.add_css(CSS)
        self.spot = None  # the spotlight drawn, or None
        self.padding = 6
        self.blocks = []

    def spotlight(self, layer, spot):
        """Draw the step's spotlight (its `spotlight` value, or None: none) into `layer`."""
        self.spot = None
        self.blocks = []
        if spot is None:
            return
        el = self.ui.el
        self.spot = el('div', layer, 'spot', None)
        self.spot.setAttribute('data-role', 'spotlight')
        self.padding = 6
        if spot is not True:
            self.padding = map_get(spot, 'padding') if map_get(spot, 'padding') is not None else 6
            if map_get(spot, 'blockClicks') is True:
                self.blocks = [el('div', layer, 'block', None) for side in range(4)]

    def place(self, rect, view):
        """Keep the cut-out on the target's `rect`, in the viewport `view`."""
        if self.spot is None:
            return
        cut = spotlight(rect, self.padding, view)
        self._box(self.spot, cut['hole'])
        self.spot.classList.toggle('away', off_screen(rect, view))
        for i in range(len(self.blocks)):
            self._box(self.blocks[i], cut['blocks'][i])

    def _box(self, node, rect):
        self.ui.move(node, rect['left'], rect['top'])
        node.style.width = str(rect['width']) + 'px'
        node.style.height = str(rect['height']) + 'px'

    def progress(self, card, flow, step):
        """'2 of 5' or dots, counting the steps a user sees (not the hidden ones)."""
        style = map_get(flow, 'progress')
        shown = [s['id'] for s in flow['steps'] if s['type'] != 'hidden']
        if style is None or len(shown) < 2 or shown.indexOf(step['id']) < 0:
            return
        words = self.ui.words
        el = self.ui.el
        here = shown.indexOf(step['id']) + 1
        count = str(here) + ' ' + words['of'] + ' ' + str(len(shown))
        if style == 'count':
            el('p', card, 'progress', count)
            return
        dots = el('div', card, 'dots', None)
        dots.setAttribute('role', 'img')
        dots.setAttribute('aria-label', words['step'] + ' ' + count)
        for i in range(len(shown)):
            el('span', dots, 'on' if i + 1 == here else None, None)


window['userflow-extras'] = Extras  # how the flows chunk, which loaded this one, finds it
