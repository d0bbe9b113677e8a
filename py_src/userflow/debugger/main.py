"""Binding: the debugger panel (`userflow.debugger()`), a chunk of its own: every flow,
checklist and condition with its current value, and why each flow is or is not showing. The flow
engine hands it `explain` (conditions.py, the engine's own: a `matches` test runs with the
patterns content validation accepted there), and its runtime and page when it renders; it is
drawn in its own shadow root and reads only what this browser already holds. Nothing in it is
sent or stored. Escape or the close button removes it."""

from userflow.browser import env
from userflow.pure.values import map_get, to_json

TAG = 'userflow-debugger'
MAX_LABEL = 160
CSS = (
    ':host{all:initial}'
    '.panel{position:fixed;z-index:2147483647;right:12px;bottom:12px;width:min(440px,calc(100vw - 24px));'
    'max-height:70vh;overflow:auto;background:#fff;color:#111827;border:1px solid #d1d5db;'
    'border-radius:8px;box-shadow:0 8px 24px rgba(0,0,0,.2);padding:12px;'
    'font:12px/1.5 ui-monospace,monospace}'
    'h2{font:600 14px/1.4 system-ui,sans-serif;margin:0 0 4px}'
    'h3{font:600 13px system-ui,sans-serif;margin:10px 0 2px}'
    'ul{margin:0;padding-left:16px}li{list-style:none}.yes{color:#047857}.no{color:#b91c1c}'
    '.note{color:#4b5563;margin:0 0 6px}button{float:right;font:inherit;cursor:pointer}'
)


def _el(tag, parent, text):
    node = env.host.document.createElement(tag)
    if text:
        node.textContent = text
    parent.appendChild(node)
    return node


def _label(condition):
    for key in ['all', 'any']:
        if map_get(condition, key) is not None:
            return key + ' of'
    if map_get(condition, 'not') is not None:
        return 'not'
    text = to_json(condition)
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL] + '...'


def _tree(parent, explained):
    """One condition and its parts, each marked with its value now."""
    item = _el('li', parent, ('✓ ' if explained['value'] else '✗ ') + _label(explained['condition']))
    item.className = 'yes' if explained['value'] else 'no'
    if len(explained['parts']) > 0:
        inner = _el('ul', item, None)
        for part in explained['parts']:
            _tree(inner, part)


class Debugger:
    def __init__(self, explain):
        self.explain = explain
        self.host = None
        self.body = None

    def open(self, on_close):
        if self.host is not None and self.host.isConnected:
            return
        doc = env.host.document
        self.host = doc.createElement(TAG)
        self.host.setAttribute('data-userflow', '')
        root = self.host.attachShadow({'mode': 'open'})
        try:
            sheet = __new__(env.host.CSSStyleSheet())
            sheet.replaceSync(CSS)
            root.adoptedStyleSheets = [sheet]
        except:  # noqa: E722 -- no constructable stylesheets: unstyled, still readable
            pass
        panel = _el('div', root, None)
        panel.className = 'panel'
        panel.setAttribute('role', 'dialog')
        panel.setAttribute('aria-label', 'Userflow debugger')
        close = _el('button', panel, 'Close')
        close.setAttribute('type', 'button')
        close.addEventListener('click', lambda event: on_close())
        _el('h2', panel, 'Userflow debugger')
        note = _el('p', panel, 'Decided in this browser; nothing shown here is sent.')
        note.className = 'note'
        self.body = _el('div', panel, None)

        def key(event):
            if event.key == 'Escape':
                on_close()

        panel.addEventListener('keydown', key)
        (doc.body or doc.documentElement).appendChild(self.host)
        close.focus()

    def close(self):
        if self.host is not None:
            self.host.remove()
        self.host = None
        self.body = None

    def render(self, runtime, page):
        """Draw the current state again (after each evaluation, while open)."""
        if self.body is None:
            return
        self.body.textContent = ''
        if len(runtime.flows) + len(runtime.checklists) == 0:
            _el('p', self.body, 'No content is loaded.')
        for flow in runtime.flows:
            _el('h3', self.body, 'Flow ' + flow['id'])
            _el('p', self.body, runtime.status(flow['id']))
            conditions = _el('ul', self.body, None)
            auto = map_get(flow, 'autoStart')
            if auto is not None:
                _tree(conditions, self.explain(auto['when'], page))
            here = runtime.current()
            if here is not None and here['flow']['id'] == flow['id']:
                target = map_get(here['step'], 'target')
                if target:
                    count = len(page.elements(target['selector']))
                    _el('li', conditions, 'target ' + target['selector'] + ': ' + str(count) + ' found')
                for trigger in map_get(here['step'], 'triggers') or []:
                    _tree(conditions, self.explain(trigger['when'], page))
        for checklist in runtime.checklists:
            _el('h3', self.body, 'Checklist ' + checklist['id'])
            tasks = _el('ul', self.body, None)
            for task in checklist['tasks']:
                done = runtime.done(checklist['id'], task['id'])
                _el('li', tasks, 'task ' + task['id'] + (': done' if done else ': not done'))
                if not done and map_get(task, 'completeWhen') is not None:
                    _tree(tasks, self.explain(task['completeWhen'], page))


window['userflow-debugger'] = Debugger  # how the flow engine, which loaded this chunk, finds it
