"""Binding: the live page as conditions see it (the `page` of conditions.evaluate).

Everything here is read in the browser and handed to the evaluator in this realm; nothing is
stored beyond the page view. Invalid selectors match nothing and are reported once.

Incremental (issue 17): each `querySelectorAll` runs once per selector per evaluation, and the
results of element and input conditions are remembered between evaluations: `begin(raw)`
measures what changed (mutation records, input events) against the remembered selectors it may
touch (an element added with no elements inside only against those whose id or class it has),
and pure/affects.py says which results may no longer hold; only those run again. The results
asked are those of the touched selectors and the few a change touching none may affect.
"""

from userflow.browser import env
from userflow.pure.affects import remembered, stale, traits, untouched_stale
from userflow.pure.values import has_key, map_get, map_keys

MAX_RECORDS = 200  # more changes than this in one frame: everything is evaluated again

MAX_ELEMENTS = 100  # matches examined per selector
MAX_TEXT = 10000
_EVERY_SELECTOR_READS = ['disabled', 'aria-disabled', 'value']  # besides its own (affects.stale)


class LivePage:
    def __init__(self, flows):
        self.flows = flows  # the FlowRuntime, for flow conditions
        self.clicked = __new__(WeakSet())
        self.attributes = Object.create(None)
        self.shadow = False  # searchShadowRoots: open shadow roots are searched too
        self.watch = None  # called with each open shadow root searched, to observe it
        self.upgraded = None  # set by FlowHost: called when a pending custom element is defined
        self._roots = None  # the open shadow roots found (from a first walk, then the records)
        self._awaited = Object.create(None)  # custom element names whose definition is awaited
        # Custom input components (setCustomInputSelector, registerCustomInput): [selector,
        # value function or None (the text), registered] in the order they were given.
        self.custom_inputs = []
        self._memo = __new__(Map())  # leaf condition -> its remembered result
        self._found = Object.create(None)  # selector -> the elements it matched when last asked
        self._traits = Object.create(None)  # selector -> affects.traits(selector)
        self._asked = None  # in an evaluation: selector -> True once asked in it
        self.volatile = False  # in the last evaluation, a result that is never remembered was read
        self._index = _blank()  # what the remembered leaves say, kept as _memo changes (_add)
        self._quiet = Object.create(None)  # selector -> what a change touching none of it looks like
        self.watched = __new__(Set())  # remembered results whose dropping is noted in `dropped`:
        self.dropped = True  # one of them is no longer remembered (or none is watched yet)
        # While set (a Set; the checklist pass): the remembered results read are added to it,
        # and None for anything else read (a URL, an attribute, an event, a flow's state, a
        # result never remembered).
        self.reads = None

    def url(self):
        self._read(None)
        return env.host.location.href

    def search_shadow(self, shadow):
        """Search open shadow roots too (searchShadowRoots) or not; found afresh when switched on."""
        if shadow != self.shadow:
            self.shadow = shadow
            self._roots = None
            self.forget()

    def forget(self):
        """Remember nothing (new content, custom inputs, shadow root search switched)."""
        self._memo = __new__(Map())
        self._index = _blank()
        self.dropped = True

    def begin(self, raw):
        """Start an evaluation after the changes in `raw` ({'records', 'targets', 'overflow'}
        from the Observer, or None when the page did not change): drop what they may affect.
        True when they affect nothing: every element and input result the last evaluation read
        is remembered and still holds."""
        self._asked = Object.create(None)
        if raw is not None and self._roots is not None:
            if raw['overflow']:
                self._roots = None  # walked again at the next query
            elif self._found_roots(raw['records']):
                self.forget()  # what a new root holds is in no record
                return False
        if raw is None or self._memo.size == 0:
            return False
        if raw['overflow']:
            self.forget()
            return False
        index = self._index
        change = self._measure(raw, index)
        if change is None:  # too many elements to measure: anything may have changed
            self.forget()
            return False
        # Asked: the results a change touching none of their selectors may affect, and the
        # results of the selectors this one touches (affects.untouched_stale).
        leaves = Array.js_from(index['untouched'])
        for leaf in leaves:
            selector = _selector(leaf)
            if not has_key(change['selectors'], selector):
                change['selectors'][selector] = self._quiet[selector]
        for selector in change['touched']:
            leaves = leaves.concat(index['leaves'][selector])
        custom = len(self.custom_inputs) > 0
        calm = not self.volatile
        for leaf in leaves:
            if stale(leaf, change, custom) and self._memo.delete(leaf):  # False: dropped already
                listed = index['leaves'][_selector(leaf)]
                listed.splice(listed.indexOf(leaf), 1)
                index['untouched'].delete(leaf)
                calm = False
                if self.watched.has(leaf):
                    self.dropped = True
        return calm

    def end(self):
        """The evaluation is over: elements are looked up afresh until the next one."""
        self._asked = None
        self.reads = None

    def _read(self, what):
        if self.reads is not None:
            self.reads.add(what)

    def remember(self, leaf, compute):
        """The result of `leaf` (an element or input condition): remembered, or `compute()`."""
        if self._memo.has(leaf):  # only a remembered leaf is
            self._read(leaf)
            return self._memo.js_get(leaf)
        if not remembered(leaf):
            self.volatile = True
            self._read(None)
            return compute()
        self._read(leaf)
        value = compute()
        self._memo.set(leaf, value)
        self._add(leaf)
        return value

    def _add(self, leaf):
        """Index a leaf just remembered (see _blank)."""
        index = self._index
        selector = _selector(leaf)
        if not has_key(index['leaves'], selector):
            index['leaves'][selector] = []
            index['joined'] += (', ' if len(index['names']) > 0 else '') + selector
            index['names'].append(selector)
            shape = self._traits_of(selector)
            for name in shape['attributes']:
                _file(index['attributes'], name, selector)
            word = shape['key']
            if word is None:
                index['unkeyed'].append(selector)
            else:
                _file(index['keyed'], word, selector)
            if not has_key(self._quiet, selector):
                self._quiet[selector] = self._seen(selector, [], [], [], False, [])
        index['leaves'][selector].append(leaf)
        if map_get(leaf, 'input') is not None and index['fields'].indexOf(selector) < 0:
            index['fields'].append(selector)
        if untouched_stale(leaf, self._quiet, len(self.custom_inputs) > 0):
            index['untouched'].add(leaf)

    def _traits_of(self, selector):
        if not has_key(self._traits, selector):
            self._traits[selector] = traits(selector)
        return self._traits[selector]

    def _measure(self, raw, index):
        """The change as pure/affects.py reads it, measured against each remembered selector it
        may touch ('touched'; the answer for every other one is the untouched one); None when it
        added or changed more elements than are worth measuring."""
        change = {'mutations': len(raw['records']) > 0, 'structure': False, 'inputs': []}
        change['selectors'] = Object.create(None)
        added = []
        texts = []
        changed = []  # [element, attribute name]
        removed = False  # only then can a remembered element have left the page
        for record in raw['records']:
            kind = record['type']
            if kind == 'childList':
                texty = False  # only a node with text changes its ancestors' textContent
                for node in record.addedNodes:
                    change['structure'] = True
                    texty = texty or _has_text(node)
                    if node.nodeType == 1:
                        added.append(node)
                for node in record.removedNodes:
                    change['structure'] = True
                    removed = True
                    texty = texty or _has_text(node)
                if texty:
                    texts.append(_chain(record.target))
            elif kind == 'characterData':
                texts.append(_chain(record.target))
            else:
                changed.append([record.target, record.attributeName])
        if len(added) + len(changed) > MAX_RECORDS:
            return None
        marks = added.map(lambda node: _marks(node))
        if marks.indexOf(None) >= 0 and not _any_match(added, index['joined']):
            added = []  # no added element is or holds a match of any selector: one query, not one each
            marks = []
        change['touched'] = self._touched(index, added, marks, len(texts) > 0, changed, removed)
        for selector in change['touched']:
            change['selectors'][selector] = self._seen(selector, added, texts, changed, removed, marks)
        for target in raw['targets']:
            change['inputs'].append('')  # an input event, whatever it concerns (volatile selectors)
            for selector in index['fields']:
                if target.nodeType == 1 and _matches(target, selector):
                    change['inputs'].append(selector)
        return change

    def _touched(self, index, added, marks, texts, changed, removed):
        """The remembered selectors a change may touch. Every other one's measure is the
        untouched one: no added element can match it or hold a match (none has element children,
        and none has the id or class its matches carry), no element it remembers can have left
        or held changed text, and no attribute it reads changed (the ones it names, and
        `disabled`, `aria-disabled` and `value`, which every element and input result may read)."""
        if marks.indexOf(None) >= 0:
            return index['names']
        picked = Object.create(None)
        for pair in changed:
            if _EVERY_SELECTOR_READS.indexOf(pair[1]) >= 0:
                return index['names']
            for selector in map_get(index['attributes'], pair[1]) or []:
                picked[selector] = True
        if len(added) > 0:
            for selector in index['unkeyed']:
                picked[selector] = True
            for mark in marks:
                for word in mark.split(' '):
                    for selector in map_get(index['keyed'], word) or []:
                        picked[selector] = True
        if removed or texts:
            for selector in index['names']:
                if has_key(self._found, selector) and len(self._found[selector]) > 0:
                    picked[selector] = True
        return map_keys(picked)

    def _seen(self, selector, added, texts, changed, removed, marks):
        before = self._found[selector] if has_key(self._found, selector) else []
        shape = self._traits_of(selector)
        seen = {'traits': shape, 'added': False, 'removed': False, 'inside': False, 'attributes': []}
        needed = ' ' + shape['key'] + ' ' if shape['key'] is not None else None
        for i in range(len(added)):
            if needed is not None and marks[i] is not None and marks[i].indexOf(needed) < 0:
                continue  # an element with no element inside, without the id or class it must have
            if _matches(added[i], selector) or _holds(added[i], selector):
                seen['added'] = True
        if removed:
            for node in before:
                if not node.isConnected:
                    seen['removed'] = True
        for chain in texts:  # a remembered element holds a changed text: one of its ancestors
            for node in chain:
                if before.indexOf(node) >= 0:
                    seen['inside'] = True
        names = shape['attributes'].concat(_EVERY_SELECTOR_READS) if len(changed) > 0 else []
        for pair in changed:
            element = pair[0]
            if seen['attributes'].indexOf(pair[1]) >= 0 or names.indexOf(pair[1]) < 0:
                continue
            touched = _matches(element, selector) or _holds(element, selector)
            for node in before:
                if element.contains(node):
                    touched = True
            if touched:
                seen['attributes'].append(pair[1])
        return seen

    def elements(self, selector):
        if self._asked is not None and has_key(self._asked, selector):
            return self._found[selector]
        found = self._query(selector)
        if self._asked is not None:
            self._asked[selector] = True
        self._found[selector] = found
        return found

    def _query(self, selector):
        found = []
        try:
            for root in [env.host.document].concat(self._shadow_roots()):
                if len(found) >= MAX_ELEMENTS:
                    break
                if root.nodeType == 11 and not root.host.isConnected:
                    continue  # a root whose host left the page (it may come back)
                for node in Array.prototype.slice.call(
                    root.querySelectorAll(selector), 0, MAX_ELEMENTS - len(found)
                ):
                    found.append(node)
        except:  # noqa: E722 -- an invalid selector matches nothing, once reported
            env.warn('invalid selector in content: ' + selector)
            return []
        return found

    def _shadow_roots(self):
        """The open shadow roots searched: none unless searchShadowRoots; else found by one walk
        of the page, then from the records of each change (_found_roots) and as custom elements
        are defined, instead of a walk of every element at each query."""
        if not self.shadow:
            return []
        if self._roots is None:
            self._roots = []
            self._discover(env.host.document)
        return self._roots

    def _found_roots(self, records):
        """Look for open shadow roots in what the records added; True when one is new. Roots
        whose hosts left the page are let go (one that comes back is found again)."""
        new = False
        for record in records:
            for node in record.addedNodes:  # empty for other records
                if node.nodeType == 1 and self._discover(node):
                    new = True
        self._roots = self._roots.filter(lambda root: root.host.isConnected)
        return new

    def _discover(self, node):
        """Add the open shadow roots at and under `node` (an element, the document or a root),
        and the ones inside those, to the roots searched; True when one is new. A custom element
        not defined yet may attach one when it is: its definition is awaited."""
        new = False
        elements = Array.prototype.slice.call(node.querySelectorAll('*'))
        if node.nodeType == 1:
            elements.unshift(node)
        for element in elements:
            inner = element.shadowRoot
            if inner:
                if self._roots.indexOf(inner) < 0 and not element.hasAttribute('data-userflow'):
                    self._roots.append(inner)  # not the SDK's own UI
                    if self.watch is not None:
                        self.watch(inner)
                    self._discover(inner)
                    new = True
            elif element.localName.indexOf('-') > 0:
                self._await(element.localName)
        return new

    def _await(self, name):
        registry = env.host.customElements
        if not has_key(self._awaited, name) and registry and not registry.js_get(name):
            self._awaited[name] = True
            registry.whenDefined(name).then(self._defined, lambda reason: None)  # not a valid name

    def _defined(self, value):
        """A custom element was defined: its elements, in the page or in a root found already,
        may have attached roots, in no record. All are looked for again by the next evaluation,
        which remembers nothing (here, in a promise callback, nothing that may throw runs)."""
        if self._roots is not None:
            self._roots = None
            self.forget()
            self.upgraded()

    def fact(self, node, name):
        if name == 'text':
            text = node.textContent or ''  # noqa: F841 -- read by the JS below
            return __pragma__('js', '{}', 'text.slice(0, MAX_TEXT).replace(/\\s+/g, " ").trim()')
        if name == 'visible':
            if node.checkVisibility:
                return node.checkVisibility({'checkOpacity': True, 'checkVisibilityCSS': True})
            return node.getClientRects().length > 0
        if name == 'disabled':
            return node.disabled is True or node.getAttribute('aria-disabled') == 'true'
        if name == 'clicked':
            return self.clicked.has(node)
        return False

    def input_value(self, selector):
        for node in self.elements(selector):
            custom = self._custom_value(node)
            if custom is not None:
                return custom
            if node.isContentEditable:
                return node.textContent
            value = node.value
            if __pragma__('js', '{}', 'typeof value') == 'string':
                return value
        return None

    def _custom_value(self, node):
        for custom in self.custom_inputs:
            try:
                if node.matches(custom[0]):
                    value = custom[1](node) if custom[1] is not None else node.textContent
                    return value if __pragma__('js', '{}', 'typeof value') == 'string' else ''
            except:  # noqa: E722 -- the app's function threw: no value, once reported
                env.warn('a custom input value function threw')
                return ''
        return None

    def attribute(self, name):
        self._read(None)
        if has_key(self.attributes, name):
            return {'known': True, 'value': self.attributes[name]}
        return {'known': False, 'value': None}

    def tracked(self, name):
        self._read(None)
        return env.remembered_events().indexOf(name) >= 0

    def flow_state(self, flow_id, state):
        self._read(None)
        return self.flows.flow_state(flow_id, state)

    # -- what the page learns from the app and the user ---------------------------------
    def learn(self, attributes):
        for key in Object.js_keys(attributes):
            self.attributes[key] = attributes[key]

    def record_click(self, event):
        # The target and what contains it count as clicked (a click on a button's icon is a
        # click on the button), across open shadow roots.
        for node in event.composedPath():
            if node.nodeType == 1:
                self.clicked.add(node)

    def forget_clicks(self):
        self.clicked = __new__(WeakSet())


