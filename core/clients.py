"""Who is asking, for the per-client rate limits of public forms and exports (question desk,
alerts, search exports; core/ratelimit.py) and django-axes. Lives at the floor so every app
can use one implementation."""

import hashlib
import ipaddress

from django.conf import settings


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
    proxies = settings.TRUSTED_PROXY_COUNT
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
