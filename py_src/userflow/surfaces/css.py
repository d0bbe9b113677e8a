"""The surfaces chunk's stylesheet, adopted beside the UI's (ui/uicss.py, whose custom
properties and rules it builds on) when the chunk loads."""

CSS = ''.join(
    [
        # Checklists, in a dock of their own or in the resource center.
        '.dock{position:fixed;right:16px;bottom:16px;display:flex;flex-direction:column;gap:12px;'
        'width:var(--uf-checklist-width,300px);max-width:calc(100vw - 32px)}',
        '.checklist{position:relative;background:var(--bg);border-radius:var(--r);padding:14px 16px;'
        'box-shadow:0 12px 32px rgba(0,0,0,.24);pointer-events:auto;animation:uf-in .18s ease-out}',
        '.head{display:flex;align-items:center;gap:4px}.head h2{flex:1;padding:0}',
        '.icon{width:32px;height:32px;padding:0;border:0;background:none;color:var(--mu);font-size:18px}',
        '.bar{height:6px;border-radius:3px;background:var(--bd);overflow:hidden;margin-top:8px}',
        '.bar>span{display:block;height:100%;background:var(--a);transition:width .3s}',
        '.summary{margin:4px 0 0;color:var(--mu);font-size:.9em}',
        'ul{list-style:none;margin:8px 0 0;padding:0}',
        'li{display:flex;gap:8px;align-items:baseline;padding:6px 0}',
        'li>button{flex:1;display:flex;gap:8px;text-align:start;border:0;padding:0;background:none;'
        'color:var(--a);text-decoration:underline}',
        '.done{color:var(--mu);text-decoration:line-through}',
        # An inline banner's host is in the page's flow, full width (see surfaces.py).
        ':host([data-userflow-banner]){position:relative!important;'
        'width:auto!important;height:auto!important;pointer-events:auto!important;z-index:auto!important}',
        '.banner{position:fixed;left:0;right:0;display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;'
        'padding:10px 16px;background:var(--a);color:var(--at);pointer-events:auto;'
        'box-shadow:0 2px 8px rgba(0,0,0,.18)}',
        '.banner.top{top:0}.banner.bottom{bottom:0}.banner.inline{position:relative;box-shadow:none}',
        '.banner>.body{flex:1}.banner p{margin:0}.banner a{color:inherit}',
        '.banner .actions{margin:0}.banner button{border-color:var(--at);background:none;color:inherit}',
        '.banner .primary{background:var(--at);color:var(--a)}.banner .icon{color:inherit}',
        '.launcher{position:fixed;top:0;left:0;width:24px;height:24px;padding:0;border:0;border-radius:50%;'
        'background:var(--a);color:var(--at);font-weight:700;font-size:13px;pointer-events:auto;'
        'box-shadow:0 0 0 3px var(--bg)}',
        '.launcher.beacon::after{content:"";position:absolute;inset:0;border-radius:50%;'
        'border:3px solid var(--a);animation:uf-pulse 1.6s ease-out infinite}',
        '.rc-button{position:fixed;right:16px;bottom:16px;width:52px;height:52px;padding:0;border:0;'
        'border-radius:50%;background:var(--a);color:var(--at);font-size:24px;font-weight:700;'
        'pointer-events:auto;box-shadow:0 6px 18px rgba(0,0,0,.28)}',
        '.count{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;'
        'background:#dc2626;color:#fff;font-size:12px;line-height:20px;padding:0 5px}',
        '.with-center .dock{bottom:80px}.center-open .dock{display:none}',
        '.rc{position:fixed;right:16px;bottom:80px;width:var(--uf-checklist-width,320px);'
        'max-width:calc(100vw - 32px);max-height:calc(100vh - 112px);overflow:auto;background:var(--bg);'
        'border-radius:var(--r);padding:14px 16px;box-shadow:0 12px 32px rgba(0,0,0,.24);'
        'pointer-events:auto;animation:uf-in .18s ease-out}',
        '.search{display:block;width:100%;font:inherit;margin-top:8px;padding:7px 10px;color:var(--fg);'
        'background:var(--bg);border:1px solid var(--bd);border-radius:6px}',
        '.rc-items>li{display:block;padding:6px 0;border-top:1px solid var(--bd)}',
        '.rc-items>li:first-child{border-top:0}.rc-items>li[hidden]{display:none}',
        '.rc-items>li>button{width:100%;text-align:start}',
        '.rc .checklist{box-shadow:none;padding:0;animation:none}',
    ]
)
