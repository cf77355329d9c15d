"""HTTP plumbing shared by the live collectors: one retrying session, per-host
rate limits, request counting, capped bodies and quarantine of bad payloads.

Every request of a collector goes through `Job.request`, so that it waits for
its host's limiter and is counted in `SourceStats.requests`; urllib3 retries
happen inside the adapter, so `_Retry.sleep` waits and counts for them too.
"""
from __future__ import annotations

import io
import ipaddress
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.util.retry import Retry

from data.records import Document
from data.store import EvidenceStore, IngestCounts
from flows.settings import Settings
from flows.sources import SourceStats
from flows.sources.parsers import ParseError

RETRY_STATUS = (429, 500, 502, 503, 504)
RETRIES = 4
# Waits grow 0, 2, 4, 8 x settings.http_backoff seconds (urllib3 skips the first wait).
BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 60.0          # a longer Retry-After is cut to this, keeping retries bounded
# One API answer: an efetch batch of 500 records is ~5-15 MB, a ClinicalTrials.gov
# page of 1000 studies with results can pass 50 MB.
MAX_API_BODY = 256 * 1024 * 1024
SPOOL_IN_MEMORY = 16 * 1024 * 1024  # copy kept for quarantine; spills to disk beyond
# Servers count arrivals, not sends: a request delayed on its way (a new TLS
# connection, a busy server) followed by one that is not can land in the same
# second, so the window is kept a little longer than the limit's period.
RATE_MARGIN = 0.1
# NCBI and ClinicalTrials.gov date records in US Eastern time. EST's offset is
# used all year: during daylight saving it starts the day an hour early, which
# only widens the overlap with the previous run.
US_EASTERN = -5


class ServiceError(Exception):
    """A service that did not answer usefully after the retries: unreachable,
    an HTTP error, a broken or oversized transfer."""


class TooLarge(Exception):
    """A body beyond its size cap; reading stopped there."""


# -- rate limits -------------------------------------------------------------

class RateLimiter:
    """At most `limit` requests in any `period` seconds, shared by every
    thread of the process (a sliding window of send times)."""

    def __init__(self, limit: int, period: float = 1.0):
        self.limit, self.period = limit, period
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def wait(self) -> None:
        # Holding the lock while sleeping queues the other threads behind us,
        # which is what a shared budget means.
        with self._lock:
            while True:
                now = time.monotonic()
                while self._sent and now - self._sent[0] >= self.period + RATE_MARGIN:
                    self._sent.popleft()
                if len(self._sent) < self.limit:
                    self._sent.append(now)
                    return
                time.sleep(self._sent[0] + self.period + RATE_MARGIN - now)


_limiters: dict[str, RateLimiter] = {}
_limiters_lock = threading.Lock()
_local = threading.local()


def host_key(url: str) -> str:
    u = urlsplit(url)
    return f"{(u.hostname or '').lower()}:{u.port or {'https': 443}.get(u.scheme, 80)}"


def throttle(url: str, limit: int, period: float = 1.0) -> None:
    """Limit every request to `url`'s host (and port) from now on."""
    key = host_key(url)
    with _limiters_lock:
        limiter = _limiters.setdefault(key, RateLimiter(limit, period))
        limiter.limit, limiter.period = limit, period


def _before_attempt(key: str) -> None:
    limiter = _limiters.get(key)
    if limiter is not None:
        limiter.wait()
    _local.attempts = getattr(_local, "attempts", 0) + 1


def _attempts() -> int:
    return getattr(_local, "attempts", 0)


# -- session -----------------------------------------------------------------

class _Retry(Retry):
    """urllib3 Retry whose retries also wait for the host's limiter and count
    as requests (they never pass through `Job.request`)."""

    host: str | None = None

    def increment(self, *args, **kwargs) -> "_Retry":
        new = super().increment(*args, **kwargs)
        pool = kwargs.get("_pool")
        if pool is not None:
            new.host = f"{pool.host.strip('[]').lower()}:{pool.port}"
        return new

    def sleep(self, response=None) -> None:
        super().sleep(response)
        _before_attempt(self.host or "")


# -- public addresses only ----------------------------------------------------

class NonPublicAddress(Exception):
    """A connection reached a loopback, private, link-local or otherwise
    non-public address (deliberately not an OSError: urllib3 would retry it)."""


