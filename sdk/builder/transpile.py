"""Stage 1: Python sources -> ES modules, with Transcrypt 3.9.5.

Sources are staged into build/ (the tree stays clean), checked for constructs Transcrypt
accepts but miscompiles (TRANSCRYPT.md §0), then transpiled with `-b -n -xr`. The timestamp
comment Transcrypt stamps into every file is removed, so identical sources give identical bytes.

Per module: Transcrypt compiles a module to the same ES module whatever the modules it imports
hold, as long as they define the names it imports (an import becomes `import {a} from
'./x.js'`; nothing is inlined across modules). So a rebuild after a change compiles only the
changed modules (`transpile_some`), beside stubs of the others that only define their top-level
names, and takes every other module from the last build. tests/test_build.py proves the result
byte-identical to a full build, module by module.
"""

import ast
import builtins
import re
import shutil
from pathlib import Path

from sdk import PY_SRC
from sdk.builder.tools import run, transcrypt, transcrypt_command
from sdk.errors import TranspileError

# No -sf: the SDK formats no numbers, and format-spec support costs 1.5 KB gzip of runtime.
# check_subset rejects the format calls that would then silently misbehave.
FLAGS = ['-b', '-n', '-xr']
_STAMP = re.compile(r"^// Transcrypt'ed from Python, [^\n]*\n", re.M)
# Runtime classes are built by calls esbuild cannot prove pure; marking them lets it drop the
# ones nothing uses.
_CLASS_CALL = re.compile(r'= __class__ \(')
# A dict literal becomes `dict ({...})`, which gives the object Python's dict methods. The SDK
# calls none of them (its maps are plain key-value bags, read with values.map_get), so literals
# stay plain objects and the runtime's `dict` (about 0.8 KB gzip) is dropped where unused.
_DICT_LITERAL = re.compile(r'\bdict \(\{')
# A parameter's default is taken when the argument is missing or a keyword bag (kwargs); no
# call in the SDK passes keywords (check_subset refuses them), so only a missing one is checked.
_DEFAULT_ARG = re.compile(
    r"if \(typeof (\w+) == 'undefined' \|\| "
    r'\(\1 != null && \1\.hasOwnProperty \("__kwargtrans__"\)\)\) \{'
)
# `raise X` becomes `var e = X; e.__cause__ = null; throw e;`: the cause is what `raise X from Y`
# sets, and nothing in the SDK or the runtime reads it, so a plain raise is `throw X;` (~0.8 KB
# of the flows chunk, whose validation raises in 32 places). `raise X from Y` is left as it is.
_PLAIN_RAISE = re.compile(r'^(\t*)var (__except\d+__) = (.+);\n\1\2\.__cause__ = null;\n\1throw \2;$', re.M)
_FAULT = re.compile(r"File '([^']+)', line (\d+)")
# A method is written as a getter that makes a new function each time it runs and binds it:
# `get m () {return __get__ (this, function (self, a) {...});}`. Each such getter is a function
# of its own to parse, compile and keep (bytecode, scope, feedback) beside the method's. A method
# becomes the function itself, marked (`m: __def__ (function (self, a) {...})`), and the class
# gives every marked method one getter made by the runtime (prune.py's `__method__`), which
# binds as `__get__` did. Transcrypt writes each method from the start of a line and closes it on
# the first line after it with the same indent (`});},`, or `});}` for a class's last). The
# runtime's own classes (Exception, ...) too: every method of a build is marked.
_METHOD = re.compile(r'^(\t+)get ([\w$]+) \(\) \{return __get__ \(this, (function \([^)]*\) \{)$')
_RUNTIME_IMPORT = re.compile(r"^import \{(?=.*\} from '\./org\.transcrypt\.__runtime__\.js';$)", re.M)


def sources(src: Path = PY_SRC) -> list[Path]:
    return sorted((src / 'userflow').rglob('*.py'))


