"""Pure modules: the SDK's decisions, with no browser in sight. CPython imports them for tests and
the audit; Transcrypt transpiles them into the core (and into the chunks that use them)."""
