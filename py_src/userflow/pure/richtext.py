"""Rich text for bodies (issue 16): a small, safe subset of Markdown, parsed here and drawn by the
UI with DOM APIs (elements it creates and text nodes, never an HTML string), so no markup in
content can become an element the UI did not choose.

    **bold**  *italic* or _italic_  `code`  [a link](https://example.com/x) or [a link](/path)
    - a bullet            1. a numbered item       ![an image](/img/x.png) on a line of its own
    a single newline is a line break; a blank line starts a new paragraph; \\* is a literal *

Bare http(s) URLs become links too (links.py). Links go to http(s) URLs or paths of the site;
anything else (`javascript:`, `data:`) stays text. Images come only from the page's own origin
(a path) or `data:image/...;base64,`: content.py refuses any other source (bodies.py), and the
engine loads every image of the content when the content arrives, never when a step shows.
This parser comes with the `richtext` chunk (richtext/main.py draws what it gives), which loads
only for content whose bodies have markup (bodies.marked).

`parse(text)` gives blocks:

    {'kind': 'p', 'runs': runs}           a paragraph
    {'kind': 'ul' or 'ol', 'items': [runs, ...]}
    {'kind': 'img', 'src': str, 'alt': str}

and a run is `{'text', 'b', 'i', 'code', 'href'}` (href None, or the link's address); a line
break is a run whose text is '\\n'.
"""

from userflow.pure.bodies import blank, image_line, lines, list_item
from userflow.pure.links import text_links

_ESCAPABLE = '\\*_`[]()!#-.'
_WORD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'


def parse(text):
    blocks = []
    para = []  # the lines of the paragraph being read
    listed = None  # the list being read

    def flush():
        nonlocal para
        if len(para) > 0:
            runs = []
            for k in range(len(para)):
                if k > 0:
                    runs.append(_run('\n', False, False, False, None))
                runs.extend(inline(para[k]))
            blocks.append({'kind': 'p', 'runs': runs})
        para = []

    for line in lines(text):
        item = list_item(line)
        image = image_line(line)
        if blank(line):
            flush()
            listed = None
        elif item is not None:
            flush()
            if listed is None or listed['kind'] != item[0]:
                listed = {'kind': item[0], 'items': []}
                blocks.append(listed)
            listed['items'].append(inline(item[1]))
        elif image is not None:
            flush()
            listed = None
            blocks.append({'kind': 'img', 'src': image[1], 'alt': image[0]})
        else:
            listed = None
            para.append(line)
    flush()
    return blocks


def plain(text):
    """The text a reader sees, without markup (for search and labels)."""
    out = []
    for block in parse(text):
        if block['kind'] == 'img':
            out.append(block['alt'])
        elif block['kind'] == 'p':
            out.append(''.join([run['text'] for run in block['runs']]))
        else:
            for runs in block['items']:
                out.append(''.join([run['text'] for run in runs]))
    return '\n'.join(out)


def _run(text, bold, italic, code, href):
    return {'text': text, 'b': bold, 'i': italic, 'code': code, 'href': href}


def _link_target(url):
    if url.startswith('https://') or url.startswith('http://'):
        return url if len(text_links(url)) == 1 and text_links(url)[0][0] else None
    if url.startswith('/') and not url.startswith('//') and url.find('\\') < 0:
        return url
    return None


def inline(text):
    """The runs of one line."""
    runs = []
    bold = False
    italic = ''  # the marker that opened italics, or ''
    buffer = []
    i = 0
    n = len(text)

    def emit(piece, code, href):
        if len(piece) > 0:
            runs.append(_run(piece, bold, italic != '', code, href))

    def flush():
        nonlocal buffer
        emit(''.join(buffer), False, None)
        buffer = []

    while i < n:
        ch = text[i]
        if ch == '\\' and i + 1 < n and _ESCAPABLE.find(text[i + 1]) >= 0:
            buffer.append(text[i + 1])
            i += 2
            continue
        if ch == '`':
            end = text.find('`', i + 1)
            if end > i + 1:
                flush()
                emit(text[i + 1 : end], True, None)
                i = end + 1
                continue
        if ch == '*' and text[i : i + 2] == '**':
            if bold or _closes(text, i + 2, '**'):
                flush()
                bold = not bold
                i += 2
                continue
        if (ch == '*' or ch == '_') and (italic == ch or (italic == '' and _opens(text, i, ch))):
            flush()
            italic = '' if italic == ch else ch
            i += 1
            continue
        if ch == '[':
            link = _link_at(text, i)
            if link is not None:
                flush()
                emit(link[0], False, link[1])
                i = link[2]
                continue
        buffer.append(ch)
        i += 1
    flush()
    return _autolinked(runs)


def _closes(text, start, marker):
    """Whether `marker` appears again after `start`, with something before it."""
    return text.find(marker, start) > start


def _opens(text, i, marker):
    # An italic marker opens before a non-space, is closed later, and `_` only at a word's start
    # (snake_case stays as written).
    if i + 1 >= len(text) or text[i + 1] == ' ' or text[i + 1] == marker:
        return False
    if marker == '_' and i > 0 and _WORD.find(text[i - 1]) >= 0:
        return False
    end = text.find(marker, i + 2)
    while end > 0 and marker == '*' and text[end : end + 2] == '**':
        end = text.find(marker, end + 2)
    return end > i + 1 and text[end - 1] != ' '


def _link_at(text, i):
    """[label, href, index after the link] for `[label](url)` at i, when url may be a link."""
    middle = text.find('](', i + 1)
    if middle < 0:
        return None
    end = text.find(')', middle + 2)
    label = text[i + 1 : middle]
    if end < 0 or len(label) == 0 or label.find('[') >= 0 or label.find(']') >= 0:
        return None
    href = _link_target(text[middle + 2 : end])
    if href is None:
        return None
    return [label, href, end + 1]


def _autolinked(runs):
    """Bare http(s) URLs in plain runs become link runs."""
    out = []
    for run in runs:
        if run['code'] or run['href'] is not None:
            out.append(run)
            continue
        for piece in text_links(run['text']):
            out.append(_run(piece[1], run['b'], run['i'], False, piece[1] if piece[0] else None))
    return out
