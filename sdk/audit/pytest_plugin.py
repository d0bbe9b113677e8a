"""pytest fixtures for a privacy audit in your own test suite.

Enable with `pytest_plugins = ['sdk.audit.pytest_plugin']` in your conftest.py (or
`pytest -p sdk.audit.pytest_plugin`), then:

    def test_no_leaks(uf_audit):
        report = uf_audit('https://staging.example.com/signup', scenario='audit/signup.json')
        report.assert_clean()

`uf_audit(url, scenario=None, strict_url=None, endpoint=None, out=None)` runs the whole audit
(baseline, main and, with `strict_url`, the differential and automation runs) and returns the
report; a path such as `/fixtures/audit.html` is served by `uf_audit_sink`, the local sink (the
dev collector) that also receives the SDK's events when the page's endpoint points at it
(`uf_audit_sink.url`). Reports are written under pytest's tmp_path unless `out` is given.
"""

import pytest

from sdk.audit import Report, audit


def _assert_clean(self: Report) -> None:
    if not self.passed:
        raise AssertionError('privacy audit failed:\n' + self.summary())


Report.assert_clean = _assert_clean


@pytest.fixture(scope='session')
def uf_audit_sink():
    from sdk.collector import Collector

    with Collector() as sink:
        yield sink


@pytest.fixture
def uf_audit(uf_audit_sink, tmp_path):
    from sdk.browser import executable

    browser = executable()

    def run_audit(
        url: str,
        scenario=None,
        strict_url: str | None = None,
        endpoint: str | None = None,
        out=None,
        **options,
    ) -> Report:
        """`options`: the rest of `sdk.audit.audit`'s (`manifest`, `differential`, `progress`)."""

        def absolute(u):
            return uf_audit_sink.url + u if u and u.startswith('/') else u

        return audit(
            absolute(url),
            scenario,
            collector=uf_audit_sink,
            executable=browser,
            strict_url=absolute(strict_url),
            endpoint=endpoint,
            out=out or tmp_path / 'audit',
            **options,
        )

    return run_audit
