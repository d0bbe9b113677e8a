async () => {
  const dump = (s) => {
    const o = {};
    for (let i = 0; i < s.length; i++) { const k = s.key(i); o[k] = s.getItem(k); }
    return o;
  };
  const names = async (get) => { try { return (await get()).sort(); } catch (e) { return []; } };
  return {local: dump(localStorage), session: dump(sessionStorage), windowName: window.name,
          indexedDB: await names(async () => (await indexedDB.databases()).map(d => d.name)),
          caches: await names(() => caches.keys()),
          webdriver: navigator.webdriver === true,
          // The SDK's own realm (its loader's iframe), however the SDK arrived: a script tag or
          // an app's bundle (the npm package), where no request names userflow.js.
          sdkRealm: [...document.querySelectorAll('iframe')].some((f) => {
            try { return !!f.contentWindow.userflowBoot; } catch (e) { return false; }
          })};
}
