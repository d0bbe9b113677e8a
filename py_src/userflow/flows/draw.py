"""Binding: the UI's DOM helpers. Every text goes in through `textContent` (rich text: the
`richtext` chunk, richtext/main.py)."""

from userflow.browser import env


def el(tag, parent, cls, text):
    node = env.host.document.createElement(tag)
    if cls:
        node.className = cls
    if text:
        node.textContent = text
    if parent is not None:
        parent.appendChild(node)
    return node


def button(parent, cls, text, key, label):
    node = el('button', parent, cls, text)
    node.setAttribute('type', 'button')
    node.setAttribute('data-key', key)
    if label:
        node.setAttribute('aria-label', label)
    return node


def guarded(fn):
    def run(event):
        try:
            fn(event)
        except:  # noqa: E722 -- a UI handler never throws into the page
            env.error('internal error in the UI')

    return run
