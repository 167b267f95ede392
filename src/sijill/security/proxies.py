"""Which client a request comes from: ``X-Forwarded-For`` is believed only from the proxies
named in ``$SIJILL_TRUSTED_PROXIES`` (addresses or networks, comma-separated; none by
default), so a client cannot pick its own address to slip past the login limit."""

from __future__ import annotations

import functools
import ipaddress
import os

from sijill.errors import ConfigError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def _parse(spec: str) -> tuple[Network, ...]:
    networks = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ConfigError(
                f"SIJILL_TRUSTED_PROXIES: {part!r} is not an IP address or network"
            ) from None
    return tuple(networks)


def trusted_proxies() -> tuple[Network, ...]:
    """The networks of ``$SIJILL_TRUSTED_PROXIES``."""
    return _parse(os.environ.get("SIJILL_TRUSTED_PROXIES", ""))


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(
    peer: str, forwarded_for: str | None, networks: tuple[Network, ...] | None = None
) -> str:
    """The client's address: the peer's own, unless the peer is a trusted proxy; then the
    nearest address in ``X-Forwarded-For`` (read from the right) that is not a trusted proxy."""
    networks = trusted_proxies() if networks is None else networks
    if not forwarded_for or not _trusted(peer, networks):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer
