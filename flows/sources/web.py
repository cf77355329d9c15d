"""Watched web pages (clinic sites, information pages), fetched politely.

robots.txt is obeyed (cached a day per site in the store), each host gets at
most one request per second (or its Crawl-delay), a page is asked for again
only with its validators so an unchanged page costs no body, bodies are
capped, redirects are followed by hand so every hop is checked, and URLs that
resolve to private or loopback addresses are refused (SSRF) unless
the settings allow private URLs: checked before each request, and again on
the address each connection reaches (DNS rebinding). Each fetched page is archived as a WARC record.
"""
from __future__ import annotations

import io
import socket
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from htmldate import find_date
from protego import Protego
from urllib3.exceptions import HTTPError as Urllib3Error
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from data.records import Document
from data.store import EvidenceStore
from data.topics import WATCHLIST_FILE, watchlist_urls
from flows.settings import Settings
from flows.sources import SourceStats
from flows.sources.http import CappedBody, Job, NonPublicAddress, TooLarge, is_public_address, make_session, throttle
from flows.sources.parsers import parse_html

ROBOTS_AGENT = "ketamine-evidence"
ROBOTS_TTL = timedelta(days=1)
MAX_PAGE = 5 * 1024 * 1024         # decompressed bytes of one page
MAX_ROBOTS = 500 * 1024            # RFC 9309: parse at least 500 KiB
DEFAULT_DELAY = 1.0                # seconds between requests to one host
MAX_CRAWL_DELAY = 60.0             # a site asking for more is not fetched: it would stall the run
MAX_REDIRECTS = 5
HTML_TYPES = ("text/html", "application/xhtml+xml")
ARCHIVE = Path("archive") / "pages.warc.gz"
_archive_lock = threading.Lock()


class PageError(Exception):
    """This page cannot be collected; the message says why."""


class RefusedAddress(PageError):
    """The page's host is, or connected to, a non-public address."""


def collect(job: Job, urls: list[str] | tuple[str, ...] = ()) -> None:
    """The watchlist's pages and `urls`. A page that fails is reported and the
    others go on; the source fails only when no page could be collected."""
    watchlist = Path(job.settings.watchlist or WATCHLIST_FILE)
    pages = list(dict.fromkeys([*watchlist_urls(watchlist), *urls]))
    robots = Robots(job)
    collected = 0
    for url in pages:
        try:
            collect_page(job, robots, url)
            collected += 1
        except PageError as e:
            job.stats.fail(url, str(e))
        except Exception as e:  # noqa: BLE001 - one odd page must not stop the others
            job.stats.fail(url, f"unexpected {type(e).__name__}: {e}")
    if pages and not collected:
        job.stats.ok = False


def collect_page(job: Job, robots: "Robots", url: str) -> None:
    """Fetch one page unless unchanged, archive it, store it, keep its validators."""
    state = job.store.get_state("web", url) or {}
    fetched = download_page(job, robots, url, _validators(state))
    if fetched is None:
        job.stats.counts.unchanged += 1
        return
    resp, body = fetched
    doc = page_document(body, resp.url)
    warc = archive(Path(job.settings.workdir), resp, body)
    job.ingest([doc])
    job.store.set_state("web", url, {
        "etag": resp.headers.get("ETag"), "last_modified": resp.headers.get("Last-Modified"),
        "final_url": resp.url, "document_id": doc.id, "fetched_at": _now().isoformat(),
        "warc": warc})


def download_page(job: Job, robots: "Robots", url: str,
                  headers: dict[str, str]) -> tuple[requests.Response, bytes] | None:
    """The page's final response and capped body; None when unchanged (304)."""
    resp = follow(job, url, headers, robots)
    with resp:
        if resp.status_code == 304:
            return None
        if resp.status_code != 200:
            raise PageError(f"HTTP {resp.status_code} at {resp.url}")
        kind = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind not in HTML_TYPES:
            raise PageError(f"not an HTML page ({kind or 'no Content-Type'}) at {resp.url}")
        try:
            return resp, CappedBody(resp, MAX_PAGE).read()
        except TooLarge as e:
            raise PageError(f"refused {resp.url}: {e}") from e
        except (requests.RequestException, Urllib3Error) as e:
            raise PageError(f"download of {resp.url} failed: {type(e).__name__}: {e}") from e


def page_document(body: bytes, url: str) -> Document:
    doc = parse_html(body, url)
    doc.published = find_date(body, url=url, original_date=True) or doc.published
    return doc


def fetch_document(url: str, settings: Settings) -> Document:
    """One page for `ketamine-evidence extract URL`: the same checks as a run
    (scheme, public host, robots.txt, redirects, size cap), nothing remembered."""
    store = EvidenceStore("sqlite://")        # in memory: a one-off fetch keeps no state
    with make_session(settings, public_only=not settings.allow_private_urls) as session:
        job = Job("web pages", store, settings, session, SourceStats("web"), None, None)
        fetched = download_page(job, Robots(job), url, {})
    if fetched is None:
        raise PageError(f"{url} answered 304 Not Modified to a request without validators")
    return page_document(fetched[1], fetched[0].url)


def _validators(state: dict) -> dict[str, str]:
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    return headers


