"""Abuse protection like the product's own servers: a token bucket per project token (429 with
Retry-After when empty). Time is a parameter, so tests pin it. (The cap on concurrent events
requests, 503 with Retry-After, is a counter in the collector's event loop.)"""

import math
import threading
import time


class TokenBuckets:
    """`rate` requests a second per key, bursts up to `burst`."""

    def __init__(self, rate: float, burst: int, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.buckets: dict[str, list[float]] = {}
        self.lock = threading.Lock()

    def take(self, key: str) -> int | None:
        """None if a request may go ahead, else the seconds to wait (for Retry-After)."""
        with self.lock:
            now = self.clock()
            level, at = self.buckets.get(key, [float(self.burst), now])
            level = min(self.burst, level + (now - at) * self.rate)
            if level >= 1:
                self.buckets[key] = [level - 1, now]
                return None
            self.buckets[key] = [level, now]
            return max(1, math.ceil((1 - level) / self.rate))
