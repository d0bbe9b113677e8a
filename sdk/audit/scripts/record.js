(() => {
  const say = window.__ufAuditRecord, stringify = JSON.stringify, now = Date.now.bind(Date);
  if (typeof say !== 'function') return;
  const tell = (record) => { try { record.now = now(); say(stringify(record, (k, v) =>
    typeof v === 'function' ? '[function]' : v === undefined ? null : v)); } catch (e) {} };
  if (window === window.top) {
    tell({kind: 'load', url: location.href});
    const seen = () => tell({kind: 'visit', url: location.href});
    for (const name of ['pushState', 'replaceState']) {
      const original = History.prototype[name];
      History.prototype[name] = function (...args) {
        const r = original.apply(this, args); seen(); return r;
      };
    }
    addEventListener('popstate', seen, true);
    addEventListener('hashchange', seen, true);
  }
  // The anonymous IDs the SDK keeps (uf:anon), as it stores them: what its anonymous users are.
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (key === 'uf:anon') tell({kind: 'anon', value: String(value)});
    return setItem.apply(this, arguments);
  };
  let boot;
  Object.defineProperty(window, 'userflowBoot', {configurable: true, enumerable: false,
    get() { return boot; },
    set(value) {
      boot = value;
      if (!value || typeof value.ready !== 'function') return;
      const ready = value.ready;
      value.ready = (core) => ready((key, args) => {
        const filtered = (own) => function (url) {
          const out = own.apply(this, arguments);
          tell({kind: 'filter', input: url, output: out});
          return out;
        };
        args = Array.from(args);
        if (key === 'setUrlFilter' && typeof args[0] === 'function') args[0] = filtered(args[0]);
        if (key === 'init' && args[1] && typeof args[1].urlFilter === 'function') {
          args[1] = Object.assign({}, args[1], {urlFilter: filtered(args[1].urlFilter)});
        }
        tell({kind: 'call', method: key, args});
        return core(key, args);
      });
    }});
})();
