"""Binding: what the end user sees. Modals, tooltips and beacons (checklists, launchers, banners
and the resource center through the surfaces chunk, surfaces/main.py) in one
`<userflow-ui data-userflow>` element with an open shadow root, styled by a constructable
stylesheet (`uicss.py`), so host CSS cannot reach in and nothing needs `unsafe-inline`.

Every text goes in through `textContent`; a body with markup is drawn by the richtext chunk
(richtext/main.py), whose only links are the http(s) URLs and site paths its parser allows, opened
with `rel="noopener noreferrer"`. Nothing here decides anything:
it shows what the flow runtime says and reports clicks and keys back as actions.

Geometry is `position.py` (pure); this module measures and moves. A tooltip follows its target
on scroll, resize and layout changes (ResizeObserver, and IntersectionObserver to hide it while
the target is scrolled away), repositioned at most once per animation frame.

Accessibility: cards are `role="dialog"` named by their title (modals `aria-modal`, focus kept
inside); a new modal, or a tooltip when the user was in the UI or nowhere, takes focus, which
returns where it was when the UI goes away; Escape dismisses; everything is a real button.
"""

from userflow.browser import env
from userflow.pure.position import beacon_spot, off_screen, place
from userflow.flows.uicss import CSS
from userflow.flows.draw import button, el, guarded
from userflow.pure.bodies import blank
from userflow.pure.locales import ENGLISH, pick, right_to_left
from userflow.pure.locales import words as ui_words
from userflow.pure.values import map_get

TAG = 'userflow-ui'
BASE_Z = 2147483000
BEACON_SIZE = 24
ARROW_HALF = 6


