"""`init(token, options)` checked and turned into the SDK's configuration, with its defaults.

Options (SPEC §5), each with its default:
- hashUserId: True; user and group IDs leave only as hex(HMAC-SHA256(key=token, msg=id)).
- privacy: 'standard'; what may leave (SPEC §7), each level adding to the one before:
  'strict'    identify, group and track events the app itself called; navigate actions run
              only from a button the user clicked;
  'standard'  + page events (the filtered URL);
  'analytics' + flow events (flow/step IDs with started, stepSeen, completed, dismissed), which
              are condition results: opt-in only.
- allowedAttributes: None (any key); a list keeps only those keys, others are dropped.
- endpoint: None; nothing is sent until an endpoint is set here or by setServerEndpoint.
- searchShadowRoots: False; when True, conditions also look inside open shadow roots.
"""

from userflow.pure.values import kind, map_keys, map_get
from userflow.pure.attributes import valid_key
from userflow.pure.urls import check_endpoint

PRIVACY_LEVELS = ['strict', 'standard', 'analytics']
# The least privacy level that lets each event type leave (identify, group, track: every level).
_FIRST_LEVEL = {'page': 1, 'flow': 2}
OPTIONS = ['hashUserId', 'privacy', 'allowedAttributes', 'endpoint', 'searchShadowRoots', 'locale']
_TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'


def valid_token(token):
    """`^[A-Za-z0-9_-]{1,128}$`, as the wire schema requires."""
    if kind(token) != 'str' or len(token) == 0 or len(token) > 128:
        return False
    for ch in token:
        if _TOKEN_CHARS.find(ch) < 0:
            return False
    return True


def parse_init(token, options):
    """Returns {'error': message or None, 'warnings': [...], 'config': {...} or None}."""
    if not valid_token(token):
        return _refused('token must be 1 to 128 characters of A-Z a-z 0-9 _ -')
    config = {
        'token': token,
        'hashUserId': True,
        'privacy': 'standard',
        'allowedAttributes': None,
        'endpoint': None,
        'searchShadowRoots': False,
        'locale': None,  # the language content is shown in; checked and used by the flows chunk
    }
    warnings = []
    if options is None:
        return {'error': None, 'warnings': warnings, 'config': config}
    if kind(options) != 'map':
        return _refused('options must be a plain object')
    for key in map_keys(options):
        if _index(OPTIONS, key) < 0:
            warnings.append('unknown init option "' + key + '" ignored')
    if map_get(options, 'hashUserId') is not None:
        if kind(map_get(options, 'hashUserId')) != 'bool':
            return _refused('hashUserId must be true or false')
        config['hashUserId'] = map_get(options, 'hashUserId')
    if map_get(options, 'searchShadowRoots') is not None:
        if kind(map_get(options, 'searchShadowRoots')) != 'bool':
            return _refused('searchShadowRoots must be true or false')
        config['searchShadowRoots'] = map_get(options, 'searchShadowRoots')
    if map_get(options, 'privacy') is not None:
        if _index(PRIVACY_LEVELS, map_get(options, 'privacy')) < 0:
            return _refused('privacy must be "strict", "standard" or "analytics"')
        config['privacy'] = map_get(options, 'privacy')
    allowed = map_get(options, 'allowedAttributes')
    if allowed is not None:
        if kind(allowed) != 'list':
            return _refused('allowedAttributes must be a list of attribute keys')
        for key in allowed:
            if not valid_key(key):
                return _refused('allowedAttributes holds an invalid key "' + str(key) + '"')
        config['allowedAttributes'] = [k for k in allowed]
    locale = map_get(options, 'locale')
    if locale is not None:
        if kind(locale) != 'str' or len(locale) > 35:
            return _refused('locale must be a locale tag such as "de" or "pt-BR"')
        config['locale'] = locale
    if map_get(options, 'endpoint') is not None:
        checked = check_endpoint(map_get(options, 'endpoint'))
        if checked['error'] is not None:
            return _refused(checked['error'])
        config['endpoint'] = checked['url']
    return {'error': None, 'warnings': warnings, 'config': config}


def sendable(config, event_type):
    """Whether an event of `event_type` may leave under `config`'s privacy level."""
    first = _FIRST_LEVEL[event_type] if event_type in _FIRST_LEVEL else 0
    return _index(PRIVACY_LEVELS, config['privacy']) >= first


def _index(items, item):
    for i in range(len(items)):
        if items[i] == item:
            return i
    return -1


def _refused(message):
    return {'error': message, 'warnings': [], 'config': None}
