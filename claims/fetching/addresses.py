"""Which IP addresses the fetcher may connect to.

``ipaddress.is_global`` alone is not enough: IPv6 can wrap an IPv4 address
(IPv4-mapped ``::ffff:a.b.c.d``, NAT64 ``64:ff9b::/96``, 6to4 ``2002::/16``,
Teredo ``2001::/32``), and a wrapped loopback or private address reaches the
same machine. Every wrapped IPv4 address is unwrapped and checked as well.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Ranges refused on top of the flags ipaddress knows about.
_EXTRA_BLOCKED = tuple(
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8",  # "this network"
        "100.64.0.0/10",  # carrier-grade NAT: internal workloads in many clouds
        "192.0.0.0/24",  # IETF protocol assignments
        "192.88.99.0/24",  # 6to4 relay anycast
        "198.18.0.0/15",  # benchmarking
        "64:ff9b:1::/48",  # local-use NAT64: translates to private networks
        "fec0::/10",  # deprecated site-local
        "5f00::/16",  # segment routing
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, NAT64, 6to4, Teredo, compatible)."""
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip in _NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)  # (server, client)
    if int(ip) >> 32 == 0 and int(ip) > 1:
        found.append(ipaddress.IPv4Address(int(ip)))  # deprecated IPv4-compatible ::a.b.c.d
    return found


def address_problem(ip: IPAddress) -> str | None:
    """Why the fetcher must not connect to ``ip``, or None when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        for inner in embedded_ipv4(ip):
            problem = address_problem(inner)
            if problem:
                return f"{ip} wraps {inner}: {problem}"
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("special-purpose", any(ip in net for net in _EXTRA_BLOCKED if net.version == ip.version)),
        ("not globally routable", not ip.is_global),
    )
    for label, hit in checks:
        if hit:
            return f"{ip} is a {label} address"
    return None
