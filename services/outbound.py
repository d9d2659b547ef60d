"""The one door for every request the server makes to another host (webhooks, SMS and
WhatsApp gateways, and any adapter that fetches): it refuses destinations inside the network.

The host is resolved when the request is made, every address it resolves to must be public
(not loopback, link-local, private, shared, multicast, reserved or unspecified, in any of its
written forms, IPv4-mapped IPv6 included) unless the city allows it, and the connection is
pinned to the address that was checked, so a DNS answer that changes between the check and the
connection (rebinding) cannot move it. TLS still names and verifies the host. URLs carrying
credentials are refused and redirects are never followed. A refusal says the same thing
whatever the reason, so what is logged cannot map the inside of the network."""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from services.errors import ValidationFailed

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
SCHEMES = {"http": 80, "https": 443}
# Host names that are numbers in a form other than a dotted quad: 0x7f000001, 2130706433,
# 0177.0.0.1, 127.1. Resolvers read them as addresses; nobody names a real service so.
_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}\.?", re.I)
# Kept and written back only by name: the code every refusal carries.
REFUSED = "outbound.unsafe_destination"
UNKNOWN_HOST = "outbound.unknown_host"


class UnsafeDestination(ValidationFailed):
    """The URL may not be fetched by the server (its message code says no more than that)."""

    code = "unsafe_destination"


class ResponseTooLarge(ValidationFailed):
    code = "response_too_large"


def parse_allow(setting: str) -> tuple[str, ...]:
    """KIOSK_OUTBOUND_ALLOW: comma-separated host names, addresses and networks (CIDR)."""
    entries = tuple(e.strip().lower() for e in setting.split(",") if e.strip())
    for entry in entries:
        if any(c in entry for c in "/:") or _NUMERIC_HOST.fullmatch(entry):
            ipaddress.ip_network(entry, strict=False)  # a typo stops the app at start
    return entries


def _allowed(allow: Iterable[str]) -> tuple[set[str], list[Network]]:
    names: set[str] = set()
    networks: list[Network] = []
    for entry in allow:
        entry = entry.strip().lower()
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.add(entry.rstrip("."))
    return names, networks


def _public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None:
            return _public(embedded)
        if address in ipaddress.ip_network("64:ff9b::/96"):  # NAT64: the IPv4 address behind
            return _public(ipaddress.IPv4Address(address.packed[-4:]))
    return address.is_global and not (address.is_multicast or address.is_reserved
                                       or address.is_unspecified or address.is_loopback
                                       or address.is_link_local or address.is_private)


def _resolve(host: str, port: int) -> list[Address]:
    try:
        return [ipaddress.ip_address(str(info[4][0]).split("%")[0])
                for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    except (OSError, UnicodeError, ValueError) as error:
        raise UnsafeDestination(UNKNOWN_HOST) from error


def _checked(url: str, allow: Iterable[str]) -> tuple[Any, Address]:
    """The URL's parts and the one address a connection may use."""
    try:
        parts = urlsplit(url)
        port = parts.port or SCHEMES.get(parts.scheme, 0)
    except ValueError as error:
        raise UnsafeDestination(REFUSED) from error
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme not in SCHEMES or not host or parts.username or parts.password or "@" in (
            parts.netloc):
        raise UnsafeDestination(REFUSED)
    names, networks = _allowed(allow)
    try:
        literal: Address | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
        if _NUMERIC_HOST.fullmatch(host) and host not in names:
            raise UnsafeDestination(REFUSED) from None
    addresses = [literal] if literal is not None else _resolve(host, port)
    if not addresses:
        raise UnsafeDestination(UNKNOWN_HOST)
    if host not in names:
        for address in addresses:
            if not _permitted(address, networks):
                raise UnsafeDestination(REFUSED)
    return parts, addresses[0]


def _permitted(address: Address, networks: Iterable[Network]) -> bool:
    return _public(address) or any(address in n for n in networks if n.version == address.version)


def check_destination(url: str, *, allow: Iterable[str] = ()) -> None:
    """Raise UnsafeDestination unless the server may send a request to ``url`` now. A host
    that does not resolve is refused with the code UNKNOWN_HOST (a form may accept it and let
    the request decide)."""
    _checked(url, allow)


def _pinned(connection: type[HTTPConnection], address: str) -> type[HTTPConnection]:
    class Pinned(connection):  # type: ignore[valid-type,misc]
        """Connects to the checked address; Host and TLS (SNI, certificate) keep the name."""

        def _new_conn(self) -> socket.socket:
            # urllib3 connects to _dns_host, and reads the Host header and the TLS server
            # name from the same attribute: swap it for the socket's connection only.
            name, self._dns_host = self._dns_host, address
            try:
                return super()._new_conn()
            finally:
                self._dns_host = name

    return Pinned


class _PinnedAdapter(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self._address = address
        super().__init__(max_retries=0)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False,
                         **pool_kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        http = type("PinnedHTTPPool", (HTTPConnectionPool,),
                    {"ConnectionCls": _pinned(HTTPConnection, self._address)})
        https = type("PinnedHTTPSPool", (HTTPSConnectionPool,),
                     {"ConnectionCls": _pinned(HTTPSConnection, self._address)})
        self.poolmanager.pool_classes_by_scheme = {"http": http, "https": https}


def guarded_request(method: str, url: str, *, allow: Iterable[str] = (), timeout: float,
                    max_bytes: int | None = None, **kwargs: Any) -> requests.Response:
    """Send one request to ``url`` if check_destination allows it, connected to the address
    that was checked, without following redirects, without proxies or .netrc from the
    environment, reading at most ``max_bytes`` of the answer (ResponseTooLarge beyond)."""
    parts, address = _checked(url, allow)
    kwargs.pop("allow_redirects", None)
    with requests.Session() as session:
        session.trust_env = False
        adapter = _PinnedAdapter(str(address))
        session.mount(f"{parts.scheme}://", adapter)
        response = session.request(method, urlunsplit(parts), timeout=timeout,
                                   allow_redirects=False, stream=max_bytes is not None,
                                   **kwargs)
        if max_bytes is not None:
            body = b""
            for chunk in response.iter_content(65536):
                body += chunk
                if len(body) > max_bytes:
                    response.close()
                    raise ResponseTooLarge("outbound.response_too_large", limit=max_bytes)
            response._content = body
    return response


def host_of(url: str) -> str:
    """The host a configured URL names (an operator's setting: the bank, the CSC service)."""
    return (urlsplit(url).hostname or "").lower()


def guarded_client_session(*, allow: Iterable[str] = ()) -> Any:
    """An aiohttp session under the same rules, for the adapters that speak aiohttp (the CSC
    signer, pyHanko's OCSP/CRL fetchers and time-stamper): every request's URL is checked when
    it starts, and the connector connects only to the addresses the check allows, whatever a
    later DNS answer says. It follows no redirects unless a caller asks."""
    import aiohttp

    allowed = tuple(allow)
    names, networks = _allowed(allowed)

    class GuardedResolver(aiohttp.ThreadedResolver):
        async def resolve(self, host: str, port: int = 0,
                          family: socket.AddressFamily = socket.AF_INET) -> Any:
            found = await super().resolve(host, port, family)
            if host.rstrip(".").lower() in names:
                return found
            kept = [info for info in found
                    if _permitted(ipaddress.ip_address(info["host"]), networks)]
            if not kept:
                raise UnsafeDestination(REFUSED)
            return kept

    async def check_url(_session: Any, _context: Any, params: Any) -> None:
        _checked(str(params.url), allowed)

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(check_url)
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=GuardedResolver()),
                                 trace_configs=[trace])
