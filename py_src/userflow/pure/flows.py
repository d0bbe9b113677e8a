"""The flow runtime: a state machine over validated content, with no browser in sight.

State (persisted as JSON under `uf:flows`): the active flow and step, the flows seen and
completed, the checklist tasks done and the checklists closed. Every operation returns a list
of effects for the binding to carry out, in order:

    {'kind': 'started', 'flow', 'step'}      a flow began (its first step follows)
    {'kind': 'step', 'flow', 'step'}         a step is now current
    {'kind': 'ended', 'flow', 'step', 'completed'}
    {'kind': 'navigate', 'url'}
    {'kind': 'task', 'checklist', 'task'}    a checklist task is done
    {'kind': 'checklistEnded', 'checklist', 'completed'}
    {'kind': 'dismissed', 'surface'}         a launcher or banner the user dismissed for good
    {'kind': 'center', 'open'}               the resource center opened or closed

Launchers, banners and the resource center (content.py) are shown while their `when` holds:
`evaluate` keeps `showing` ({'launchers': [...], 'banners': [...], 'center': bool}) current.

`evaluate(test)` is the reactive part: `test(condition)` says whether a condition holds now.
"""

from userflow.pure.values import has_key, map_get, new_map


def blank_state():
    return {'active': None, 'seen': [], 'completed': [], 'tasks': [], 'closed': [], 'dismissed': []}


def _has(items, item):
    for x in items:
        if x == item:
            return True
    return False


def _find(items, item_id):
    for item in items:
        if item['id'] == item_id:
            return item
    return None


def _task_key(checklist_id, task_id):
    """How a done task is listed in the state's `tasks`."""
    return checklist_id + '\n' + task_id


def _index(steps, step_id):
    for i in range(len(steps)):
        if steps[i]['id'] == step_id:
            return i
    return -1