def check_subset(path: Path, text: str, src: Path = PY_SRC) -> None:
    """Reject what Transcrypt turns into broken JavaScript with exit code 0."""
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as error:
        raise TranspileError(error.msg, _display(path, src), error.lineno) from None
    skipped = _skipped_lines(text)
    for node in ast.walk(tree):
        if getattr(node, 'lineno', None) in skipped:
            continue  # CPython's half of a module: Transcrypt never sees it
        problem = None
        if isinstance(node, ast.NamedExpr):
            problem = 'the walrus operator := is miscompiled by Transcrypt'
        elif isinstance(node, ast.Match):
            problem = 'match statements are miscompiled by Transcrypt'
        elif isinstance(node, ast.TryStar):
            problem = 'except* is dropped by Transcrypt'
        elif isinstance(node, ast.arguments) and node.posonlyargs:
            problem = 'positional-only parameters are dropped by Transcrypt'
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            problem = 'f-string format specs are dropped by Transcrypt; format by hand'
        elif isinstance(node, ast.Attribute) and node.attr == 'format':
            problem = 'str.format needs -sf, which the SDK does not ship; concatenate instead'
        elif isinstance(node, ast.Call) and node.keywords:
            problem = 'keyword arguments are garbled by Transcrypt (no kwargs pragma); pass them by position'
        elif isinstance(node, ast.Slice) and node.step is not None:
            problem = 'slices take no step in the SDK (its runtime slices as JavaScript does, step 1)'
        elif _exception_args(node, tree) > 1:
            problem = (
                'an exception takes one message in the SDK (its runtime spells no tuple: prune.py `str`)'
            )
        if problem:
            raise TranspileError(problem, _display(path, src), getattr(node, 'lineno', None))


_EXCEPTIONS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}


def _exception_args(node: ast.AST, tree: ast.Module) -> int:
    """How many arguments `node` gives an exception's constructor: a built-in exception called,
    or `super().__init__(...)` in a class the module derives from one (0 for anything else)."""
    if not isinstance(node, ast.Call):
        return 0
    func = node.func
    if isinstance(func, ast.Name) and func.id in _EXCEPTIONS:
        return len(node.args)
    is_super_init = (
        isinstance(func, ast.Attribute)
        and func.attr == '__init__'
        and isinstance(func.value, ast.Call)
        and isinstance(func.value.func, ast.Name)
        and func.value.func.id == 'super'
    )
    if is_super_init and any(
        isinstance(c, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id in _EXCEPTIONS for b in c.bases)
        and any(n is node for n in ast.walk(c))
        for c in ast.walk(tree)
    ):
        return len(node.args)
    return 0


def _skipped_lines(text: str) -> set[int]:
    """The line numbers between `# __pragma__ ('skip')` and `# __pragma__ ('noskip')`."""
    skipped, inside = set(), False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip().replace(' ', '')
        if stripped == "#__pragma__('skip')":
            inside = True
        elif stripped == "#__pragma__('noskip')":
            inside = False
        elif inside:
            skipped.add(number)
    return skipped


def _display(path: Path, src: Path = PY_SRC) -> str:
    try:
        return str(path.relative_to(src.parent))
    except ValueError:
        return str(path)


def stage(stage_dir: Path, entry_name: str, entry_source: str, src: Path = PY_SRC) -> list[Path]:
    """Copy the package into `stage_dir` with a generated entry module; returns the sources."""
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    files = sources(src)
    for path in files:
        text = path.read_text()
        check_subset(path, text, src)
        dest = stage_dir / path.relative_to(src)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text)
    (stage_dir / f'{entry_name}.py').write_text(entry_source)
    return files


def transpile(
    stage_dir: Path, entry_name: str, out_dir: Path, src: Path = PY_SRC, plain: bool = False
) -> None:
    """Run Transcrypt on the staged entry and copy the cleaned ES modules into `out_dir`
    (`plain`: through Transcrypt's own command, not the faster transcrypt_main.py)."""
    if plain:
        result = run(transcrypt_command(plain=True) + FLAGS + [f'{entry_name}.py'], stage_dir)
    else:
        result = transcrypt(FLAGS + [f'{entry_name}.py'], stage_dir)
    if result.returncode != 0:
        raise _transcrypt_error(stage_dir, result.stdout + result.stderr, src)
    target = stage_dir / '__target__'
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    for js in sorted(target.glob('*.js')):
        (out_dir / js.name).write_text(clean(js.read_text(), js.name))


def _transcrypt_error(stage_dir: Path, output: str, src: Path) -> TranspileError:
    faults = _FAULT.findall(output)
    detail = output.split('namely:', 1)[-1].replace('Aborted', '').strip() or output.strip()
    if not faults:
        return TranspileError(detail)
    where, line = faults[-1]
    if not where.endswith('.py'):
        where = str(Path(*where.split('.'))) + '.py'
    path = Path(where)
    if path.is_absolute() and path.is_relative_to(stage_dir):
        path = path.relative_to(stage_dir)
    source = src / path
    shown = _display(source, src) if source.exists() else str(path)
    return TranspileError(detail, shown, int(line))


