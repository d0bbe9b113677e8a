"""Binding: the live page as conditions see it (the `page` of conditions.evaluate).

Everything here is read in the browser and handed to the evaluator in this realm; nothing is
stored beyond the page view. Invalid selectors match nothing and are reported once.
"""

from userflow.browser import env
from userflow.pure.values import has_key

MAX_ELEMENTS = 100  # matches examined per selector
MAX_TEXT = 10000


class LivePage:
    def __init__(self, flows):
        self.flows = flows  # the FlowRuntime, for flow conditions
        self.clicked = __new__(WeakSet())
        self.attributes = Object.create(None)
        self.shadow = False
        self.watch = None  # called with each open shadow root searched, to observe it
        # Custom input components (setCustomInputSelector, registerCustomInput): [selector,
        # value function or None (the text), registered] in the order they were given.
        self.custom_inputs = []

    def url(self):
        return env.host.location.href

    def elements(self, selector):
        found = []
        try:
            roots = [env.host.document]
            while len(roots) > 0 and len(found) < MAX_ELEMENTS:
                root = roots.pop(0)
                for node in Array.prototype.slice.call(
                    root.querySelectorAll(selector), 0, MAX_ELEMENTS - len(found)
                ):
                    found.append(node)
                if self.shadow:
                    for inner in _shadow_roots(root):
                        roots.append(inner)
                        if self.watch is not None:
                            self.watch(inner)
        except:  # noqa: E722 -- an invalid selector matches nothing, once reported
            env.warn('invalid selector in content: ' + selector)
            return []
        return found

    def fact(self, node, name):
        if name == 'text':
            text = node.textContent or ''  # noqa: F841 -- read by the JS below
            return __pragma__('js', '{}', 'text.slice(0, MAX_TEXT).replace(/\\s+/g, " ").trim()')
        if name == 'visible':
            if node.checkVisibility:
                return node.checkVisibility({'checkOpacity': True, 'checkVisibilityCSS': True})
            return node.getClientRects().length > 0
        if name == 'disabled':
            return node.disabled is True or node.getAttribute('aria-disabled') == 'true'
        if name == 'clicked':
            return self.clicked.has(node)
        return False

    def input_value(self, selector):
        for node in self.elements(selector):
            custom = self._custom_value(node)
            if custom is not None:
                return custom
            if node.isContentEditable:
                return node.textContent
            value = node.value
            if __pragma__('js', '{}', 'typeof value') == 'string':
                return value
        return None

    def _custom_value(self, node):
        for custom in self.custom_inputs:
            try:
                if node.matches(custom[0]):
                    value = custom[1](node) if custom[1] is not None else node.textContent
                    return value if __pragma__('js', '{}', 'typeof value') == 'string' else ''
            except:  # noqa: E722 -- the app's function threw: no value, once reported
                env.warn('a custom input value function threw')
                return ''
        return None

    def attribute(self, name):
        if has_key(self.attributes, name):
            return {'known': True, 'value': self.attributes[name]}
        return {'known': False, 'value': None}

    def tracked(self, name):
        return env.remembered_events().indexOf(name) >= 0

    def flow_state(self, flow_id, state):
        return self.flows.flow_state(flow_id, state)

    # -- what the page learns from the app and the user ---------------------------------
    def learn(self, attributes):
        for key in Object.js_keys(attributes):
            self.attributes[key] = attributes[key]

    def record_click(self, event):
        # The target and what contains it count as clicked (a click on a button's icon is a
        # click on the button), across open shadow roots.
        for node in event.composedPath():
            if node.nodeType == 1:
                self.clicked.add(node)

    def forget_clicks(self):
        self.clicked = __new__(WeakSet())


def _shadow_roots(root):
    found = []
    for node in Array.prototype.slice.call(root.querySelectorAll('*')):
        if node.shadowRoot and not node.hasAttribute('data-userflow'):  # not the SDK's own UI
            found.append(node.shadowRoot)
    return found
