"""What waits to leave: drafts waiting for an identity, wire events waiting for a batch, and
batches sent but not yet acknowledged.

No event leaves before `identify`/`identifyAnonymous` (SPEC §7): drafts stay here until
`promote` stamps them with the (hashed) user, in the order they were made. Drafts live for this
page only: they are never part of `unsent()`, so a visit before login is never stored and never
attached to the user who logs in later. Every identified event not yet acknowledged is what
`unsent()` returns, for the binding to keep in localStorage, so a reload or a crash loses
nothing; a batch may then go twice, and the server deduplicates by event id.
"""

from userflow.pure.payload import finalize, BATCH_LIMIT

# SPEC §7: the queue is bounded (1,000 events, 256 KiB as JSON); when full, the oldest events
# go first and are counted.
MAX_EVENTS = 1000
MAX_BYTES = 262144


class Outbox:
    def __init__(self):
        self.drafts = []
        self.ready = []
        self.sending = []
        self.dropped = 0

    def add(self, d):
        self.drafts.append(d)
        while self.size() > MAX_EVENTS:
            self._shed()

    def _shed(self):
        # The oldest unsent event goes; a batch already on its way is left alone.
        if len(self.ready) > 0:
            self.ready.pop(0)
        else:
            self.drafts.pop(0)
        self.dropped += 1

    def bound_bytes(self, measure):
        """Drop the oldest events until the unsent ones measure at most MAX_BYTES together
        (`measure(item)`: its size as JSON); returns how many were dropped."""
        before = self.dropped
        sizes = [measure(x) for x in self.sending]
        sizes.extend([measure(x) for x in self.ready])
        sizes.extend([measure(x) for x in self.drafts])
        total = sum(sizes)
        first = len(self.sending)
        while total > MAX_BYTES and len(self.ready) + len(self.drafts) > 0:
            total -= sizes[first]
            first += 1
            self._shed()
        return self.dropped - before

    def promote(self, user, hashed):
        """Finalize every draft under `user`; returns how many became ready."""
        count = len(self.drafts)
        for d in self.drafts:
            self.ready.append(finalize(d, user, hashed))
        self.drafts = []
        return count

    def next_batch(self):
        """Up to BATCH_LIMIT ready events, oldest first, moved to `sending`."""
        batch = self.ready[:BATCH_LIMIT]
        self.ready = self.ready[len(batch) :] if len(batch) < len(self.ready) else []
        self.sending.extend(batch)
        return batch

    def acknowledge(self, batch):
        """The server has the batch (or refused it for good): forget it."""
        ids = [e['id'] for e in batch]
        self.sending = [e for e in self.sending if not _listed(ids, e['id'])]

    def requeue(self, batch):
        """Put a batch that could not be delivered back in front, keeping the order; events
        purged while it was on its way stay purged."""
        ids = [e['id'] for e in self.sending]
        restored = [e for e in batch if _listed(ids, e['id'])]
        self.acknowledge(batch)
        restored.extend(self.ready)
        self.ready = restored

    def unsent(self):
        """Every identified event not acknowledged, oldest first: {'ready': wire events}.
        Drafts are left out on purpose: they wait for an identity on this page only."""
        ready = [e for e in self.sending]
        ready.extend(self.ready)
        return {'ready': ready}

    def restore(self, saved):
        """Take back what `unsent()` gave (from this page or another), before what is here.
        Drafts a store may still hold (an older version kept them) are not taken."""
        ready = [e for e in saved['ready']]
        ready.extend(self.ready)
        self.ready = ready
        while self.size() > MAX_EVENTS:
            self._shed()

    def purge(self, event_type):
        """Forget every event of one type not yet acknowledged, now: drafts, ready events and
        the batch on its way (which is then never retried). Returns how many went."""
        before = self.size() + len(self.sending)
        self.drafts = [d for d in self.drafts if d['type'] != event_type]
        self.ready = [e for e in self.ready if e['type'] != event_type]
        self.sending = [e for e in self.sending if e['type'] != event_type]
        return before - self.size() - len(self.sending)

    def size(self):
        return len(self.drafts) + len(self.ready)


def _listed(items, item):
    for x in items:
        if x == item:
            return True
    return False