class FlowRuntime:
    def __init__(self, state):
        self.flows = []
        self.checklists = []
        self.state = state if state is not None else blank_state()
        self.ended_here = []  # flows ended on this page view: autoStart without once waits
        self.launchers = []
        self.banners = []
        self.center = None  # the resource center's content
        self.center_open = False
        self.showing = {'launchers': [], 'banners': [], 'center': False}

    def load(self, flows, checklists, surfaces=None):
        """New content; an active flow or step that no longer exists is dropped silently.
        `surfaces`: {'launchers', 'banners', 'resourceCenter'} of content.validate, if any."""
        self.flows = flows
        self.checklists = checklists
        if surfaces is not None:
            self.launchers = surfaces['launchers']
            self.banners = surfaces['banners']
            self.center = surfaces['resourceCenter']
        if self.center is None:
            self.center_open = False
        self.current()

    def current(self):
        """{'flow': flow, 'step': step} for the active step, or None."""
        active = self.state['active']
        if active is None:
            return None
        found = _find(self.flows, active['flow'])
        index = -1 if found is None else _index(found['steps'], active['step'])
        if index < 0:
            if len(self.flows) > 0:
                self.state['active'] = None
            return None
        return {'flow': found, 'step': found['steps'][index]}

    def start(self, flow_id, once):
        found = _find(self.flows, flow_id)
        if found is None or (once and _has(self.state['seen'], flow_id)):
            return []
        effects = self._end(False)
        first = found['steps'][0]['id']
        self.state['active'] = {'flow': flow_id, 'step': first}
        if not _has(self.state['seen'], flow_id):
            self.state['seen'].append(flow_id)
        effects.append({'kind': 'started', 'flow': flow_id, 'step': first})
        effects.append({'kind': 'step', 'flow': flow_id, 'step': first})
        return effects

    def act(self, action):
        """Run a button or trigger action on the active flow."""
        here = self.current()
        if map_get(action, 'startFlow') is not None:
            return self.start(action['startFlow'], False)
        if map_get(action, 'navigate') is not None:
            return [{'kind': 'navigate', 'url': action['navigate']}]
        if here is None:
            return []
        steps = here['flow']['steps']
        if map_get(action, 'end') is not None:
            return self._end(False)
        if map_get(action, 'complete') is not None:
            return self._end(True)
        target = map_get(action, 'goto')
        if target is None:  # next
            index = _index(steps, here['step']['id']) + 1
            if index >= len(steps):
                return self._end(True)
            target = steps[index]['id']
        self.state['active'] = {'flow': here['flow']['id'], 'step': target}
        return [{'kind': 'step', 'flow': here['flow']['id'], 'step': target}]

    def _end(self, completed):
        here = self.current()
        if here is None:
            return []
        flow_id = here['flow']['id']
        self.state['active'] = None
        self.ended_here.append(flow_id)
        if completed and not _has(self.state['completed'], flow_id):
            self.state['completed'].append(flow_id)
        return [{'kind': 'ended', 'flow': flow_id, 'step': here['step']['id'], 'completed': completed}]

    def end_all(self):
        effects = self._end(False)
        for checklist in self.checklists:
            effects.extend(self.close_checklist(checklist['id']))
        return effects

    def close_checklist(self, checklist_id):
        """The user dismissed an open checklist (it stays closed, incomplete)."""
        if _find(self.checklists, checklist_id) is None or _has(self.state['closed'], checklist_id):
            return []
        self.state['closed'].append(checklist_id)
        return [{'kind': 'checklistEnded', 'checklist': checklist_id, 'completed': False}]

    def page_changed(self):
        self.ended_here = []

    def evaluate(self, test, task_test=None):
        """One reactive pass: at most one trigger of the active step, else an autoStart; then
        the checklist tasks, tested with `task_test` if given (False: skipped, the caller knows
        that no task's answer can differ from the last pass's); then what surfaces show."""
        effects = []
        here = self.current()
        if here is not None:
            for trigger in map_get(here['step'], 'triggers') or []:
                if test(trigger['when']):
                    effects = self.act(trigger['action'])
                    break
        elif len(self.flows) > 0:
            for f in self.flows:
                auto = map_get(f, 'autoStart')
                if auto is None or _has(self.ended_here, f['id']):
                    continue
                once = map_get(auto, 'once') is not False
                if once and _has(self.state['seen'], f['id']):
                    continue
                if test(auto['when']):
                    effects = self.start(f['id'], False)
                    break
        if task_test is not False:
            effects.extend(self._tasks(test if task_test is None else task_test))
        self._surfaces(test)
        return effects

    def _surfaces(self, test):
        def shown(item, key):
            if _has(self.state['dismissed'], key):
                return False
            return map_get(item, 'when') is None or test(item['when'])

        self.showing = {
            'launchers': [x for x in self.launchers if shown(x, 'launcher:' + x['id'])],
            'banners': [x for x in self.banners if shown(x, 'banner:' + x['id'])],
            'center': self.center is not None and shown(self.center, 'center'),
        }
        if not self.showing['center'] and self.center_open:
            self.center_open = False

    def dismiss(self, surface):
        """The user dismissed a launcher ('launcher:<id>') or banner ('banner:<id>') for good."""
        if _has(self.state['dismissed'], surface):
            return []
        self.state['dismissed'].append(surface)
        parts = surface.split(':', 1)
        key = 'launchers' if parts[0] == 'launcher' else 'banners'
        self.showing[key] = [x for x in self.showing[key] if x['id'] != parts[1]]
        return [{'kind': 'dismissed', 'surface': surface}]

    def open_center(self, open_it):
        """Open (True), close (False) or toggle (None) the resource center, if it shows."""
        wanted = not self.center_open if open_it is None else open_it
        wanted = wanted and self.showing['center']
        if wanted == self.center_open:
            return []
        self.center_open = wanted
        return [{'kind': 'center', 'open': wanted}]

    def center_state(self):
        """Userflow.js's ResourceCenterState, or None when there is no resource center."""
        if self.center is None:
            return None
        left = 0
        has = False
        for item in self.center['items']:
            found = _find(self.checklists, map_get(item, 'checklist'))
            if found is not None:
                has = True
                left += len([t for t in found['tasks'] if not self.done(found['id'], t['id'])])
        return {
            'isOpen': self.center_open,
            'hasChecklist': has,
            'uncompletedChecklistTaskCount': left,
            'unreadAnnouncementCount': 0,
        }

    def status(self, flow_id):
        """Why the flow is or is not showing, in words (the debugger shows it)."""
        active = self.state['active']
        if active is not None and active['flow'] == flow_id:
            return 'active, at step ' + active['step']
        seen = 'completed' if _has(self.state['completed'], flow_id) else 'not started'
        if seen == 'not started' and _has(self.state['seen'], flow_id):
            seen = 'seen'
        auto = map_get(_find(self.flows, flow_id) or {}, 'autoStart')
        if auto is None:
            why = 'starts only from start() or a button'
        elif map_get(auto, 'once') is not False and seen != 'not started':
            why = 'starts automatically once, and has been seen'
        elif _has(self.ended_here, flow_id):
            why = 'ended on this page; may start again after navigation'
        elif active is not None:
            why = 'waits: flow ' + active['flow'] + ' is active'
        else:
            why = 'starts when its condition holds'
        return seen + '; ' + why

    def done(self, checklist_id, task_id):
        return _has(self.state['tasks'], _task_key(checklist_id, task_id))

    def _tasks(self, test):
        effects = []
        done = new_map()  # the tasks done, looked up once each (not a scan of the list per task)
        for key in self.state['tasks']:
            done[key] = True
        for checklist in self.checklists:
            cid = checklist['id']
            if _has(self.state['closed'], cid):
                continue
            finished = True
            for task in checklist['tasks']:
                when = map_get(task, 'completeWhen')
                key = _task_key(cid, task['id'])
                complete = has_key(done, key)
                if when is not None and not complete and test(when):
                    self.state['tasks'].append(key)
                    effects.append({'kind': 'task', 'checklist': cid, 'task': task['id']})
                    complete = True
                finished = finished and complete
            if finished:
                self.state['closed'].append(cid)
                effects.append({'kind': 'checklistEnded', 'checklist': cid, 'completed': True})
        return effects

    def open_checklists(self):
        return [c for c in self.checklists if not _has(self.state['closed'], c['id'])]

    def flow_state(self, flow_id, state):
        if state == 'active':
            active = self.state['active']
            return active is not None and active['flow'] == flow_id
        return _has(self.state[state], flow_id)
