"""Drop what the SDK never uses from Transcrypt's runtime, before esbuild bundles it.

esbuild removes unused exported functions, but it must keep every `Array.prototype.x = ...`
statement (assigning to a built-in is a side effect), every `float.__name__ = ...`, and every
`var t = new Terminal()`: together they keep alive a large part of the runtime the SDK never
calls. This is a mark-and-sweep by name over the runtime's top-level statements:

- roots: every other module, and every runtime statement that defines nothing;
- a prototype extension (`Array.prototype.append = ...`) is live when its name occurs as a word
  in a live text, even inside a string or as a property name;
- a declaration (`function input`, `var __terminal__`) or a property set on a declared name is
  live when its name is referenced as code: a word outside string literals, not after a `.`
  (`'input'` and `page.input_value` do not keep the runtime's `input()` alive);
- the words of live definitions are roots in turn;
- what stays unmarked is removed, and so are its names from the other modules' imports.

The rule errs only on the side of keeping code: a name spelled anywhere reachable stays.
Transcrypt writes every top-level statement of its runtime from column 0, and nothing else
there, which is what `_statements` relies on.
"""

import functools
import re
from pathlib import Path

from sdk.errors import BundleError

RUNTIME = 'org.transcrypt.__runtime__.js'
_BUILTIN = r'(?:String|Array|Number|Uint8Array|Function)'
_NAME = r'([A-Za-z_$][\w$]*)'
_DEFINITION = re.compile(
    rf"^(?:{_BUILTIN}\.prototype\.{_NAME} = |__setproperty__ \({_BUILTIN}\.prototype, '{_NAME}'"
    rf'|(?:export )?(?:var|let|const|function\*?|class) {_NAME}\b'
    rf'|(?!(?:String|Array|Number|Uint8Array|Function|Object|Math|JSON)\b){_NAME}(?:\.[\w$]+)+ = )'
)
_WORD = re.compile(r'[\w$]+')
# String literals as Transcrypt and esbuild write them: never across a line.
_STRING = re.compile(r'\'(?:[^\'\\\n]|\\.)*\'|"(?:[^"\\\n]|\\.)*"')
_CODE_WORD = re.compile(r'(?<![\w$.])[A-Za-z_$][\w$]*')


@functools.lru_cache(maxsize=1024)
def code_words(text: str) -> frozenset[str]:
    """The names `text` refers to as code: outside string literals, not as `.property`."""
    return frozenset(_CODE_WORD.findall(_STRING.sub("''", text)))


# Exception's constructor collects keyword arguments in a `dict ()`, the last thing that keeps
# the runtime's `dict` alive (the SDK's own dict literals are plain objects, see transpile.py):
# a plain object holds them as well (nothing reads them as a dict).
_KWARGS_DICT = 'var kwargs = dict ();'
_IMPORT = re.compile(r"^import \{([^}]*)\} from '\./" + re.escape(RUNTIME) + "';$", re.M)
# Transcrypt writes every method as a getter (`get m () {return __get__ (this, function (self)
# {...})}`) that ran `__get__` on each access: a new closure each time, binding with
# `[].slice.apply(arguments)` and `[self].concat(args)` (two arrays and an `arguments` object a
# call: a third of the flow engine's time per page change, bench/reaction.py), and one more
# function per method for V8 to compile and keep (~36 KB of the page's heap). Methods come
# marked instead (`m: __def__ (function (self) {...})`, written by transpile.py, the runtime's
# own included), and the class gives each a getter (`__method__`) that binds it with
# `Function.prototype.bind` (the same arguments, and V8 calls it without a frame of its own;
# `__proxy__` is set before `__init__` runs) once per instance and keeps it on the instance
# under the method's own name (the name esbuild's --mangle-props gave it, read when the class is
# made), so the next access is a plain property read. Only instances keep one (an own
# `__class__`, `__get__`'s test); a class's method stays unbound (`Base.method(self)`,
# `__init__`). Any other getter is left as Transcrypt wrote it; `__get__`, which no method
# calls now, is pruned.
_CLASS_ATTRIBUTES = """        for (var attrib in attribs) {
            var descrip = Object.getOwnPropertyDescriptor (attribs, attrib);
            Object.defineProperty (cls, attrib, descrip);
        }"""
