"""Binding: the one module that sends anything (SPEC §7).

Every request goes to `{endpoint}/v1/events` with `credentials: "omit"`,
`referrerPolicy: "no-referrer"`, no custom headers and a string body, so the browser sends
`text/plain;charset=UTF-8` without a CORS preflight. Batches hold up to 50 events and leave
after 2 s; on `pagehide` or when the page is hidden, everything ready leaves at once with
`fetch(..., {keepalive: true})`. `sendBeacon` is used only where keepalive fetch is missing:
a beacon always carries cookies, which the promise rules out wherever fetch can avoid them.

Everything not yet acknowledged is kept in localStorage under `uf:q:<tab>` (one key per page,
so tabs do not overwrite each other); a page that starts takes over every such key it finds,
so a reload, a crash or a closed tab loses nothing, at the price of a batch possibly going
twice (the server deduplicates by event id). While the browser is offline nothing is tried;
the `online` event resumes delivery.

Every request is noted in the egress log (`env.log_request`) just before it is handed over.
"""

from userflow.browser import env
from userflow.pure.payload import body, BATCH_LIMIT
from userflow.pure.retry import outcome, backoff_ms, retry_after_ms
from userflow.pure.values import to_json, from_json, to_hex
from userflow.pure.version import VERSION

BATCH_DELAY_MS = 2000


