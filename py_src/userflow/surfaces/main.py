"""Binding, an on-demand chunk: launchers, banners and the resource center (content.py, issue
16), drawn into the Ui's shadow root. The flows chunk loads it only when the content has one of
them, and hands it the Ui (ui/view.py), whose public members it uses (the two are separate
bundles: private names are renamed per bundle).

What shows comes from the flow runtime (`showing`, decided in the browser); a control reports
back through `on_surface(surface, action)`, where surface is 'launcher:<id>', 'banner:<id>' or
'center' and action a content action ({'startFlow'}, {'navigate'}, {'dismiss'}) or, for the
resource center's own button, {'toggle': True}. Inline banners live in their own host element,
inserted before the page's first element (top) or after its last (bottom), so they push the
page instead of covering it.
"""

from userflow.browser import env
from userflow.pure.position import beacon_spot, off_screen
from userflow.pure.values import map_get, most
from userflow.surfaces.css import CSS

INLINE = 'userflow-banner'
BEACON_SIZE = 24


class Surfaces:
    def __init__(self, ui):
        self.ui = ui
        ui.add_css(CSS)
        self._launchers = []  # [icon, target] per launcher shown
        self._open_launcher = None  # the launcher whose tooltip is open
        self._tip = None  # its tooltip card
        self._tip_arrow = None
        self._tip_target = None
        self._tip_placement = 'auto'
        self._inline = {'top': None, 'bottom': None}  # hosts of inline banners
        self._inline_used = []
        self._panel = None  # the resource center's panel, when open
        self._query = ''  # its search, typed here and never sent

    def draw(self, layer, checklists, surfaces, done):
        """Draw the open `checklists` and the `surfaces` (see Ui.render) into `layer`; inline
        banners into their own hosts."""
        if len(checklists) > 0:
            dock = self.ui.el('div', layer, 'dock', None)
            for i in range(len(checklists)):
                self._checklist(dock, checklists[i], done, i, False)
        self._launchers = []
        self._tip = None
        self._panel = None
        launchers = surfaces['launchers']
        if len([x for x in launchers if x[0]['id'] == self._open_launcher]) == 0:
            self._open_launcher = None
        for item in surfaces['banners']:
            self._banner(layer, item)
        self.clear()
        for entry in launchers:
            self._launcher(layer, entry[0], entry[1])
        if surfaces['center'] is not None:
            self._center(layer, surfaces, done)

    # -- banners ---------------------------------------------------------------------
    def _banner(self, layer, item):
        position = map_get(item, 'position') or 'top'
        inline = map_get(item, 'layout') == 'inline'
        parent = self._inline_root(position) if inline else layer
        bar = self.ui.el('div', parent, 'banner ' + position + (' inline' if inline else ''), None)
        bar.setAttribute('role', 'region')
        bar.setAttribute('aria-label', self.ui.words['notice'])
        bar.setAttribute('dir', 'rtl' if self.ui.rtl else 'auto')
        bar.setAttribute('data-banner', item['id'])
        self.ui.markup(self.ui.el('div', bar, 'body', None), self.ui.t(item['body']))
        self._surface_buttons(bar, item, 'banner:' + item['id'])
        if map_get(item, 'dismissible') is not False:
            close = self.ui.button(
                bar, 'icon', '\u00d7', 'close:banner:' + item['id'], self.ui.words['close']
            )
            close.addEventListener('click', self._surface('banner:' + item['id'], {'dismiss': True}))

    def _inline_root(self, position):
        """The shadow root of the inline host at `position`, inserted into the page once."""
        host = map_get(self._inline, position)
        if host is None or not host.isConnected:
            doc = env.host.document
            host = doc.createElement(INLINE)
            host.setAttribute('data-userflow-banner', position)
            host.attachShadow({'mode': 'open'})
            self.ui.adopt(host.shadowRoot)
            body = doc.body or doc.documentElement
            body.insertBefore(host, body.firstChild if position == 'top' else None)
            self._inline[position] = host
        if self._inline_used.indexOf(position) < 0:
            host.shadowRoot.replaceChildren()  # drawn again with this build
            self._inline_used.append(position)
        return host.shadowRoot

    def draw_nothing(self):
        """The UI went away: so do the inline banners."""
        self._launchers = []
        self._tip = None
        self._panel = None
        self._inline_used = []
        self.clear()

    def signature(self):
        return [self._open_launcher]

    def clear(self):
        """Remove the inline banner hosts this build did not use (all of them on unmount)."""
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
        title = self.ui.t(map_get(item, 'title'))
        text = '?' if icon == 'help' else ('i' if icon == 'info' else None)
        node = self.ui.button(
            layer, 'launcher ' + icon, text, key, self.ui.words['tip'] + ': ' + (title or '')
        )
        node.setAttribute('aria-expanded', 'true' if self._open_launcher == item['id'] else 'false')
        node.setAttribute('data-launcher', item['id'])
        node.addEventListener('click', self.ui.guarded(lambda event: self._toggle_launcher(item['id'])))
        self._launchers.append([node, target])
        if self._open_launcher == item['id']:
            self._tip = self._tip_card(layer, item, title, key)
            self._tip_target = target
            self._tip_placement = map_get(item, 'placement') or 'auto'

    def _tip_card(self, layer, item, title, key):
        card = self.ui.el('div', layer, 'card tip', None)
        card.setAttribute('role', 'dialog')
        card.setAttribute('tabindex', '-1')
        card.setAttribute('dir', 'rtl' if self.ui.rtl else 'auto')
        card.setAttribute('data-tip', item['id'])
        arrow = self.ui.el('div', card, 'arrow', None)
        arrow.setAttribute('aria-hidden', 'true')
        if title:
            self.ui.el('h2', card, None, title).id = 'uf-tip-title'
            card.setAttribute('aria-labelledby', 'uf-tip-title')
        else:
            card.setAttribute('aria-label', self.ui.words['tip'])
        body = self.ui.t(map_get(item, 'body'))
        if body:
            self.ui.markup(self.ui.el('div', card, 'body', None), body)
        self._surface_buttons(card, item, key)
        close = self.ui.button(card, 'close', '\u00d7', 'close:' + key, self.ui.words['close'])
        close.addEventListener('click', self.ui.guarded(lambda event: self._toggle_launcher(item['id'])))
        self._tip_arrow = arrow
        return card

    def _toggle_launcher(self, launcher_id):
        opening = self._open_launcher != launcher_id
        self._open_launcher = launcher_id if opening else None
        self.ui.refresh()
        if opening and self._tip is not None:
            self._tip.focus({'preventScroll': True})
        elif not opening:
            self.ui.focus_key('launcher:' + launcher_id)

    # -- checklists -----------------------------------------------------------------
    def _checklist(self, dock, checklist, done, index, in_center):
        ui = self.ui
        cid = checklist['id']
        tasks = checklist['tasks']
        finished = len([t for t in tasks if done(cid, t['id'])])
        collapsed = cid in ui.folded
        box = ui.el('section', dock, 'checklist', None)
        box.setAttribute('data-checklist', cid)
        box.setAttribute('dir', 'rtl' if ui.rtl else 'auto')
        box.setAttribute('aria-labelledby', 'uf-cl' + str(index))
        head = ui.el('div', box, 'head', None)
        words = ui.words
        title = ui.t(map_get(checklist, 'title')) or words['checklist']
        ui.el('h2', head, None, title).id = 'uf-cl' + str(index)
        toggle = ui.button(
            head,
            'icon',
            '\u25b4' if collapsed else '\u25be',
            'toggle:' + cid,
            words['show'] if collapsed else words['hide'],
        )
        toggle.setAttribute('aria-expanded', 'false' if collapsed else 'true')
        toggle.addEventListener('click', ui.guarded(lambda event: self._fold(cid)))
        if not in_center:  # in the resource center it stays listed
            close = ui.button(head, 'icon', '\u00d7', 'close:' + cid, words['dismiss'])
            close.addEventListener('click', ui.guarded(lambda event: ui.on_close(cid)))
        progress = str(finished) + ' ' + words['of'] + ' ' + str(len(tasks)) + ' ' + words['done']
        bar = ui.el('div', box, 'bar', None)
        bar.setAttribute('role', 'progressbar')
        bar.setAttribute('aria-valuemin', '0')
        bar.setAttribute('aria-valuemax', str(len(tasks)))
        bar.setAttribute('aria-valuenow', str(finished))
        bar.setAttribute('aria-valuetext', progress)
        bar.setAttribute('aria-labelledby', 'uf-cl' + str(index))
        share = str(round(100 * finished / most(1, len(tasks)))) + '%'
        ui.el('span', bar, None, None).style.setProperty('width', share)
        ui.el('p', box, 'summary', progress)
        if collapsed:
            return
        items = ui.el('ul', box, None, None)
        for task in tasks:
            finished_task = done(cid, task['id'])
            item = ui.el('li', items, 'done' if finished_task else None, None)
            item.setAttribute('data-task', task['id'])
            mark = ui.el('span', item, None, '\u2713' if finished_task else '\u25cb')
            mark.setAttribute('aria-hidden', 'true')
            if map_get(task, 'action') and not finished_task:
                node = ui.button(item, None, ui.t(task['title']), 'task:' + task['id'], None)
                node.addEventListener('click', self._task(cid, task['id']))
            else:
                ui.el('span', item, None, ui.t(task['title']))
            if finished_task:
                ui.el('span', item, 'sr', ' (' + words['done'] + ')')

    def _fold(self, checklist_id):
        """Collapse or expand a checklist (the Ui keeps which are folded: its render compares)."""
        folded = self.ui.folded
        if checklist_id in folded:
            self.ui.folded = [c for c in folded if c != checklist_id]
        else:
            folded.append(checklist_id)
        self.ui.refresh()

    def _task(self, checklist_id, task_id):
        return self.ui.guarded(lambda event: self.ui.on_task(checklist_id, task_id))

    # -- the resource center ---------------------------------------------------------
    def _center(self, layer, surfaces, done):
        state = surfaces['center_state']
        words = self.ui.words
        toggle = self.ui.button(layer, 'rc-button', '?', 'center', words['help'])
        toggle.setAttribute('aria-expanded', 'true' if surfaces['center_open'] else 'false')
        toggle.addEventListener('click', self._surface('center', {'toggle': True}))
        toggle.classList.toggle('away', self.ui.launcher_hidden and not surfaces['center_open'])
        if state['uncompletedChecklistTaskCount'] > 0:
            badge = self.ui.el('span', toggle, 'count', str(state['uncompletedChecklistTaskCount']))
            badge.setAttribute('aria-hidden', 'true')
        layer.classList.add('with-center')
        if not surfaces['center_open']:
            return
        layer.classList.add('center-open')
        center = surfaces['center']
        panel = self.ui.el('section', layer, 'rc', None)
        panel.setAttribute('role', 'dialog')
        panel.setAttribute('tabindex', '-1')
        panel.setAttribute('aria-labelledby', 'uf-rc-title')
        panel.setAttribute('dir', 'rtl' if self.ui.rtl else 'auto')
        head = self.ui.el('div', panel, 'head', None)
        self.ui.el('h2', head, None, self.ui.t(map_get(center, 'title')) or words['help']).id = 'uf-rc-title'
        close = self.ui.button(head, 'icon', '\u00d7', 'close:center', words['close'])
        close.addEventListener('click', self._surface('center', {'toggle': True}))
        if map_get(center, 'search') is True:
            search = self.ui.el('input', panel, 'search', None)
            search.type = 'search'
            search.setAttribute('data-key', 'search')
            search.setAttribute('aria-label', words['search'])
            search.placeholder = words['search']
            search.value = self._query
            search.addEventListener('input', self.ui.guarded(self._search))
        items = self.ui.el('ul', panel, 'rc-items', None)
        for i in range(len(surfaces['center_items'])):
            self._center_item(items, surfaces['center_items'][i], done, i)
        empty = self.ui.el('p', panel, 'summary empty', words['none'])
        empty.hidden = True
        self._panel = panel
        self._filter()

    def _center_item(self, items, entry, done, index):
        row = self.ui.el('li', items, None, None)
        if entry['kind'] == 'checklist':
            self._checklist(row, entry['checklist'], done, 100 + index, True)
            row.setAttribute('data-text', self.ui.t(map_get(entry['checklist'], 'title')) or '')
            return
        title = self.ui.t(entry['title'])
        row.setAttribute('data-text', title)
        if entry['kind'] == 'flow':
            node = self.ui.button(row, None, title, 'flow:' + entry['id'], None)
            node.addEventListener('click', self._surface('center', {'startFlow': entry['id']}))
        else:
            link = self.ui.el('a', row, None, title)
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
            hit = row.getAttribute('data-text').lower().find(query) >= 0
            row.hidden = not hit
            shown += 1 if hit else 0
        self._panel.querySelector('.empty').hidden = shown > 0

    # -- shared ----------------------------------------------------------------------
    def _surface_buttons(self, parent, item, key):
        buttons = map_get(item, 'buttons') or []
        if len(buttons) == 0:
            return
        row = self.ui.el('div', parent, 'actions', None)
        for i in range(len(buttons)):
            cls = 'primary' if i == len(buttons) - 1 else None
            node = self.ui.button(row, cls, self.ui.t(buttons[i]['label']), key + ':' + str(i), None)
            node.addEventListener('click', self._surface(key, buttons[i]['action']))

    def _surface(self, key, action):
        def run(event):
            if key.startswith('launcher:'):
                self._open_launcher = None  # its tooltip closes whatever the button does
            self.ui.on_surface(key, action)

        return self.ui.guarded(run)

    # -- following targets, keys ---------------------------------------------------------
    def watch(self):
        for entry in self._launchers:
            self.ui.watch(entry[1])

    def retarget(self, launchers):
        """`launchers` ([launcher, its target element] as found now) are the ones drawn: the
        page may have replaced a target since (a framework re-rendering it), so follow the
        element found now."""
        for entry in self._launchers:
            for found in launchers:
                if found[0]['id'] == entry[0].getAttribute('data-launcher'):
                    entry[1] = found[1]
                    if self._open_launcher == found[0]['id']:
                        self._tip_target = found[1]

    def moving(self):
        return len(self._launchers) > 0

    def position(self, view):
        """Launcher icons at their targets' corners, an open launcher's tooltip beside it."""
        for entry in self._launchers:
            if entry[1].isConnected:
                rect = _rect(entry[1])
                spot = beacon_spot(rect, BEACON_SIZE, view)
                self.ui.move(entry[0], spot['x'], spot['y'])
                entry[0].classList.toggle('away', off_screen(rect, view))
        if self._tip is not None and self._tip_target.isConnected:
            self.ui.place(self._tip, self._tip_arrow, _rect(self._tip_target), view, self._tip_placement)

    def escape(self, target):
        """Escape pressed on `target`: close the launcher tooltip or the panel it is in."""
        if self._tip is not None and self._tip.contains(target):
            self._toggle_launcher(self._open_launcher)
            return True
        if self._panel is not None and self._panel.contains(target):
            self.ui.on_surface('center', {'toggle': True})
            self.ui.focus_key('center')
            return True
        return False


def _rect(node):
    box = node.getBoundingClientRect()
    return {'top': box.top, 'left': box.left, 'width': box.width, 'height': box.height}


window['userflow-surfaces'] = Surfaces  # how the flows chunk, which loaded this one, finds it
