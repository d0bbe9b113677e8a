"""Delivery policy (retry.py): what a status means, the backoff, and `Retry-After`."""

import email.utils

from hypothesis import given
from hypothesis import strategies as st

from userflow.pure.retry import backoff_ms, outcome, retry_after_ms


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


def test_retry_after_takes_seconds_or_an_http_date():
    now = 784111777000 - 60000  # a minute before Sun, 06 Nov 1994 08:49:37 GMT
    assert retry_after_ms('5', now) == 5000 and retry_after_ms('120', now) == 120000
    assert retry_after_ms(' 120 ', now) is None  # fetch() gives header values trimmed
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