class Egress:
    """The one owner of the outbox: every change goes through it and is saved at once, and
    every event it lets go is counted by reason (`drops()`). `send(url, text, keepalive)` hands
    a body to the browser (`send_events` unless a test passes another)."""

    def __init__(self, outbox, send=None):
        self.outbox = outbox
        self.send = send if send is not None else send_events
        self._refused = 0  # events in batches the server refused (4xx other than 408/429)
        self._purged = 0  # events forgotten because their kind may no longer be sent
        self._warned_full = False
        self.endpoint = None
        self.token = None
        self._timer = None
        self._inflight = False
        self._attempt = 0
        self.tab = to_hex(env.random_bytes(8))
        self._adopt()

    def _adopt(self):
        for text in env.storage_take('q:'):
            try:
                saved = from_json(text)
                if Array.isArray(saved['ready']):
                    # Only identified events; drafts an older version stored are not taken.
                    self.outbox.restore(saved)
            except:  # noqa: E722 -- a tampered or truncated queue is dropped, not trusted
                env.warn('a stored event queue could not be read and was dropped')
        self.save()

    def add(self, d, identity):
        """Queue draft `d`, finalized at once when the identity is known; then save and send."""
        before = self.outbox.dropped
        self.outbox.add(d)
        if identity is not None:
            self.outbox.promote(identity['user'], identity['hashed'])
        self._full(self.outbox.dropped - before)
        self.schedule()

    def purge(self, event_type):
        """Forget every unacknowledged event of `event_type` now, stored ones included."""
        gone = self.outbox.purge(event_type)
        if gone > 0:
            self._purged += gone
            self.save()
        return gone

    def drops(self):
        """Events let go, by reason: the bounded queue was full, the server refused their
        batch, or they were purged (their kind may no longer be sent)."""
        return {'full': self.outbox.dropped, 'refused': self._refused, 'purged': self._purged}

    def _full(self, count):
        if count > 0 and not self._warned_full:
            self._warned_full = True
            env.warn('the event queue is full (1000 events or 256 KiB); the oldest are being dropped')

    def save(self):
        """Keep what is not acknowledged, within the 256 KiB bound."""
        self._full(self.outbox.bound_bytes(lambda item: len(to_json(item))))
        saved = self.outbox.unsent()
        if len(saved['ready']) + len(saved['drafts']) == 0:
            env.storage_remove('q:' + self.tab)
        else:
            env.storage_set('q:' + self.tab, to_json(saved))

    def configure(self, token, endpoint):
        """Set the token, and the endpoint unless it is None (an earlier one stays)."""
        self.token = token
        if endpoint is not None:
            self.endpoint = endpoint
        self.schedule()

    def schedule(self):
        """Send now if a full batch is ready, else within BATCH_DELAY_MS."""
        self.save()
        if len(self.outbox.ready) == 0:
            return
        if not env.attached():  # timers and requests of a removed frame never run: fail closed
            return env.error("the page removed the SDK's frame; events are kept and sent by the next page")
        if len(self.outbox.ready) >= BATCH_LIMIT and self._attempt == 0:
            self.flush()
        elif self._timer is None:
            self._timer = env.after(BATCH_DELAY_MS, self._tick)

    def _tick(self):
        self._timer = None
        self.flush()

    def _target(self):
        if self.endpoint is None or self.token is None:
            if len(self.outbox.ready) > 0:
                env.warn('no server endpoint set; events wait until setServerEndpoint is called')
            return None
        return self.endpoint + '/v1/events'

    def flush(self):
        """Send the oldest ready batch, one request at a time."""
        url = self._target()
        if url is None or self._inflight or window.navigator.onLine is False:
            return
        batch = self.outbox.next_batch()
        if len(batch) == 0:
            return
        self._inflight = True
        self.save()
        text = self._body(batch)

        def done(response):
            wait = retry_after_ms(response.headers.js_get('Retry-After'), env.now_ms())
            self._settle(batch, response.status, wait)

        def failed(reason):
            self._settle(batch, 0, None)

        try:
            sent = self.send(url, text, False)
            if sent is None:
                self._settle(batch, 204, None)  # a beacon: handed over, no answer to wait for
            else:
                sent.then(done, failed)
        except:  # noqa: E722 -- a synchronous TypeError counts as a network error
            self._settle(batch, 0, None)

    def flush_all_now(self):
        """Page is going away: send every ready event immediately, outliving the page."""
        url = self._target()
        if url is None:
            return
        env.cancel(self._timer)
        self._timer = None
        while len(self.outbox.ready) > 0:
            batch = self.outbox.next_batch()
            text = self._body(batch)
            try:
                sent = self.send(url, text, True)
                if sent is not None:
                    sent.then(self._acknowledger(batch), lambda r: None)
            except:  # noqa: E722 -- over the keepalive quota: it stays stored for the next page
                env.warn('a batch could not be sent while the page was closing')
        self.save()  # what left stays stored until acknowledged: the next page resends the rest

    def _acknowledger(self, batch):
        def acknowledged(response):
            if outcome(response.status) != 'retry':
                self.outbox.acknowledge(batch)
                self.save()

        return acknowledged

    def fetch_content(self):
        """A promise of the flow content text from `GET {endpoint}/v1/content/{token}`, or None.
        No user data in the request, and nothing the server chose earlier (env.CONTENT_OPTIONS).
        The loader may have started it at init (one round trip): then its response is used."""
        if self.endpoint is None or self.token is None:
            return Promise.resolve(None)
        url = self.endpoint + '/v1/content/' + self.token

        def received(response):
            if response.status == 200:
                return response.text()
            env.warn('no flow content (HTTP ' + str(response.status) + ' from ' + url + ')')
            return None

        def failed(reason):
            env.warn('flow content could not be fetched from ' + url)
            return None

        request = env.early_content(url)  # the loader's, already logged
        if request is None:
            env.log_request('content', 'GET', url, None, env.CONTENT_OPTIONS)
            request = window.fetch(url, env.CONTENT_OPTIONS)
        return request.then(received).then(None, failed)

    def _body(self, batch):
        return to_json(body(self.token, VERSION, batch))

    def _settle(self, batch, status, retry_after):
        self._inflight = False
        result = outcome(status)
        if result == 'retry':
            self.outbox.requeue(batch)
            self.save()
            delay = backoff_ms(self._attempt, Math.random())
            if retry_after is not None and retry_after > delay:
                delay = retry_after  # the server's word (it must expose Retry-After to CORS)
            self._attempt += 1
            env.cancel(self._timer)
            self._timer = env.after(delay, self._tick)
            return
        self._attempt = 0
        self.outbox.acknowledge(batch)
        if result == 'drop':
            self._refused += len(batch)
            env.warn(
                'the server refused a batch of '
                + str(len(batch))
                + ' events (HTTP '
                + str(status)
                + '); it was dropped'
            )
        self.schedule()


def send_events(url, text, keepalive):
    """The one place events leave: fetch, or a beacon where keepalive fetch is missing; logged
    exactly as handed to the browser. A promise of the response, or None for a beacon."""
    options = {
        'method': 'POST',
        'body': text,
        'credentials': 'omit',
        'mode': 'cors',
        'cache': 'no-store',
        'referrerPolicy': 'no-referrer',
        'keepalive': keepalive,
    }
    if window.fetch:
        env.log_request('events', 'POST', url, text, options)
        return window.fetch(url, options)
    env.log_request('events', 'POST', url, text, {'beacon': True})
    window.navigator.sendBeacon(url, text)
    return None
