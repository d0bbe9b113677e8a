"""SHA-256 and HMAC-SHA256 in integer arithmetic that means the same after Transcrypt.

Used where WebCrypto is missing (pages that are not a secure context) and as the reference the
WebCrypto path is tested against. JS bit operators return signed 32-bit values, so every result
is brought back into [0, 2**32) with `% 2**32`, and right shifts are floor divisions
(TRANSCRYPT.md §3).
"""

from userflow.pure.values import to_hex

M32 = 4294967296
_POW2 = [2**i for i in range(33)]

_K = [
    0x428A2F98,
    0x71374491,
    0xB5C0FBCF,
    0xE9B5DBA5,
    0x3956C25B,
    0x59F111F1,
    0x923F82A4,
    0xAB1C5ED5,
    0xD807AA98,
    0x12835B01,
    0x243185BE,
    0x550C7DC3,
    0x72BE5D74,
    0x80DEB1FE,
    0x9BDC06A7,
    0xC19BF174,
    0xE49B69C1,
    0xEFBE4786,
    0x0FC19DC6,
    0x240CA1CC,
    0x2DE92C6F,
    0x4A7484AA,
    0x5CB0A9DC,
    0x76F988DA,
    0x983E5152,
    0xA831C66D,
    0xB00327C8,
    0xBF597FC7,
    0xC6E00BF3,
    0xD5A79147,
    0x06CA6351,
    0x14292967,
    0x27B70A85,
    0x2E1B2138,
    0x4D2C6DFC,
    0x53380D13,
    0x650A7354,
    0x766A0ABB,
    0x81C2C92E,
    0x92722C85,
    0xA2BFE8A1,
    0xA81A664B,
    0xC24B8B70,
    0xC76C51A3,
    0xD192E819,
    0xD6990624,
    0xF40E3585,
    0x106AA070,
    0x19A4C116,
    0x1E376C08,
    0x2748774C,
    0x34B0BCB5,
    0x391C0CB3,
    0x4ED8AA4A,
    0x5B9CCA4F,
    0x682E6FF3,
    0x748F82EE,
    0x78A5636F,
    0x84C87814,
    0x8CC70208,
    0x90BEFFFA,
    0xA4506CEB,
    0xBEF9A3F7,
    0xC67178F2,
]
_H0 = [0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19]


def utf8_bytes(s):
    """UTF-8 bytes of `s` as a list of ints. A lone surrogate (possible only in JS strings)
    becomes U+FFFD, as TextEncoder does, so both hashing paths agree."""
    out = []
    n = len(s)
    i = 0
    while i < n:
        c = ord(s[i])
        i += 1
        if 0xD800 <= c <= 0xDBFF and i < n and 0xDC00 <= ord(s[i]) <= 0xDFFF:
            c = 0x10000 + (c - 0xD800) * 1024 + (ord(s[i]) - 0xDC00)
            i += 1
        elif 0xD800 <= c <= 0xDFFF:
            c = 0xFFFD
        if c < 0x80:
            out.append(c)
        elif c < 0x800:
            out.append(0xC0 + c // 64)
            out.append(0x80 + c % 64)
        elif c < 0x10000:
            out.append(0xE0 + c // 4096)
            out.append(0x80 + (c // 64) % 64)
            out.append(0x80 + c % 64)
        else:
            out.append(0xF0 + c // 262144)
            out.append(0x80 + (c // 4096) % 64)
            out.append(0x80 + (c // 64) % 64)
            out.append(0x80 + c % 64)
    return out


def _rotr(x, n):
    return ((x // _POW2[n]) | (x << (32 - n))) % M32


def _compress(h, block):
    w = []
    for t in range(16):
        j = t * 4
        w.append(block[j] * 16777216 + block[j + 1] * 65536 + block[j + 2] * 256 + block[j + 3])
    for t in range(16, 64):
        x = w[t - 15]
        y = w[t - 2]
        s0 = (_rotr(x, 7) ^ _rotr(x, 18) ^ (x // 8)) % M32
        s1 = (_rotr(y, 17) ^ _rotr(y, 19) ^ (y // 1024)) % M32
        w.append((w[t - 16] + s0 + w[t - 7] + s1) % M32)
    a, b, c, d, e, f, g, k = h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
    for t in range(64):
        big1 = (_rotr(e, 6) ^ _rotr(e, 11) ^ _rotr(e, 25)) % M32
        choose = ((e & f) ^ ((~e) & g)) % M32
        t1 = (k + big1 + choose + _K[t] + w[t]) % M32
        big0 = (_rotr(a, 2) ^ _rotr(a, 13) ^ _rotr(a, 22)) % M32
        major = ((a & b) ^ (a & c) ^ (b & c)) % M32
        t2 = (big0 + major) % M32
        k = g
        g = f
        f = e
        e = (d + t1) % M32
        d = c
        c = b
        b = a
        a = (t1 + t2) % M32
    return [
        (h[0] + a) % M32,
        (h[1] + b) % M32,
        (h[2] + c) % M32,
        (h[3] + d) % M32,
        (h[4] + e) % M32,
        (h[5] + f) % M32,
        (h[6] + g) % M32,
        (h[7] + k) % M32,
    ]


def sha256_bytes(data):
    """SHA-256 of a list of byte values; returns 32 byte values."""
    msg = list(data)
    bits = len(data) * 8
    msg.append(0x80)
    while len(msg) % 64 != 56:
        msg.append(0)
    hi = bits // M32
    lo = bits % M32
    for word in [hi, lo]:
        msg.append((word // 16777216) % 256)
        msg.append((word // 65536) % 256)
        msg.append((word // 256) % 256)
        msg.append(word % 256)
    h = list(_H0)
    for start in range(0, len(msg), 64):
        h = _compress(h, msg[start : start + 64])
    out = []
    for word in h:
        out.append((word // 16777216) % 256)
        out.append((word // 65536) % 256)
        out.append((word // 256) % 256)
        out.append(word % 256)
    return out


def hmac_sha256_bytes(key, msg):
    """HMAC-SHA256 (RFC 2104) of byte lists."""
    if len(key) > 64:
        key = sha256_bytes(key)
    k = list(key)
    while len(k) < 64:
        k.append(0)
    inner = [b ^ 0x36 for b in k]
    inner.extend(msg)
    outer = [b ^ 0x5C for b in k]
    outer.extend(sha256_bytes(inner))
    return sha256_bytes(outer)


def sha256_hex(text):
    return to_hex(sha256_bytes(utf8_bytes(text)))


def hmac_sha256_hex(key, text):
    """hex(HMAC-SHA256(key=UTF-8(key), msg=UTF-8(text))): how user and group IDs leave."""
    return to_hex(hmac_sha256_bytes(utf8_bytes(key), utf8_bytes(text)))
