"""Binding: the UI's DOM helpers, and rich text (pure/richtext.py) drawn with DOM APIs only:
every text goes in through `textContent` or a text node, links are the http(s) URLs or site
paths the parser allowed, opened apart from the page."""

from userflow.browser import env
from userflow.pure.links import text_links


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


def markup(parent, text, decorate, parse):
    """Draw `text` (richtext.py, whose `parse` the flows chunk hands over) into `parent`:
    paragraphs, lists, images, bold, italic, code, links. `decorate` (setLinkUrlDecorator, or
    None) may rewrite an http(s) link."""
    for block in parse(text):
        if block['kind'] == 'img':
            image = el('img', parent, None, None)
            image.alt = block['alt']
            image.referrerPolicy = 'no-referrer'
            image.src = block['src']  # loaded already, when the content arrived (flows/main.py)
        elif block['kind'] == 'p':
            _runs(el('p', parent, None, None), block['runs'], decorate)
        else:
            items = el(block['kind'], parent, 'md', None)
            for runs in block['items']:
                _runs(el('li', items, None, None), runs, decorate)


def _runs(parent, runs, decorate):
    for run in runs:
        if run['text'] == '\n' and not run['code']:
            el('br', parent, None, None)
            continue
        node = parent
        if run['href'] is not None:
            node = el('a', node, None, None)
            node.href = _decorated(run['href'], decorate)
            node.target = '_blank'
            node.rel = 'noopener noreferrer'
            node.referrerPolicy = 'no-referrer'
        for mark in [['b', 'strong'], ['i', 'em'], ['code', 'code']]:
            if run[mark[0]]:
                node = el(mark[1], node, None, None)
        node.appendChild(env.host.document.createTextNode(run['text']))


def _decorated(url, decorate):
    if decorate is None or url.startswith('/'):
        return url
    try:
        out = decorate(url)
        pieces = text_links(out) if __pragma__('js', '{}', 'typeof out') == 'string' else []
        if len(pieces) == 1 and pieces[0][0] and pieces[0][1] == out:
            return out
    except:  # noqa: E722
        pass
    env.warn('the link URL decorator must return an http(s) URL; the link is left as it was')
    return url