_CLASS_ATTRIBUTES_KEPT = """        for (var attrib in attribs) {
            var descrip = Object.getOwnPropertyDescriptor (attribs, attrib);
            if (descrip.value instanceof __def__) {
                var method = __method__ (attrib, descrip.value.func);
                descrip = {get: method, enumerable: true, configurable: true};
            }
            Object.defineProperty (cls, attrib, descrip);
        }"""
_METATYPE = 'export var py_metatype = {'
_MARKED_METHODS = """export function __def__ (func) {
    if (!(this instanceof __def__)) {
        return new __def__ (func);
    }
    this.func = func;
}
function __method__ (name, func) {
    return function () {
        if (this.hasOwnProperty ('__class__')) {
            var bound = func.bind (null, this.__proxy__ ? this.__proxy__ : this);
            Object.defineProperty (this, name, {value: bound, writable: true, configurable: true});
            return bound;
        }
        return func;
    };
}
"""


# Slicing: the SDK slices with a step of 1 only (check_subset refuses a step), and for that
# JavaScript's own `slice` has Python's meaning (an index below zero counts from the end, both
# are clamped, empty when start >= stop): Transcrypt's versions, steps included, were ~1.4 KB.
# tests/test_back_to_back.py compares the two on generated strings, lists and indices.
_SLICES = {
    'String': re.compile(
        r'^String\.prototype\.__getslice__ = function \(start, stop, step\) \{$.*?^\};$', re.M | re.S
    ),
    'Array': re.compile(
        r'^Array\.prototype\.__getslice__ = function \(start, stop, step\) \{$.*?^\};$', re.M | re.S
    ),
}
_SLICE = """{0}.prototype.__getslice__ = function (start, stop, step) {{
    return {0}.prototype.slice.call (this, start === null ? 0 : start, stop === null ? this.length : stop);
}};"""


# An exception's `repr` (never asked for: the SDK reports `str(e)`, which `__str__` answers, and
# `repr` falls back to `__str__`) is the only user of `str.format` (its method is `-sf`'s, which
# the SDK does not ship): without it, `format` is pruned too.
_EXCEPTION_REPR = """\t__repr__: __def__ (function (self) {
\t\tif (len (self.__args__) > 1) {
\t\t\treturn '{}{}'.format (self.__class__.__name__, repr (tuple (self.__args__)));
\t\t}
\t\telse if (len (self.__args__)) {
\t\t\treturn '{}({})'.format (self.__class__.__name__, repr (self.__args__ [0]));
\t\t}
\t\telse {
\t\t\treturn '{}()'.format (self.__class__.__name__);
\t\t}
\t}),
"""