class Ui:
    def __init__(self, on_action, on_task, on_close, on_surface, refresh):
        self._on_action = on_action  # a button's action; {'end': True} for close and Escape
        self.on_task = on_task  # (checklist id, task id) clicked
        self.on_close = on_close  # checklist id dismissed
        self.on_surface = on_surface  # (surface, action): a launcher's, banner's or the center's control
        self.refresh = refresh  # render again from the runtime's state
        # For the surfaces, richtext and extras chunks, separate bundles: the public members they use.
        self.surfaces = None  # its drawer (checklists too), once the content needs it
        self.rich = None  # the richtext chunk's Markup, once the content needs it
        self.extras = None  # the extras chunk's spotlight and progress, once the content needs them
        self.el = el
        self.button = button
        self.guarded = guarded
        self._z = BASE_Z
        self.container = None
        self._root = None
        self._sheets = None
        self._css = [CSS]  # the UI's stylesheet, and each drawing chunk's once loaded
        self.view = None  # signature of what is built
        self._step_key = None  # the active flow/step, shown or waiting for its target
        self._focused_key = None  # the card that already took focus
        self._beacon_open = False
        self.folded = []  # checklist ids the user collapsed (the surfaces chunk toggles them)
        self._card = None
        self._arrow = None
        self._beacon = None
        self._modal = False
        self._placement = 'auto'
        self._target = None
        self._revealed = None  # the target last scrolled into view
        self.decorate = None  # setLinkUrlDecorator
        self.tags = []  # the locales to show texts in, best first (locales.chain)
        self.words = ENGLISH  # the UI's own words in that language
        self.rtl = False
        self.scroll_into_view = None  # setCustomScrollIntoView
        self.padding = {'top': 0, 'right': 0, 'bottom': 0, 'left': 0}  # setScrollPadding
        self.launcher_hidden = False  # setResourceCenterLauncherHidden
        self._restore = None  # the host element that had focus before the UI took it
        self._restore_key = None  # or the UI control (a checklist task) that had it
        self._frame_id = None
        self._resizes = None
        self._crossings = None
        # One bound function each, so that listeners can be removed again.
        self.reposition = self._schedule
        self._keys = guarded(self._key)
        self._guard = guarded(self._focus_in)

    # -- mounting ----------------------------------------------------------------------
    def mount(self):
        if self.container is not None and self.container.isConnected:
            return
        host = env.host
        doc = host.document
        self.container = doc.createElement(TAG)
        self.container.setAttribute('data-userflow', '')
        self.set_z(self._z)
        self._root = self.container.attachShadow({'mode': 'open'})
        self.adopt(self._root)
        self._root.addEventListener('keydown', self._keys)
        (doc.body or doc.documentElement).appendChild(self.container)
        self.view = None
        if self._resizes is None:
            self._resizes = __new__(host.ResizeObserver(self.reposition))
            self._crossings = __new__(host.IntersectionObserver(self.reposition))
        host.addEventListener('scroll', self.reposition, {'capture': True, 'passive': True})
        host.addEventListener('resize', self.reposition, {'passive': True})
        doc.addEventListener('focusin', self._guard, True)
        self._resizes.observe(doc.documentElement)

    def adopt(self, root):
        try:
            if self._sheets is None:
                self._sheets = []
                for text in self._css:
                    sheet = __new__(env.host.CSSStyleSheet())
                    sheet.replaceSync(text)
                    self._sheets.append(sheet)
            root.adoptedStyleSheets = self._sheets
        except:  # noqa: E722 -- no constructable stylesheets: a style element (needs the CSP to allow it)
            el('style', root, None, ''.join(self._css))

    def add_css(self, text):
        """Another stylesheet for every root (a drawing chunk's); drawn again with it."""
        self._css.append(text)
        self._sheets = None
        if self._root is not None:
            self.adopt(self._root)

    def set_z(self, z):
        self._z = z
        if self.container is not None:
            self.container.style.setProperty('--uf-z', str(z))  # used by :host, whose !important wins

    def unmount(self):
        had_focus = self._has_focus()
        if self.container is not None:
            self.container.remove()
            host = env.host
            host.removeEventListener('scroll', self.reposition, {'capture': True})
            host.removeEventListener('resize', self.reposition)
            host.document.removeEventListener('focusin', self._guard, True)
            self._resizes.disconnect()
            self._crossings.disconnect()
        self.container = None
        self._focused_key = None
        self._restore_key = None
        self._card = None
        self._beacon = None
        self._target = None
        self.view = None
        if self.surfaces is not None:
            self.surfaces.draw_nothing()
        if had_focus:
            self._restore_focus()

    # -- rendering ---------------------------------------------------------------------
    def render(self, here, target, checklists, done, progress, surfaces):
        """Show step `here` ({'flow', 'step'} or None) at `target` (an element or None), the
        open `checklists` (`done(checklist id, task id)` says which tasks are done; `progress`,
        a list, changes whenever an answer of `done` does) and the `surfaces`: {'launchers':
        [[launcher, its target element], ...], 'banners', 'center' (content or None),
        'center_open', 'center_items', 'center_state'}."""
        step = here['step'] if here is not None else None
        key = here['flow']['id'] + '\n' + step['id'] if step is not None else None
        if key != self._step_key:
            self._step_key = key
            self._beacon_open = False
        shown = (
            step is not None and step['type'] != 'hidden' and (step['type'] == 'modal' or target is not None)
        )
        launchers = [x for x in surfaces['launchers'] if x[1] is not None]
        surfaces['launchers'] = launchers
        if self.surfaces is None:  # not loaded yet: drawn when it is
            checklists = []
            launchers = []
            surfaces = {
                'launchers': [],
                'banners': [],
                'center': None,
                'center_items': [],
                'center_open': False,
            }
        if (
            not shown
            and len(checklists) == 0
            and len(launchers) == 0
            and len(surfaces['banners']) == 0
            and surfaces['center'] is None
        ):
            self.unmount()
            return
        lists = [[c['id'], c['id'] in self.folded] for c in checklists]
        for entry in surfaces['center_items']:
            if entry['kind'] == 'checklist':
                lists.append([entry['checklist']['id'], entry['checklist']['id'] in self.folded])
        signature = JSON.stringify(
            [
                key if shown else '',
                self._beacon_open,
                lists,
                progress,
                [x[0]['id'] for x in launchers],
                self.surfaces.signature() if self.surfaces is not None else None,
                [x['id'] for x in surfaces['banners']],
                surfaces['center'] is not None,
                surfaces['center_open'],
                self.launcher_hidden,
            ]
        )
        self.mount()
        if signature != self.view:
            self._build(here if shown else None, checklists, done, signature, surfaces)
        elif self.surfaces is not None:
            self.surfaces.retarget(launchers)  # the same launchers; their targets may be new elements
        self._follow(target if shown and step['type'] != 'modal' else None)
        if self.surfaces is not None:
            self.surfaces.watch()
        self.position()

    def _build(self, here, checklists, done, signature, surfaces):
        inside = self._has_focus()
        active = self._root.activeElement
        focused = active.getAttribute('data-key') if inside and active is not None else None
        if focused is not None and active.closest('.card') is not None:
            focused = '.card ' + focused  # a card's control: not where focus returns to later
        self.view = signature
        self._root.replaceChildren()
        self._card = None
        self._arrow = None
        self._beacon = None
        if self.extras is not None:
            self.extras.spotlight(None, None)  # none until a step draws one
        self._modal = False
        layer = el('div', self._root, 'layer', None)
        if here is not None:
            self._step(layer, here['flow'], here['step'])
        if self.surfaces is not None:
            self.surfaces.draw(layer, checklists, surfaces, done)
        if self._card is not None:
            self._resizes.observe(self._card)  # its size decides where it goes
        else:
            self._focused_key = None  # the same step shown again later takes focus again
        self._settle_focus(inside, focused)

    def set_locales(self, tags, translations):
        """Show texts in the first of `tags` each text has (see locales.py), and the UI's own
        words from `translations` (the locales chunk's, or {}), drawing again."""
        self.tags = tags
        self.words = ui_words(tags, translations)
        self.rtl = right_to_left(tags)
        self.view = None

    def t(self, text):
        return pick(text, self.tags) if text is not None else None

    def _step(self, layer, flow, step):
        title = self.t(map_get(step, 'title'))
        words = self.words
        self._placement = map_get(step, 'placement') or 'auto'
        if step['type'] == 'beacon' and not self._beacon_open:
            self._beacon = button(layer, 'beacon', None, 'beacon', words['tip'] + ': ' + (title or ''))
            self._beacon.setAttribute('aria-expanded', 'false')
            self._beacon.setAttribute('data-step', step['id'])
            self._beacon.addEventListener('click', guarded(self._open_beacon))
            return
        self._modal = step['type'] == 'modal'
        if self._modal:
            el('div', layer, 'backdrop', None).setAttribute('data-role', 'backdrop')
        if self.extras is not None:
            self.extras.spotlight(layer, map_get(step, 'spotlight'))
        card = el('div', layer, 'card modal' if self._modal else 'card', None)
        card.setAttribute('role', 'dialog')
        if self._modal:
            card.setAttribute('aria-modal', 'true')
        card.setAttribute('tabindex', '-1')
        card.setAttribute('dir', 'rtl' if self.rtl else 'auto')
        card.setAttribute('data-step', step['id'])
        card.setAttribute('data-type', step['type'])
        if not self._modal:
            self._arrow = el('div', card, 'arrow', None)
            self._arrow.setAttribute('aria-hidden', 'true')
        if title:
            el('h2', card, None, title).id = 'uf-title'
            card.setAttribute('aria-labelledby', 'uf-title')
        else:
            card.setAttribute('aria-label', self.t(map_get(flow, 'name')) or words['tour'])
        body = self.t(map_get(step, 'body'))
        if body:
            self.markup(el('div', card, 'body', None), body)
            card.lastChild.id = 'uf-body'
            card.setAttribute('aria-describedby', 'uf-body')
        if self.extras is not None:
            self.extras.progress(card, flow, step)
        buttons = map_get(step, 'buttons') or []
        if len(buttons) > 0:
            row = el('div', card, 'actions', None)
            for i in range(len(buttons)):
                node = button(
                    row,
                    'primary' if i == len(buttons) - 1 else None,
                    self.t(buttons[i]['label']),
                    'button:' + str(i),
                    None,
                )
                node.addEventListener('click', self._act(buttons[i]['action']))
        close = button(card, 'close', '\u00d7', 'close', words['close'])
        close.addEventListener('click', self._act({'end': True}))
        self._card = card

    # -- focus and keys ----------------------------------------------------------------
    def _has_focus(self):
        return self.container is not None and env.host.document.activeElement is self.container

    def _settle_focus(self, inside, focused):
        """After a rebuild: a new card takes focus when it is a modal, or when the user was in
        the UI or nowhere; otherwise focus stays on the control it was on (rebuilt), or goes
        back where it came from."""
        card_key = (self._step_key or '') + ('\nopen' if self._beacon_open else '')
        if self._card is not None and card_key != self._focused_key:
            self._focused_key = card_key
            doc = env.host.document
            idle = doc.activeElement is None or doc.activeElement is doc.body
            if self._modal or inside or idle:
                if inside and focused is not None and not focused.startswith('.card '):
                    self._restore_key = focused
                elif not idle:
                    self._restore = doc.activeElement
                self._card.focus({'preventScroll': True})
                return
        if not inside:
            return
        if self._card is None and self.focus_key(self._restore_key):
            self._restore_key = None
            return
        if self.focus_key(focused.replace('.card ', '') if focused else None):
            return
        if self._card is not None:
            self._card.focus({'preventScroll': True})
        elif self._beacon is not None:
            self._beacon.focus({'preventScroll': True})
        else:
            self._restore_focus()

    def focus_key(self, key):
        for node in Array.prototype.slice.call(self._root.querySelectorAll('[data-key]')):
            if key and node.getAttribute('data-key') == key:
                node.focus({'preventScroll': True})
                return True
        return False

    def _restore_focus(self):
        back = self._restore
        self._restore = None
        if back is not None and back.isConnected and back.focus:
            back.focus({'preventScroll': True})

    def _key(self, event):
        if event.key == 'Escape':
            if self.surfaces is not None and self.surfaces.escape(event.target):
                pass
            elif self._beacon_open:
                self._beacon_open = False
                self.refresh()
            elif self._card is not None and self._card.contains(event.target):
                self._on_action({'end': True})
            else:
                return
            event.stopPropagation()
        elif event.key == 'Tab' and self._modal and self._card is not None:
            controls = self._card.querySelectorAll('button, a[href]')
            first = controls[0]
            last = controls[controls.length - 1]
            here = self._root.activeElement
            if event.shiftKey and (here is first or here is self._card):
                last.focus()
                event.preventDefault()
            elif not event.shiftKey and here is last:
                first.focus()
                event.preventDefault()

    def _focus_in(self, event):
        # A modal keeps focus inside: focus that lands on the page comes back to the card.
        if self._modal and self._card is not None and event.target is not self.container:
            self._card.focus({'preventScroll': True})

    # -- following the target ----------------------------------------------------------
    def _follow(self, target):
        if target is self._target:
            return
        if self._target is not None:
            self._resizes.unobserve(self._target)
            self._crossings.unobserve(self._target)
        self._target = target
        if target is None:
            return
        self._resizes.observe(target)
        self._crossings.observe(target)
        if target is not self._revealed:
            self._revealed = target
            self._reveal(target)

    def watch(self, target):
        """Keep a launcher's target observed (size, visibility) so its icon follows it."""
        self._resizes.observe(target)
        self._crossings.observe(target)

    def _reveal(self, target):
        """Scroll `target` into the viewport inset by the scroll padding, with the app's own
        function when it set one."""
        pad = self.padding
        box = target.getBoundingClientRect()
        view = _viewport()
        if (
            box.top >= pad['top']
            and box.left >= pad['left']
            and box.bottom <= view['height'] - pad['bottom']
            and box.right <= view['width'] - pad['right']
        ):
            return
        if self.scroll_into_view is not None:
            try:
                return self.scroll_into_view(target)
            except:  # noqa: E722
                return env.warn('the custom scrollIntoView function threw')
        query = env.host.matchMedia
        reduced = query and env.host.matchMedia('(prefers-reduced-motion: reduce)').matches
        behavior = 'auto' if reduced else 'smooth'
        target.scrollIntoView({'block': 'center', 'inline': 'nearest', 'behavior': behavior})

    def _schedule(self, event=None):
        moving = self.surfaces is not None and self.surfaces.moving()
        if self._frame_id is None and (self._target is not None or moving):
            self._frame_id = env.host.requestAnimationFrame(self._frame)

    def _frame(self, stamp):
        self._frame_id = None
        try:
            self.position()
        except:  # noqa: E722
            env.error('internal error while positioning the UI')

    def position(self):
        target = self._target
        followed = target is not None and target.isConnected
        moving = self.surfaces is not None and self.surfaces.moving()
        if not moving and not (followed and (self._beacon is not None or self._card is not None)):
            return  # nothing to place: no layout read (it would force one after every page change)
        view = _viewport()
        if moving:
            self.surfaces.position(view)
        if not followed:
            return
        rect = _rect(target)
        if self._beacon is not None:
            spot = beacon_spot(rect, BEACON_SIZE, view)
            _move(self._beacon, spot['x'], spot['y'])
            self._beacon.classList.toggle('away', off_screen(rect, view))
            return
        if self._card is None:
            return
        if self.extras is not None:
            self.extras.place(rect, view)
        self.place(self._card, self._arrow, rect, view, self._placement)

    def move(self, node, x, y):
        _move(node, x, y)

    def markup(self, parent, text):
        """A body: with markup, by the richtext chunk; plain (bodies.marked), as one paragraph,
        which is what the parser would make of it; as written when that chunk could not load."""
        if self.rich is not None:
            self.rich.draw(parent, text)
        elif not blank(text):
            el('p', parent, None, text)

    def place(self, card, arrow, rect, view, placement):
        at = place(rect, {'width': card.offsetWidth, 'height': card.offsetHeight}, view, placement)
        _move(card, at['x'], at['y'])
        card.setAttribute('data-side', at['side'])
        card.classList.toggle('away', at['hidden'])
        vertical = at['side'] == 'top' or at['side'] == 'bottom'
        offset = str(round(at['arrow'] - ARROW_HALF)) + 'px'
        arrow.style.setProperty('left' if vertical else 'top', offset)
        arrow.style.removeProperty('top' if vertical else 'left')

    # -- user actions ------------------------------------------------------------------
    def _open_beacon(self, event):
        self._beacon_open = True
        self.refresh()

    def _act(self, action):
        return guarded(lambda event: self._on_action(action))


def _rect(node):
    box = node.getBoundingClientRect()
    return {'top': box.top, 'left': box.left, 'width': box.width, 'height': box.height}


def _viewport():
    root = env.host.document.documentElement
    return {
        'width': root.clientWidth or env.host.innerWidth,
        'height': root.clientHeight or env.host.innerHeight,
    }


def _move(node, x, y):
    node.style.setProperty('transform', 'translate(' + str(round(x)) + 'px,' + str(round(y)) + 'px)')
