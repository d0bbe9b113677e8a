"""Binding: when to re-evaluate conditions. No polling: a MutationObserver on the host
document and capturing input/change/click listeners; navigation comes from the core's one
listener (FlowHost.navigated). Changes are batched to one evaluation per animation frame;
a hidden page (where frames do not run) falls back to one 100 ms timer. With nothing changing,
nothing runs.
"""

from userflow.browser import env

HIDDEN_DELAY_MS = 100


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

    def start(self):
        if self.started:
            return
        self.started = True
        host = env.host
        self.mutations = __new__(window.MutationObserver(self._mutated))
        self.watch(host.document)
        for name in ['input', 'change']:
            host.document.addEventListener(name, self.schedule, {'capture': True, 'passive': True})
        host.document.addEventListener('click', self._clicked, {'capture': True, 'passive': True})

    def watch(self, root):
        """Observe `root` (the document, or an open shadow root conditions looked into)."""
        if self.mutations is not None and not self.roots.has(root):
            self.roots.add(root)
            self.mutations.observe(
                root, {'childList': True, 'subtree': True, 'attributes': True, 'characterData': True}
            )

    def _mutated(self, records):
        for record in records:
            if self.ignored is None or not self.ignored.contains(record.target):
                self.schedule()
                return

    def _clicked(self, event):
        try:
            self.on_click(event)
        except:  # noqa: E722
            pass
        self.schedule()

    def schedule(self, event=None):
        if self.pending:
            return
        self.pending = True
        host = env.host
        if host.document.visibilityState != 'hidden' and host.requestAnimationFrame:
            self.frame = host.requestAnimationFrame(self._run)
        self.timer = env.after(HIDDEN_DELAY_MS if self.frame is None else 1000, self._run)

    def _run(self, stamp=None):
        if not self.pending:
            return
        self.pending = False
        if self.frame is not None:
            env.host.cancelAnimationFrame(self.frame)
            self.frame = None
        env.cancel(self.timer)
        self.timer = None
        try:
            self.on_change()
        except:  # noqa: E722
            env.error('internal error while evaluating conditions')
