"""`userflow sizes`: where a build's bytes go, read back from its source maps."""

import gzip
import json

from sdk.builder import bundle as bundler
from sdk.cli import main
from sdk.sizes import declarations, segments, vlq, weigh_file


def test_vlq_fields_decode_as_the_source_map_format_defines():
    assert vlq('AAAA') == [0, 0, 0, 0]
    assert vlq('C') == [1] and vlq('D') == [-1]
    assert vlq('gB') == [16] and vlq('hB') == [-16]
    assert vlq('2HwBA') == [123, 24, 0]
    # Fields are relative to the previous segment; lines restart the column only.
    assert segments('AAAA,CACA;EAAC') == [(0, 0, 0, 0), (0, 1, 0, 1), (1, 2, 0, 1)]


def test_each_module_gets_its_bytes_and_what_removing_it_saves(tmp_path):
    src = tmp_path / 'src'
    src.mkdir()
    words = ' '.join(f'w{i}' for i in range(400))  # a module gzip cannot squeeze to nothing
    (src / 'heavy.js').write_text(f'export function heavy(x) {{ return x + {json.dumps(words)}; }}\n')
    (src / 'light.js').write_text('export function light(x) { return x * 2; }\n')
    (src / 'entry.js').write_text(
        "import {heavy} from './heavy.js';\nimport {light} from './light.js';\n"
        'window.out = heavy(light(1));\n'
    )
    out = tmp_path / 'out' / 'bundle.js'
    out.parent.mkdir()
    bundler.bundle(src / 'entry.js', out)
    (out.parent / 'bundle.js.map').write_bytes(out.with_suffix('.js.map').read_bytes())
    weighed = weigh_file(out)
    rows = {r['name']: r for r in weighed['modules']}
    assert weighed['raw'] == out.stat().st_size == sum(r['bytes'] for r in rows.values())
    assert weighed['gzip'] == len(gzip.compress(out.read_bytes(), 9, mtime=0))
    assert set(rows) <= {'heavy', 'light', 'entry', '(bundler)'}
    assert rows['heavy']['bytes'] > len(words) and rows['heavy']['gzip'] > 500
    assert weighed['modules'][0]['name'] == 'heavy'
    assert 0 < rows['light']['gzip'] < 100
    assert weighed['runtime'] == []  # no Transcrypt runtime in it


def test_runtime_lines_belong_to_the_declaration_above_them():
    source = (
        "import {py_copy as _copy} from './copy.js';\n"
        'export function len (anObject) {\n    return anObject.length;\n};\n'
        "float.__name__ = 'float';\n"
        'Array.prototype.append = function (element) {\n    this.push (element);\n};\n'
        'export var object = {\n    __init__: function (self) {}\n};\n'
        "__setproperty__ (String.prototype, 'format', {\n    enumerable: true\n});\n"
    )
    assert declarations(source) == [
        '(imports)',
        *['len'] * 3,
        'float',
        *['Array.prototype.append'] * 3,
        *['object'] * 3,
        *['String.prototype.format'] * 3,
        'String.prototype.format',
    ]


def test_sizes_command_without_a_build_says_so(tmp_path, capsys):
    assert main(['sizes', '--dist', str(tmp_path)]) == 2
    assert 'no build' in capsys.readouterr().err
