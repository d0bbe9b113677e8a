"""Canaries (AUDIT §3): one unique, high-entropy value per source, so a hit names the leak.

Every canary has a random core of 16 characters (its 8+ character substrings are searched
too); some are shaped like what a page really holds (an email address, a card number, a phone
number), some are plain random strings. `plant_script` is the JavaScript that puts the page-side
canaries in place after load; `storage_script` the one that seeds storage before any script.
"""

import json
import secrets
import string
from dataclasses import dataclass, field

ALPHABET = string.ascii_letters + string.digits
INPUT_SOURCES = [
    'input-text',
    'input-email',
    'input-password',
    'input-tel',
    'input-number',
    'input-search',
    'input-hidden',
    'textarea',
    'contenteditable',
    'select-option',
]
PAGE_SOURCES = [
    'page-text',
    'attr-id',
    'attr-class',
    'attr-data',
    'attr-aria-label',
    'attr-title',
    'attr-alt',
    'meta',
    'document-title',
]
URL_SOURCES = ['url-query', 'url-fragment']
STORE_SOURCES = ['cookie', 'local-storage', 'session-storage', 'window-name']


def _core(size: int = 16, alphabet: str = ALPHABET) -> str:
    return ''.join(secrets.choice(alphabet) for _ in range(size))


@dataclass
class Canaries:
    values: dict = field(default_factory=dict)  # source -> canary
    cores: dict = field(default_factory=dict)  # source -> its random core

    def add(self, source: str, shape: str = 'plain') -> str:
        if source in self.values:
            return self.values[source]
        if shape == 'email':
            core = _core(16, string.ascii_lowercase + string.digits)
            value = f'{core[:8]}.{core[8:]}@mail.example'
        elif shape == 'number':
            core = _core(16, string.digits)
            value = '4' + core[1:]  # card-shaped
        elif shape == 'tel':
            core = _core(12, string.digits)
            value = f'+44 {core[:4]} {core[4:8]} {core[8:]}'
            core = None  # spaces break up the digits: substrings of the whole value are searched
        elif shape == 'token':  # no characters a cookie, a class or an id would refuse
            core = 'cn' + _core(18, string.ascii_letters + string.digits)
            value = core
        else:
            core = _core(20, ALPHABET + '!#%')
            value = 'cnry' + core
        self.values[source] = value
        self.cores[source] = core or value
        return value

    def source_of(self, value: str) -> str | None:
        for source, canary in self.values.items():
            if canary == value:
                return source
        return None


SHAPES = {
    'input-email': 'email',
    'input-number': 'number',
    'input-tel': 'tel',
    'attr-id': 'token',
    'attr-class': 'token',
    'attr-data': 'token',
    'cookie': 'token',
    'url-query': 'token',
    'url-fragment': 'token',
    'input-text': 'token',
    'input-search': 'token',
    'input-hidden': 'token',
}


def standard_set(with_inputs: list[str] | None = None) -> Canaries:
    canaries = Canaries()
    for source in (
        (with_inputs if with_inputs is not None else INPUT_SOURCES)
        + PAGE_SOURCES
        + URL_SOURCES
        + STORE_SOURCES
    ):
        canaries.add(source, SHAPES.get(source, 'plain'))
    return canaries


def storage_script(canaries: Canaries, origin: str) -> str:
    """Runs before any page script, in the page's top frame only: storage and window.name."""
    values = {k: canaries.values[k] for k in ('local-storage', 'session-storage', 'window-name')}
    return f"""(() => {{
  if (window !== window.top || location.origin !== {json.dumps(origin)}) return;
  const c = {json.dumps(values)};
  try {{ localStorage.setItem('app_profile', c['local-storage']); }} catch (e) {{}}
  try {{ sessionStorage.setItem('app_session', c['session-storage']); }} catch (e) {{}}
  window.name = c['window-name'];
}})();"""


def plant_script(canaries: Canaries, presence: bool = True) -> str:
    """Page text, attributes, <meta> and the title: into an element the flows under test read
    (`#uf-audit-secret`, created if the page has none). `presence` False removes the element
    instead (the one-bit secret of the differential run)."""
    c = canaries.values
    return f"""(() => {{
  const c = {json.dumps({k: c[k] for k in PAGE_SOURCES})};
  let box = document.getElementById('uf-audit-secret');
  if (!box) {{
    box = document.createElement('div'); box.id = 'uf-audit-secret'; document.body.appendChild(box);
  }}
  if (!{json.dumps(presence)}) {{ box.remove(); return; }}
  box.textContent = 'Account note: ' + c['page-text'];
  box.className = 'secret ' + c['attr-class'];
  box.setAttribute('data-owner', c['attr-data']);
  box.setAttribute('aria-label', c['attr-aria-label']);
  box.setAttribute('title', c['attr-title']);
  const inner = document.createElement('span'); inner.id = c['attr-id']; inner.textContent = 'x';
  box.appendChild(inner);
  const img = document.createElement('img'); img.alt = c['attr-alt']; img.width = 1; img.height = 1;
  img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; box.appendChild(img);
  const meta = document.createElement('meta'); meta.name = 'description'; meta.content = c['meta'];
  document.head.appendChild(meta);
  document.title = document.title + ' ' + c['document-title'];
}})();"""