def _selector(leaf):
    """The selector of an element or input condition."""
    return map_get(leaf, 'input') or leaf['element']


def _blank():
    """The index of the remembered leaves: the selectors they use ('names'; 'joined' as one
    list, for one `matches`), the input conditions' selectors ('fields': the ones an input event
    concerns), selector -> its remembered leaves ('leaves'), the selectors by the id or class
    their matches carry ('keyed', affects.key; 'unkeyed' the ones without) and by the attributes
    they name ('attributes', affects.traits), and the leaves a change touching none of their
    selectors may affect ('untouched', affects.untouched_stale). A selector stays listed once
    its leaves are dropped, until the memo is forgotten."""
    return {
        'names': [],
        'joined': '',
        'fields': [],
        'leaves': Object.create(None),
        'keyed': Object.create(None),
        'unkeyed': [],
        'attributes': Object.create(None),
        'untouched': __new__(Set()),
    }


def _file(lists, name, item):
    """Append `item` to the list `lists[name]`, made when missing."""
    if has_key(lists, name):
        lists[name].append(item)
    else:
        lists[name] = [item]


def _any_match(nodes, joined):
    """Whether one of `nodes` is or holds a match of one of the selectors `joined` lists (True
    if unsure: one of them is invalid, which makes the list invalid)."""
    if joined == '':
        return False
    try:
        for node in nodes:
            if node.matches(joined) or node.firstElementChild and node.querySelector(joined) is not None:
                return True
        return False
    except:  # noqa: E722
        return True


