(() => {
  const FIXED = 1767225600000, RealDate = Date;
  function PinnedDate(...args) {
    if (!new.target) return new RealDate(FIXED).toString();
    return args.length ? new RealDate(...args) : new RealDate(FIXED);
  }
  PinnedDate.now = () => FIXED;
  PinnedDate.parse = RealDate.parse;
  PinnedDate.UTC = RealDate.UTC;
  PinnedDate.prototype = RealDate.prototype;
  globalThis.Date = PinnedDate;
  let seed = 20260101;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  Math.random = () => next() / 2147483648;
  if (globalThis.crypto) {
    crypto.getRandomValues = (a) => { for (let i = 0; i < a.length; i++) a[i] = next() % 256; return a; };
    crypto.randomUUID = () => '00000000-0000-4000-8000-' + String(next()).padStart(12, '0').slice(-12);
  }
})();
