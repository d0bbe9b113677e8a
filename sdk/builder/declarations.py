"""What the build renders from the public API's lists (py_src/userflow/pure/api.py): the loader's
stub methods and the TypeScript declarations of `Userflow`. The set of methods lives in api.py
only; this module holds what api.py cannot carry into the core without weighing it down: each
method's TypeScript signature and, for the synchronous ones, what the stub answers before the
core has loaded. The build fails when the two disagree."""

from sdk.errors import RenderError

# name -> (parameters, documentation line or None); the result type follows from the api list.
SIGNATURES = {
    'init': '(token: string, options?: InitOptions)',
    'setServerEndpoint': '(url: string)',
    'identify': '(userId: string | number, attributes?: Attributes, options?: IdentifyOptions)',
    'identifyAnonymous': '(attributes?: Attributes)',
    'updateUser': '(attributes: Attributes)',
    'group': '(groupId: string | number, attributes?: Attributes, options?: GroupOptions)',
    'updateGroup': '(attributes: Attributes)',
    'track': '(name: string, attributes?: Attributes)',
    'start': '(flowId: string, options?: StartOptions)',
    'endAll': '()',
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
}
DOCS = {
    'getEgressLog': 'Every request sent; `dropped` counts the events let go, `droppedBy` by reason.',
}
# The synchronous methods: their result type, and the loader's code for what its stub answers
# before the core loads (2: whether an identify call was made since the last reset; 3: []).
SYNC = {
    'isIdentified': ('boolean', 2),
    'getEgressLog': (
        'EgressRecord[] & { dropped: number; droppedBy: { full: number; refused: number; purged: number } }',
        3,
    ),
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


def loader_values(api: dict) -> dict:
    """The loader template's method lists."""
    check(api)
    return {
        'promise_methods': api['PROMISE_METHODS'],
        'void_methods': api['VOID_METHODS'],
        'sync_methods': [(name, SYNC[name][1]) for name in api['SYNC_METHODS']],
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
