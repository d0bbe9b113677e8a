"""The flow runtime as a state machine: unit tests, and a hypothesis state machine against a
simple model."""

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from userflow.pure.content import validate
from userflow.pure.flows import FlowRuntime

TRUE = {'event': 'yes'}
CONTENT = validate(
    {
        'version': 1,
        'flows': [
            {
                'id': 'a',
                'autoStart': {'when': TRUE},
                'steps': [
                    {'id': 'a1', 'type': 'modal', 'triggers': [{'when': TRUE, 'action': {'next': True}}]},
                    {'id': 'a2', 'type': 'hidden'},
                    {'id': 'a3', 'type': 'modal'},
                ],
            },
            {'id': 'b', 'steps': [{'id': 'b1', 'type': 'modal'}]},
            {'id': 'c', 'autoStart': {'when': TRUE, 'once': False}, 'steps': [{'id': 'c1', 'type': 'modal'}]},
        ],
        'checklists': [
            {
                'id': 'k',
                'tasks': [{'id': 't1', 'title': 'one', 'completeWhen': TRUE}, {'id': 't2', 'title': 'two'}],
            }
        ],
    }
)
assert CONTENT['errors'] == []


def runtime(state=None):
    r = FlowRuntime(state)
    r.load(CONTENT['flows'], CONTENT['checklists'])
    return r


def kinds(effects):
    return [(e['kind'], e.get('flow'), e.get('step')) for e in effects]


def test_auto_start_then_trigger_advances_one_step_per_evaluation():
    r = runtime()
    assert kinds(r.evaluate(lambda c: True))[:2] == [('started', 'a', 'a1'), ('step', 'a', 'a1')]
    assert kinds(r.evaluate(lambda c: True))[:1] == [('step', 'a', 'a2')]
    assert r.current()['step']['id'] == 'a2'


def test_next_on_the_last_step_completes_and_once_flows_do_not_restart():
    r = runtime()
    r.start('a', False)
    r.act({'goto': 'a3'})
    assert kinds(r.act({'next': True})) == [('ended', 'a', 'a3')]
    assert r.state['completed'] == ['a'] and r.current() is None
    assert r.start('a', True) == []
    assert kinds(r.evaluate(lambda c: c == TRUE))[:1] == [('started', 'c', 'c1')]


def test_auto_start_without_once_waits_for_the_next_page_view():
    r = runtime({'active': None, 'seen': ['a'], 'completed': [], 'tasks': [], 'closed': ['k']})
    r.evaluate(lambda c: True)
    r.act({'end': True})
    assert r.evaluate(lambda c: True) == []
    r.page_changed()
    assert kinds(r.evaluate(lambda c: True))[0] == ('started', 'c', 'c1')


def test_starting_another_flow_dismisses_the_active_one():
    r = runtime()
    r.start('a', False)
    effects = r.act({'startFlow': 'b'})
    assert [(e['kind'], e.get('completed')) for e in effects][:2] == [('ended', False), ('started', None)]
    assert r.current()['flow']['id'] == 'b'


def test_checklist_tasks_complete_on_their_conditions():
    r = runtime(
        {'active': {'flow': 'b', 'step': 'b1'}, 'seen': ['b'], 'completed': [], 'tasks': [], 'closed': []}
    )
    assert kinds(r.evaluate(lambda c: True)) == [('task', None, None)]
    assert r.done('k', 't1') and not r.done('k', 't2') and r.open_checklists() != []
    assert kinds(r.end_all()) == [('ended', 'b', 'b1'), ('checklistEnded', None, None)]
    assert r.open_checklists() == []


def test_tasks_are_tested_apart_or_skipped_when_the_binding_says_so():
    """`task_test` tests the tasks alone (the browser notes what they read); False skips them
    (nothing they read changed), while triggers and autoStarts are still tested."""
    r = runtime({'active': None, 'seen': [], 'completed': [], 'tasks': [], 'closed': []})
    asked = []
    effects = r.evaluate(lambda c: False, lambda c: asked.append(c) or True)
    assert asked == [TRUE] and kinds(effects) == [('task', None, None)] and r.done('k', 't1')
    r = runtime({'active': None, 'seen': [], 'completed': [], 'tasks': [], 'closed': []})
    assert kinds(r.evaluate(lambda c: True, False))[:1] == [('started', 'a', 'a1')]
    assert not r.done('k', 't1')


def test_state_for_removed_content_is_dropped():
    r = runtime(
        {'active': {'flow': 'gone', 'step': 'x'}, 'seen': [], 'completed': [], 'tasks': [], 'closed': []}
    )
    assert r.current() is None and r.state['active'] is None


