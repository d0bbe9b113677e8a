"""The UI's stylesheet, adopted by its shadow root as a constructable stylesheet (no `<style>`
element, so no `unsafe-inline`). `:host` resets everything with `!important`, which in the
shadow cascade beats even `!important` host rules like `* { display: none !important }`.

Theming: the host page sets these custom properties (they inherit through the shadow
boundary), e.g. `userflow-ui { --uf-accent: #7c3aed }`:
--uf-accent, --uf-accent-text, --uf-background, --uf-text, --uf-muted, --uf-border,
--uf-focus, --uf-backdrop, --uf-radius, --uf-font, --uf-font-size, --uf-width,
--uf-modal-width, --uf-checklist-width (also the resource center's width).
"""

CSS = ''.join(
    [
        ':host{all:initial!important;display:block!important;position:fixed!important;top:0!important;'
        'left:0!important;width:0!important;height:0!important;overflow:visible!important;'
        'transform:none!important;filter:none!important;contain:none!important;'
        'visibility:visible!important;opacity:1!important;pointer-events:none!important;z-index:var(--uf-z)!important;'
        '--a:var(--uf-accent,#2563eb);--at:var(--uf-accent-text,#fff);--bg:var(--uf-background,#fff);'
        '--fg:var(--uf-text,#1f2937);--mu:var(--uf-muted,#4b5563);--bd:var(--uf-border,#d1d5db);'
        '--fo:var(--uf-focus,#b45309);--r:var(--uf-radius,10px)}',
        '*{box-sizing:border-box}',
        '.layer{position:fixed;top:0;left:0;pointer-events:none;color:var(--fg)}',
        '.layer,.banner{text-align:start;font:var(--uf-font-size,14px)/1.5 '
        'var(--uf-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif)}',
        '.backdrop{position:fixed;inset:0;background:var(--uf-backdrop,rgba(17,24,39,.55));'
        'pointer-events:auto;animation:uf-in .2s ease-out}',
        '.card{position:fixed;top:0;left:0;width:var(--uf-width,320px);max-width:calc(100vw - 16px);'
        'background:var(--bg);color:var(--fg);border-radius:var(--r);padding:18px 20px 16px;'
        'box-shadow:0 12px 32px rgba(0,0,0,.24),0 2px 6px rgba(0,0,0,.12);pointer-events:auto;'
        'animation:uf-in .18s ease-out}',
        '.card:focus{outline:none}',
        '.card:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--fo);'
        'outline-offset:2px}',
        '.modal{top:50%;left:50%;transform:translate(-50%,-50%);width:var(--uf-modal-width,440px);'
        'max-width:calc(100vw - 32px);max-height:calc(100vh - 32px);overflow:auto;padding:24px}',
        '.away{opacity:0;pointer-events:none}',  # not visibility: that would drop the focus
        # The spotlight and progress: the extras chunk's stylesheet (extras/main.py)
        '.arrow{position:absolute;width:12px;height:12px;background:var(--bg);transform:rotate(45deg)}',
        '[data-side=bottom]>.arrow{top:-6px}[data-side=top]>.arrow{bottom:-6px}',
        '[data-side=right]>.arrow{left:-6px}[data-side=left]>.arrow{right:-6px}',
        'h2{margin:0;padding-inline-end:28px;font-size:1.15em;font-weight:600;line-height:1.35}',
        'p{margin:6px 0 0;white-space:pre-line;overflow-wrap:anywhere}',
        'a{color:var(--a);text-decoration:underline}',
        'button{font:inherit;line-height:1.2;cursor:pointer;margin:0;border-radius:6px;padding:8px 14px;'
        'border:1px solid var(--bd);background:var(--bg);color:var(--fg)}',
        '.actions{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:8px;margin-top:16px}',
        '.primary{background:var(--a);border-color:var(--a);color:var(--at)}',
        '.close{position:absolute;top:8px;inset-inline-end:8px;width:32px;height:32px;padding:0;'
        'border:0;background:none;color:var(--mu);font-size:20px}',
        '.beacon{position:fixed;top:0;left:0;width:24px;height:24px;padding:0;border:0;border-radius:50%;'
        'background:var(--a);pointer-events:auto;box-shadow:0 0 0 3px var(--bg)}',
        '.beacon::after{content:"";position:absolute;inset:0;border-radius:50%;border:3px solid var(--a);'
        'animation:uf-pulse 1.6s ease-out infinite}',
        # Bodies (images, lists and code: the richtext chunk's stylesheet, richtext/main.py)
        '.body p:first-child{margin-top:0}.card>.body{margin-top:6px}',
        '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}',
        '@keyframes uf-in{from{opacity:0}}',
        '@keyframes uf-pulse{from{transform:scale(1);opacity:.9}to{transform:scale(2.4);opacity:0}}',
        '@media (prefers-reduced-motion:reduce)'
        '{*,::after{animation:none!important;transition:none!important}}',
    ]
)