def follow(job: Job, url: str, headers: dict[str, str], robots: "Robots | None") -> requests.Response:
    """GET with redirects followed by hand: every hop must be http(s), public
    and allowed by its site's robots.txt; at most MAX_REDIRECTS hops, no loops."""
    seen = {url}
    for _ in range(MAX_REDIRECTS + 1):
        check_url(url, job.settings.allow_private_urls)
        if robots is not None:
            robots.check(url)
        try:
            resp = job.request("GET", url, headers=headers, allow_redirects=False)
        except NonPublicAddress as e:
            raise RefusedAddress(f"refused {url}: {e}") from e
        except requests.RequestException as e:
            raise PageError(f"could not reach {url}: {type(e).__name__}: {e}") from e
        if not resp.is_redirect:
            return resp
        resp.close()
        target = urljoin(url, resp.headers["Location"])
        if target in seen:
            raise PageError(f"redirect loop: {url} -> {target}")
        seen.add(target)
        url = target
    raise PageError(f"more than {MAX_REDIRECTS} redirects, last to {url}")


def check_url(url: str, allow_private: bool = False) -> None:
    """Only http(s) URLs whose host resolves to public addresses (no SSRF into
    the machine's own network), unless `allow_private` (settings.allow_private_urls)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PageError(f"not an http(s) URL: {url}")
    if allow_private:
        return
    try:
        addresses = resolve(parts.hostname)
    except OSError as e:
        raise PageError(f"cannot resolve {parts.hostname}: {e}") from e
    for address in addresses:
        if not is_public_address(address):
            raise RefusedAddress(f"refused {url}: {parts.hostname} resolves to non-public address {address}")


def resolve(host: str) -> list[str]:
    """The addresses `host` resolves to now (the connection resolves again:
    the session's adapter checks the address it reached, see http.PublicOnlyAdapter)."""
    return [sockaddr[0] for *_, sockaddr in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]


class Robots:
    """robots.txt rules per site (scheme://host:port) for one run; each site
    also gets its request spacing (DEFAULT_DELAY or a larger Crawl-delay)."""

    def __init__(self, job: Job):
        self.job = job
        self._rules: dict[str, Protego | None] = {}

    def check(self, url: str) -> None:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._rules:
            self._rules[site] = self._load(site)
        rules = self._rules[site]
        if rules is None:
            raise PageError(f"robots.txt of {site} is unreachable or failing (5xx); not fetching from it")
        if not rules.can_fetch(url, ROBOTS_AGENT):
            raise PageError(f"disallowed by robots.txt: {url}")
        delay = rules.crawl_delay(ROBOTS_AGENT) or 0
        if delay > MAX_CRAWL_DELAY:
            raise PageError(f"robots.txt of {site} asks for {delay:g} s between requests; not fetching")

    def _load(self, site: str) -> Protego | None:
        """Rules from the store when fetched less than a day ago, else from the
        site: 2xx its rules, 4xx allow all, 5xx / 429 / unreachable None (not
        cached, so the next run asks again)."""
        throttle(site, 1, DEFAULT_DELAY)
        cached = self.job.store.get_state("robots", site)
        if not (cached and _now() - datetime.fromisoformat(cached["fetched_at"]) < ROBOTS_TTL):
            cached = self._fetch(site)
            if cached is None:
                return None
            self.job.store.set_state("robots", site, cached)
        rules = Protego.parse(cached["body"] if 200 <= cached["status"] < 300 else "")
        delay = max(DEFAULT_DELAY, rules.crawl_delay(ROBOTS_AGENT) or 0)
        throttle(site, 1, min(delay, MAX_CRAWL_DELAY))   # beyond it `check` refuses the site
        return rules

    def _fetch(self, site: str) -> dict | None:
        try:
            with follow(self.job, f"{site}/robots.txt", {}, robots=None) as resp:
                status = resp.status_code
                body = CappedBody(resp, MAX_ROBOTS).read() if 200 <= status < 300 else b""
        except RefusedAddress:
            raise                   # not an unreachable robots.txt: the page is refused for the same reason
        except (PageError, TooLarge, requests.RequestException, Urllib3Error):
            return None
        if status >= 500 or status == 429:
            return None
        return {"fetched_at": _now().isoformat(), "status": status,
                "body": body.decode("utf-8", errors="replace")}


def archive(workdir: Path, resp: requests.Response, body: bytes) -> dict:
    """Append the page as a gzipped WARC response record; where to find it."""
    path = workdir / ARCHIVE
    path.parent.mkdir(parents=True, exist_ok=True)
    # The body is stored decoded, so the transfer headers no longer apply.
    headers = [(k, v) for k, v in resp.headers.items()
               if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")]
    headers.append(("Content-Length", str(len(body))))
    http_headers = StatusAndHeaders(f"{resp.status_code} {resp.reason}", headers, protocol="HTTP/1.1")
    with _archive_lock, path.open("ab") as fh:
        offset = fh.tell()
        writer = WARCWriter(fh, gzip=True)
        record = writer.create_warc_record(resp.url, "response", payload=io.BytesIO(body),
                                           length=len(body), http_headers=http_headers)
        writer.write_record(record)
    return {"file": str(ARCHIVE), "offset": offset,
            "record_id": record.rec_headers.get_header("WARC-Record-ID")}


def _now() -> datetime:
    return datetime.now(timezone.utc)
