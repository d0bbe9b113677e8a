"""Binding: the public API (SPEC §5) in the browser; the core's entry point.

The loader calls these methods with the host page's arguments. Each one copies its arguments
into this realm (`import_value`, in `_guarded`), asks the pure session (pure/session.py) what
the call means, and carries out the effects it returns: console messages, events queued for
delivery, identities hashed, flow operations. Calls that talk to identity run one after the
other on a promise chain, so `identify(); track()` stamps the track event with that user even
while the ID is still being hashed. Nothing here throws into the host: every entry point is
wrapped by `_guarded`.
"""

from userflow.browser import env
from userflow.browser.egress import Egress
from userflow.browser.identity import anonymous_id, protect
from userflow.pure.api import INERT_METHODS
from userflow.pure.emitter import Emitter
from userflow.pure.outbox import Outbox
from userflow.pure.payload import uuid4
from userflow.pure.session import Session, refusal
from userflow.pure.values import import_value, kind, to_json


class Sdk:
    def __init__(self):
        self._session = Session()
        self._egress = Egress(Outbox())
        self._emitter = Emitter()
        self._identity = None
        self._group_id = None
        self._chain = Promise.resolve(None)
        # The flow engine loads with its chunk when content arrives; until then its
        # operations wait (FlowHost in flows/main.py is the interface).
        self._flows = None
        self._flow_calls = []
        self._loading = 0  # content on its way (fetch, chunk): flow operations wait for it
        self._pattern_check = None  # the patterns chunk's checker, once loaded

    # -- the public API ------------------------------------------------------------------
    # The Sdk's own methods; every other public method is the session's method of that name,
    # carried out, or else an operation of the flow engine (dispatcher).
    def load(self):
        return Promise.resolve(None)  # the core is ready: it is running this

    def identifyAnonymous(self, attributes, options):
        if self._session.config is None:  # the anonymous ID is stored under the token's origin
            return self._do([refusal('identifyAnonymous', 'call userflow.init(token) first')])
        return self._do(self._session.identify_anonymous(_at(), anonymous_id(), attributes, options))

    def isIdentified(self):
        return self._session.identified

    def loadContent(self, content):
        return self._load_content(content, 'app')

    def on(self, name, fn):
        problem = self._emitter.on(name, fn)
        return self._do([] if problem is None else [refusal('on', problem)])

    def off(self, name, fn):
        self._emitter.off(name, fn)
        return None

    def getResourceCenterState(self):
        # null until the engine has content with a resource center (Userflow.js answers null too)
        state = self._flows.center_state() if self._flows is not None else None
        return None if state is None else env.to_host(state)

    def debugger(self):
        """The local debugging panel, with or without content (the engine loads for it)."""
        if self._flows is None and self._loading == 0:
            self._load_content(None, None)
        return self._do([{'kind': 'flows', 'op': 'debugger', 'args': [], 'wait': True}])

    def getEgressLog(self):
        log = env.to_host(env.requests)
        drops = self._egress.drops()
        log.dropped = drops['full'] + drops['refused'] + drops['purged']
        log.droppedBy = env.to_host(drops)
        return log

    # -- carrying out effects -----------------------------------------------------------
    def _do(self, effects):
        """Carry out `effects` in order; the promise of the last queued one, if any."""
        result = None
        for effect in effects:
            done = self._effect(effect)
            if done is not None:
                result = done
        return result

    def _effect(self, effect):
        kind = effect['kind']
        if kind == 'refuse':
            return self._refuse(effect)
        if kind == 'warn':
            env.warn(effect['message'])
        elif kind == 'event' and effect['chained']:
            return self._queue(lambda: self._add(effect['type'], effect['fields'], effect['stamp']))
        elif kind == 'event':
            self._add(effect['type'], effect['fields'], effect['stamp'])
        elif kind == 'identify':
            return self._queue_identify(effect)
        elif kind == 'group':
            return self._queue_group(effect)
        elif kind == 'update_group':
            return self._queue(lambda: self._update_group(effect['call']))
        elif kind == 'configure':
            self._egress.configure(effect['token'], effect['endpoint'])
        elif kind == 'forget':
            self._identity = None
            self._group_id = None
        elif kind == 'purge':
            self._egress.purge(effect['type'])
        elif kind == 'flows':
            self._flow_op(effect)
        elif kind == 'tracked':
            env.remember_event(effect['name'])
            self._flow_op({'op': 'changed', 'args': [], 'wait': False})
        elif kind == 'reset':
            return self._queue(self._reset)
        elif kind == 'content':
            self._loading += 1  # flow operations wait for the server's content too
            self._egress.fetch_content().then(_guarded(self._content_arrived))
            # The engine and its UI load while the content is on its way (one round trip, not
            # two); content that turns out empty costs its bytes, never a request about the user.
            env.load_chunk('flows').then(None, _ignore)
        elif kind == 'watch':
            self._watch_page()
        return None

    def _refuse(self, effect):
        text = effect['method'] + ' refused: ' + effect['message']
        if effect['level'] == 'error':
            env.error(text)
        else:
            env.warn(text)
        self._emit('error', {'method': effect['method'], 'message': effect['message']})
        return Promise.resolve(None)

    def _queue_identify(self, effect):
        config = self._session.config
        call = effect['call']

        def known(identity):
            # From here on _add stamps every waiting draft with this identity, in order.
            self._identity = identity
            self._group_id = None
            fields = {'attributes': call['attributes'], 'signature': call['signature']}
            self._add('identify', fields, call['stamp'])

        if effect['derived']:  # already an HMAC the customer's server made with its own secret
            return self._queue(lambda: known({'user': effect['id'], 'hashed': True}))
        return self._queue(lambda: protect(config, effect['id']).then(known))

    def _queue_group(self, effect):
        config = self._session.config
        call = effect['call']

        def known(hashed_group):
            self._group_id = hashed_group['user']
            fields = {'group': self._group_id, 'attributes': call['attributes']}
            fields['signature'] = call['signature']
            self._add('group', fields, call['stamp'])

        return self._queue(lambda: protect(config, effect['id']).then(known))

    def _update_group(self, call):
        # Checked when it runs: a group() call just before may still be hashing.
        if self._group_id is None:
            return self._refuse(refusal('updateGroup', 'call group() first'))
        fields = {'group': self._group_id, 'attributes': call['attributes'], 'signature': call['signature']}
        self._add('group', fields, call['stamp'])
        return None

    def _reset(self):
        self._egress.flush_all_now()
        self._identity = None
        self._group_id = None
        env.storage_clear()
        self._flow_op({'op': 'reset', 'args': [], 'wait': False})
        return None

    def _queue(self, op):
        def run(ignored):
            return op()

        def failed(reason):
            # e.g. the sha256 chunk could not load: the call is dropped, its promise resolves
            env.error('a call was dropped: ' + str(reason))
            self._emit('error', {'method': 'call', 'message': str(reason)})
            return None

        self._chain = self._chain.then(run).then(lambda x: None, failed)
        return self._chain

    def _add(self, event_type, fields, stamp):
        self._egress.add(self._session.draft(event_type, fields, stamp, _event_id()), self._identity)

    # -- the flow engine ----------------------------------------------------------------
    def _flow_op(self, effect):
        """A FlowHost operation now if the engine is loaded and no content is on its way; else,
        if it must wait, once it is (in order): `loadContent(c); start(id)` starts a flow of c.
        The others read the session's state when the engine loads."""
        if self._flows is not None and (self._loading == 0 or not effect['wait']):
            getattr(self._flows, effect['op'])(*effect['args'])
        elif effect['wait']:
            self._flow_calls.append(effect)

    def _load_content(self, content, source):
        self._loading += 1

        def loaded(engine):
            self._loading -= 1
            if self._flows is None:
                self._flows = __new__(engine(self._emit, self._flow_event, self._content_warning))
                self._flows.learn(self._session.known_attributes)
                if self._pattern_check is not None:
                    self._flows.use_patterns(self._pattern_check)
                self._do(self._session.watch())
            self._flow_op(self._session.flow_settings())
            if content is not None:
                self._flows.load(content, source)
            self._replay()

        def failed(reason):
            self._loading -= 1
            self._content_warning('flows are unavailable: ' + (reason.message or str(reason)))

        def unchecked(reason):  # the content runs; its patterns stay unchecked, never run
            self._content_warning(str(reason) + ': its matches tests stay false')

        # The pattern checker, for content that may have `matches` tests: it does not hold up
        # the engine (content validated without it is validated again when it comes).
        if content is not None and self._pattern_check is None and _may_have_patterns(content):
            env.load_chunk('patterns').then(_guarded(self._patterns_loaded), _guarded(unchecked))
        # The engine and its UI: one chunk
        return env.load_chunk('flows').then(_guarded(loaded), _guarded(failed))

    def _patterns_loaded(self, check):
        if self._pattern_check is None:
            self._pattern_check = check
            if self._flows is not None:
                self._flows.use_patterns(check)

    def _content_arrived(self, text):
        self._loading -= 1
        if text is not None:
            self._load_content(text, 'server')
        self._replay()

    def _replay(self):
        """Run the flow operations that waited, once no content is on its way."""
        if self._flows is None or self._loading > 0:
            return
        calls = self._flow_calls
        self._flow_calls = []
        for call in calls:
            self._flow_op(call)

    def _flow_event(self, fields):
        self._do(self._session.flow_event(_at(), fields))

    def _emit(self, name, payload):
        self._emitter.emit(name, env.to_host(payload), self._listener_failed)

    def _content_warning(self, message):
        env.warn(message)
        self._emit('error', {'method': 'content', 'message': message})

    def _listener_failed(self, name):
        env.error('a listener for "' + name + '" threw; the SDK carries on')

    # -- the page -----------------------------------------------------------------------
    def _watch_page(self):
        """One navigation listener feeds both sides: page views and the flow engine."""
        host = env.host
        navigated = _guarded(lambda: self._do(self._session.navigated(_at())))
        if host.navigation and host.navigation.addEventListener:
            env.listen(host.navigation, 'currententrychange', navigated)
        else:
            env.listen(host, 'popstate', navigated)
            env.listen(host, 'hashchange', navigated)
        leaving = _guarded(self._egress.flush_all_now)
        env.listen(host, 'pagehide', leaving)
        env.listen(host, 'online', _guarded(self._egress.flush))

        def visibility(event):
            if host.document.visibilityState == 'hidden':
                leaving()

        env.listen(host.document, 'visibilitychange', visibility)


