"""Binding: how user and group IDs become what may leave the browser.

With `hashUserId` (the default) an ID leaves only as hex(HMAC-SHA256(key=token, msg=id)):
WebCrypto when the page is a secure context, else the transpiled pure implementation in
`hashing`, loaded on demand as the sha256 chunk (both checked against Python's
hmac). The anonymous ID is 128 random
bits kept in localStorage under `uf:anon`.
"""

from userflow.browser import env
from userflow.pure.values import to_hex


def protect(config, raw_id):
    """A promise of {'user': text, 'hashed': bool} for `raw_id` under `config`."""
    if not config['hashUserId']:
        return Promise.resolve({'user': raw_id, 'hashed': False})
    return _hmac_hex(config['token'], raw_id).then(lambda digest: {'user': digest, 'hashed': True})


def _hmac_hex(key_text, message):
    subtle = None
    if window.isSecureContext and window.crypto:
        subtle = window.crypto.subtle
    if not subtle:
        return _pure_hmac(key_text, message)
    encoder = __new__(TextEncoder())
    algorithm = {'name': 'HMAC', 'hash': 'SHA-256'}

    def sign(key):
        return subtle.sign('HMAC', key, encoder.encode(message))

    def fallback(reason):
        # A page may break WebCrypto for its own realm only; ours is intact, but if
        # importKey still fails the pure implementation gives the same digest.
        return _pure_hmac(key_text, message)

    return (
        subtle.importKey('raw', encoder.encode(key_text), algorithm, False, ['sign'])
        .then(sign)
        .then(lambda signature: to_hex(Array.prototype.slice.call(__new__(Uint8Array(signature)))))
        .then(None, fallback)
    )


def _pure_hmac(key_text, message):
    return env.load_chunk('sha256').then(lambda hmac: hmac(key_text, message))


def anonymous_id():
    """The stored anonymous ID, or a new one (32 hex characters, crypto-random)."""
    stored = env.storage_get('anon')
    if stored is not None and len(stored) == 32:
        return stored
    fresh = to_hex(env.random_bytes(16))
    env.storage_set('anon', fresh)
    return fresh