def _marks(node):
    """' #id .class ... ' (lower case) of an element with no element inside, whose own id and
    classes are all a selector's last compound can match on; None for one with elements inside."""
    if node.firstElementChild is not None:
        return None
    found = ' '
    named = node.getAttribute('id')  # not node.id: a form's field named "id" takes that name
    if named:
        found += '#' + named.toLowerCase() + ' '
    for name in Array.js_from(node.classList or []):
        found += '.' + name.toLowerCase() + ' '
    return found


def _has_text(node):
    """Whether adding or removing `node` can change its ancestors' textContent: a text node with
    text, or an element with children (an empty element and a comment cannot)."""
    kind = node.nodeType
    return (kind == 3 and len(node.data) > 0) or kind == 4 or (kind == 1 and node.firstChild is not None)


def _chain(node):
    """`node` and its ancestors up to its document or shadow root: what `contains` it."""
    found = []
    while node is not None and node.nodeType != 9 and node.nodeType != 11:  # not a document or root
        found.append(node)
        node = node.parentNode
    return found


def _matches(node, selector):
    try:
        return node.matches(selector)
    except:  # noqa: E722 -- an invalid selector matches nothing
        return False


def _holds(node, selector):
    try:
        return node.querySelector(selector) is not None
    except:  # noqa: E722
        return False
