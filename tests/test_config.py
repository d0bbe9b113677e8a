"""init(token, options): defaults, and refusals that name the problem."""

from userflow.config import parse_init
from userflow.emitter import Emitter
import email.utils

from hypothesis import given, strategies as st

from userflow.retry import outcome, backoff_ms, retry_after_ms


def test_defaults_hash_ids_standard_privacy_and_no_endpoint():
    assert parse_init('tok', None)['config'] == {
        'token': 'tok',
        'hashUserId': True,
        'privacy': 'standard',
        'allowedAttributes': None,
        'endpoint': None,
        'searchShadowRoots': False,
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


def test_status_outcomes_follow_the_spec():
    assert [outcome(s) for s in (200, 204, 0, 408, 429, 500, 503, 400, 401, 413)] == [
        'sent',
        'sent',
        'retry',
        'retry',
        'retry',
        'retry',
        'retry',
        'drop',
        'drop',
        'drop',
    ]


def test_backoff_is_full_jitter_capped_at_sixty_seconds():
    assert backoff_ms(0, 0.999) == 999
    assert backoff_ms(3, 0.5) == 4000
    assert backoff_ms(20, 0.999) == 59940
    assert backoff_ms(5, 0) == 0


def test_emitter_knows_a_closed_set_of_events_and_survives_a_throwing_listener():
    emitter, seen, failures = Emitter(), [], []
    assert emitter.on('constructor', print).startswith('unknown event "constructor"')
    assert emitter.on('error', 'not a function') == 'listener for "error" must be a function'

    def boom(payload):
        raise RuntimeError('listener bug')

    def record(payload):
        seen.append(payload)

    emitter.on('error', boom)
    emitter.on('error', record)
    emitter.on('error', record)  # the same listener twice is added once
    emitter.emit('error', 1, failures.append)
    emitter.off('error', record)
    emitter.emit('error', 2, failures.append)
    assert seen == [1] and failures == ['error', 'error']


def test_retry_after_takes_seconds_or_an_http_date():
    now = 784111777000 - 60000  # a minute before Sun, 06 Nov 1994 08:49:37 GMT
    assert retry_after_ms('5', now) == 5000 and retry_after_ms(' 120 ', now) == 120000
    assert retry_after_ms('Sun, 06 Nov 1994 08:49:37 GMT', now) == 60000
    assert retry_after_ms('Sun, 06 Nov 1994 08:49:37 GMT', now + 120000) == 0
    assert retry_after_ms('99999999', now) == 3600000
    for bad in [
        None,
        '',
        '-1',
        '1.5',
        'soon',
        'Sun, 06 Nov 1994 08:49:37 PST',
        'Sunday, 06-Nov-94 08:49:37 GMT',
    ]:
        assert retry_after_ms(bad, now) is None, bad


@given(st.integers(0, 253402300799), st.integers(0, 3599))
def test_http_dates_agree_with_the_email_module(when, wait):
    date = email.utils.formatdate(when, usegmt=True)
    assert retry_after_ms(date, (when - wait) * 1000) == wait * 1000
