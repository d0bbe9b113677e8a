"""Where the bytes go: each script of a build broken down by the module its bytes come from
(read from the source map esbuild writes beside it, which carries the transpiled sources), and
the Transcrypt runtime by function. For each part: its bytes in the minified file, and what it
costs gzipped (the file's gzip size minus the gzip size of the file without that part: what
removing it would save, its share of the compression context included).

Reads only a build's files (dist/), so it weighs any build: `userflow sizes [--dist DIR]`.
"""

import gzip
import json
import re
from pathlib import Path

PAGE = ('userflow.js', 'userflow-app.')  # a page with one flow: the loader, the core with the engine
RUNTIME = 'org.transcrypt.__runtime__'
BUNDLER = '(bundler)'  # bytes no source maps to: esbuild's wrapper, separators
_B64 = {c: i for i, c in enumerate('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}
# A top-level declaration of the runtime: `export function len (`, `export var object =`,
# `var __name__ =`, `Array.prototype.append =`, `float.__name__ =` (belongs to `float`).
_DECLARATION = re.compile(r'^(?:export\s+)?(?:function\*?|var|let|const|class)\s+([\w$]+)')
_ASSIGNMENT = re.compile(r'^([\w$]+)(\.prototype\.[\w$]+)?(?:\.[\w$]+)*\s*=')
_PROPERTY = re.compile(r"^__setproperty__ \(([\w$.]+), '([\w$]+)'")  # String.prototype.format


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


def vlq(field: str) -> list[int]:
    """The numbers of one source map segment (base64 VLQ)."""
    values, value, shift = [], 0, 0
    for char in field:
        digit = _B64[char]
        value += (digit & 31) << shift
        if digit & 32:
            shift += 5
        else:
            values.append(-(value >> 1) if value & 1 else value >> 1)
            value, shift = 0, 0
    return values


def segments(mappings: str) -> list[tuple]:
    """[(generated line, generated column, source index or None, source line or None)] of a
    version 3 source map's `mappings` (columns in UTF-16 code units, as the format counts).
    Each field is relative to the same field of the segment before (the column, to the one
    before on its line); source columns and names are not needed here."""
    found, source, source_line = [], 0, 0
    for line, text in enumerate(mappings.split(';')):
        column = 0
        for field in text.split(','):
            if not field:
                continue
            numbers = vlq(field)
            column += numbers[0]
            if len(numbers) < 4:
                found.append((line, column, None, None))
                continue
            source += numbers[1]
            source_line += numbers[2]
            found.append((line, column, source, source_line))
    return found


def _index(line: str, utf16: int) -> int:
    """The string index of UTF-16 column `utf16` in `line`."""
    if line.isascii():
        return utf16
    count = 0
    for i, char in enumerate(line):
        if count >= utf16:
            return i
        count += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def pieces(code: str, source_map: dict) -> list[tuple]:
    """The file cut where its mappings change: [(text, source index or None, source line)];
    the texts joined give `code` back."""
    lines = code.split('\n')
    by_line: dict[int, list] = {}
    for line, column, source, source_line in segments(source_map['mappings']):
        by_line.setdefault(line, []).append((column, source, source_line))
    out = []
    for number, line in enumerate(lines):
        marks = sorted(by_line.get(number, []), key=lambda m: m[0])
        start = 0
        owner = (None, None)
        for column, source, source_line in marks:
            at = _index(line, column)
            if at > start:
                out.append((line[start:at], *owner))
                start = at
            owner = (source, source_line)
        out.append((line[start:], *owner))
        if number < len(lines) - 1:
            out.append(('\n', None, None))
    return out


def module_name(source: str) -> str:
    """`transcrypt/userflow.pure.urls.js` -> `userflow.pure.urls`."""
    name = source.rsplit('/', 1)[-1]
    return name[:-3] if name.endswith('.js') else name


def declarations(source: str) -> list[str]:
    """The runtime declaration each line of `source` belongs to (by index)."""
    names, current = [], '(imports)'
    for line in source.split('\n'):
        declared = _DECLARATION.match(line)
        assigned = _ASSIGNMENT.match(line)
        defined = _PROPERTY.match(line)
        if declared:
            current = declared.group(1)
        elif assigned:
            current = assigned.group(1) + (assigned.group(2) or '')
        elif defined:
            current = defined.group(1) + '.' + defined.group(2)
        names.append(current)
    return names


def _weigh(parts: list[tuple], owners: list[str], total_gzip: int) -> list[dict]:
    """[{'name', 'bytes', 'gzip'}] per owner, the heaviest (gzip) first."""
    sizes: dict[str, int] = {}
    for (text, _, _), owner in zip(parts, owners, strict=True):
        sizes[owner] = sizes.get(owner, 0) + len(text.encode())
    rows = []
    for owner, size in sizes.items():
        rest = ''.join(text for (text, _, _), o in zip(parts, owners, strict=True) if o != owner)
        rows.append({'name': owner, 'bytes': size, 'gzip': total_gzip - gzip_size(rest.encode())})
    return sorted(rows, key=lambda r: (-r['gzip'], -r['bytes'], r['name']))


def weigh_file(path: Path) -> dict:
    """{'file', 'raw', 'gzip', 'modules': [...], 'runtime': [...]} for one script (and its map)."""
    data = path.read_bytes()
    code = data.decode()
    result = {'file': path.name, 'raw': len(data), 'gzip': gzip_size(data), 'modules': [], 'runtime': []}
    map_path = path.with_name(path.name + '.map')
    if not map_path.is_file():
        whole = {'name': f'{path.name} (no source map)', 'bytes': len(data), 'gzip': result['gzip']}
        result['modules'] = [whole]
        return result
    source_map = json.loads(map_path.read_text())
    sources = [module_name(s) for s in source_map['sources']]
    parts = pieces(code, source_map)
    owners = [sources[source] if source is not None else BUNDLER for _, source, _ in parts]
    result['modules'] = _weigh(parts, owners, result['gzip'])
    contents = source_map.get('sourcesContent') or []
    index = sources.index(RUNTIME) if RUNTIME in sources else -1
    lines = declarations(contents[index] or '') if 0 <= index < len(contents) else []
    if '__class__' in lines:  # the runtime itself (a chunk holds only shims reading the core's)
        named = [
            (lines[line] if line < len(lines) else '?') if source == index else owner
            for (_, source, line), owner in zip(parts, owners, strict=True)
        ]
        inside = {n for n, o in zip(named, owners, strict=True) if o == RUNTIME}
        result['runtime'] = [r for r in _weigh(parts, named, result['gzip']) if r['name'] in inside]
    return result


def page_files(dist: Path) -> list[Path]:
    """The scripts a page with one flow loads: the loader and the app file (the core and the flows
    chunk in one, loaded when `init` with an endpoint comes first, as the snippet has it)."""
    scripts = sorted(dist.glob('userflow*.js'))
    return [
        p
        for prefix in PAGE
        for p in scripts
        if p.name == prefix or (prefix[-1] == '.' and p.name.startswith(prefix))
    ]


def weigh(dist: Path) -> dict:
    """Every script of the build, and the page with one flow: {'files': [...], 'page': {...}}."""
    scripts = sorted(p for p in dist.glob('userflow*.js'))
    files = [weigh_file(p) for p in scripts]
    by_name = {f['file']: f for f in files}
    page = [by_name[p.name] for p in page_files(dist)]
    modules: dict[str, dict] = {}
    for f in page:
        for row in f['modules']:
            into = modules.setdefault(row['name'], {'name': row['name'], 'bytes': 0, 'gzip': 0})
            into['bytes'] += row['bytes']
            into['gzip'] += row['gzip']
    return {
        'files': files,
        'page': {
            'files': [f['file'] for f in page],
            'raw': sum(f['raw'] for f in page),
            'gzip': sum(f['gzip'] for f in page),
            'modules': sorted(modules.values(), key=lambda r: (-r['gzip'], r['name'])),
        },
    }


def _table(rows: list[dict], total_gzip: int, limit: int | None = None) -> list[str]:
    shown = rows if limit is None else rows[:limit]
    lines = [f'  {"":42} {"bytes":>8} {"gzip":>7} {"share":>6}']
    for r in shown:
        share = 100 * r['gzip'] / total_gzip if total_gzip else 0
        lines.append(f'  {r["name"][:42]:42} {r["bytes"]:8,} {r["gzip"]:7,} {share:5.1f}%')
    if limit is not None and len(rows) > limit:
        rest = rows[limit:]
        lines.append(f'  {f"({len(rest)} more)":42} {sum(r["bytes"] for r in rest):8,}')
    return lines


def report(weighed: dict, limit: int = 12) -> str:
    """The text `userflow sizes` prints."""
    page = weighed['page']
    out = [
        f'a page with one flow ({", ".join(page["files"])}): {page["raw"]:,} B, gzip {page["gzip"]:,} B',
        '(gzip: what removing the part would save; the parts of a file do not add up to its gzip size)',
    ]
    out += _table(page['modules'], page['gzip'], limit)
    for f in weighed['files']:
        out += ['', f'{f["file"]}: {f["raw"]:,} B, gzip {f["gzip"]:,} B']
        out += _table(f['modules'], f['gzip'], limit)
        if f['runtime']:
            out += ['  the Transcrypt runtime in it, by function:']
            out += _table(f['runtime'], f['gzip'], limit)
    return '\n'.join(out)
