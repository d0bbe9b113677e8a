"""Binding: runs the flow runtime on the page. It feeds conditions from the live DOM, carries
out the runtime's effects (events for `on()`, `flow` events on the wire in standard mode, the
UI, navigation), and keeps progress in `localStorage` (`uf:flows`) so a reload resumes the
step and a second tab follows along (`storage` event) instead of showing it twice.

What leaves the browser from here: flow and step IDs with started/stepSeen/completed/
dismissed, in `analytics` mode only (the caller decides). Never a condition, its result, or
anything read from the page. With `navigate_on_click_only` (strict mode) a navigate action runs
only from a button or task the user clicked, never from a trigger or an auto-start: content must
not be able to make the browser request a URL because a condition on the page holds.

The core talks to it through these methods only (the `flows` effects of pure/session.py):
load(content, source), configure(shadow, click_only), learn(attributes), changed(),
navigated(), start(flow_id, once), end_all(), remount(), set_z(z), set_navigate(fn), reset();
and, forwarded by name with the app's three arguments, the public methods that configure the
engine: endChecklist, the resource-center methods, setCustomInputSelector, registerCustomInput,
setLinkUrlDecorator, setScrollPadding, setCustomScrollIntoView and debugger.
"""

from userflow.browser import env
from userflow.pure.conditions import evaluate, explain
from userflow.pure.content import MAX_CHARS, MAX_SELECTOR, combine, use_pattern_checker, validate
from userflow.flows.dom import LivePage
from userflow.pure.flows import FlowRuntime, blank_state
from userflow.pure.locales import chain, translated, valid_tag
from userflow.flows.observe import Observer
from userflow.flows.view import Ui
from userflow.pure.urls import split_url
from userflow.pure.bodies import images, marked
from userflow.pure.values import from_json, kind, map_get, map_keys, to_json

STATE_KEY = 'flows'
_WIRE_ACTION = {'started': 'started', 'step': 'stepSeen'}


