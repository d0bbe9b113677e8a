"""No event leaves before identify; batches keep order; retries go back in front."""

from userflow.pure.outbox import Outbox
from userflow.pure.payload import draft


def _box(n, kind='track'):
    box = Outbox()
    for i in range(1, n + 1):
        box.add(draft(kind, i, 0, str(i), {'name': 'e', 'url': 'u'}))
    return box


def test_drafts_wait_for_an_identity_then_leave_in_order():
    box = _box(3)
    assert box.next_batch() == []
    assert box.promote('u', False) == 3
    assert [e['seq'] for e in box.next_batch()] == [1, 2, 3]


def test_batches_hold_at_most_fifty_events():
    box = _box(120)
    box.promote('u', False)
    assert [len(box.next_batch()) for _ in range(4)] == [50, 50, 20, 0]


def test_a_requeued_batch_goes_back_in_front():
    box = _box(60)
    box.promote('u', False)
    first = box.next_batch()
    box.requeue(first)
    assert [e['seq'] for e in box.next_batch()][:3] == [1, 2, 3]


def test_purge_forgets_unsent_events_of_one_type():
    box = _box(2, 'page')
    box.add(draft('track', 3, 0, '3', {'name': 'e'}))
    assert box.purge('page') == 2
    assert box.size() == 1


def test_purge_reaches_the_batch_on_its_way_which_is_then_never_retried():
    box = _box(2, 'page')
    box.add(draft('track', 3, 0, '3', {'name': 'e'}))
    box.promote('u', False)
    batch = box.next_batch()
    assert box.purge('page') == 2
    assert [e['type'] for e in box.unsent()['ready']] == ['track']
    box.requeue(batch)  # the server answered 503: only what was not purged goes back
    assert [e['seq'] for e in box.ready] == [3] and box.sending == []


def test_drafts_waiting_for_an_identity_are_never_part_of_what_is_stored():
    box = _box(2, 'page')
    assert box.unsent() == {'ready': []}
    box.restore({'ready': [], 'drafts': [draft('page', 9, 0, '9', {'url': 'https://x/'})]})
    assert [d['seq'] for d in box.drafts] == [1, 2], "an older store's drafts are not taken"


def test_the_queue_keeps_the_newest_thousand_events_and_counts_the_rest():
    box = _box(600)
    box.promote('u', False)
    for i in range(601, 1201):
        box.add(draft('track', i, 0, str(i), {'name': 'e'}))
    assert box.size() == 1000 and box.dropped == 200
    box.promote('u', False)
    assert box.next_batch()[0]['seq'] == 201


def test_a_batch_is_kept_until_acknowledged_and_requeued_in_front():
    box = _box(3)
    box.promote('u', False)
    batch = box.next_batch()
    assert [e['seq'] for e in box.unsent()['ready']] == [1, 2, 3], 'sent but not acknowledged'
    box.requeue(batch)
    assert [e['seq'] for e in box.ready] == [1, 2, 3] and box.sending == []
    box.acknowledge(box.next_batch())
    assert box.unsent() == {'ready': []}


def test_what_one_page_left_unsent_is_restored_before_the_new_events():
    old = _box(2)
    old.promote('u', False)
    old.next_batch()  # in flight when the page died
    saved = old.unsent()
    new = _box(1)
    new.restore(saved)
    assert [d['seq'] for d in new.drafts] == [1] and [e['seq'] for e in new.ready] == [1, 2]
    assert 'drafts' not in saved


def test_the_queue_keeps_the_newest_256_kib():
    box = _box(400)
    box.promote('u', False)
    dropped = box.bound_bytes(lambda item: 1000)
    assert dropped == 400 - 262 and box.size() == 262 and box.dropped == 138
    assert box.ready[0]['seq'] == 139