def _may_have_patterns(content):
    """Whether `content` (JSON text, or the app's object) may hold a `matches` test. A text
    with a \\u escape may spell the word so that a search misses it: it may, then."""
    try:
        text = content if kind(content) == 'str' else to_json(content)
    except:  # noqa: E722 -- what does not serialize is refused by validation, patterns or not
        return False
    return kind(text) == 'str' and (text.find('matches') >= 0 or text.find('\\u') >= 0)


def _ignore(reason):
    return None  # reported when the engine is needed (_load_content)


def _at():
    """Where and when a call is made, as the session takes it."""
    return {'href': env.host.location.href, 'now': env.now_ms()}


def _event_id():
    if window.crypto.randomUUID:
        return window.crypto.randomUUID()
    return uuid4(env.random_bytes(16))


def _guarded(fn):
    """`fn` as a host-facing function: its arguments imported, its errors caught and logged."""

    def call(a, b, c, d):
        try:
            return fn(import_value(a), import_value(b), import_value(c), import_value(d))
        except:  # noqa: E722 -- native JS errors too (TRANSCRYPT.md §6)
            env.error('internal error; the call was dropped')
            return None

    return call


def dispatcher(sdk):
    """The one function the loader calls, `(method name, arguments)`, for the public methods
    of pure/api.py: the Sdk's own method where it has one, else the session's decision carried
    out, else (accepted for Userflow.js compatibility) a debug note, else an operation of the
    flow engine, which waits for it to load (FlowHost's camelCase methods)."""

    def run(name, a, b, c):
        if hasattr(sdk, name):
            return getattr(sdk, name)(a, b, c)
        if hasattr(sdk._session, name):
            return sdk._do(getattr(sdk._session, name)(_at(), a, b, c))
        if name in INERT_METHODS:  # logged once (env logs each message once)
            return env.debug(name + ' is accepted and does nothing here (README: Migrating from Userflow.js)')
        return sdk._do([{'kind': 'flows', 'op': name, 'args': [a, b, c], 'wait': True}])

    guarded = _guarded(run)

    def dispatch(name, args):
        return guarded(name, args[0], args[1], args[2])

    return dispatch


env.boot.ready(dispatcher(Sdk()))
