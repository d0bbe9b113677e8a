"""`on`/`off` with a closed set of event names; a throwing listener never stops the others."""

EVENTS = ['flowStarted', 'flowEnded', 'stepChanged', 'checklistEnded', 'resourceCenterChanged', 'error']


def _index(items, item):
    for i in range(len(items)):
        if items[i] is item:
            return i
    return -1


class Emitter:
    def __init__(self):
        # Names are checked against EVENTS before any lookup, so a name such as
        # 'constructor' never reaches the dict.
        self.listeners = {}
        for name in EVENTS:
            self.listeners[name] = []

    def on(self, name, fn):
        """Add a listener; returns an error message for an unknown name or a non-function."""
        if _index(EVENTS, name) < 0:
            return 'unknown event "' + str(name) + '"; expected one of ' + ', '.join(EVENTS)
        if not callable(fn):
            return 'listener for "' + name + '" must be a function'
        if _index(self.listeners[name], fn) < 0:
            self.listeners[name].append(fn)
        return None

    def off(self, name, fn):
        if _index(EVENTS, name) >= 0:
            self.listeners[name] = [f for f in self.listeners[name] if f is not fn]

    def emit(self, name, payload, report):
        """Call each listener of `name` with `payload`; `report(name)` hears each failure."""
        for fn in list(self.listeners[name]):
            try:
                fn(payload)
            except:  # noqa: E722 -- native JS errors are not Exceptions (TRANSCRYPT.md)
                report(name)

    def clear(self):
        for name in EVENTS:
            self.listeners[name] = []