# `str(x)`: an object that has `__str__` (an exception) answers; anything else is JavaScript's
# `String(x)` (an object an app passed that cannot be made a string, `<object>`). Transcrypt's
# fell back on `repr`, which spells a list, a dict, None and booleans as Python does (`[1, 2]`,
# `{'a': 1}`, `None`, `True`) and brought `repr`, `__repr__` of strings and arrays,
# `__specialattrib__`, `isnumeric` and `capitalize` (365 B gzip of the core).
# The SDK calls `str` on numbers, strings and exceptions; the values an app passes (a flow id, an
# event name) are named in warnings as JavaScript spells them (`null`, `true`), which is what a
# JavaScript developer reads. tests/test_back_to_back.py compares both on numbers and strings.
_STR = (
    """export function str (stringable) {
    if (typeof stringable === 'number')
        return stringable.toString();
    else {
        try {
            return stringable.__str__ ();
        }
        catch (exception) {
            try {
                return repr (stringable);
            }
            catch (exception) {
                return String (stringable);
            }
        }
    }
};""",
    """export function str (stringable) {
    if (typeof stringable != 'object' || stringable === null) {
        return String (stringable);
    }
    try {
        return stringable.__str__ ();
    }
    catch (exception) {
    }
    try {
        return String (stringable);
    }
    catch (exception) {
        return '<object>';
    }
};""",
)
# `float(x)`: the SDK converts only strings of ASCII digits it checked (a port, Retry-After
# seconds, a pattern's `{m,n}`), where JavaScript's `+x` is Python's float(x); Transcrypt's
# version reads 'inf' and 'nan' and raises for anything else, with a message built by `str`.
# tests/test_back_to_back.py compares the callers on generated text (retry, endpoints, patterns).
_FLOAT = (
    """export function float (any) {
    if (any == 'inf') {
        return Infinity;
    }
    else if (any == '-inf') {
        return -Infinity;
    }
    else if (any == 'nan') {
        return NaN;
    }
    else if (isNaN (parseFloat (any))) {
        if (any === false) {
            return 0;
        }
        else if (any === true) {
            return 1;
        }
        else {
            throw ValueError ("could not convert string to float: '" + str(any) + "'", new Error ());
        }
    }
    else {
        return +any;
    }
};""",
    """export function float (any) {
    return +any;
};""",
)
# `list.pop()` / `list.pop(i)`: the SDK pops only from lists it has just found non-empty (the
# outbox's oldest event, the egress log's oldest line, a pattern's group frames), where
# JavaScript's own `pop` and `splice` answer as Python's; Transcrypt's checked for an empty list
# and an index out of range to raise IndexError (CPython, where the tests run the same code,
# still does).
_POP = (
    """Array.prototype.py_pop = function (index) {
    if(this.length === 0){
        throw IndexError("pop from empty list", new Error())
    }
    if (index === undefined) {
        return this.pop ();
    }
    else {
        const idx = index < 0 ? this.length + index : index
        if(this[idx] === undefined){
            throw IndexError("pop index out of range", new Error())
        }
        return this.splice (idx, 1) [0];
    }
};""",
    """Array.prototype.py_pop = function (index) {
    return index === undefined ? this.pop () : this.splice (index, 1) [0];
};""",
)
_BUILTIN_STR = (
    'Array.prototype.__str__ = Array.prototype.__repr__;\n',
    """String.prototype.__str__ = function () {
    return this;
};
""",
)


def _lighter(text: str) -> str:
    """The runtime with plain slices, no exception `repr` and a plain `str` (above)."""
    for kind, pattern in _SLICES.items():
        if len(pattern.findall(text)) != 1:
            raise BundleError(f"Transcrypt's runtime is not the one prune.py rewrites: {kind} __getslice__")
        text = pattern.sub(lambda found, kind=kind: _SLICE.format(kind), text)
    removed = [(old, '') for old in (_EXCEPTION_REPR, *_BUILTIN_STR)]
    return _rewritten(text, *removed, _STR, _FLOAT, _POP)


def _rewritten(text: str, *pairs: tuple[str, str]) -> str:
    """`text` with each (old, new) of `pairs` replaced; each old must occur exactly once, else
    Transcrypt's runtime is not the one this file rewrites (a BundleError)."""
    for old, new in pairs:
        if text.count(old) != 1:
            raise BundleError(f"Transcrypt's runtime is not the one prune.py rewrites: {old.strip()[:40]!r}")
        text = text.replace(old, new)
    return text


def _faster_methods(text: str) -> str:
    """The runtime with the rewrite above (a BundleError if Transcrypt's text changed)."""
    return _rewritten(
        text, (_CLASS_ATTRIBUTES, _CLASS_ATTRIBUTES_KEPT), (_METATYPE, _MARKED_METHODS + _METATYPE)
    )


# Methods that take `self` from `this`. A method the SDK only ever calls (`x.m (...)`) needs no
# binding: it is written as a plain function on its class, `m: function (a) {var self = this;
# ...}`, found through the prototype like any JavaScript method, so an instance keeps no bound
# function and no getter runs. Measured on the page-cost fixture: per method a getter closure
# fewer, per instance no own property (and no hidden class) per method called. A method whose
# name is ever read as a value anywhere in the build (`.m` not followed by a call) keeps its
# getter, which binds once per instance (above), and so do `__init__` and the other special
# methods the runtime calls with `self` first. Python reaches a method by a name in a string
# only through `getattr` (the dispatcher: `getattr(sdk, name)(a, b, c)`), which binds what it
# returns, and `hasattr`, which finds it on the class. `super().m (...)` calls with `.call
# (self, ...)`, and a method called through its class (`C.m (self)`) is a build error (it would
# run with the class as `this`).
_METHOD_HEAD = re.compile(r'^(\t+)([\w$]+): __def__ \(function \(self(?:, ([^)]*))?\) \{$', re.M)
_CLASS_NAME = re.compile(r'^export var ([\w$]+) = {2}/\* @__PURE__ \*/ __class__ \(', re.M)
_SELF = re.compile(r'(?<![\w$.])self(?![\w$])')
_CALL_THROUGH = re.compile(r'(?<![\w$.])([\w$]+)\.([\w$]+) \(')
_GETATTR = (
    """export function getattr (obj, name) {
    return name in obj ? obj [name] : obj ['py_' + name];
};""",
    """export function getattr (obj, name) {
    var value = name in obj ? obj [name] : obj ['py_' + name];
    return typeof value == 'function' ? value.bind (obj) : value;
};""",
)


