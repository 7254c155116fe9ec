"""The address a request came from.

Behind a TLS-terminating proxy every request reaches the app from the proxy, so REMOTE_ADDR
names the proxy for everyone: the check-in rate limit would count every client's wrong links
together (one person guessing would make all clients wait), sign-in lockouts would pool
strangers, and the audit log would record the proxy. Each proxy appends the address it received
the request from to X-Forwarded-For; a client can write anything at the left of that header,
never at the right. With TRUSTED_PROXY_COUNT proxies of our own in front, the entry that many
places from the right is the client's.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address, or REMOTE_ADDR when no proxy is trusted or the header is not
    what our proxies write."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
