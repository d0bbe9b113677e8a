"""Binding: the checker of the safe regular-expression subset (safe_patterns.py) as an
on-demand chunk: only content with `matches` tests needs it (browser/main.py loads it with the
flow engine, which hands it to content validation)."""

from userflow.pure.safe_patterns import check_pattern

window['userflow-patterns'] = check_pattern
