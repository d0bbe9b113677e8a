"""Binding, an on-demand chunk: rich text (pure/richtext.py) drawn with DOM APIs only. Every
text goes in through a text node; links are the http(s) URLs or site paths the parser allowed,
opened apart from the page. The flows chunk loads it only for content whose bodies have markup
(bodies.marked); until then, and without it, the Ui draws a body as the text it is. It uses the
Ui's public members (ui/view.py): the two are separate bundles.
"""

from userflow.browser import env
from userflow.pure.links import text_links
from userflow.pure.richtext import parse

CSS = ''.join(
    [
        '.body img{display:block;max-width:100%;height:auto;border-radius:6px;margin-top:8px}',
        '.md{list-style:disc;margin:6px 0 0;padding-inline-start:20px}ol.md{list-style:decimal}',
        '.md>li{display:list-item;padding:1px 0}',
        'code{font:.9em ui-monospace,SFMono-Regular,Menlo,monospace;background:rgba(127,127,127,.16);'
        'padding:1px 4px;border-radius:4px}',
    ]
)


class Markup:
    def __init__(self, ui):
        self.ui = ui
        ui.add_css(CSS)

    def draw(self, parent, text):
        """Draw `text` into `parent`: paragraphs, lists, images, bold, italic, code, links."""
        el = self.ui.el
        for block in parse(text):
            if block['kind'] == 'img':
                image = el('img', parent, None, None)
                image.alt = block['alt']
                image.referrerPolicy = 'no-referrer'
                image.src = block['src']  # loaded already, when the content arrived (flows/main.py)
            elif block['kind'] == 'p':
                self._runs(el('p', parent, None, None), block['runs'])
            else:
                items = el(block['kind'], parent, 'md', None)
                for runs in block['items']:
                    self._runs(el('li', items, None, None), runs)

    def _runs(self, parent, runs):
        el = self.ui.el
        for run in runs:
            if run['text'] == '\n' and not run['code']:
                el('br', parent, None, None)
                continue
            node = parent
            if run['href'] is not None:
                node = el('a', node, None, None)
                node.href = _decorated(run['href'], self.ui.decorate)
                node.target = '_blank'
                node.rel = 'noopener noreferrer'
                node.referrerPolicy = 'no-referrer'
            for mark in [['b', 'strong'], ['i', 'em'], ['code', 'code']]:
                if run[mark[0]]:
                    node = el(mark[1], node, None, None)
            node.appendChild(env.host.document.createTextNode(run['text']))


def _decorated(url, decorate):
    """`decorate(url)` (setLinkUrlDecorator, or None) when it gives an http(s) URL."""
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


window['userflow-richtext'] = Markup  # how the flows chunk, which loaded this one, finds it
