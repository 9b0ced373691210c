"""The low-level guards under :class:`index.fetch.Fetcher`: one deadline for every socket
operation of a fetch, and content decoding with a cap on what it produces.

* :class:`DeadlineBackend` is an httpcore network backend whose connect, TLS handshake,
  reads and writes each wait at most until one absolute deadline. httpx's own timeouts are
  per operation, so a server sending its headers one byte a second never trips them; here
  the time left shrinks with every byte and the fetch ends at the deadline.
* :func:`decode_body` undoes ``Content-Encoding`` (``gzip``, ``deflate``, stacked as in
  ``gzip, gzip``) as a stream, a bounded piece at a time, and stops as soon as the decoded
  output passes the cap: a 2 KB body that inflates to 1 GB costs a few kilobytes of memory.
"""

from __future__ import annotations

import ssl
import typing
import zlib
from collections.abc import Callable, Iterable, Iterator

import httpcore

from index.errors import FetchBadType, FetchTooLarge

Clock = Callable[[], float]
PIECE = 64 * 1024  # decoded bytes produced per step
ENCODINGS = ("gzip", "x-gzip", "deflate", "identity")
ACCEPT_ENCODING = "gzip, deflate"


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, deadline: float, clock: Clock) -> None:
        self._inner = inner
        self._deadline = deadline
        self._clock = clock

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        left = self._deadline - self._clock()
        if left <= 0:
            raise error("the fetch deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname,
                                      self._left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._deadline, self._clock)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """A sync network backend where nothing waits past ``deadline`` (on ``clock``)."""

    def __init__(self, deadline: float, clock: Clock) -> None:
        self._inner = httpcore.SyncBackend()
        self._deadline = deadline
        self._clock = clock

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[typing.Any] | None = None) -> httpcore.NetworkStream:
        left = self._deadline - self._clock()
        if left <= 0:
            raise httpcore.ConnectTimeout("the fetch deadline passed")
        stream = self._inner.connect_tcp(host, port, left if timeout is None else
                                         min(timeout, left), local_address, socket_options)
        return _DeadlineStream(stream, self._deadline, self._clock)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[typing.Any] | None = None
                            ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")


def encodings(header: str) -> list[str]:
    """The codings of a ``Content-Encoding`` header in the order they were applied;
    :class:`FetchBadType` for one we do not decode."""
    found = [part.strip().lower() for part in header.split(",") if part.strip()]
    for coding in found:
        if coding not in ENCODINGS:
            raise FetchBadType(f"the body is encoded with {coding!r}, which is not read")
    return [c for c in found if c != "identity"]


def decode_body(raw: Iterable[bytes], header: str, max_bytes: int, what: str) -> bytes:
    """The decoded body from the raw chunks; :class:`FetchTooLarge` as soon as it passes
    ``max_bytes`` (never holding much more than that)."""
    pieces: Iterator[bytes] = iter(raw)
    for coding in reversed(encodings(header)):  # the last applied is undone first
        pieces = _inflate(pieces, gzip=coding in ("gzip", "x-gzip"))
    out = bytearray()
    for piece in pieces:
        out += piece
        if len(out) > max_bytes:
            raise FetchTooLarge(f"{what} is larger than {_size(max_bytes)}")
    return bytes(out)


def _inflate(chunks: Iterator[bytes], *, gzip: bool) -> Iterator[bytes]:
    """Inflate a gzip (members one after another) or deflate (zlib or raw) stream, yielding
    at most ``PIECE`` bytes at a time; raises ``zlib.error`` on corrupt data."""
    wbits = 16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS
    decoder = zlib.decompressobj(wbits)
    started = False
    for chunk in chunks:
        data = chunk
        while data or not started:
            try:
                piece = decoder.decompress(data, PIECE)
            except zlib.error:
                if gzip or started:
                    raise
                decoder = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, no zlib header
                piece = decoder.decompress(data, PIECE)
            started = True
            if piece:
                yield piece
            if decoder.eof:
                data = decoder.unused_data
                if data and gzip:  # another gzip member follows
                    decoder = zlib.decompressobj(wbits)
                    continue
                return
            data = decoder.unconsumed_tail
            while not data and len(piece) == PIECE:  # output may be pending inside zlib
                piece = decoder.decompress(b"", PIECE)
                if piece:
                    yield piece
    rest = decoder.flush()
    if rest:
        yield rest


def _size(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n / 1000:g} kB"
