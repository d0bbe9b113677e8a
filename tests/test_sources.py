"""House rules for py_src that the build relies on: esbuild renames private members per bundle
(sdk/builder/bundle.py), and Transcrypt makes each method a getter-only property, so in a class
an attribute may not share a method's name (assigning it throws in strict mode), and every
`self.x` a class reads must be a method or an attribute it assigns (a rename that missed one
place fails only in the browser)."""

import ast

import pytest

from sdk import PY_SRC

CLASSES = [
    (path, node)
    for path in sorted((PY_SRC / 'userflow').rglob('*.py'))
    for node in ast.walk(ast.parse(path.read_text()))
    if isinstance(node, ast.ClassDef)
]


def _members(cls):
    methods = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
    assigned, read = set(), set()
    for node in ast.walk(cls):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == 'self':
            (assigned if isinstance(node.ctx, ast.Store) else read).add(node.attr)
    return methods, assigned, read


BY_NAME = {c.name: c for _, c in CLASSES}
MIXINS = {b.id for _, c in CLASSES for b in c.bases if isinstance(b, ast.Name) and b.id in BY_NAME}


@pytest.mark.parametrize('path,cls', CLASSES, ids=[f'{p.parent.name}/{p.name}:{c.name}' for p, c in CLASSES])
def test_attributes_never_shadow_methods_and_every_read_is_defined(path, cls):
    """A mixin of py_src (ui/surfaces.py's Surfaces) is checked as part of the class using it."""
    if cls.name in MIXINS:
        return
    methods, assigned, read = _members(cls)
    inherited = False
    for base in cls.bases:
        if isinstance(base, ast.Name) and base.id in BY_NAME:
            more = _members(BY_NAME[base.id])
            methods, assigned, read = methods | more[0], assigned | more[1], read | more[2]
        elif not (isinstance(base, ast.Name) and base.id == 'object'):
            inherited = True
    assert methods & assigned == set(), f'{cls.name}: attributes named like methods'
    if not inherited:
        assert read - methods - assigned == set(), f'{cls.name}: read but never defined'
