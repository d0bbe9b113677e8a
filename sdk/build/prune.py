"""Drop the Transcrypt runtime's built-in prototype extensions that nothing in the bundle uses.

esbuild removes unused exported functions but must keep every `Array.prototype.x = ...`
statement: assigning to a built-in is a side effect. The SDK uses a fraction of them, so
after each bundle, an extension whose name occurs in the bundle only inside its own
definitions is removed from the runtime and the bundle is made again, until nothing changes.
A name used anywhere else, even inside a string, keeps its definition: the rule only ever
errs on the side of keeping code. Saves about 1 KB gzip of the core.

Transcrypt writes every top-level statement of its runtime from column 0, and nothing else
there, which is what `_statements` relies on.
"""

import re
from collections import Counter
from pathlib import Path

RUNTIME = 'org.transcrypt.__runtime__.js'
_BUILTINS = r'(?:String|Array|Number|Uint8Array|Function)\.prototype'
_DEFINITION = re.compile(rf"^(?:{_BUILTINS}\.([A-Za-z_$][\w$]*) = |__setproperty__ \({_BUILTINS}, '([A-Za-z_$][\w$]*)')")


def _statements(text: str) -> list[str]:
    statements: list[list[str]] = []
    for line in text.split('\n'):
        starts = line[:1] and not line[:1].isspace() and not line.startswith('}')
        if starts or not statements:
            statements.append([])
        statements[-1].append(line)
    return ['\n'.join(s) for s in statements]


def _name(statement: str) -> str | None:
    found = _DEFINITION.match(statement)
    return (found.group(1) or found.group(2)) if found else None


_WORD = re.compile(r'[\w$]+')


def _words(text: str) -> Counter:
    return Counter(_WORD.findall(text))


def prune_once(runtime: Path, bundled: str) -> list[str]:
    """Remove unused extensions from `runtime`, judged against the bundle text; returns them."""
    statements = _statements(runtime.read_text())
    definitions: dict[str, list[str]] = {}
    for statement in statements:
        name = _name(statement)
        if name:
            definitions.setdefault(name, []).append(statement)
    used = _words(bundled)
    dead = {name for name, defs in definitions.items()
            if used[name] <= sum(_words(d)[name] for d in defs)}
    if dead:
        runtime.write_text('\n'.join(s for s in statements if _name(s) not in dead))
    return sorted(dead)
