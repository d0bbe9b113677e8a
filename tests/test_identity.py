"""Server-side ID derivation: the Python helper and the Node helper shipped in the npm package
(`userflow.js/server`) give the same 64 hex digits, and that is what `{hashed: true}` accepts."""

import hashlib
import hmac
import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdk.builder.render import render_js
from sdk.identity import derive_user_id
from userflow.pure.attributes import check_derived_id, guessable_id

NODE = shutil.which('node')


def test_the_derived_id_is_the_hmac_of_the_id_under_the_secret():
    expected = hmac.new(b'k3y', 'jane@example.com'.encode(), hashlib.sha256).hexdigest()
    assert derive_user_id('k3y', 'jane@example.com') == expected
    assert derive_user_id(b'k3y', 42) == derive_user_id('k3y', '42')
    assert check_derived_id(expected) == {'id': expected, 'error': None}
    with pytest.raises(ValueError):
        derive_user_id('', 'x')


RUNNER = """{load}
const pairs = JSON.parse(readFileSync(0, "utf8"));
console.log(JSON.stringify(pairs.map(([secret, id]) => deriveUserId(secret, id))));
"""


@pytest.fixture(scope='module')
def node_helpers(tmp_path_factory):
    """The two entries of `userflow.js/server`, rendered as the build renders them, each with a
    runner that derives the IDs of the JSON pairs on its stdin."""
    if NODE is None:
        pytest.skip('node is not installed')
    folder = tmp_path_factory.mktemp('server')
    (folder / 'server.cjs').write_text(render_js('server.js.j2', mode='cjs'))
    (folder / 'server.mjs').write_text(render_js('server.js.j2', mode='esm'))
    (folder / 'run.cjs').write_text(
        RUNNER.format(
            load='const {deriveUserId} = require("./server.cjs"); const {readFileSync} = require("node:fs");'
        )
    )
    (folder / 'run.mjs').write_text(
        RUNNER.format(load='import {deriveUserId} from "./server.mjs"; import {readFileSync} from "node:fs";')
    )
    return folder


def _node(folder, runner, pairs):
    out = subprocess.run(
        [NODE, runner], cwd=folder, input=json.dumps(pairs), capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


@settings(max_examples=30, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(
            st.text(st.characters(exclude_categories=['Cs']), min_size=1),
            st.text(st.characters(exclude_categories=['Cs']), min_size=1),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_python_and_node_derive_the_same_ids(node_helpers, pairs):
    expected = [derive_user_id(s, u) for s, u in pairs]
    assert _node(node_helpers, 'run.cjs', pairs) == expected
    assert _node(node_helpers, 'run.mjs', pairs) == expected


@pytest.mark.parametrize(
    'user_id,guessable',
    [
        ('1234567', True),
        ('jane.doe@example.com', True),
        ('0', True),
        ('usr_8f3a2c', False),
        ('jane', False),
        ('@handle', False),
        ('a@b', False),
    ],
)
def test_ids_from_small_spaces_are_called_guessable(user_id, guessable):
    assert guessable_id(user_id) is guessable


def test_a_derived_id_must_be_64_hex_digits_and_is_lower_cased():
    assert check_derived_id('AB' * 32) == {'id': 'ab' * 32, 'error': None}
    for bad in ['ab' * 31, 'zz' * 32, 42, None, 'ab' * 33]:
        assert check_derived_id(bad)['error'].startswith('a hashed user ID must be 64 hex digits')
