"""Rich text for bodies (pure/richtext.py, issue 16): what the markup means, that nothing in it
can become a link or image the parser did not allow (the XSS corpus runs through it), and the
image sources content.py accepts. The transpiled parser agrees with this one in
test_back_to_back.test_rich_text_parses_alike."""

from pathlib import Path

import pytest

from userflow.pure.content import validate
from userflow.pure.richtext import image_problem, images, parse, plain, problems

XSS = [
    line
    for line in (Path(__file__).parents[1] / 'e2e' / 'data' / 'xss.txt').read_text().splitlines()
    if line and not line.startswith('#')
]


def runs(text):
    """[(text, marks, href)] of a one-paragraph text."""
    (block,) = parse(text)
    assert block['kind'] == 'p'
    return [(r['text'], ''.join(m for m in ('b', 'i', 'code') if r[m]), r['href']) for r in block['runs']]


def test_inline_marks():
    assert runs('a **b** *c* _d_ `e*f`') == [
        ('a ', '', None),
        ('b', 'b', None),
        (' ', '', None),
        ('c', 'i', None),
        (' ', '', None),
        ('d', 'i', None),
        (' ', '', None),
        ('e*f', 'code', None),
    ]
    assert runs('**bold _and italic_**') == [('bold ', 'b', None), ('and italic', 'bi', None)]


def test_unclosed_and_escaped_markers_stay_text():
    assert runs('2 * 3 = 6, a ** b, snake_case_name, `open') == [
        ('2 * 3 = 6, a ** b, snake_case_name, `open', '', None)
    ]
    assert runs(r'\*not italic\* \[x\](/y)') == [('*not italic* [x](/y)', '', None)]


def test_links_are_http_or_site_paths_and_bare_urls_link():
    assert runs('[Docs](https://docs.example/a) and [home](/home)') == [
        ('Docs', '', 'https://docs.example/a'),
        (' and ', '', None),
        ('home', '', '/home'),
    ]
    assert runs('see https://x.example/p.') == [
        ('see ', '', None),
        ('https://x.example/p', '', 'https://x.example/p'),
        ('.', '', None),
    ]
    for bad in [
        'javascript:alert(1)',
        '//evil.example/x',
        'data:text/html,x',
        'JaVaScRiPt:x',
        'ftp://x',
        '/\\evil',
    ]:
        assert [r[2] for r in runs(f'[x]({bad})')] == [None], bad


def test_blocks_lines_lists_and_images():
    blocks = parse('one\ntwo\n\n- a\n- **b**\n1. c\n\n![A chart](/img/chart.png)\nend')
    assert [b['kind'] for b in blocks] == ['p', 'ul', 'ol', 'img', 'p']
    assert [r['text'] for r in blocks[0]['runs']] == ['one', '\n', 'two']
    assert len(blocks[1]['items']) == 2 and blocks[1]['items'][1][0]['b']
    assert blocks[3] == {'kind': 'img', 'src': '/img/chart.png', 'alt': 'A chart'}
    assert plain('**a** [b](/c)\n- d') == 'a b\nd'
    assert images('x\n![a](/1.png)\n![b](data:image/png;base64,AAAA)') == [
        '/1.png',
        'data:image/png;base64,AAAA',
    ]


@pytest.mark.parametrize(
    'src',
    [
        'https://cdn.example/x.png',
        '//cdn.example/x.png',
        'data:image/svg+xml;base64,AAAA',
        'javascript:x',
        'x.png',
    ],
)
def test_images_only_from_the_site_or_data_urls(src):
    assert image_problem(src) is not None
    body = 'Look:\n![chart](' + src + ')'
    checked = validate(
        {'version': 1, 'flows': [{'id': 'f', 'steps': [{'id': 's', 'type': 'modal', 'body': body}]}]}
    )
    assert checked['errors'] == ['flow "f" skipped: $.flows[0].steps[0].body: ' + problems(body)], checked[
        'errors'
    ]


def test_the_xss_corpus_never_yields_a_link_or_image_the_parser_did_not_allow():
    assert len(XSS) > 20
    for payload in XSS:
        for text in [payload, '[x](' + payload + ')', '![x](' + payload + ')', payload + '\n- ' + payload]:
            for block in parse(text):
                if block['kind'] == 'img':
                    assert problems(text) is not None or image_problem(block['src']) is None
                lines = block.get('items') or [block.get('runs') or []]
                for line in lines:
                    for run in line:
                        href = run['href']
                        assert href is None or href.startswith(('https://', 'http://', '/')), (payload, href)
                        assert href is None or not href.startswith('//'), (payload, href)
            # no character is lost or invented: what a reader sees comes from the text
            assert all(ch in text for ch in plain(text) if ch != '\n')