def is_public_address(address: str) -> bool:
    """A global unicast address ("10.0.0.1", "::1" and "169.254.169.254" are not;
    an IPv4-mapped IPv6 address is judged by its IPv4 part)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    ip = getattr(ip, "ipv4_mapped", None) or ip
    return ip.is_global and not ip.is_multicast


class _PublicOnly:
    """Checks the address a connection actually reached, not the one a
    lookup gave earlier: a host that resolves to a public address for the
    check and to a private one for the connection (DNS rebinding) is refused.
    Through a proxy the peer is the proxy; the check before the request
    still applies to the page's host."""

    def _new_conn(self):
        sock = super()._new_conn()
        if getattr(self, "proxy", None) is None:
            peer = sock.getpeername()[0]
            if not is_public_address(peer):
                sock.close()
                raise NonPublicAddress(f"{self.host} connected to non-public address {peer}")
        return sock


class _PublicHTTPConnection(_PublicOnly, HTTPConnection):
    pass


class _PublicHTTPSConnection(_PublicOnly, HTTPSConnection):
    pass


class _PublicHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


class PublicOnlyAdapter(HTTPAdapter):
    """An adapter whose connections refuse non-public peers (NonPublicAddress)."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _PublicHTTPPool, "https": _PublicHTTPSPool}


def make_session(settings: Settings, *, backoff_factor: float | None = None,
                 retries: int = RETRIES, public_only: bool = False) -> requests.Session:
    """The one session factory: retries with exponential backoff and jitter on
    connection errors, timeouts, 429 and 5xx (POST included: E-utilities
    requests are idempotent), honouring Retry-After; the contact User-Agent.
    `public_only`: connections to non-public addresses raise NonPublicAddress
    (web pages, whose URLs come from outside)."""
    if backoff_factor is None:
        backoff_factor = settings.http_backoff
    retry = _Retry(total=retries, backoff_factor=backoff_factor, backoff_jitter=backoff_factor,
                   backoff_max=BACKOFF_MAX, retry_after_max=RETRY_AFTER_MAX,
                   status_forcelist=RETRY_STATUS, respect_retry_after_header=True,
                   allowed_methods=frozenset({"GET", "HEAD", "POST"}), raise_on_status=False)
    session = requests.Session()
    adapter = (PublicOnlyAdapter if public_only else HTTPAdapter)(max_retries=retry, pool_maxsize=16)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = settings.user_agent
    return session


# -- bodies ------------------------------------------------------------------

class CappedBody(io.RawIOBase):
    """A streamed response body as a file object, decompressed, that raises
    TooLarge past `limit` bytes (gzip bombs included) and can copy what it
    reads to `copy` so that a payload that fails to parse can be quarantined."""

    def __init__(self, resp: requests.Response, limit: int, copy: io.BufferedIOBase | None = None):
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(f"body of {int(declared)} bytes is over the {limit}-byte cap")
        self._raw, self._limit, self._copy, self._seen = resp.raw, limit, copy, 0
        self._raw.decode_content = True

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        self._seen += len(data)
        if self._seen > self._limit:
            raise TooLarge(f"body is over the {self._limit}-byte cap")
        if self._copy is not None:
            self._copy.write(data)
        buffer[:len(data)] = data
        return len(data)


# -- one collection ----------------------------------------------------------

@dataclass
class Job:
    """One source's collection in one run: what every collector needs, and the
    bookkeeping they share (request counts, ingestion, quarantine)."""
    label: str                      # service name for messages: "PubMed"
    store: EvidenceStore
    settings: Settings
    session: requests.Session
    stats: SourceStats
    run_id: int | None
    since: datetime | None          # start of the last successful collection

    def since_date(self, utc_offset_hours: int = 0) -> date | None:
        """The day the last successful collection started, in the service's
        time zone: asking from that day on misses nothing entered later that day."""
        return (self.since + timedelta(hours=utc_offset_hours)).date() if self.since else None

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        """Send one request (streamed, with the settings' timeout); retries
        happen inside the session. Raises requests' exceptions."""
        kwargs.setdefault("timeout", self.settings.timeout)
        kwargs.setdefault("stream", True)
        before = _attempts()
        try:
            _before_attempt(host_key(url))
            return self.session.request(method, url, **kwargs)
        finally:
            self.stats.requests += _attempts() - before

    def call(self, method: str, url: str, **kwargs) -> requests.Response:
        """`request` for an API: ServiceError unless it answers 2xx."""
        try:
            resp = self.request(method, url, **kwargs)
        except requests.RequestException as e:
            raise ServiceError(f"could not reach {self.label} at {url}: {type(e).__name__}: {e}") from e
        if resp.status_code >= 300:
            resp.close()
            raise ServiceError(f"{self.label} answered HTTP {resp.status_code} at {resp.url}")
        return resp

    def fetch(self, url: str, **kwargs) -> bytes:
        """A whole (capped) API body; a broken transfer is ServiceError too."""
        resp = self.call("GET", url, **kwargs)
        try:
            with resp:
                return CappedBody(resp, MAX_API_BODY).read()
        except (TooLarge, requests.RequestException, Urllib3Error) as e:
            raise ServiceError(f"download from {self.label} failed at {url}: {type(e).__name__}: {e}") from e

    def ingest(self, docs: Iterable[Document]) -> IngestCounts:
        counts = self.store.ingest(docs, self.run_id)
        self.stats.counts.add(counts)
        return counts

    def parse_stream(self, resp: requests.Response, parse: Callable[[io.BufferedReader], Iterator[Document]],
                     *, limit: int, ext: str, item: str) -> tuple[list[Document], bool]:
        """Parse a response while it downloads: (documents, complete). When the
        payload is malformed, too large or cut off, the complete records before
        the fault are still returned, and the payload is quarantined."""
        docs: list[Document] = []
        with resp, tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as copy:
            try:
                body = CappedBody(resp, limit, copy)
                docs.extend(parse(io.BufferedReader(body)))
                return docs, True
            except ParseError as e:
                _drain(body)        # quarantine the whole payload, not what lxml had read
                self.quarantine(copy, ext, item, str(e))
            except (TooLarge, Urllib3Error, requests.RequestException) as e:
                self.quarantine(copy, ext, item, f"{type(e).__name__}: {e}")
        return docs, False

    def quarantine(self, payload: bytes | io.IOBase, ext: str, item: str, reason: str,
                   fatal: bool = True) -> Path:
        """Keep a malformed payload for inspection and record the failure. By
        default the collection stops counting as complete (`ok=False`), so
        that the next incremental run asks again for what was lost."""
        folder = Path(self.settings.workdir) / "quarantine"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        n = 1
        while True:
            path = folder / f"{self.stats.source}-{stamp}-{n}.{ext}"
            try:
                with path.open("xb") as fh:
                    _write(fh, payload)
                break
            except FileExistsError:
                n += 1
        self.stats.fail(item, f"malformed payload ({reason}); quarantined at {path}", fatal=fatal)
        return path


def json_pages(job: Job, url: str, params: dict, *,
               read: Callable[[bytes], tuple[dict, list[Document]]],
               next_params: Callable[[dict], dict | None],
               max_pages: int) -> Iterator[tuple[dict, list[Document]]]:
    """Each page of a paged JSON API with its documents, until `next_params`
    has nothing more. A malformed page is quarantined and ends the paging (the
    pages after it cannot be reached); so does `max_pages`, so that a cursor
    that never ends cannot keep a run going."""
    for page in range(1, max_pages + 1):
        body = job.fetch(url, params=params)
        try:
            payload, docs = read(body)
        except ParseError as e:
            job.quarantine(body, "json", f"{url} page {page}", str(e))
            return
        yield payload, docs
        more = next_params(payload)
        if more is None:
            return
        params = {**params, **more}
    job.stats.fail(url, f"stopped after {max_pages} pages: the service kept offering more",
                   fatal=True)


def _drain(body: CappedBody) -> None:
    try:
        while body.read(1024 * 1024):
            pass
    except (TooLarge, Urllib3Error, requests.RequestException):
        pass


def _write(fh, payload: bytes | io.IOBase) -> None:
    if isinstance(payload, (bytes, bytearray)):
        fh.write(payload)
        return
    payload.seek(0)
    while chunk := payload.read(1024 * 1024):
        fh.write(chunk)
