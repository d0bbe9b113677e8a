"""Transcrypt's command line, with one speed-up that cannot change its output.

`Generator.filterId` rewrites an identifier through each of its ~80 aliases with two regular
expressions given as strings (about 160 `re.sub` calls, each looking its pattern up in `re`'s
cache); compiling the SDK calls it about 2,500 times for a few hundred distinct identifiers:
70% of Transcrypt's time. It is a pure function of the identifier, the alias table and the
id-filtering switch, so here it is memoized on exactly those, with the same two expressions
compiled once per alias table and skipped for an alias the identifier does not contain (the
aliases are plain names, so neither expression can match without it). tests/test_build.py
compiles the whole SDK both ways and compares the output of this launcher with that of the
plain `transcrypt` command, byte for byte.

Run as a script: `python transcrypt_main.py -b -n -xr entry.py` (tools.transcrypt_command).
"""

import re
import sys


def _install() -> None:
    from org.transcrypt import compiler

    tables: dict = {}  # alias table -> {identifier: filtered}

    def rule(source):
        """The two substitutions of Generator.filterId for one alias, compiled once."""
        return (
            re.compile(rf'(^|(?P<preDunder>__)|(?<=[./])){source}((?P<postDunder>__)|(?=[./])|$)'),
            re.compile(rf'(^|(?<=[./=])){source}((?=[./=])|$)'),
        )

    rules: dict = {}

    def filter_id(self, qualified_id):
        if not self.idFiltering or (qualified_id.startswith('__') and qualified_id.endswith('__')):
            return qualified_id
        state = self.__dict__.get('_uf_table')
        if state is None or state[0] != self.aliases:
            key = tuple(tuple(a) for a in self.aliases)
            state = (list(self.aliases), key, tables.setdefault(key, {}))
            self.__dict__['_uf_table'] = state
        aliases, memo = state[1], state[2]
        if qualified_id not in memo:
            result = qualified_id
            for source, target in aliases:
                # The aliases are plain names: neither expression matches a string without one.
                if re.escape(source) == source and source not in result:
                    continue
                if source not in rules:
                    rules[source] = rule(source)
                first, second = rules[source]
                result = first.sub(
                    lambda m, target=target: (
                        ('=' if m.group('preDunder') else '')
                        + target
                        + ('=' if m.group('postDunder') else '')
                    ),
                    result,
                )
                result = second.sub(target, result)
            memo[qualified_id] = result.replace('=', '')
        return memo[qualified_id]

    compiler.Generator.filterId = filter_id


def serve() -> None:
    """Compile on request, one JSON line in ({"cwd", "args"}), one out ({"code", "output"}), until
    stdin closes: a build process that compiles again (a rebuild, the tests, the benchmarks)
    skips Python's start and Transcrypt's import (~0.1 s a run) and keeps the memo above warm.
    Each run re-parses its command line; tests/test_build.py checks that runs in one server
    write what separate `transcrypt` commands write."""
    import contextlib
    import io
    import json
    import os

    import transcrypt.__main__ as command

    command.atexit = type('NoExit', (), {'register': staticmethod(lambda fn: None)})
    _install()
    reply = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        output = io.StringIO()
        os.chdir(request['cwd'])
        sys.argv = ['transcrypt', *request['args']]
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            try:
                code = command.main()
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
            except Exception as error:  # noqa: BLE001 -- reported to the build, which stops
                print(f'transcrypt server: {type(error).__name__}: {error}')
                code = 1
        reply.write(json.dumps({'code': code or 0, 'output': output.getvalue()}) + '\n')
        reply.flush()


if __name__ == '__main__':
    from transcrypt.__main__ import main  # puts org.transcrypt on sys.path

    if sys.argv[1:] == ['--serve']:
        serve()
        sys.exit(0)
    _install()
    sys.argv[0] = 'transcrypt'
    sys.exit(main())
