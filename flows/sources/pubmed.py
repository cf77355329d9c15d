"""PubMed through NCBI E-utilities: esearch on the history server, efetch in
batches of 500 parsed while they download. Records asked for by PMID
(`run --pmid`) are POSTed to efetch in the same batches.

NCBI allows 3 requests/second without an API key and 10 with one; PubMed
esearch cannot reach past the 10,000th id of a query, so a bigger result is
split by Entrez date until every slice fits.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Iterator

from lxml import etree

from flows.sources.http import MAX_API_BODY, US_EASTERN, Job, ServiceError, throttle
from flows.sources.parsers import iter_pubmed_articles

MAX_IDS = 10_000
EARLIEST = date(1800, 1, 1)


@dataclass(frozen=True)
class Search:
    """One esearch kept on the history server."""
    count: int
    webenv: str
    query_key: str
    span: str                  # the Entrez dates it covers, for messages


def collect(job: Job, query: str, pmids: Iterable[str] = ()) -> None:
    """The records `pmids` names, then everything matching `query` entered
    since the last successful run. The ids come first: a search that fails
    cannot lose them, and a record found both ways is stored once."""
    _throttle(job)
    fetch_ids(job, pmids)
    lo = job.since_date(US_EASTERN)
    hi = _tomorrow() if lo else None
    for search in _searches(job, query, lo, hi):
        batch = job.settings.pubmed_batch
        for start in range(0, search.count, batch):
            _efetch(job, {"WebEnv": search.webenv, "query_key": search.query_key,
                          "retstart": start, "retmax": batch},
                    item=f"efetch {search.span} records {start + 1}-{min(start + batch, search.count)}")


def fetch_ids(job: Job, pmids: Iterable[str]) -> None:
    """Explicit PMIDs, POSTed in batches of settings.pubmed_batch (a long id
    list does not fit in a URL). A batch the service fails is reported and the
    next one is still asked for: unlike a search's pages, the batches are
    independent."""
    _throttle(job)
    ids = list(dict.fromkeys(pmids))
    batch = job.settings.pubmed_batch
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        item = f"efetch ids {chunk[0]}..{chunk[-1]}"
        try:
            _efetch(job, {"id": ",".join(chunk)}, item=item, post=True)
        except ServiceError as e:
            job.stats.fail(item, str(e), fatal=True)


def _throttle(job: Job) -> None:
    s = job.settings
    throttle(s.eutils_url, s.ncbi_requests_per_second_with_key if s.ncbi_api_key
             else s.ncbi_requests_per_second)


def _params(job: Job, **params) -> dict:
    s = job.settings
    extra = {"tool": s.tool_name, "email": s.contact_email, "api_key": s.ncbi_api_key}
    return {"db": "pubmed", **params, **{k: v for k, v in extra.items() if v}}


def _tomorrow() -> date:
    # Entrez dates are US Eastern: a day of margin so nothing entered "today" is missed.
    return datetime.now(timezone.utc).date() + timedelta(days=1)


def _searches(job: Job, query: str, lo: date | None, hi: date | None) -> Iterator[Search]:
    """Searches of at most 10,000 records each, halving the date range as needed."""
    search = _esearch(job, query, lo, hi)
    if search is None:
        return
    if search.count <= MAX_IDS:
        yield search
        return
    lo, hi = lo or EARLIEST, hi or _tomorrow()
    if lo >= hi:
        job.stats.fail(f"esearch {search.span}", f"{search.count} records entered on one day; "
                       f"only the first {MAX_IDS} can be fetched", fatal=True)
        yield replace(search, count=MAX_IDS)
        return
    mid = lo + (hi - lo) // 2
    yield from _searches(job, query, lo, mid)
    yield from _searches(job, query, mid + timedelta(days=1), hi)


def _esearch(job: Job, query: str, lo: date | None, hi: date | None) -> Search | None:
    """Count and history keys of one search (retmax=0: the ids stay on the server);
    None when the answer is malformed (then it is quarantined)."""
    span = f"{lo:%Y/%m/%d}-{hi:%Y/%m/%d}" if lo and hi else "all dates"
    dates = {"datetype": "edat", "mindate": f"{lo:%Y/%m/%d}", "maxdate": f"{hi:%Y/%m/%d}"} if lo and hi else {}
    url = f"{job.settings.eutils_url}/esearch.fcgi"
    body = job.fetch(url, params=_params(job, term=query, usehistory="y", retmax=0, **dates))
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as e:
        job.quarantine(body, "xml", f"esearch {span}", f"invalid XML: {e}")
        return None
    if root.findtext("ERROR"):
        raise ServiceError(f"PubMed refused the search at {url}: {root.findtext('ERROR')}")
    count, webenv, key = root.findtext("Count"), root.findtext("WebEnv"), root.findtext("QueryKey")
    if not (count or "").isdigit() or (int(count) and not (webenv and key)):
        job.quarantine(body, "xml", f"esearch {span}", "esearch answer without Count, WebEnv or QueryKey")
        return None
    return Search(int(count), webenv or "", key or "", span)


def _efetch(job: Job, params: dict, item: str, post: bool = False) -> None:
    url = f"{job.settings.eutils_url}/efetch.fcgi"
    params = _params(job, retmode="xml", **params)
    resp = job.call("POST", url, data=params) if post else job.call("GET", url, params=params)
    docs, complete = job.parse_stream(resp, iter_pubmed_articles, limit=MAX_API_BODY,
                                      ext="xml", item=item)
    job.ingest(docs)
    if complete and not docs:
        # An expired WebEnv or an error page parses as an empty set: not silence.
        job.stats.fail(item, "efetch returned no articles", fatal=True)
