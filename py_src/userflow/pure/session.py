"""The session: what each public call decides, with no browser in sight.

Each public method of the SDK that decides something is the Session method of the same name,
called with `at` first ({'href': the page's address, 'now': ms}) and then the app's arguments;
`browser/main.py` carries out the effects it returns, in order. An effect is a dict with a `kind`:

    refuse      {method, message, level}   one console message at `level`, an `error` event
    warn        {message}                  one console warning
    configure   {token, endpoint}          where events and content go from now on
    forget      {}                         the identity and group belong to another token
    purge       {type}                     drop every waiting event of this type
    event       {type, fields, stamp,      number it (`draft`) and queue it for its identity;
                 chained}                  `chained`: after the calls before it (an app call
                                           waits for the identity hashed before it), else now
    identify    {id, derived, call}        hash `id` (unless derived), then the identify event
    group       {id, call}                 hash `id`, then the group event
    update_group {call}                    the group event for the group hashed last
    reset       {}                         flush, forget the identity, clear storage and flows
    flows       {op, args, wait}           a FlowHost operation (flows/main.py's interface);
                                           `wait`: replayed once the engine loads, else
                                           dropped (it reads the session's state when it loads)
    tracked     {name}                     an event name event conditions may test
    content     {}                         ask Egress for the content (once per page load)
    watch       {}                         listen to navigation and the page hiding (once)

`call` is what was checked when the call was made: {attributes, signature, stamp}. Calls that
wait for hashing keep their order on the host's promise chain; their event is numbered when it is
queued (`draft`), so sequence numbers follow the order events were queued.
"""

from userflow.pure.attributes import (
    EVENT_OPERATIONS,
    OPERATIONS,
    check_derived_id,
    check_event_name,
    check_id,
    check_signature,
    guessable_id,
    validate_attributes,
)
from userflow.pure.config import parse_init, sendable
from userflow.pure.payload import draft
from userflow.pure.urls import check_endpoint, check_sendable_url, default_url_filter
from userflow.pure.values import import_value, kind, map_get, map_keys, new_map

# Configuration calls: without them nothing works, so a refusal is an error, not a warning.
_ERROR_LEVEL = ['init', 'setServerEndpoint']
GUESSABLE = (
    'identify: a guessable user ID (digits or e-mail); derive it on your server '
    'and pass {hashed: true} (README: "What hashing protects")'
)


def refusal(method, message):
    level = 'error' if method in _ERROR_LEVEL else 'warn'
    return {'kind': 'refuse', 'method': method, 'message': message, 'level': level}


def _option(options, name):
    if options is not None and kind(options) == 'map':
        return map_get(options, name)
    return None


def _flows(op, args, wait):
    return {'kind': 'flows', 'op': op, 'args': args, 'wait': wait}


