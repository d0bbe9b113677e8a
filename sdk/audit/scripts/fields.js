() => [...document.querySelectorAll(
    'input, textarea, select, [contenteditable=""], [contenteditable="true"]')]
  .filter(e => !e.closest('[data-userflow]') && !e.disabled && !e.readOnly &&
          !e.hasAttribute('data-uf-done') &&
          !['submit', 'button', 'reset', 'image', 'file', 'checkbox', 'radio', 'range', 'color']
            .includes((e.type || '').toLowerCase()))
  .map((e, i) => {
    e.setAttribute('data-uf-audit-field', String(i));
    const kind = e.isContentEditable ? 'contenteditable' : e.tagName === 'TEXTAREA' ? 'textarea'
      : e.tagName === 'SELECT' ? 'select-option' : 'input-' + ((e.type || 'text').toLowerCase());
    return [String(i), kind, e.type === 'hidden' || e.offsetParent === null];
  })
