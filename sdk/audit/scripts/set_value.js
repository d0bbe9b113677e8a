([selector, value]) => {
  const e = document.querySelector(selector);
  e.setAttribute('data-uf-done', '');
  if (e.tagName === 'SELECT') {
    const o = document.createElement('option'); o.value = value; o.textContent = value; e.appendChild(o);
    e.value = value;
  } else if (e.isContentEditable) { e.textContent = value; }
  else {
    const proto = e.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(e, value);
  }
  e.dispatchEvent(new Event('input', {bubbles: true}));
  e.dispatchEvent(new Event('change', {bubbles: true}));
  e.blur();
}
