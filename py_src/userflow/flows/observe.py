"""Binding: when to re-evaluate conditions. No polling: a MutationObserver on the host
document and capturing input/change/click listeners; navigation comes from the core's one
listener (FlowHost.navigated). Changes are batched to one evaluation per animation frame;
a hidden page (where frames do not run) falls back to one 100 ms timer, and a page whose
frames stop (a throttled frame) is evaluated within a second, by one timer kept across
changes. With nothing changing, nothing runs. What changed since the last evaluation (the
page's mutation records, the targets of input events) goes with it, so that only what it can
affect is evaluated again (dom.py).
"""

from userflow.browser import env

HIDDEN_DELAY_MS = 100
FRAMELESS_DELAY_MS = 1000  # the latest evaluation should the page stop running frames
MAX_KEPT = 500  # records kept for one evaluation; past that, everything is evaluated again


class Observer:
    def __init__(self, on_change, on_click):
        self.on_change = on_change
        self.on_click = on_click
        self.pending = False
        self.frame = None
        self.timer = None
        self.mutations = None
        self.ignored = None  # the SDK's own UI container: its mutations are not the page's
        self.started = False
        self.roots = __new__(WeakSet())  # open shadow roots watched too (searchShadowRoots)
        self._records = []
        self._targets = []
        self._overflow = False
        self._other = False  # something besides the page's elements may have changed

    def start(self):
        if self.started:
            return
        self.started = True
        host = env.host
        self.mutations = __new__(window.MutationObserver(self._mutated))
        self.watch(host.document)
        for name in ['input', 'change']:
            host.document.addEventListener(name, self._typed, {'capture': True, 'passive': True})
        host.document.addEventListener('click', self._clicked, {'capture': True, 'passive': True})

    def watch(self, root):
        """Observe `root` (the document, or an open shadow root conditions looked into)."""
        if self.mutations is not None and not self.roots.has(root):
            self.roots.add(root)
            self.mutations.observe(
                root, {'childList': True, 'subtree': True, 'attributes': True, 'characterData': True}
            )

    def _mutated(self, records):
        mine = 0
        for record in records:
            if self.ignored is None or not self.ignored.contains(record.target):
                self._keep(record)
            else:
                mine += 1
        if mine < len(records):
            self._soon()

    def _keep(self, record):
        if len(self._records) < MAX_KEPT:
            self._records.append(record)
        else:
            self._overflow = True

    def _typed(self, event):
        if len(self._targets) < MAX_KEPT:
            self._targets.append(event.composedPath()[0] if event.composedPath else event.target)
        else:
            self._overflow = True
        self._soon()

    def taken(self):
        """What changed since the last call: {'records', 'targets', 'overflow', 'other'}."""
        raw = {'records': self._records, 'targets': self._targets, 'overflow': self._overflow}
        raw['other'] = self._other
        self._records = []
        self._targets = []
        self._overflow = False
        self._other = False
        return raw

    def _clicked(self, event):
        try:
            self.on_click(event)
        except:  # noqa: E722
            pass
        self.schedule()

    def schedule(self, event=None):
        """Evaluate soon: something conditions read may have changed besides the page's elements
        (an event, a navigation, a click, the app's settings)."""
        self._other = True
        self._soon()

    def _soon(self):
        if self.pending:
            return
        self.pending = True
        host = env.host
        if host.document.visibilityState != 'hidden' and host.requestAnimationFrame:
            self.frame = host.requestAnimationFrame(self._run)
            if self.timer is None:  # within a second should frames stop: one timer a second at most
                self.timer = env.after(FRAMELESS_DELAY_MS, self._late)
        else:  # a hidden page runs no frames
            env.cancel(self.timer)
            self.timer = env.after(HIDDEN_DELAY_MS, self._late)

    def _late(self):
        self.timer = None
        self._run()

    def _run(self, stamp=None):
        if not self.pending:
            return
        self.pending = False
        if self.frame is not None:
            env.host.cancelAnimationFrame(self.frame)
            self.frame = None
        try:
            self.on_change(self.taken())
        except:  # noqa: E722
            env.error('internal error while evaluating conditions')
