// The floor of the SDK's design (SPEC §4), for bench/page_cost.py's `floor` variant: what any SDK
// built that way does before its first tooltip, and nothing more. A loader script makes a hidden
// same-origin iframe and loads a second script into it by its own request; that script draws one
// tooltip in a shadow root on the page. No SDK, no content, no checks: only the design's costs.
(function () {
  var frame = document.createElement('iframe');
  frame.style.display = 'none';
  document.documentElement.appendChild(frame);
  var realm = frame.contentWindow, script = realm.document.createElement('script');
  realm.host = window;
  script.src = new URL('core.js', document.currentScript.src).href;
  realm.document.head.appendChild(script);
})();