class Session:
    def __init__(self):
        self.config = None
        self.identified = False
        self.seq = 0
        self._page_tracking = True
        self._url_filter = None
        self._last_page_url = None
        self._watching = False
        self._content_requested = False
        self.endpoint = None
        self.known_attributes = new_map()  # what conditions may test, kept for the flows chunk
        self._shadow = None  # setShadowDomEnabled, until the next init

    # -- configuration ------------------------------------------------------------------
    def init(self, at, token, options):
        parsed = parse_init(token, options)
        if parsed['error'] is not None:
            return [refusal('init', parsed['error'])]
        effects = [{'kind': 'warn', 'message': message} for message in parsed['warnings']]
        config = parsed['config']
        if self.config is None or self.config['token'] != config['token']:
            self.identified = False
            effects.append({'kind': 'forget'})
        self.config = config
        self._shadow = None
        # What an earlier page stored under another privacy level is forgotten before
        # anything is sent.
        for event_type in ['page', 'flow']:
            if not sendable(config, event_type):
                effects.append({'kind': 'purge', 'type': event_type})
        effects.append(self.flow_settings())
        if config['endpoint'] is not None:  # else one set by setServerEndpoint stays
            self.endpoint = config['endpoint']
        effects.append({'kind': 'configure', 'token': config['token'], 'endpoint': self.endpoint})
        effects.extend(self.watch())
        effects.extend(self.page_view(at))
        effects.extend(self._content())
        return effects

    def flow_settings(self):
        """What the flow engine takes from init: where conditions look, and whether content may
        navigate without a click (never under 'strict': no request the user did not ask for)."""
        shadow = self.config is not None and self.config['searchShadowRoots']
        if self._shadow is not None:
            shadow = self._shadow
        strict = self.config is not None and self.config['privacy'] == 'strict'
        locale = self.config['locale'] if self.config is not None else None
        return _flows('configure', [shadow, strict, locale], False)

    def setShadowDomEnabled(self, at, enabled):
        """The runtime form of init's `searchShadowRoots`."""
        self._shadow = enabled is True
        return [self.flow_settings()]

    def watch(self):
        """Listen to the page (navigation, hiding) from init or the flow engine's loading on."""
        if self._watching:
            return []
        self._watching = True
        return [{'kind': 'watch'}]

    def setServerEndpoint(self, at, url):
        checked = check_endpoint(url)
        if checked['error'] is not None:
            # The previous endpoint (or none) stays: nothing goes to a refused one.
            return [refusal('setServerEndpoint', checked['error'])]
        self.endpoint = checked['url']
        token = self.config['token'] if self.config is not None else None
        effects = [{'kind': 'configure', 'token': token, 'endpoint': self.endpoint}]
        effects.extend(self._content())
        return effects

    def setPageTrackingDisabled(self, at, disabled):
        self._page_tracking = not disabled
        if disabled:
            # Waiting, ready, the batch on its way (never retried) and the stored queue.
            return [{'kind': 'purge', 'type': 'page'}]
        self._last_page_url = None
        return self.page_view(at)

    def setUrlFilter(self, at, fn):
        if fn is not None and kind(fn) != 'fn':
            return [refusal('setUrlFilter', 'the filter must be a function or null')]
        self._url_filter = fn
        return []

    # -- identity and events ------------------------------------------------------------
    def identify(self, at, user_id, attributes, options):
        derived = _option(options, 'hashed') is True
        checked = check_derived_id(user_id) if derived else check_id(user_id, 'user ID')
        if checked['error'] is not None:
            return [refusal('identify', checked['error'])]
        effects = []
        hashing = self.config is not None and self.config['hashUserId']
        if not derived and hashing and guessable_id(checked['id']):
            # The HMAC key is the public token: such an ID is recovered by trying candidates.
            effects.append({'kind': 'warn', 'message': GUESSABLE})
        effects.extend(self._identify(at, 'identify', checked['id'], attributes, options, derived))
        return effects

    def identify_anonymous(self, at, anonymous_id, attributes, options):
        return self._identify(at, 'identifyAnonymous', anonymous_id, attributes, options, False)

    def _identify(self, at, method, user_id, attributes, options, derived):
        effects = []
        call = self._checked(at, method, attributes, options, effects)
        if call is None:
            return effects
        self.identified = True
        effects.extend(self._learn(call['attributes']))
        effects.append({'kind': 'identify', 'id': user_id, 'derived': derived, 'call': call})
        return effects

    def group(self, at, group_id, attributes, options):
        checked = check_id(group_id, 'group ID')
        if checked['error'] is not None:
            return [refusal('group', checked['error'])]
        membership = _option(options, 'membership')
        if membership is not None:
            # Checked like attributes, then kept here: the wire has no membership field.
            problem = validate_attributes(membership, None, OPERATIONS)['error']
            if problem is not None:
                return [refusal('group', 'membership: ' + problem)]
        effects = []
        call = self._checked(at, 'group', attributes, options, effects)
        if call is not None:
            effects.append({'kind': 'group', 'id': checked['id'], 'call': call})
        return effects

    def updateGroup(self, at, attributes, options):
        effects = []
        call = self._checked(at, 'updateGroup', attributes, options, effects)
        if call is not None:
            effects.append({'kind': 'update_group', 'call': call})
        return effects

    def updateUser(self, at, attributes, options):
        effects = []
        call = self._checked(at, 'updateUser', attributes, options, effects)
        if call is not None:
            effects.extend(self._learn(call['attributes']))
            fields = {'attributes': call['attributes'], 'signature': call['signature']}
            effects.append(_event('identify', fields, call['stamp'], True))
        return effects

    def track(self, at, name, attributes, options):
        # options.userOnly (Userflow.js: not tied to the group) changes nothing: no event here
        # carries a group.
        problem = check_event_name(name)
        if problem is not None:
            return [refusal('track', problem)]
        effects = []
        call = self._checked(at, 'track', attributes, None, effects)
        if call is not None:
            effects.append({'kind': 'tracked', 'name': name})
            fields = {'name': name, 'attributes': call['attributes']}
            effects.append(_event('track', fields, call['stamp'], True))
        return effects

    def reset(self, at):
        self.identified = False
        self.known_attributes = new_map()
        return [{'kind': 'reset'}]

    def flow_event(self, at, fields):
        """Flow and step IDs with what happened are condition results: 'analytics' only
        (SPEC §7)."""
        if self.config is None or not sendable(self.config, 'flow'):
            return []
        return [_event('flow', fields, at['now'], False)]

    def draft(self, event_type, fields, stamp, event_id):
        """The next event on the wire: numbered in the order events are queued."""
        self.seq += 1
        return draft(event_type, self.seq, stamp, event_id, fields)

    # -- flows --------------------------------------------------------------------------
    def start(self, at, flow_id, options):
        return [_flows('start', [flow_id, _option(options, 'once') is True], True)]

    def startFlow(self, at, flow_id, options):  # Userflow.js's deprecated names
        return self.start(at, flow_id, options)

    def startWalk(self, at, flow_id, options):
        return self.start(at, flow_id, options)

    def endAll(self, at):
        return [_flows('end_all', [], True)]

    def endAllFlows(self, at):
        return self.endAll(at)

    def remount(self, at):
        return [_flows('remount', [], True)]

    def setBaseZIndex(self, at, z):
        if kind(z) != 'num' or not (z - z == 0):
            return [refusal('setBaseZIndex', 'the z-index must be a finite number')]
        return [_flows('set_z', [z // 1], True)]

    def setCustomNavigate(self, at, fn):
        if fn is not None and kind(fn) != 'fn':
            return [refusal('setCustomNavigate', 'navigate must be a function or null')]
        return [_flows('set_navigate', [fn], True)]

    # -- page views ---------------------------------------------------------------------
    def navigated(self, at):
        """The page's URL changed (history, hash or a new entry): flows and page views."""
        effects = [_flows('navigated', [], False)]
        effects.extend(self.page_view(at))
        return effects

    def page_view(self, at):
        if not self._page_tracking or self.config is None or not sendable(self.config, 'page'):
            return []
        url = default_url_filter(at['href'])
        if self._url_filter is not None:
            try:
                url = import_value(self._url_filter(at['href']))
            except:  # noqa: E722 -- native JS errors too (TRANSCRYPT.md §6)
                return [{'kind': 'warn', 'message': 'the URL filter threw; this page view was not sent'}]
        if url is None:
            return []
        if not check_sendable_url(url):
            return [
                {
                    'kind': 'warn',
                    'message': 'the URL filter must return a string of at most 2048 characters or null',
                }
            ]
        if url == self._last_page_url:
            return []
        self._last_page_url = url
        return [_event('page', {'url': url}, at['now'], False)]

    # -- internals ----------------------------------------------------------------------
    def _content(self):
        if self._content_requested or self.endpoint is None or self.config is None:
            return []
        self._content_requested = True
        return [{'kind': 'content'}]

    def _learn(self, attributes):
        for key in map_keys(attributes):
            self.known_attributes[key] = attributes[key]
        return [_flows('learn', [attributes], False)]

    def _checked(self, at, method, attributes, options, effects):
        """The parts of a call checked when it is made: None if refused (the refusal is added
        to `effects`), else {attributes, signature, stamp}."""
        if self.config is None:
            effects.append(refusal(method, 'call userflow.init(token) first'))
            return None
        operations = EVENT_OPERATIONS if method == 'track' else OPERATIONS
        checked = validate_attributes(attributes, self.config['allowedAttributes'], operations)
        if checked['error'] is not None:
            effects.append(refusal(method, checked['error']))
            return None
        signature = _option(options, 'signature')
        problem = check_signature(signature)
        if problem is not None:
            effects.append(refusal(method, problem))
            return None
        if len(checked['dropped']) > 0:
            effects.append(
                {
                    'kind': 'warn',
                    'message': method
                    + ': attributes not in allowedAttributes were dropped: '
                    + ', '.join(checked['dropped']),
                }
            )
        return {'attributes': checked['attributes'], 'signature': signature, 'stamp': at['now']}


def _event(event_type, fields, stamp, chained):
    return {'kind': 'event', 'type': event_type, 'fields': fields, 'stamp': stamp, 'chained': chained}