def stub(text: str) -> str:
    """A module that defines the top-level names of `text` and nothing else."""
    names = []
    for node in ast.parse(text).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            names += [a.asname or a.name for a in node.names]
    return ''.join(f'{name} = None\n' for name in dict.fromkeys(names))


ALL_MODULES = '*'


def _imported(text: str) -> set[str]:
    """The modules `text` may import from: `from a.b import c` names a.b and a.b.c (c may be a
    module); a relative import names them all (ALL_MODULES)."""
    found = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level or node.module is None:
                return {ALL_MODULES}
            found.add(node.module)
            found.update(f'{node.module}.{a.name}' for a in node.names)
    return found


def module_name(path: Path, src: Path = PY_SRC) -> str:
    """userflow/pure/flows.py -> userflow.pure.flows (the name of its .js file)."""
    parts = path.relative_to(src).with_suffix('').parts
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)


def transpile_some(stage_dir: Path, changed: list[Path], out_dir: Path, src: Path = PY_SRC) -> dict:
    """Compile only `changed` (source paths), every other module of the package a stub:
    {module name: cleaned ES module text} of the changed ones."""
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    wanted = {module_name(p, src) for p in changed}
    texts = {p: p.read_text() for p in changed}
    for path, text in texts.items():
        check_subset(path, text, src)
    # Beside the changed modules: stubs of the modules they import (Transcrypt reads only the
    # names an import brings in) and the packages' __init__ files; nothing else is needed.
    needed = set().union(*[_imported(text) for text in texts.values()])
    for path in sources(src):
        name = module_name(path, src)
        if path in texts:
            text = texts[path]
        elif path.name == '__init__.py':
            text = path.read_text()
        elif ALL_MODULES in needed or name in needed:
            text = stub(path.read_text())
        else:
            continue
        dest = stage_dir / path.relative_to(src)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text)
    entry = 'partial_entry'
    (stage_dir / f'{entry}.py').write_text(''.join(f'import {m}\n' for m in sorted(wanted)))
    result = transcrypt(FLAGS + [f'{entry}.py'], stage_dir)
    if result.returncode != 0:
        raise _transcrypt_error(stage_dir, result.stdout + result.stderr, src)
    target = stage_dir / '__target__'
    return {
        m: clean((target / f'{m}.js').read_text(), m + '.js')
        for m in sorted(wanted)
        if (target / f'{m}.js').exists()
    }


def clean(text: str, name: str) -> str:
    """A module as Transcrypt wrote it, without its time stamp, as the bundler wants it."""
    text = _STAMP.sub('', text, count=1)
    text = _CLASS_CALL.sub('= /* @__PURE__ */ __class__ (', text)
    text = _plain_methods(text, name)
    if name.startswith('userflow.'):
        text = _DICT_LITERAL.sub('({', text)
        text = _DEFAULT_ARG.sub(r"if (typeof \1 == 'undefined') {", text)
        text = _PLAIN_RAISE.sub(r'\1throw \3;', text)
    return text


def _plain_methods(text: str, name: str) -> str:
    """Each method getter of `text` as a marked function (see _METHOD)."""
    lines = text.split('\n')
    closing = None  # the line that closes the method being rewritten
    rewrote = False
    for i, line in enumerate(lines):
        if closing is None:
            found = _METHOD.match(line)
            if found:
                indent, method, head = found.groups()
                lines[i] = f'{indent}{method}: __def__ ({head}'
                closing = indent + '});}'
                rewrote = True
        elif line.startswith(closing):
            if line not in (closing, closing + ','):
                raise TranspileError(f'a method of {name} does not end as Transcrypt writes one: {line!r}')
            lines[i] = line.replace('});}', '})', 1)
            closing = None
    if closing is not None:
        raise TranspileError(f'a method of {name} has no end')
    text = '\n'.join(lines)
    if rewrote and name != 'org.transcrypt.__runtime__.js':  # the runtime defines __def__ (prune.py)
        text, imports = _RUNTIME_IMPORT.subn('import {__def__, ', text, count=1)
        if not imports:
            raise TranspileError(f'{name} does not import the runtime as Transcrypt writes it')
    return text
