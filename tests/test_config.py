"""init(token, options): defaults, and refusals that name the problem."""

from userflow.pure.config import parse_init


def test_defaults_hash_ids_standard_privacy_and_no_endpoint():
    assert parse_init('tok', None)['config'] == {
        'token': 'tok',
        'hashUserId': True,
        'privacy': 'standard',
        'allowedAttributes': None,
        'endpoint': None,
        'searchShadowRoots': False,
        'locale': None,
    }


def test_options_are_checked():
    assert parse_init('bad token', None)['error'].startswith('token must be')
    refused = parse_init('t', {'privacy': 'paranoid'})['error']
    assert refused == 'privacy must be "strict", "standard" or "analytics"'
    assert parse_init('t', {'privacy': 'analytics'})['config']['privacy'] == 'analytics'
    assert parse_init('t', {'hashUserId': 'yes'})['error'] == 'hashUserId must be true or false'
    assert 'http is allowed only' in parse_init('t', {'endpoint': 'http://x.com'})['error']
    assert parse_init('t', {'allowedAttributes': ['ok', '1bad']})['error'].startswith(
        'allowedAttributes holds an invalid key'
    )
    assert parse_init('t', {'colour': 1})['warnings'] == ['unknown init option "colour" ignored']