class FlowModel(RuleBasedStateMachine):
    """The model: which flow and step index is active, what was seen and completed."""

    def __init__(self):
        super().__init__()
        self.r = runtime()
        self.active = None  # (flow id, step index)
        self.seen, self.completed = set(), set()
        self.steps = {f['id']: [s['id'] for s in f['steps']] for f in CONTENT['flows']}

    @rule(flow=st.sampled_from(['a', 'b', 'c', 'nope']), once=st.booleans())
    def start(self, flow, once):
        self.r.start(flow, once)
        if flow in self.steps and not (once and flow in self.seen):
            self.active = (flow, 0)
            self.seen.add(flow)

    @rule()
    def next(self):
        self.r.act({'next': True})
        if self.active:
            flow, index = self.active
            if index + 1 < len(self.steps[flow]):
                self.active = (flow, index + 1)
            else:
                self.completed.add(flow)
                self.active = None

    @rule(complete=st.booleans())
    def finish(self, complete):
        self.r.act({'complete': True} if complete else {'end': True})
        if self.active and complete:
            self.completed.add(self.active[0])
        self.active = None

    @rule(step=st.sampled_from(['a1', 'a2', 'a3', 'b1', 'c1']))
    def goto(self, step):
        if self.active and step in self.steps[self.active[0]]:
            self.r.act({'goto': step})
            self.active = (self.active[0], self.steps[self.active[0]].index(step))

    @rule()
    def end_all(self):
        self.r.end_all()
        self.active = None

    @invariant()
    def agrees_with_the_model(self):
        here = self.r.current()
        if self.active is None:
            assert here is None
        else:
            assert (here['flow']['id'], here['step']['id']) == (
                self.active[0],
                self.steps[self.active[0]][self.active[1]],
            )
        assert set(self.r.state['seen']) == self.seen
        assert set(self.r.state['completed']) == self.completed
        for flow in ('a', 'b', 'c'):
            assert self.r.flow_state(flow, 'active') == (self.active is not None and self.active[0] == flow)


TestFlowModel = FlowModel.TestCase


def test_status_says_why_a_flow_is_or_is_not_showing():
    r = runtime()
    assert r.status('b') == 'not started; starts only from start() or a button'
    assert r.status('a') == 'not started; starts when its condition holds'
    r.start('b', False)
    assert r.status('b') == 'active, at step b1'
    assert r.status('a') == 'not started; waits: flow b is active'
    r.act({'end': True})
    assert r.status('b') == 'seen; starts only from start() or a button'
    r.start('a', False)
    r.act({'goto': 'a3'})
    r.act({'next': True})
    assert r.status('a') == 'completed; starts automatically once, and has been seen'
    r.start('c', False)
    r.act({'end': True})
    assert r.status('c') == 'seen; ended on this page; may start again after navigation'


SURFACES = validate(
    {
        'version': 1,
        'flows': [{'id': 'f', 'steps': [{'id': 's', 'type': 'modal'}]}],
        'checklists': [
            {
                'id': 'k',
                'tasks': [{'id': 't1', 'title': 'one', 'completeWhen': TRUE}, {'id': 't2', 'title': 'two'}],
            }
        ],
        'launchers': [
            {'id': 'l1', 'target': {'selector': '#a'}, 'when': TRUE},
            {'id': 'l2', 'target': {'selector': '#b'}},
        ],
        'banners': [{'id': 'b1', 'body': 'Hi', 'when': {'event': 'no'}}],
        'resourceCenter': {'items': [{'flow': 'f'}, {'checklist': 'k'}], 'when': TRUE},
    }
)
assert SURFACES['errors'] == []


def test_launchers_banners_and_the_center_show_while_their_condition_holds():
    r = FlowRuntime(None)
    r.load(SURFACES['flows'], SURFACES['checklists'], SURFACES)
    assert r.center_state() == {
        'isOpen': False,
        'hasChecklist': True,
        'uncompletedChecklistTaskCount': 2,
        'unreadAnnouncementCount': 0,
    }
    assert r.open_center(True) == []  # not shown yet: no evaluation has said so
    r.evaluate(lambda c: c == TRUE)
    assert [x['id'] for x in r.showing['launchers']] == ['l1', 'l2']
    assert r.showing['banners'] == [] and r.showing['center'] is True
    assert r.center_state()['uncompletedChecklistTaskCount'] == 1  # t1 completed by the evaluation
    assert r.open_center(None) == [{'kind': 'center', 'open': True}] and r.center_open
    assert r.open_center(True) == []
    r.evaluate(lambda c: False)
    assert r.showing['center'] is False and r.center_open is False  # closes when it stops showing
    assert [x['id'] for x in r.showing['launchers']] == ['l2']
    r.evaluate(lambda c: True)
    assert [x['id'] for x in r.showing['banners']] == ['b1']


def test_a_dismissed_launcher_or_banner_stays_dismissed_across_loads():
    r = FlowRuntime(None)
    r.load(SURFACES['flows'], SURFACES['checklists'], SURFACES)
    r.evaluate(lambda c: True)
    assert r.dismiss('banner:b1') == [{'kind': 'dismissed', 'surface': 'banner:b1'}]
    assert r.dismiss('banner:b1') == [] and r.showing['banners'] == []
    assert r.dismiss('launcher:l2') != [] and [x['id'] for x in r.showing['launchers']] == ['l1']
    again = FlowRuntime(r.state)
    again.load(SURFACES['flows'], SURFACES['checklists'], SURFACES)
    again.evaluate(lambda c: True)
    assert again.showing['banners'] == [] and [x['id'] for x in again.showing['launchers']] == ['l1']
    assert again.state['dismissed'] == ['banner:b1', 'launcher:l2']
