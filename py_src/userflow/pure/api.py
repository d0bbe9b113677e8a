"""The public API surface (SPEC §5): Userflow.js 2.14's methods, plus this SDK's own.

The build renders the loader's stub and the TypeScript declarations from these lists (with each
method's signature from sdk/builder/declarations.py, which must name exactly these methods); the
core answers every name through one dispatcher (browser/main.py), so they cannot drift apart.
"""

# fmt: off
# Methods whose result is a promise (the stub returns one before the core has loaded).
PROMISE_METHODS = [
    'load', 'identify', 'identifyAnonymous', 'updateUser', 'group', 'updateGroup', 'track',
    'start', 'startFlow', 'startWalk', 'endAll', 'endAllFlows', 'endChecklist', 'reset',
    'loadContent', 'debugger',
]
# Methods with no result: queued before load, replayed in order.
VOID_METHODS = [
    'init', 'setServerEndpoint', 'setPageTrackingDisabled', 'setUrlFilter', 'on', 'off',
    'setBaseZIndex', 'setCustomNavigate', 'remount', 'openResourceCenter', 'closeResourceCenter',
    'toggleResourceCenter', 'setResourceCenterLauncherHidden', 'setCustomInputSelector',
    'registerCustomInput', 'setLinkUrlDecorator', 'setScrollPadding', 'setCustomScrollIntoView',
    'setShadowDomEnabled', 'setInferenceAttributeNames', 'setInferenceAttributeFilter',
    'setInferenceClassNameFilter', 'prepareAudio', 'disableEvalJs', '_setTargetEnv',
]
# Methods answered synchronously (the stub answers them itself before load).
SYNC_METHODS = ['isIdentified', 'getEgressLog', 'getResourceCenterState']
# Accepted for Userflow.js compatibility and inert here (README: Migrating from Userflow.js):
# there is no audio, no eval, and element descriptions use no inference settings.
INERT_METHODS = [
    'prepareAudio', 'disableEvalJs', '_setTargetEnv', 'setInferenceAttributeNames',
    'setInferenceAttributeFilter', 'setInferenceClassNameFilter',
]
# fmt: on


def all_methods():
    names = list(PROMISE_METHODS)
    names.extend(VOID_METHODS)
    names.extend(SYNC_METHODS)
    return names
