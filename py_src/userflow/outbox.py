"""What waits to leave: drafts waiting for an identity, and wire events waiting for a batch.

No event leaves before `identify`/`identifyAnonymous` (SPEC §7): drafts stay here until
`promote` stamps them with the (hashed) user, in the order they were made.
"""

from userflow.payload import finalize, BATCH_LIMIT

# SPEC §7: the queue is bounded; when full, the oldest events go first and are counted.
# (The 256 KiB bound and persistence arrive with the transport work.)
MAX_EVENTS = 1000


class Outbox:
    def __init__(self):
        self.drafts = []
        self.ready = []
        self.dropped = 0

    def add(self, d):
        self.drafts.append(d)
        while self.size() > MAX_EVENTS:
            if len(self.ready) > 0:
                self.ready.pop(0)
            else:
                self.drafts.pop(0)
            self.dropped += 1

    def promote(self, user, hashed):
        """Finalize every draft under `user`; returns how many became ready."""
        count = len(self.drafts)
        for d in self.drafts:
            self.ready.append(finalize(d, user, hashed))
        self.drafts = []
        return count

    def next_batch(self):
        """Remove and return up to BATCH_LIMIT ready events, oldest first."""
        batch = self.ready[:BATCH_LIMIT]
        self.ready = self.ready[len(batch):] if len(batch) < len(self.ready) else []
        return batch

    def requeue(self, batch):
        """Put a batch that could not be delivered back in front, keeping the order."""
        restored = [e for e in batch]
        restored.extend(self.ready)
        self.ready = restored

    def purge(self, event_type):
        """Forget every unsent event of one type (page tracking turned off)."""
        self.drafts = [d for d in self.drafts if d['type'] != event_type]
        self.ready = [e for e in self.ready if e['type'] != event_type]

    def size(self):
        return len(self.drafts) + len(self.ready)
