"""Binding: launchers, banners and the resource center (content.py, issue 16), drawn into the
Ui's shadow root; a mixin of `Ui` (view.py), whose state and helpers it shares.

What shows comes from the flow runtime (`showing`, decided in the browser); a control reports
back through `on_surface(surface, action)`, where surface is 'launcher:<id>', 'banner:<id>' or
'center' and action a content action ({'startFlow'}, {'navigate'}, {'dismiss'}) or, for the
resource center's own button, {'toggle': True}. Inline banners live in their own host element,
inserted before the page's first element (top) or after its last (bottom), so they push the
page instead of covering it.
"""

from userflow.browser import env
from userflow.pure.richtext import plain
from userflow.pure.values import map_get
from userflow.ui.draw import button, el, guarded, markup

INLINE = 'userflow-banner'


class Surfaces:
    def _surfaces(self, layer, surfaces, done):
        self._launchers = []
        self._tip = None
        for item in surfaces['banners']:
            self._banner(layer, item)
        self._inline_unused()
        for entry in surfaces['launchers']:
            self._launcher(layer, entry[0], entry[1])
        if surfaces['center'] is not None:
            self._center(layer, surfaces, done)

    # -- banners ---------------------------------------------------------------------
    def _banner(self, layer, item):
        position = map_get(item, 'position') or 'top'
        inline = map_get(item, 'layout') == 'inline'
        parent = self._inline_root(position) if inline else layer
        bar = el('div', parent, 'banner ' + position + (' inline' if inline else ''), None)
        bar.setAttribute('role', 'region')
        bar.setAttribute('aria-label', self._words['notice'])
        bar.setAttribute('dir', 'rtl' if self._rtl else 'auto')
        bar.setAttribute('data-banner', item['id'])
        markup(el('div', bar, 'body', None), self._t(item['body']), self.decorate)
        self._surface_buttons(bar, item, 'banner:' + item['id'])
        if map_get(item, 'dismissible') is not False:
            close = button(bar, 'icon', '\u00d7', 'close:banner:' + item['id'], self._words['close'])
            close.addEventListener('click', self._surface('banner:' + item['id'], {'dismiss': True}))

    def _inline_root(self, position):
        """The shadow root of the inline host at `position`, inserted into the page once."""
        host = map_get(self._inline, position)
        if host is None or not host.isConnected:
            doc = env.host.document
            host = doc.createElement(INLINE)
            host.setAttribute('data-userflow-banner', position)
            host.attachShadow({'mode': 'open'})
            self._adopt(host.shadowRoot)
            body = doc.body or doc.documentElement
            body.insertBefore(host, body.firstChild if position == 'top' else None)
            self._inline[position] = host
        if self._inline_used.indexOf(position) < 0:
            host.shadowRoot.replaceChildren()  # drawn again with this build
            self._inline_used.append(position)
        return host.shadowRoot

    def _inline_unused(self):
        for position in ['top', 'bottom']:
            host = map_get(self._inline, position)
            if host is not None and self._inline_used.indexOf(position) < 0:
                host.remove()
                self._inline[position] = None
        self._inline_used = []

    # -- launchers -------------------------------------------------------------------
    def _launcher(self, layer, item, target):
        key = 'launcher:' + item['id']
        icon = map_get(item, 'icon') or 'beacon'
        title = self._t(map_get(item, 'title'))
        text = '?' if icon == 'help' else ('i' if icon == 'info' else None)
        node = button(layer, 'launcher ' + icon, text, key, self._words['tip'] + ': ' + (title or ''))
        node.setAttribute('aria-expanded', 'true' if self._open_launcher == item['id'] else 'false')
        node.setAttribute('data-launcher', item['id'])
        node.addEventListener('click', guarded(lambda event: self._toggle_launcher(item['id'])))
        self._launchers.append([node, target])
        if self._open_launcher == item['id']:
            self._tip = self._tip_card(layer, item, title, key)
            self._tip_target = target
            self._tip_placement = map_get(item, 'placement') or 'auto'

    def _tip_card(self, layer, item, title, key):
        card = el('div', layer, 'card tip', None)
        card.setAttribute('role', 'dialog')
        card.setAttribute('tabindex', '-1')
        card.setAttribute('dir', 'rtl' if self._rtl else 'auto')
        card.setAttribute('data-tip', item['id'])
        arrow = el('div', card, 'arrow', None)
        arrow.setAttribute('aria-hidden', 'true')
        if title:
            el('h2', card, None, title).id = 'uf-tip-title'
            card.setAttribute('aria-labelledby', 'uf-tip-title')
        else:
            card.setAttribute('aria-label', self._words['tip'])
        body = self._t(map_get(item, 'body'))
        if body:
            markup(el('div', card, 'body', None), body, self.decorate)
        self._surface_buttons(card, item, key)
        close = button(card, 'close', '\u00d7', 'close:' + key, self._words['close'])
        close.addEventListener('click', guarded(lambda event: self._toggle_launcher(item['id'])))
        self._tip_arrow = arrow
        return card

    def _toggle_launcher(self, launcher_id):
        opening = self._open_launcher != launcher_id
        self._open_launcher = launcher_id if opening else None
        self._refresh()
        if opening and self._tip is not None:
            self._tip.focus({'preventScroll': True})
        elif not opening:
            self._focus_key('launcher:' + launcher_id)

    # -- the resource center ---------------------------------------------------------
    def _center(self, layer, surfaces, done):
        state = surfaces['center_state']
        words = self._words
        toggle = button(layer, 'rc-button', '?', 'center', words['help'])
        toggle.setAttribute('aria-expanded', 'true' if surfaces['center_open'] else 'false')
        toggle.addEventListener('click', self._surface('center', {'toggle': True}))
        toggle.classList.toggle('away', self.launcher_hidden and not surfaces['center_open'])
        if state['uncompletedChecklistTaskCount'] > 0:
            badge = el('span', toggle, 'count', str(state['uncompletedChecklistTaskCount']))
            badge.setAttribute('aria-hidden', 'true')
        layer.classList.add('with-center')
        if not surfaces['center_open']:
            return
        layer.classList.add('center-open')
        center = surfaces['center']
        panel = el('section', layer, 'rc', None)
        panel.setAttribute('role', 'dialog')
        panel.setAttribute('tabindex', '-1')
        panel.setAttribute('aria-labelledby', 'uf-rc-title')
        panel.setAttribute('dir', 'rtl' if self._rtl else 'auto')
        head = el('div', panel, 'head', None)
        el('h2', head, None, self._t(map_get(center, 'title')) or words['help']).id = 'uf-rc-title'
        close = button(head, 'icon', '\u00d7', 'close:center', words['close'])
        close.addEventListener('click', self._surface('center', {'toggle': True}))
        if map_get(center, 'search') is True:
            search = el('input', panel, 'search', None)
            search.type = 'search'
            search.setAttribute('data-key', 'search')
            search.setAttribute('aria-label', words['search'])
            search.placeholder = words['search']
            search.value = self._query
            search.addEventListener('input', guarded(self._search))
        items = el('ul', panel, 'rc-items', None)
        for i in range(len(surfaces['center_items'])):
            self._center_item(items, surfaces['center_items'][i], done, i)
        empty = el('p', panel, 'summary empty', words['none'])
        empty.hidden = True
        self._panel = panel
        self._filter()

    def _center_item(self, items, entry, done, index):
        row = el('li', items, None, None)
        if entry['kind'] == 'checklist':
            self._checklist(row, entry['checklist'], done, 100 + index, True)
            row.setAttribute('data-text', self._t(map_get(entry['checklist'], 'title')) or '')
            return
        title = self._t(entry['title'])
        row.setAttribute('data-text', title)
        if entry['kind'] == 'flow':
            node = button(row, None, title, 'flow:' + entry['id'], None)
            node.addEventListener('click', self._surface('center', {'startFlow': entry['id']}))
        else:
            link = el('a', row, None, title)
            link.href = entry['url']
            link.target = '_blank'
            link.rel = 'noopener noreferrer'
            link.referrerPolicy = 'no-referrer'

    def _search(self, event):
        self._query = event.target.value
        self._filter()

    def _filter(self):
        """Hide the items whose text does not contain the search (typed here, never sent)."""
        query = self._query.lower()
        shown = 0
        for row in Array.prototype.slice.call(self._panel.querySelectorAll('.rc-items>li')):
            hit = plain(row.getAttribute('data-text')).lower().find(query) >= 0
            row.hidden = not hit
            shown += 1 if hit else 0
        self._panel.querySelector('.empty').hidden = shown > 0

    # -- shared ----------------------------------------------------------------------
    def _surface_buttons(self, parent, item, key):
        buttons = map_get(item, 'buttons') or []
        if len(buttons) == 0:
            return
        row = el('div', parent, 'actions', None)
        for i in range(len(buttons)):
            cls = 'primary' if i == len(buttons) - 1 else None
            node = button(row, cls, self._t(buttons[i]['label']), key + ':' + str(i), None)
            node.addEventListener('click', self._surface(key, buttons[i]['action']))

    def _surface(self, key, action):
        def run(event):
            if key.startswith('launcher:'):
                self._open_launcher = None  # its tooltip closes whatever the button does
            self._on_surface(key, action)

        return guarded(run)
