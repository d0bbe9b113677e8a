// Runs in the floor's iframe (loader.js): one tooltip on #target, in a shadow root on the host page.
(function (host) {
  var d = host.document, ui = d.createElement('div'), root = ui.attachShadow({mode: 'open'});
  var sheet = new host.CSSStyleSheet();
  sheet.replaceSync('.card{position:absolute;max-width:18rem;padding:1rem;background:#fff;' +
    'border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.2);font:14px system-ui}');
  root.adoptedStyleSheets = [sheet];
  var card = d.createElement('div'), title = d.createElement('h2'), body = d.createElement('p');
  card.className = 'card';
  title.textContent = 'Create a project';
  body.textContent = 'Projects hold your work.';
  card.append(title, body);
  root.appendChild(card);
  d.body.appendChild(ui);
  var box = d.getElementById('target').getBoundingClientRect();
  card.style.left = box.left + 'px';
  card.style.top = box.bottom + 8 + 'px';
  host.__floorReady();
})(window.host);
