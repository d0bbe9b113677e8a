"""Binding: a minimal placeholder UI for steps and checklists, until the real UI lands.

One container on the host page holding an open shadow root; every text goes through
textContent, every style through the CSSOM (nothing a strict CSP refuses), and nothing here
decides anything: it shows what the flow runtime says and reports clicks back as actions.
"""

from userflow import env


def _el(tag, parent, text, style):
    node = env.host.document.createElement(tag)
    if text is not None:
        node.textContent = text
    for key in Object.js_keys(style):
        node.style.setProperty(key, style[key])
    if parent is not None:
        parent.appendChild(node)
    return node


_PANEL = {'position': 'fixed', 'background': '#fff', 'color': '#111', 'font': '14px/1.4 sans-serif',
          'padding': '16px', 'border-radius': '8px', 'box-shadow': '0 4px 24px rgba(0,0,0,.25)',
          'max-width': '320px', 'pointer-events': 'auto'}


class Ui:
    def __init__(self, on_action, on_task):
        self.on_action = on_action
        self.on_task = on_task
        self.container = None
        self.root = None
        self.z = 2147483000
        self.shown = None  # what is on screen, to rebuild only on change
        self.beacon_open = False

    def mount(self):
        host = env.host
        if self.container is not None and self.container.isConnected:
            return self.container
        self.container = _el('div', None, None, {'position': 'fixed', 'top': '0', 'left': '0',
                                                 'width': '0', 'height': '0'})
        self.container.setAttribute('data-userflow', '')
        self.root = self.container.attachShadow({'mode': 'open'})
        (host.document.body or host.document.documentElement).appendChild(self.container)
        self.shown = None
        return self.container

    def unmount(self):
        if self.container is not None and self.container.isConnected:
            self.container.remove()
        self.shown = None

    def render(self, here, target, checklists, done):
        """Show step `here` ({'flow', 'step'} or None) at `target` (an element or None) and the
        open `checklists` (with `done(checklist_id, task_id)`)."""
        step = here['step'] if here is not None else None
        visible = step is not None and step['type'] != 'hidden' and \
            (step['type'] == 'modal' or target is not None)
        if not visible and len(checklists) == 0:
            self.unmount()
            return
        rect = target.getBoundingClientRect() if visible and target is not None else None
        key = [here['flow']['id'] + '/' + step['id'] if visible else '', self.beacon_open,
               [rect.top // 1, rect.left // 1] if rect is not None else None,
               [[c['id'], [done(c['id'], t['id']) for t in c['tasks']]] for c in checklists]]
        signature = JSON.stringify(key)
        if signature == self.shown and self.container is not None and self.container.isConnected:
            return
        self.mount()
        self.shown = signature
        self.root.replaceChildren()
        layer = _el('div', self.root, None, {'position': 'fixed', 'inset': '0', 'z-index': str(self.z),
                                             'pointer-events': 'none'})
        if visible:
            self._step(layer, here, step, rect)
        for checklist in checklists:
            self._checklist(layer, checklist, done)

    def _step(self, layer, here, step, rect):
        if step['type'] == 'beacon' and not self.beacon_open:
            dot = _el('button', layer, None, dict(_PANEL))
            dot.setAttribute('aria-label', step['title'] if step['title'] else 'Open tip')
            dot.style.setProperty('padding', '8px')
            dot.style.setProperty('border-radius', '50%')
            dot.style.setProperty('background', '#2563eb')
            _place(dot, rect)
            dot.addEventListener('click', self._open_beacon)
            return
        if step['type'] == 'modal':
            backdrop = _el('div', layer, None, {'position': 'fixed', 'inset': '0',
                                                'background': 'rgba(0,0,0,.4)', 'pointer-events': 'auto'})
            backdrop.setAttribute('data-role', 'backdrop')
        panel = _el('div', layer, None, dict(_PANEL))
        panel.setAttribute('role', 'dialog')
        panel.setAttribute('data-step', step['id'])
        panel.setAttribute('dir', 'auto')
        if step['type'] == 'modal':
            panel.setAttribute('aria-modal', 'true')
            panel.style.setProperty('top', '50%')
            panel.style.setProperty('left', '50%')
            panel.style.setProperty('transform', 'translate(-50%, -50%)')
        else:
            _place(panel, rect)
        if step['title']:
            _el('h2', panel, step['title'], {'font-size': '16px', 'margin': '0 0 8px'})
            panel.setAttribute('aria-label', step['title'])
        if step['body']:
            _el('p', panel, step['body'], {'margin': '0 0 12px'})
        for button in step['buttons'] or []:
            node = _el('button', panel, button['label'], {'margin-right': '8px'})
            node.addEventListener('click', self._action_handler(button['action']))
        close = _el('button', panel, '\u00d7', {'position': 'absolute', 'top': '4px', 'right': '8px',
                                                'border': '0', 'background': 'none'})
        close.setAttribute('aria-label', 'Close')
        close.addEventListener('click', self._action_handler({'end': True}))

    def _checklist(self, layer, checklist, done):
        panel = _el('div', layer, None, dict(_PANEL))
        panel.setAttribute('data-checklist', checklist['id'])
        panel.style.setProperty('right', '16px')
        panel.style.setProperty('bottom', '16px')
        if checklist['title']:
            _el('h2', panel, checklist['title'], {'font-size': '15px', 'margin': '0 0 8px'})
        for task in checklist['tasks']:
            finished = done(checklist['id'], task['id'])
            node = _el('button' if task['action'] and not finished else 'div', panel,
                       ('\u2713 ' if finished else '\u25cb ') + task['title'], {'display': 'block'})
            node.setAttribute('data-task', task['id'])
            if task['action'] and not finished:
                node.addEventListener('click', self._task_handler(checklist['id'], task['id']))

    def _open_beacon(self, event):
        self.beacon_open = True
        self.shown = None
        self.on_action(None)

    def _action_handler(self, action):
        return lambda event: self.on_action(action)

    def _task_handler(self, checklist_id, task_id):
        return lambda event: self.on_task(checklist_id, task_id)


def _place(node, rect):
    # Below the target, kept inside the viewport; the real UI brings placement and flipping.
    width = env.host.innerWidth
    node.style.setProperty('top', str(rect.bottom + 8) + 'px')
    node.style.setProperty('left', str(max(8, min(rect.left, width - 336))) + 'px')
