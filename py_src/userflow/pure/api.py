"""The public API surface (SPEC §5), shared by the core and the build.

The build renders the loader's stub and the TypeScript declarations from these lists (with each
method's signature from sdk/builder/declarations.py, which must name exactly these methods), and
the core exposes exactly these names, so the three cannot drift apart.
"""

# Methods whose result is a promise (the stub returns one before the core has loaded).
PROMISE_METHODS = ['identify', 'identifyAnonymous', 'updateUser', 'group', 'updateGroup',
                   'track', 'start', 'endAll', 'reset', 'loadContent']
# Methods with no result: queued before load, replayed in order.
VOID_METHODS = ['init', 'setServerEndpoint', 'setPageTrackingDisabled', 'setUrlFilter', 'on',
                'off', 'setBaseZIndex', 'setCustomNavigate', 'remount']
# Methods answered synchronously (the stub answers them itself before load).
SYNC_METHODS = ['isIdentified', 'getEgressLog']


def all_methods():
    names = list(PROMISE_METHODS)
    names.extend(VOID_METHODS)
    names.extend(SYNC_METHODS)
    return names
