"""Binding: the pure HMAC-SHA256 as an on-demand chunk. Only pages that are not a secure
context (no WebCrypto) need it, so the core does not carry it (see sdk/builder/split.py)."""

from userflow.pure.hashing import hmac_sha256_hex

window['userflow-sha256'] = hmac_sha256_hex
