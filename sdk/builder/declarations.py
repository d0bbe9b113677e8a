"""What the build renders from the public API's lists (py_src/userflow/pure/api.py): the loader's
stub methods and the TypeScript declarations of `Userflow`. The set of methods lives in api.py
only; this module holds what api.py cannot carry into the core without weighing it down: each
method's TypeScript signature and, for the synchronous ones, what the stub answers before the
core has loaded. The build fails when the two disagree."""

from sdk.errors import RenderError

# name -> (parameters, documentation line or None); the result type follows from the api list.
SIGNATURES = {
    'load': '()',
    'init': '(token: string, options?: InitOptions)',
    'setServerEndpoint': '(url: string)',
    'identify': '(userId: string | number, attributes?: Attributes, options?: IdentifyOptions)',
    'identifyAnonymous': '(attributes?: Attributes, options?: IdentifyOptions)',
    'updateUser': '(attributes: Attributes, options?: IdentifyOptions)',
    'group': '(groupId: string | number, attributes?: Attributes, options?: GroupOptions)',
    'updateGroup': '(attributes: Attributes, options?: GroupOptions)',
    'track': '(name: string, attributes?: EventAttributes, options?: TrackOptions)',
    'start': '(flowId: string, options?: StartOptions)',
    'startFlow': '(flowId: string, options?: StartOptions)',
    'startWalk': '(flowId: string, options?: StartOptions)',
    'endAll': '()',
    'endAllFlows': '()',
    'endChecklist': '()',
    'reset': '()',
    'isIdentified': '()',
    'setPageTrackingDisabled': '(disabled: boolean)',
    'setUrlFilter': '(filter: ((url: string) => string | null) | null)',
    'loadContent': '(content: object | string)',
    'on': '<E extends UserflowEvent>(event: E, listener: (payload: UserflowEventPayloads[E]) => void)',
    'off': '<E extends UserflowEvent>(event: E, listener: (payload: UserflowEventPayloads[E]) => void)',
    'setBaseZIndex': '(zIndex: number)',
    'setCustomNavigate': '(navigate: ((url: string) => void) | null)',
    'remount': '()',
    'getEgressLog': '()',
    'debugger': '()',
    'openResourceCenter': '()',
    'closeResourceCenter': '()',
    'toggleResourceCenter': '()',
    'setResourceCenterLauncherHidden': '(hidden: boolean)',
    'getResourceCenterState': '()',
    'setCustomInputSelector': '(selector: string | null)',
    'registerCustomInput': '(selector: string, getValue?: (element: Element) => string)',
    'setLinkUrlDecorator': '(decorate: ((url: string) => string) | null)',
    'setScrollPadding': '(padding: ScrollPadding | null)',
    'setCustomScrollIntoView': '(scrollIntoView: ((element: Element) => void) | null)',
    'setShadowDomEnabled': '(enabled: boolean)',
    'setInferenceAttributeNames': '(names: string[])',
    'setInferenceAttributeFilter': '(name: string, filters: StringFilters)',
    'setInferenceClassNameFilter': '(filters: StringFilters)',
    'prepareAudio': '()',
    'disableEvalJs': '()',
    '_setTargetEnv': '(targetEnv: unknown)',
}
_INERT = 'Accepted for Userflow.js compatibility; does nothing here (README: Migrating from Userflow.js).'
DOCS = {
    'load': 'Resolves when the core has loaded (at once when it has).',
    'getEgressLog': 'Every request sent; `dropped` counts the events let go, `droppedBy` by reason.',
    'startFlow': '@deprecated Use `start`.',
    'startWalk': '@deprecated Use `start`.',
    'endAllFlows': '@deprecated Use `endAll`.',
    'debugger': 'A local panel: every flow, checklist and condition with its current value; nothing is sent.',
    'getResourceCenterState': 'null: the content has no resource center.',
    'setShadowDomEnabled': 'Conditions also look inside open shadow roots (init option `searchShadowRoots`).',
    **{name: _INERT for name in ['prepareAudio', 'disableEvalJs', '_setTargetEnv']},
    **{
        f'setInference{what}': 'Accepted for Userflow.js compatibility; no element descriptions are inferred.'
        for what in ['AttributeNames', 'AttributeFilter', 'ClassNameFilter']
    },
}
# The synchronous methods: their result type, and the loader's code for what its stub answers
# before the core loads (2: whether an identify call was made since the last reset; 3: []; 4: null).
SYNC = {
    'isIdentified': ('boolean', 2),
    'getEgressLog': (
        'EgressRecord[] & { dropped: number; droppedBy: { full: number; refused: number; purged: number } }',
        3,
    ),
    'getResourceCenterState': ('ResourceCenterState | null', 4),
}


def check(api: dict) -> None:
    names = [*api['PROMISE_METHODS'], *api['VOID_METHODS'], *api['SYNC_METHODS']]
    missing = [n for n in names if n not in SIGNATURES] + [n for n in api['SYNC_METHODS'] if n not in SYNC]
    extra = [n for n in SIGNATURES if n not in names] + [n for n in SYNC if n not in api['SYNC_METHODS']]
    if missing or extra:
        raise RenderError(
            f'api.py and sdk/builder/declarations.py disagree: no signature for {missing}, '
            f'no such method {extra}'
        )


# The endpoints and tokens for which the loader starts the content request itself on init (one
# round trip sooner): only those the core accepts unchanged (pure/urls.py check_endpoint returns
# the same text; pure/config.py valid_token), so the request is the one the core would make.
# Written for JavaScript and Python's re.ASCII alike; tests/test_early.py holds the two together.
EARLY_ENDPOINT = r'^(https:\/\/[a-z\d.-]+|http:\/\/(localhost|127\.0\.0\.1))(:\d{1,5})?(\/[\w.~-]+)*$'
EARLY_TOKEN = r'^[\w-]{1,128}$'


def loader_values(api: dict) -> dict:
    """The loader template's method lists and early-request patterns."""
    check(api)
    return {
        'promise_methods': api['PROMISE_METHODS'],
        'void_methods': api['VOID_METHODS'],
        'sync_methods': [(name, SYNC[name][1]) for name in api['SYNC_METHODS']],
        'early_endpoint': EARLY_ENDPOINT,
        'early_token': EARLY_TOKEN,
    }


def interface_lines(api: dict) -> list[str]:
    """The members of `interface Userflow`, in api.py's order."""
    check(api)
    lines = []
    for kind, result in (
        ('PROMISE_METHODS', 'Promise<void>'),
        ('VOID_METHODS', 'void'),
        ('SYNC_METHODS', None),
    ):
        for name in api[kind]:
            if name in DOCS:
                lines.append(f'/** {DOCS[name]} */')
            lines.append(f'{name}{SIGNATURES[name]}: {result or SYNC[name][0]};')
    return lines
