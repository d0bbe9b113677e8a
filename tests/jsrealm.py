"""The transpiled harness running in V8 (mini-racer), built with the shipped flags and banner."""

import json
from pathlib import Path

from py_mini_racer import MiniRacer

from sdk.builder.pipeline import build_bundle

HARNESS = Path(__file__).with_name('b2b_harness.py')


class JsRealm:
    def __init__(self, work: Path):
        bundle = build_bundle('b2b_harness', HARNESS.read_text(), work, 'UF', log=lambda s: None)
        self.ctx = MiniRacer()
        self.ctx.eval('var window = globalThis;')
        self.ctx.eval(bundle.read_text())

    def call(self, name: str, *args):
        text = json.dumps(list(args), ensure_ascii=False)
        return json.loads(self.ctx.call('UF.run', name, text))
