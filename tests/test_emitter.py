"""The listeners' registry (emitter.py): a closed set of events, listeners that may throw."""

from userflow.pure.emitter import Emitter


def test_emitter_knows_a_closed_set_of_events_and_survives_a_throwing_listener():
    emitter, seen, failures = Emitter(), [], []
    assert emitter.on('constructor', print).startswith('unknown event "constructor"')
    assert emitter.on('error', 'not a function') == 'listener for "error" must be a function'

    def boom(payload):
        raise RuntimeError('listener bug')

    def record(payload):
        seen.append(payload)

    emitter.on('error', boom)
    emitter.on('error', record)
    emitter.on('error', record)  # the same listener twice is added once
    emitter.emit('error', 1, failures.append)
    emitter.off('error', record)
    emitter.emit('error', 2, failures.append)
    assert seen == [1] and failures == ['error', 'error']