def _called_only(texts: dict[str, str]) -> set[str]:
    """The SDK's method names that no module reads as a value (see _METHOD_HEAD)."""
    names = {
        found.group(2)
        for name, text in texts.items()
        if name != RUNTIME
        for found in _METHOD_HEAD.finditer(text)
        if not found.group(2).startswith('__')
    }
    everything = '\n'.join(texts.values())
    return names - set(re.findall(r'\.([\w$]+)(?! \()(?![\w$])', everything))


def this_methods(texts: dict[str, str]) -> dict[str, str]:
    """The modules with each called-only method written to take `self` from `this` (above)."""
    plain = _called_only(texts)
    classes = {c for text in texts.values() for c in _CLASS_NAME.findall(text)}
    out = {}
    for name, text in texts.items():
        if name == RUNTIME:
            out[name] = _rewritten(text, _GETATTR)
            continue
        for found in _CALL_THROUGH.finditer(text):
            if found.group(1) in classes and found.group(2) in plain:
                raise BundleError(f'{name}: {found.group(0)} calls a method through its class')
        text = re.sub(
            r"(__super__ \([\w$]+, '([\w$]+)'\)) \(",
            lambda found: found.group(1) + (' .call (' if found.group(2) in plain else ' ('),
            text,
        )
        out[name] = _rewrite_heads(text, plain, name)
    return out


def _rewrite_heads(text: str, plain: set[str], module: str) -> str:
    lines = text.split('\n')
    closing = None
    for i, line in enumerate(lines):
        if closing is None:
            found = _METHOD_HEAD.match(line)
            if found and found.group(2) in plain:
                indent, method, params = found.groups()
                lines[i] = f'{indent}{method} ({params or ""}) {{'
                head, closing = i, indent + '})'
            elif found and found.group(2) == '__init__':
                # Only ever called with `self` first (the class's `__new__`, `super().__init__`):
                # a plain function of the class, with no getter (see this_methods).
                lines[i] = line.replace(': __def__ (function (', ': function (', 1)
                head, closing = None, found.group(1) + '})'
        elif line.startswith(closing):
            if line not in (closing, closing + ','):
                raise BundleError(f'a method of {module} does not end as transpile.py writes one: {line!r}')
            lines[i] = line.replace('})', '}', 1)
            if head is not None and _SELF.search('\n'.join(lines[head + 1 : i])):
                lines[head] += 'var self = this;'
            closing = None
    if closing is not None:
        raise BundleError(f'a method of {module} has no end')
    return '\n'.join(lines)


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
    return next((g for g in found.groups() if g), None) if found else None


def _is_extension(statement: str) -> bool:
    found = _DEFINITION.match(statement)
    return bool(found and (found.group(1) or found.group(2)))


@functools.lru_cache(maxsize=1024)  # a rebuild meets the same module texts again
def _words(text: str) -> tuple[tuple[str, bool], ...]:
    """Every word of `text`, each with whether it is referenced as code."""
    code = code_words(text)
    return tuple((w, w in code) for w in set(_WORD.findall(text)))


def prune(modules: Path) -> list[str]:
    """Prune the runtime in the folder of ES modules `modules`; returns the removed names."""
    texts = {m.name: m.read_text() for m in modules.glob('*.js')}
    pruned, dead = prune_texts(texts)
    for name, text in pruned.items():
        if text != texts[name]:
            _rewrite(modules / name, text)
    return dead


