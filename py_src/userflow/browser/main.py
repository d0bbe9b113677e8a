"""Binding: the public API (SPEC §5), wired to the pure modules; the core's entry point.

The loader calls these methods with the host page's arguments. Each one copies its arguments
into this realm (`import_value`), validates them with the pure modules, and either refuses the
call whole with one console warning or does it. Calls that talk to identity run one after the
other on a promise chain, so `identify(); track()` stamps the track event with that user even
while the ID is still being hashed. Nothing here throws into the host: every entry point is
wrapped by `_guarded`.
"""

from userflow.browser import env
from userflow.pure.api import all_methods
from userflow.pure.attributes import (validate_attributes, check_id, check_event_name, check_signature,
                                 check_derived_id, guessable_id)
from userflow.pure.config import parse_init, sendable
from userflow.browser.egress import Egress
from userflow.pure.emitter import Emitter
from userflow.browser.identity import protect, anonymous_id
from userflow.pure.outbox import Outbox
from userflow.pure.payload import draft, uuid4
from userflow.pure.urls import check_endpoint, default_url_filter, check_sendable_url
from userflow.pure.values import import_value, kind, map_get, new_map


class Sdk:
    def __init__(self):
        self.config = None
        self.egress = Egress(Outbox())
        self.emitter = Emitter()
        self.identity = None
        self.identified = False
        self.group_id = None
        self.seq = 0
        self.chain = Promise.resolve(None)
        self.page_tracking = True
        self.url_filter = None
        self.last_page_url = None
        self.watching = False
        # The flow engine loads with its chunk when content arrives; until then these wait.
        self.flows = None
        self.flow_calls = []
        self.known_attributes = new_map()
        self.content_requested = False

    # -- configuration ------------------------------------------------------------------
    def init(self, token, options):
        parsed = parse_init(token, options)
        if parsed['error'] is not None:
            return self._refuse('init', parsed['error'])
        for message in parsed['warnings']:
            env.warn(message)
        config = parsed['config']
        if self.config is None or self.config['token'] != config['token']:
            self.identity = None
            self.identified = False
        self.config = config
        self._purge_unsendable()
        self._configure_flows()
        self.egress.configure(config['token'], config['endpoint'])
        self._watch_page()
        self._page_view()
        self._fetch_content()
        return None

    def setServerEndpoint(self, url):
        checked = check_endpoint(url)
        if checked['error'] is not None:
            # The previous endpoint (or none) stays: nothing goes to a refused one.
            return self._refuse('setServerEndpoint', checked['error'])
        self.egress.configure(self.egress.token, checked['url'])
        self._fetch_content()
        return None

    def setPageTrackingDisabled(self, disabled):
        self.page_tracking = not disabled
        if disabled:
            # Now: waiting, ready, the batch on its way (never retried) and the stored queue.
            self.egress.purge('page')
        else:
            self.last_page_url = None
            self._page_view()
        return None

    def setUrlFilter(self, fn):
        if fn is not None and kind(fn) != 'fn':
            return self._refuse('setUrlFilter', 'the filter must be a function or null')
        self.url_filter = fn
        return None

    # -- identity and events ------------------------------------------------------------
    def identify(self, user_id, attributes, options):
        derived = options is not None and kind(options) == 'map' and map_get(options, 'hashed') is True
        checked = check_derived_id(user_id) if derived else check_id(user_id, 'user ID')
        if checked['error'] is not None:
            return self._refuse('identify', checked['error'])
        if (not derived and self.config is not None and self.config['hashUserId']
                and guessable_id(checked['id'])):
            # The HMAC key is the public token: such an ID is recovered by trying candidates.
            env.warn('identify: a guessable user ID (digits or e-mail); derive it on your server '
                     'and pass {hashed: true} (README: "What hashing protects")')
        return self._identify('identify', checked['id'], attributes, options, derived)

    def identifyAnonymous(self, attributes):
        if not self._ready('identifyAnonymous'):
            return Promise.resolve(None)
        return self._identify('identifyAnonymous', anonymous_id(), attributes, None, False)

    def _identify(self, method, raw_id, attributes, options, derived):
        call = self._checked(method, attributes, options)
        if call is None:
            return Promise.resolve(None)
        self.identified = True
        config = self.config
        self._learn(call['attributes'])

        def known(identity):
            # From here on _add stamps every waiting draft with this identity, in order.
            self.identity = identity
            self.group_id = None
            self._add('identify', {'attributes': call['attributes'],
                                   'signature': call['signature']}, call['stamp'])
        if derived:  # already an HMAC the customer's server made with its own secret
            return self._queue(lambda: known({'user': raw_id, 'hashed': True}))
        return self._queue(lambda: protect(config, raw_id).then(known))

    def updateUser(self, attributes):
        return self._event('updateUser', 'identify', {}, attributes)

    def group(self, group_id, attributes, options):
        checked = check_id(group_id, 'group ID')
        if checked['error'] is not None:
            return self._refuse('group', checked['error'])
        call = self._checked('group', attributes, options)
        if call is None:
            return Promise.resolve(None)
        config = self.config

        def known(hashed_group):
            self.group_id = hashed_group['user']
            self._add('group', {'group': self.group_id, 'attributes': call['attributes'],
                                'signature': call['signature']}, call['stamp'])
        return self._queue(lambda: protect(config, checked['id']).then(known))

    def updateGroup(self, attributes):
        call = self._checked('updateGroup', attributes, None)
        if call is None:
            return Promise.resolve(None)

        def op():
            # Checked when it runs: a group() call just before may still be hashing.
            if self.group_id is None:
                return self._refuse('updateGroup', 'call group() first')
            return self._add('group', {'group': self.group_id,
                                       'attributes': call['attributes']}, call['stamp'])
        return self._queue(op)

    def track(self, name, attributes):
        problem = check_event_name(name)
        if problem is not None:
            return self._refuse('track', problem)
        return self._event('track', 'track', {'name': name}, attributes)

    def _event(self, method, event_type, fields, attributes):
        call = self._checked(method, attributes, None)
        if call is None:
            return Promise.resolve(None)
        fields['attributes'] = call['attributes']
        if method == 'updateUser':
            self._learn(call['attributes'])
        elif method == 'track':
            env.remember_event(fields['name'])
            self._with_flows(lambda host: host.observer.schedule())
        return self._queue(lambda: self._add(event_type, fields, call['stamp']))

    def reset(self):
        def op():
            self.egress.flush_all_now()
            self.identity = None
            self.group_id = None
            env.storage_clear()
            self.known_attributes = new_map()
            if self.flows is not None:
                self.flows.reset()
            return None
        self.identified = False
        return self._queue(op)

    def isIdentified(self):
        return self.identified

    # -- flows -------------------------------------------------------------------------
    def start(self, flow_id, options):
        once = options is not None and kind(options) == 'map' and map_get(options, 'once') is True
        self._with_flows(lambda host: host.start(flow_id, once))
        return Promise.resolve(None)

    def endAll(self):
        self._with_flows(lambda host: host.end_all())
        return Promise.resolve(None)

    def loadContent(self, content):
        self._load_content(content)
        return Promise.resolve(None)

    def setBaseZIndex(self, z):
        if kind(z) != 'num' or not (z - z == 0):
            return self._refuse('setBaseZIndex', 'the z-index must be a finite number')

        def apply(host):
            host.ui.set_z(z // 1)
        self._with_flows(apply)
        return None

    def setCustomNavigate(self, fn):
        if fn is not None and kind(fn) != 'fn':
            return self._refuse('setCustomNavigate', 'navigate must be a function or null')

        def apply(host):
            host.navigate_fn = fn
        self._with_flows(apply)
        return None

    def remount(self):
        def apply(host):
            host.ui.unmount()
            host.reevaluate()
        self._with_flows(apply)
        return None

    def _with_flows(self, call):
        """Run `call(flow host)` now if the engine is loaded, else once it is (in order)."""
        if self.flows is not None:
            return call(self.flows)
        self.flow_calls.append(call)
        return None

    def _load_content(self, content):
        def loaded(engine):
            if self.flows is None:
                self.flows = __new__(engine(self._emit, self._flow_event, self._content_warning))
                self.flows.page.learn(self.known_attributes)
            self._configure_flows()
            self.flows.load(content)
            calls = self.flow_calls
            self.flow_calls = []
            for call in calls:
                call(self.flows)

        def failed(reason):
            self._content_warning('flows are unavailable: ' + (reason.message or str(reason)))
        env.load_chunk('flows').then(_guarded(loaded), _guarded(failed))

    def _configure_flows(self):
        if self.flows is None or self.config is None:
            return
        self.flows.page.shadow = self.config['searchShadowRoots']
        # strict: content may not choose a request the user did not ask for
        self.flows.navigate_on_click_only = self.config['privacy'] == 'strict'

    def _fetch_content(self):
        if self.content_requested or self.egress.endpoint is None or self.config is None:
            return
        self.content_requested = True

        def arrived(text):
            if text is not None:
                self._load_content(text)
        self.egress.fetch_content().then(_guarded(arrived))

    def _learn(self, attributes):
        # Attributes the app passed are known to attribute conditions on this page.
        for key in Object.js_keys(attributes):
            self.known_attributes[key] = attributes[key]
        self._with_flows(lambda host: host.page.learn(attributes))

    def _flow_event(self, fields):
        # Flow and step IDs with what happened are condition results: 'analytics' only (SPEC §7).
        if self.config is not None and sendable(self.config, 'flow'):
            self._add('flow', fields, env.now_ms())

    def _emit(self, name, payload):
        self.emitter.emit(name, env.to_host(payload), self._listener_failed)

    def _content_warning(self, message):
        env.warn(message)
        self._emit('error', {'method': 'content', 'message': message})

    # -- observing the SDK --------------------------------------------------------------
    def on(self, name, fn):
        problem = self.emitter.on(name, fn)
        if problem is not None:
            self._refuse('on', problem)
        return None

    def off(self, name, fn):
        self.emitter.off(name, fn)
        return None

    def getEgressLog(self):
        log = env.to_host(env.requests)
        drops = self.egress.drops()
        log.dropped = drops['full'] + drops['refused'] + drops['purged']
        log.droppedBy = env.to_host(drops)
        return log

    # -- internals ----------------------------------------------------------------------
    def _purge_unsendable(self):
        """What an earlier page stored under another privacy level waits for nothing: events
        this level may not send are forgotten before anything is sent."""
        for event_type in ['page', 'flow']:
            if not sendable(self.config, event_type):
                self.egress.purge(event_type)

    def _ready(self, method):
        if self.config is None:
            self._refuse(method, 'call userflow.init(token) first')
            return False
        return True

    def _checked(self, method, attributes, options):
        """The parts of a call that are checked when it is made: None if it was refused
        (with a warning), else {'attributes', 'signature', 'stamp'}."""
        if not self._ready(method):
            return None
        checked = validate_attributes(attributes, self.config['allowedAttributes'])
        if checked['error'] is not None:
            self._refuse(method, checked['error'])
            return None
        signature = None
        if options is not None and kind(options) == 'map':
            signature = map_get(options, 'signature')
        problem = check_signature(signature)
        if problem is not None:
            self._refuse(method, problem)
            return None
        if len(checked['dropped']) > 0:
            env.warn(method + ': attributes not in allowedAttributes were dropped: '
                     + ', '.join(checked['dropped']))
        return {'attributes': checked['attributes'], 'signature': signature,
                'stamp': env.now_ms()}

    def _refuse(self, method, message):
        text = method + ' refused: ' + message
        if method == 'init' or method == 'setServerEndpoint':
            env.error(text)  # configuration: without it nothing works, so it is an error
        else:
            env.warn(text)
        self._emit('error', {'method': method, 'message': message})
        return Promise.resolve(None)

    def _listener_failed(self, name):
        env.error('a listener for "' + name + '" threw; the SDK carries on')

    def _queue(self, op):
        def run(ignored):
            return op()

        def failed(reason):
            # e.g. the sha256 chunk could not load: the call is dropped, its promise resolves
            env.error('a call was dropped: ' + str(reason))
            self._emit('error', {'method': 'call', 'message': str(reason)})
            return None
        self.chain = self.chain.then(run).then(lambda x: None, failed)
        return self.chain

    def _add(self, event_type, fields, stamp):
        self.seq += 1
        self.egress.add(draft(event_type, self.seq, stamp, self._event_id(), fields), self.identity)
        return None

    def _event_id(self):
        if window.crypto.randomUUID:
            return window.crypto.randomUUID()
        return uuid4(env.random_bytes(16))

    # -- page views ---------------------------------------------------------------------
    def _page_view(self):
        if self.flows is not None:
            self.flows.runtime.page_changed()
        if not self.page_tracking or self.config is None or not sendable(self.config, 'page'):
            return
        href = env.host.location.href
        url = default_url_filter(href)
        if self.url_filter is not None:
            try:
                url = import_value(self.url_filter(href))
            except:  # noqa: E722
                env.warn('the URL filter threw; this page view was not sent')
                return
        if url is None:
            return
        if not check_sendable_url(url):
            env.warn('the URL filter must return a string of at most 2048 characters or null')
            return
        if url == self.last_page_url:
            return
        self.last_page_url = url
        self._add('page', {'url': url}, env.now_ms())

    def _watch_page(self):
        if self.watching:
            return
        self.watching = True
        host = env.host
        page_changed = _guarded(self._page_view)
        if host.navigation and host.navigation.addEventListener:
            env.listen(host.navigation, 'currententrychange', page_changed)
        else:
            env.listen(host, 'popstate', page_changed)
            env.listen(host, 'hashchange', page_changed)
        leaving = _guarded(self.egress.flush_all_now)
        env.listen(host, 'pagehide', leaving)
        env.listen(host, 'online', _guarded(self.egress.flush))

        def visibility(event):
            if host.document.visibilityState == 'hidden':
                leaving()
        env.listen(host.document, 'visibilitychange', visibility)


def _guarded(fn):
    """`fn` as a host-facing function: its arguments imported, its errors caught and logged."""
    def call(a, b, c):
        try:
            return fn(import_value(a), import_value(b), import_value(c))
        except:  # noqa: E722 -- native JS errors too (TRANSCRYPT.md §6)
            env.error('internal error; the call was dropped')
            return None
    return call


def api_for(sdk):
    """The object the loader calls: one host-facing function per public method."""
    api = new_map()
    for name in all_methods():
        api[name] = _guarded(getattr(sdk, name))
    return api


env.boot.ready(api_for(Sdk()))
