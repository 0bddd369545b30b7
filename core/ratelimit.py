"""The site's rate limits, one mechanism for all: each limit names the two settings that hold
its rate (website/settings/base.py: the question desk, alerts and search exports), read when
asked, so a changed setting applies at once. Keys are the caller's (core.clients.client_bucket
for a client address)."""

from django.conf import settings
from django.core.cache import cache


class RateLimit:
    """At most `settings.<limit_setting>` events per `settings.<window_setting>` seconds per
    key, counted in the cache (the window starts with the first event)."""

    def __init__(self, prefix: str, limit_setting: str, window_setting: str):
        self.prefix = prefix
        self.limit_setting, self.window_setting = limit_setting, window_setting

    @property
    def limit(self) -> int:
        return getattr(settings, self.limit_setting)

    @property
    def window(self) -> int:
        """Seconds."""
        return getattr(settings, self.window_setting)

    def _key(self, key: str) -> str:
        return f"ratelimit:{self.prefix}:{key}"

    def exceeded(self, key: str) -> bool:
        return (cache.get(self._key(key)) or 0) >= self.limit

    def count(self, key: str) -> int:
        """One more event for `key`; returns how many there are now in this window. add() and
        incr() are atomic in every cache backend, so simultaneous requests each get their own
        number."""
        full = self._key(key)
        if cache.add(full, 1, timeout=self.window):
            return 1
        try:
            return cache.incr(full)
        except ValueError:  # expired between add() and incr()
            cache.set(full, 1, timeout=self.window)
            return 1

    def hit(self, key: str) -> bool:
        """Count one event and say whether it is within the limit. Use this, not exceeded()
        followed by count(), where a burst must not get through: the check and the count are
        one step."""
        return self.count(key) <= self.limit