# List comprehensions. Transcrypt writes `[e for x in y]` as a function it calls at once, which
# builds the list with the runtime's `append`: `(function () {var __accu0__ = []; for (var x of
# y) {__accu0__.append (e);} return __accu0__;}) ()`. The two plain forms become JavaScript's own:
# `[e for x in y]` is `Array.from (y, (x) => e)` and `[x for x in y if c]` is `Array.from
# (y).filter ((x) => c)`: the same iteration (`for...of` and `Array.from` both take `y`'s
# iterator), `e` and `c` run on the same items in the same order. Left as Transcrypt wrote them:
# more than one `for`, `[e for x in y if c]` (the two passes would reorder `e` and `c`), and any
# `e` or `c` that makes a function (a closure over `x` sees one variable per comprehension in
# Transcrypt's, one per item in an arrow's) or reads `this`, `arguments`, `yield` or `await`.
# The app file 1.8 KB smaller (197 B gzip), and 53 fewer functions to compile and call.
_COMPREHENSION_MAP = re.compile(
    r'\(function \(\) \{\n(\t*)var __accu0__ = \[\];\n\1for \(var ([^;\n]+?) of ([^\n]+)\) \{\n'
    r'\1\t__accu0__\.append \(([^\n]+)\);\n\1\}\n\1return __accu0__;\n\t*\}\) \(\)'
)
_COMPREHENSION_FILTER = re.compile(
    r'\(function \(\) \{\n(\t*)var __accu0__ = \[\];\n\1for \(var ([^;\n]+?) of ([^\n]+)\) \{\n'
    r'\1\tif \(([^\n]+)\) \{\n\1\t\t__accu0__\.append \(([^\n]+)\);\n\1\t\}\n\1\}\n'
    r'\1return __accu0__;\n\t*\}\) \(\)'
)
_NOT_IN_AN_ARROW = re.compile(r'(?<![\w$])(function|this|arguments|yield|await)(?![\w$])|=>')


def comprehensions(text: str) -> str:
    """`text` with its plain list comprehensions written as JavaScript's own (above)."""

    def mapped(found: re.Match) -> str:
        _, target, iterable, item = found.groups()
        if _NOT_IN_AN_ARROW.search(item):
            return found.group(0)
        return f'Array.from ({iterable}, ({target}) => {item})'

    def filtered(found: re.Match) -> str:
        _, target, iterable, test, item = found.groups()
        if item != target or _NOT_IN_AN_ARROW.search(test):
            return found.group(0)
        return f'Array.from ({iterable}).filter (({target}) => {test})'

    return _COMPREHENSION_FILTER.sub(filtered, _COMPREHENSION_MAP.sub(mapped, text))


def prune_texts(texts: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Prune the runtime among the ES modules `texts` ({file name: text}, the runtime's among
    them): the modules as pruned, and the removed names."""
    texts = {n: t if n == RUNTIME else comprehensions(t) for n, t in this_methods(texts).items()}
    text = _lighter(_faster_methods(texts[RUNTIME])).replace(_KWARGS_DICT, 'var kwargs = {};')
    statements = _statements(text)
    definitions: dict[str, list[str]] = {}
    extensions: set[str] = set()
    roots = [_IMPORT.sub('', texts[name]) for name in sorted(texts) if name != RUNTIME]
    for statement in statements:
        name = _name(statement)
        if name:
            definitions.setdefault(name, []).append(statement)
            if _is_extension(statement):
                extensions.add(name)
        else:
            roots.append(statement)
    live: set[str] = set()
    pending = [w for text in roots for w in _words(text)]
    while pending:
        word, as_code = pending.pop()
        if word in definitions and word not in live and (as_code or word in extensions):
            live.add(word)
            pending.extend(w for text in definitions[word] for w in _words(text))
    dead = set(definitions) - live
    pruned = {RUNTIME: '\n'.join(s for s in statements if _name(s) not in dead)}
    for name, text in texts.items():
        if name != RUNTIME:
            pruned[name] = _IMPORT.sub(lambda found: _kept_import(found, dead), text)
    return pruned, sorted(dead)


def _rewrite(path: Path, text: str) -> None:
    """A new file at `path`: the old one may be a hard link to the build cache (split.py)."""
    path.unlink()
    path.write_text(text)


def _kept_import(found: re.Match, dead: set) -> str:
    names = [n.strip() for n in found.group(1).split(',')]
    kept = [n for n in names if n and n.split(' as ')[0].strip() not in dead]
    return 'import {' + ', '.join(kept) + "} from './" + RUNTIME + "';"
