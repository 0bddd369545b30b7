"""Who is asking, for the per-client rate limits of public forms and exports (question desk,
alerts, search exports). Lives at the floor so every app can use one implementation."""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


def _ip_of(entry: str) -> str | None:
    """The address in one X-Forwarded-For entry, without a port ("203.0.113.7:51234",
    "[2001:db8::1]:443"), or None if it is no address."""
    entry = entry.strip()
    if entry.startswith("["):
        entry = entry[1:].partition("]")[0]
    elif entry.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has several colons
        entry = entry.partition(":")[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's address. REMOTE_ADDR, unless the site runs behind TRUSTED_PROXY_COUNT
    proxies of its own: then the address the outermost of them saw, counted from the right of
    X-Forwarded-For (entries further left are whatever the client wrote). A port in that entry
    is dropped, so every port of one client is one client."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= proxies and (address := _ip_of(forwarded[-proxies])):
            return address
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def client_ip(request) -> str | None:
    """client_address as an IP address, or None when the request has none (one made by code,
    such as a test's force_login): what django-axes stores (AXES_CLIENT_IP_CALLABLE)."""
    return _ip_of(client_address(request))


def client_bucket(request, scope: str = "") -> str:
    """A hash of the client's address (an IPv6 client per /64, the block one connection
    usually gets), so the cache holds no addresses."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
        if ip.version == 6 and ip.ipv4_mapped is None:
            address = str(ipaddress.ip_network(f"{ip}/64", strict=False))
        elif ip.version == 6:
            address = str(ip.ipv4_mapped)
    except ValueError:
        pass
    return hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{address}".encode()).hexdigest()[:32]


class RateLimit:
    """At most `limit` events per `window` seconds per key, counted in the cache (the window
    starts with the first event)."""

    def __init__(self, prefix: str, limit: int, window: int):
        self.prefix, self.limit, self.window = prefix, limit, window

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