class FlowHost:
    def __init__(self, emit, send, warn):
        self.emit = emit  # emit(event name, payload) to on() listeners
        self.send = send  # send(fields) queues a `flow` event (the caller applies privacy)
        self.warn = warn
        self.runtime = FlowRuntime(_stored_state())
        self.page = LivePage(self.runtime)
        self.ui = Ui(self._button, self._task, self._close_checklist, self._surface, self._render)
        self.observer = Observer(self.reevaluate, self.page.record_click)
        self.page.watch = self.observer.watch
        self.page.upgraded = self.observer.schedule
        self._loaded = False
        self._sources = {}  # 'server' / 'app' -> validated content
        self._raw = {}  # 'server' / 'app' -> that content as given (validated again, see use_patterns)
        self._locale = None  # init's locale, if any
        self._pending_starts = []
        self._navigate_fn = None
        self._navigate_on_click_only = False
        self._debugger_panel = None  # the debugger chunk's panel, once opened
        self._settled = None  # _inputs() after an evaluation that changed nothing
        self._tasks_read = None  # what the last checklist pass depended on (_task_test)
        self._images = []  # sources of the content's images, loaded when the content arrived
        self._waiting = []  # the chunks the content's drawing needs that are on their way
        env.listen(env.host, 'storage', self._other_tab)

    def load(self, content, source):
        """Validate and use `content` (a parsed object, or JSON text) from `source` ('server':
        fetched from the endpoint; 'app': given to loadContent). The two combine by ID, the
        app's winning (content.combine); a source's newer content replaces its older."""
        if kind(content) == 'str':
            if len(content) > MAX_CHARS:
                return self.warn('content refused: larger than ' + str(MAX_CHARS) + ' characters')
            try:
                content = from_json(content)
            except:  # noqa: E722
                return self.warn('content refused: not valid JSON')
        elif len(to_json(content) or '') > MAX_CHARS:
            return self.warn('content refused: larger than ' + str(MAX_CHARS) + ' characters')
        self._raw[source] = content
        self._validate(source, [])
        self._use()

    def use_patterns(self, check):
        """The checker of `matches` patterns (the patterns chunk, which the core loads beside
        this one for content that may have them). Content that came before it is validated
        again: its patterns never ran (content.py); now the safe ones do, and a flow with an
        unsafe one is dropped, with a warning that names it."""
        use_pattern_checker(check)
        sources = [name for name in ['server', 'app'] if name in self._raw]
        for name in sources:
            self._validate(name, self._sources[name]['errors'])  # each problem said once
        if len(sources) > 0:
            self._use()

    def _validate(self, source, said):
        checked = validate(self._raw[source])
        for message in checked['errors']:
            if message not in said:
                self.warn(message)
        self._sources[source] = checked

    def _use(self):
        """Run the content of every source, combined."""
        self._locales()
        ordered = [self._sources[name] for name in ['server', 'app'] if name in self._sources]
        both = combine(ordered)
        self.runtime.load(both['flows'], both['checklists'], both)
        self.page.forget()
        if self._preload(both) and self.ui.rich is None:
            self._drawing_chunk('richtext')
        if _has_extras(both) and self.ui.extras is None:
            self._drawing_chunk('extras')
        # The surfaces chunk draws checklists, launchers, banners and the resource center.
        if both['resourceCenter'] is not None or len(both['checklists']) + len(both['launchers']) + len(
            both['banners']
        ):
            self._load_surfaces()
        self.ui.view = None  # same IDs may carry new text: draw again
        self._loaded = True
        self.observer.start()
        starts = self._pending_starts
        self._pending_starts = []
        for start in starts:
            self.start(start[0], start[1])
        self.reevaluate()

    def start(self, flow_id, once):
        if not self._loaded:
            self._pending_starts.append([flow_id, once])
            return
        effects = self.runtime.start(flow_id, once)
        if len(effects) == 0 and not once:
            self.warn('start: no flow "' + str(flow_id) + '" in the content')
        self._apply(effects)

    def end_all(self):
        self._apply(self.runtime.end_all())

    def configure(self, shadow, click_only, locale):
        self.page.search_shadow(shadow)
        self._navigate_on_click_only = click_only
        if locale is not None and not valid_tag(locale):
            self.warn('init: locale "' + str(locale)[:40] + '" is not a locale tag; the browser\'s are used')
            locale = None
        if locale != self._locale:
            self._locale = locale
            self._locales()
            if self._loaded:
                self._render()

    def _locales(self):
        """The language texts are shown in, chosen here and never sent: init's locale, else the
        browser's languages; each falls back to its language, then to the content's locale."""
        navigator = env.host.navigator
        asked = list(navigator.languages or [navigator.language])
        if self._locale is not None:
            asked = [self._locale]
        default = None
        for name in ['server', 'app']:
            if name in self._sources and self._sources[name]['locale'] is not None:
                default = self._sources[name]['locale']
        tags = chain(asked, default)
        self.ui.set_locales(tags, {})
        if translated(tags) is None:
            return

        def loaded(table):  # the UI's words in that language: the locales chunk, once
            if self.ui.tags is tags:  # still the language shown
                self.ui.set_locales(tags, table)
                self._render()

        self._chunk('locales', loaded)

    def learn(self, attributes):
        self.page.learn(attributes)

    def changed(self):
        """Something conditions may read changed outside the DOM (an event was tracked)."""
        self.observer.schedule()

    def navigated(self):
        self.runtime.page_changed()
        self.observer.schedule()

    def remount(self):
        self.ui.unmount()
        self.reevaluate()

    def set_z(self, z):
        self.ui.set_z(z)

    def set_navigate(self, fn):
        self._navigate_fn = fn

    def reset(self):
        self.runtime.state = blank_state()
        self.runtime.ended_here = []
        self.page.forget_clicks()
        self.ui.unmount()

    def reevaluate(self, raw=None):
        """Evaluate conditions again; `raw`: what changed on the page since the last time
        (Observer.taken), or None when nothing there did (only what it may affect runs again)."""
        if self._loaded:
            calm = self.page.begin(raw) and not raw['other']
            calm = calm and self._settled is not None and self._inputs() == self._settled
            if calm:  # nothing any condition reads has changed: the last evaluation's answer stands
                self.page.end()
                if len(raw['records']) > 0 and self._follows_page():
                    self._render()  # the page's elements changed: a target may have been replaced
                else:
                    self.ui.position()  # what is shown stays, at most it moved
            else:
                self.page.volatile = False
                reads = self._task_reads(raw)
                try:
                    effects = self.runtime.evaluate(
                        lambda condition: evaluate(condition, self.page),
                        False if reads is None else lambda condition: self._task_test(condition, reads),
                    )
                finally:
                    self.page.end()
                self._tasks_passed(reads)
                self._apply(effects)
                self._settled = self._inputs() if len(effects) == 0 else None
        if self._debugger_panel is not None:
            self._debugger_panel.render(self.runtime, self.page)

    def _task_reads(self, raw):
        """The Set this evaluation's checklist pass notes what it reads in (LivePage.reads), or
        None when the pass can be skipped: the last one read only remembered element and input
        results, none of which has been dropped since, nothing else happened (an event, a
        navigation, a click, a setting) and the tasks done and checklists closed are as it left
        them. An answer can differ from the last pass's only if what it read did."""
        runtime = self.runtime
        last = self._tasks_read
        if (
            raw is not None
            and not raw['other']
            and last is not None
            and not self.page.dropped
            and last[0] is runtime.state
            and last[1] is runtime.checklists
            and last[2] == len(runtime.state['tasks']) + len(runtime.state['closed'])
        ):
            return None
        self._tasks_read = None  # until this pass is over (it may raise)
        return __new__(Set())

    def _task_test(self, condition, reads):
        self.page.reads = reads
        answer = evaluate(condition, self.page)
        self.page.reads = None
        return answer

    def _tasks_passed(self, reads):
        """After an evaluation: what its checklist pass (if it ran) depended on, if only
        remembered results."""
        if reads is not None and not reads.has(None):
            runtime = self.runtime
            state = runtime.state  # they only grow, unless replaced
            self._tasks_read = [state, runtime.checklists, len(state['tasks']) + len(state['closed'])]
            self.page.watched = reads
            self.page.dropped = False

    def _follows_page(self):
        """Whether what is shown depends on the page's elements beyond the conditions: a step
        or launcher at a target (which the page may have replaced), or the UI's container,
        which the page may have removed."""
        here = self.runtime.current()
        container = self.ui.container
        at_target = here is not None and bool(here['step']['target'])
        removed = container is not None and not container.isConnected
        return at_target or len(self.runtime.showing['launchers']) > 0 or removed

    def _inputs(self):
        """What conditions read besides the page's elements and fields: the flows' state (which
        step is shown, what was seen, done, closed), the page URL, the app's attributes and the
        events tracked. An evaluation that changed nothing is not repeated until one of these,
        or a remembered element or field result (flows/dom.py), changes."""
        runtime = self.runtime
        return to_json(
            [
                runtime.state,
                runtime.ended_here,
                len(runtime.flows),
                len(runtime.checklists),
                self.page.url(),
                self.page.attributes,
                env.storage_get('events'),  # as stored: no need to read the names out of it
            ]
        )

    # -- the public methods forwarded by name (the app's arguments a, b, c) ---------------
    def endChecklist(self, a, b, c):
        for checklist in self.runtime.open_checklists():
            self._close_checklist(checklist['id'])

    def openResourceCenter(self, a, b, c):
        self._center('openResourceCenter', True)

    def closeResourceCenter(self, a, b, c):
        self._center('closeResourceCenter', False)

    def toggleResourceCenter(self, a, b, c):
        self._center('toggleResourceCenter', None)

    def setResourceCenterLauncherHidden(self, hidden, b, c):
        self.ui.launcher_hidden = hidden is True
        self._render()

    def center_state(self):
        """getResourceCenterState(): Userflow.js's ResourceCenterState, or None."""
        return self.runtime.center_state()

    def setCustomInputSelector(self, selector, b, c):
        """Elements matching `selector` are inputs whose value is their text (null: none)."""
        if selector is None or self._selector('setCustomInputSelector', selector):
            self.page.custom_inputs = self.page.custom_inputs.filter(lambda x: x[2])
            if selector is not None:
                self.page.custom_inputs.append([selector, None, False])
            self.page.forget()
            self.observer.schedule()

    def registerCustomInput(self, selector, get_value, c):
        """Elements matching `selector` are inputs whose value `get_value(element)` gives."""
        if get_value is not None and kind(get_value) != 'fn':
            return self._refuse('registerCustomInput', 'getValue must be a function')
        if self._selector('registerCustomInput', selector):
            self.page.custom_inputs.append([selector, get_value, True])
            self.page.forget()
            self.observer.schedule()

    def setLinkUrlDecorator(self, decorate, b, c):
        if decorate is not None and kind(decorate) != 'fn':
            return self._refuse('setLinkUrlDecorator', 'the decorator must be a function or null')
        self.ui.decorate = decorate
        self.ui.view = None  # links are drawn again

    def setCustomScrollIntoView(self, scroll, b, c):
        if scroll is not None and kind(scroll) != 'fn':
            return self._refuse('setCustomScrollIntoView', 'scrollIntoView must be a function or null')
        self.ui.scroll_into_view = scroll

    def setScrollPadding(self, padding, b, c):
        sides = {'top': 0, 'right': 0, 'bottom': 0, 'left': 0}
        if padding is not None and kind(padding) != 'map':
            return self._refuse('setScrollPadding', 'padding must be {top, right, bottom, left} or null')
        for side in ['top', 'right', 'bottom', 'left']:
            value = map_get(padding, side) if padding is not None else None
            if value is not None and (kind(value) != 'num' or not (value - value == 0)):
                return self._refuse('setScrollPadding', side + ' must be a finite number')
            sides[side] = value or 0
        self.ui.padding = sides

    def debugger(self, a, b, c):
        def loaded(panel_class):
            if self._debugger_panel is None:
                self._debugger_panel = __new__(panel_class(explain))
            self._debugger_panel.open(self._debugger_panel.close)
            self._debugger_panel.render(self.runtime, self.page)

        return self._chunk('debugger', loaded)

    def _center(self, method, open_it):
        if self.runtime.center is None:
            return env.debug(method + ': the content has no resource center')
        if not self.runtime.showing['center']:
            return env.debug(method + ': the resource center does not show here (its `when`)')
        self._apply(self.runtime.open_center(open_it))

    def _surface(self, surface, action):
        """A control of a launcher, banner or the resource center was clicked."""
        if map_get(action, 'toggle') is not None:
            return self._apply(self.runtime.open_center(None))
        if map_get(action, 'dismiss') is not None:
            return self._apply(self.runtime.dismiss(surface))
        effects = self.runtime.act(action)  # startFlow or navigate
        if surface == 'center':
            effects.extend(self.runtime.open_center(False))
        self._apply(effects, True)

    def _load_surfaces(self):
        """The surfaces chunk, loaded only for content that has checklists, launchers, banners
        or a resource center."""

        def loaded(surfaces_class):
            if self.ui.surfaces is None:
                self.ui.surfaces = __new__(surfaces_class(self.ui))
                self._render()

        self._chunk('surfaces', loaded)

    def _drawing_chunk(self, name):
        """A chunk that draws part of what the content shows, loaded only for content that has
        it: `richtext` (a body with markup; without it a body is shown as written) or `extras`
        (a spotlight or progress; without it none is shown). Nothing is drawn until each such
        chunk is there or could not load, so that no body shows its markup first and no step
        shows without its spotlight."""
        if self._waiting.indexOf(name) >= 0:
            return

        def loaded(drawing_class):
            drawing = __new__(drawing_class(self.ui))
            if name == 'richtext':
                self.ui.rich = drawing
            else:
                self.ui.extras = drawing

        def drawn(_):
            self._waiting = self._waiting.filter(lambda x: x != name)
            self.ui.view = None
            self._render()

        self._waiting.append(name)
        self._chunk(name, loaded).then(drawn, drawn)

    def _chunk(self, name, loaded):
        """Load chunk `name` (env.load_chunk), `loaded` then takes what it exports; a chunk that
        cannot load is a warning."""
        return env.load_chunk(name).then(loaded, lambda reason: self.warn(str(reason)))

    def _preload(self, content):
        """Load every image of the content now, whatever will show: a request for an image
        must never tell which step, launcher or banner a user reached. True when a body has
        markup (bodies.marked)."""
        bodies = content['launchers'].map(lambda item: map_get(item, 'body'))
        bodies.extend(content['banners'].map(lambda item: item['body']))
        for f in content['flows']:
            bodies.extend(f['steps'].map(lambda step: map_get(step, 'body')))
        rich = False
        for text in bodies:
            if text is None:
                continue
            texts = [text] if kind(text) == 'str' else map_keys(text).map(lambda k: text[k])
            for one in texts:
                rich = rich or marked(one)
                for src in images(one):
                    if self._images.indexOf(src) < 0:
                        self._images.append(src)
                        image = __new__(env.host.Image())
                        image.referrerPolicy = 'no-referrer'
                        image.src = src
        return rich

    def _selector(self, method, selector):
        """Whether `selector` is a CSS selector this browser parses; if not, refused."""
        if kind(selector) == 'str' and 0 < len(selector) <= MAX_SELECTOR:
            try:
                env.host.document.createDocumentFragment().querySelector(selector)
                return True
            except:  # noqa: E722
                pass
        self._refuse(method, 'not a valid CSS selector: ' + str(selector)[:80])
        return False

    def _refuse(self, method, message):
        self.warn(method + ' refused: ' + message)
        self.emit('error', {'method': method, 'message': message})

    def _apply(self, effects, clicked=False):
        for effect in effects:
            kind_of = effect['kind']
            if kind_of == 'started':
                self.emit('flowStarted', {'flowId': effect['flow']})
            elif kind_of == 'step':
                self.page.forget_clicks()
                self.emit('stepChanged', {'flowId': effect['flow'], 'stepId': effect['step']})
            elif kind_of == 'ended':
                self.emit('flowEnded', {'flowId': effect['flow'], 'completed': effect['completed']})
            elif kind_of == 'checklistEnded':
                self.emit(
                    'checklistEnded', {'checklistId': effect['checklist'], 'completed': effect['completed']}
                )
            elif kind_of == 'center':
                self.emit('resourceCenterChanged', {})
            elif kind_of == 'navigate':
                if clicked or not self._navigate_on_click_only:
                    self._navigate(effect['url'])
                else:
                    self.warn('navigate refused: privacy "strict" follows links from a click only')
            self._wire(effect)
        if len(effects) > 0:
            env.storage_set(STATE_KEY, to_json(self.runtime.state))
        self._render()

    def _wire(self, effect):
        kind_of = effect['kind']
        if kind_of == 'started' or kind_of == 'step':
            self.send({'flow': effect['flow'], 'step': effect['step'], 'action': _WIRE_ACTION[kind_of]})
        elif kind_of == 'ended':
            self.send(
                {
                    'flow': effect['flow'],
                    'step': effect['step'],
                    'action': 'completed' if effect['completed'] else 'dismissed',
                }
            )

    def _render(self):
        if len(self._waiting) > 0:
            return  # drawn when the chunks it needs are there (_drawing_chunk)
        runtime = self.runtime
        here = runtime.current()
        target = None
        if here is not None and here['step']['target']:
            target = self._target(here['step']['target'])
        checklists = runtime.open_checklists()
        self.ui.render(here, target, checklists, runtime.done, runtime.state['tasks'], self._shown())
        self.observer.ignored = self.ui.container

    def _shown(self):
        """What the UI draws besides the step and the dock: launchers at their targets (if
        found), banners, the resource center and its items."""
        runtime = self.runtime
        showing = runtime.showing
        center = runtime.center if showing['center'] else None
        items = []
        for item in center['items'] if center is not None else []:
            if map_get(item, 'flow') is not None:
                found = runtime.flows.filter(lambda f: f['id'] == item['flow'])
                if len(found) > 0:
                    title = map_get(item, 'title') or map_get(found[0], 'name') or item['flow']
                    items.append({'kind': 'flow', 'id': item['flow'], 'title': title})
            elif map_get(item, 'checklist') is not None:
                found = runtime.checklists.filter(lambda c: c['id'] == item['checklist'])
                if len(found) > 0:
                    items.append({'kind': 'checklist', 'checklist': found[0]})
            else:
                items.append({'kind': 'link', 'url': item['link'], 'title': item['title']})
        return {
            'launchers': [[x, self._target(x['target'])] for x in showing['launchers']],
            'banners': showing['banners'],
            'center': center,
            'center_open': runtime.center_open,
            'center_items': items,
            'center_state': runtime.center_state(),
        }

    def _target(self, target):
        for node in self.page.elements(target['selector']):
            if not target['text'] or self.page.fact(node, 'text').find(target['text']) >= 0:
                return node
        return None  # the step waits: the next mutation that brings it re-renders

    def _button(self, action):
        self._apply(self.runtime.act(action), True)

    def _close_checklist(self, checklist_id):
        self._apply(self.runtime.close_checklist(checklist_id))

    def _task(self, checklist_id, task_id):
        for checklist in self.runtime.checklists:
            if checklist['id'] == checklist_id:
                for task in checklist['tasks']:
                    if task['id'] == task_id and task['action']:
                        self._apply(self.runtime.act(task['action']), True)

    def _navigate(self, url):
        here = split_url(env.host.location.href)
        target = url if not url.startswith('/') else here['scheme'] + '://' + here['authority'] + url
        there = split_url(target)
        if there is None or there['scheme'] != here['scheme'] or there['authority'] != here['authority']:
            return self.warn('navigate refused: ' + url + ' is not on this site')
        if self._navigate_fn is not None:
            try:
                return self._navigate_fn(target)
            except:  # noqa: E722
                return self.warn('the custom navigate function threw')
        env.host.location.assign(target)

    def _other_tab(self, event):
        if event.key != env.STORAGE_PREFIX + STATE_KEY or not self._loaded:
            return
        self.runtime.state = _stored_state() or blank_state()
        self.page.forget_clicks()
        self._render()


def _has_extras(content):
    """Whether a flow of `content` shows progress or a step of it a spotlight."""
    for f in content['flows']:
        if map_get(f, 'progress') is not None:
            return True
        for step in f['steps']:
            if map_get(step, 'spotlight') is not None:
                return True
    return False


def _stored_state():
    text = env.storage_get(STATE_KEY)
    if text is None:  # a first visit: nothing to read (and no TypeError to throw and catch, whose
        return None  # message V8 makes by parsing this function's source again: ~1.4 ms here)
    try:
        state = from_json(text)
        if kind(state) != 'map':
            return None
        if not Array.isArray(state['dismissed']):  # stored by an SDK before launchers and banners
            state['dismissed'] = []
        for key in ['seen', 'completed', 'tasks', 'closed', 'dismissed']:
            if not Array.isArray(state[key]):
                return None
        return state
    except:  # noqa: E722 -- missing or tampered: start from nothing
        return None


# The chunks only this one loads are pinned here, not in the core (filled in by the build).
env.add_chunks(__pragma__('js', '{}', 'UF_FLOWS_CHUNKS'))
window['userflow-flows'] = FlowHost  # how the core, which loaded this chunk, finds the engine
