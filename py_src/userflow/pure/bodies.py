"""What the flow engine knows of a body without parsing its markup: whether it has any, its
images, and whether they may load. The parser (richtext.py) comes with the `richtext` chunk,
loaded only for content whose bodies have markup; a page with plain bodies never loads it.

These read a body line by line, as richtext.parse reads its blocks: a line is blank, a list
item, an image (`![alt](src)` and nothing else), or part of a paragraph. Tested against the
parser (tests/test_richtext.py).
"""

IMAGE_PREFIXES = [
    'data:image/png;base64,',
    'data:image/gif;base64,',
    'data:image/jpeg;base64,',
    'data:image/webp;base64,',
]
_DIGITS = '0123456789'
# A body without any of these (and no http(s) URL, and not a list item) is plain text.
_MARKS = '*_`[\\\n\r'


def marked(text):
    """False when `text` is plain: richtext.parse gives it as one paragraph of one unstyled run
    (or nothing, when it is blank), which the UI draws without the parser. True otherwise, and
    for some plain texts too (`snake_case`: the `_` alone says the parser decides)."""
    for mark in _MARKS:
        if text.find(mark) >= 0:
            return True
    return text.find('http://') >= 0 or text.find('https://') >= 0 or list_item(text) is not None


def lines(text):
    return text.replace('\r\n', '\n').replace('\r', '\n').split('\n')


def blank(line):
    for ch in line:
        if ch != ' ' and ch != '\t':
            return False
    return True


def list_item(line):
    """['ul' or 'ol', the item's text] when `line` is a list item."""
    if line.startswith('- ') or line.startswith('* '):
        return ['ul', line[2:]]
    i = 0
    while i < len(line) and i < 9 and _DIGITS.find(line[i]) >= 0:
        i += 1
    if i > 0 and line[i : i + 2] == '. ':
        return ['ol', line[i + 2 :]]
    return None


def image_line(line):
    """[alt, src] when the line is `![alt](src)` and nothing else."""
    if not line.startswith('![') or not line.endswith(')'):
        return None
    middle = line.find('](')
    if middle < 0:
        return None
    alt = line[2:middle]
    src = line[middle + 2 : len(line) - 1]
    if alt.find(']') >= 0 or src.find(')') >= 0 or src.find(' ') >= 0 or len(src) == 0:
        return None
    return [alt, src]


def images(text):
    """The image sources of a body, in order."""
    found = []
    for line in lines(text):
        image = image_line(line) if not blank(line) and list_item(line) is None else None
        if image is not None:
            found.append(image[1])
    return found


def image_problem(src):
    """None for an image source the UI may load, else why not."""
    if src.startswith('/') and not src.startswith('//') and src.find('\\') < 0:
        return None
    for prefix in IMAGE_PREFIXES:
        if src.startswith(prefix) and len(src) > len(prefix):
            return None
    return 'an image must come from this site (/path) or be a data:image/png, gif, jpeg or webp'


def problems(text):
    """Why a body cannot be shown as written: its images' sources (None when it can)."""
    for src in images(text):
        if image_problem(src) is not None:
            return image_problem(src)
    return None
