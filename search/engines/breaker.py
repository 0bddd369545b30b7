"""A circuit breaker per Elasticsearch address, per process.

After a failure (a timeout, a refused connection, a server error) the site skips Elasticsearch
for ELASTICSEARCH_RETRY_AFTER seconds: searches answer from the database index at once instead
of each waiting for its own timeout, and the index worker leaves its queue for later. The first
request after that period tries again. Each failure is logged once, on one line, with its reason
(the client library's own retry chatter and tracebacks are silenced in the settings).
"""

import logging
import threading
import time

logger = logging.getLogger("search.elasticsearch")


class CircuitBreaker:
    def __init__(self):
        self._open_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def is_open(self, key: str) -> bool:
        """True while `key` (an Elasticsearch URL) is being skipped after a failure."""
        return time.monotonic() < self._open_until.get(key, 0.0)

    def failed(self, key: str, reason: str, retry_after: float, during: str) -> None:
        with self._lock:
            self._open_until[key] = time.monotonic() + retry_after
        logger.warning(
            "Elasticsearch at %s failed during %s (%s); skipping it for %g s",
            key,
            during,
            reason,
            retry_after,
        )

    def succeeded(self, key: str) -> None:
        if key in self._open_until:
            with self._lock:
                self._open_until.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._open_until.clear()


breaker = CircuitBreaker()
