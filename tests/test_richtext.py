"""Rich text for bodies (pure/richtext.py, issue 16): what the markup means, that nothing in it
can become a link or image the parser did not allow (the XSS corpus runs through it), and the
image sources content.py accepts. What the engine knows without the parser (pure/bodies.py:
whether a body has markup, its images, their problems) agrees with the parser on generated
bodies. The transpiled modules agree with these in test_back_to_back.test_rich_text_parses_alike."""

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from userflow.pure.bodies import blank, image_problem, images, marked, problems
from userflow.pure.content import validate
from userflow.pure.richtext import parse, plain

BODIES = st.lists(
    st.sampled_from(
        list('ab *_`[]()!\\-1.\n\r\t/:hps')
        + ['https://x.y/z', 'http://', '![a](/i.png)', '![a](//x)', '**', '- ', '1. ']
    ),
    max_size=30,
).map(''.join)

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


@given(text=BODIES | st.text())
@example(text='12. x')
@example(text='  ')
def test_a_body_without_marks_is_one_plain_paragraph(text):
    """What lets the UI draw a body without the richtext chunk: a text `marked` calls plain is
    what the parser makes of it, one paragraph of one unstyled run (nothing when blank)."""
    if not marked(text):
        run = {'text': text, 'b': False, 'i': False, 'code': False, 'href': None}
        assert parse(text) == ([] if blank(text) else [{'kind': 'p', 'runs': [run]}])


@given(text=BODIES | st.text())
def test_images_and_their_problems_read_without_the_parser_agree_with_it(text):
    """Content is validated and its images loaded by the engine without the parser."""
    sources = [block['src'] for block in parse(text) if block['kind'] == 'img']
    assert images(text) == sources
    found = [image_problem(src) for src in sources if image_problem(src) is not None]
    assert problems(text) == (found[0] if found else None)


def test_plain_and_marked_bodies():
    for text in ['Welcome!', 'Click (here) to start: 3 steps.', '1.5 times faster', '-1 items', '']:
        assert not marked(text), text
    for text in ['**b**', 'a_b', 'see https://x.io', '- item', '12. item', 'two\nlines', '[a](/b)', 'a\\b']:
        assert marked(text), text
