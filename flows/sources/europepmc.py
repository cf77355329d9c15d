"""Europe PMC REST search (core JSON, cursor paging) and open-access full text.

Europe PMC also serves every PubMed record; a record already stored from
PubMed is left alone, so that the two renderings of one article do not make
a new version each run.
"""
from __future__ import annotations

from data.records import Document
from flows.sources.http import Job, ServiceError, json_pages
from flows.sources.parsers import ParseError, iter_europepmc_results, iter_jats_articles, next_cursor
from flows.sources.parsers.europepmc_json import load_payload

MAX_PAGES = 200                       # 200,000 records: far beyond any topic here
PUBMED_FORMATS = ("pubmed_xml", "medline")


def collect(job: Job, query: str, full_text: bool = False) -> None:
    """Records matching `query` first indexed or updated since the last
    successful run; their open-access full text too when `full_text`."""
    if since := job.since_date():            # Europe PMC dates in UK time, never behind UTC
        day = f"{since:%Y-%m-%d}"
        query = f"({query}) AND (FIRST_IDATE:[{day} TO 3000-01-01] OR UPDATE_DATE:[{day} TO 3000-01-01])"
    params = {"query": query, "resultType": "core", "format": "json", "pageSize": job.settings.europepmc_page_size,
              "cursorMark": "*"}
    pages = json_pages(job, f"{job.settings.europepmc_url}/search", params, read=_read,
                       next_params=_next, max_pages=MAX_PAGES)
    for payload, docs in pages:
        _store(job, docs)
        if full_text:
            _full_texts(job, payload)


def _read(body: bytes) -> tuple[dict, list[Document]]:
    payload = load_payload(body)
    return payload, list(iter_europepmc_results(payload))


def _next(payload: dict) -> dict | None:
    cursor = next_cursor(payload)
    return {"cursorMark": cursor} if cursor else None


def _store(job: Job, docs: list[Document]) -> None:
    """Ingest the page, except records whose latest stored version is PubMed's
    (counted as unchanged)."""
    formats = job.store.latest_raw_formats([d.id for d in docs if d.pmid])
    from_pubmed = {i for i, f in formats.items() if f in PUBMED_FORMATS}
    job.ingest(d for d in docs if d.id not in from_pubmed)
    job.stats.counts.unchanged += len(from_pubmed)


def _full_texts(job: Job, payload: dict) -> None:
    """JATS full text of the page's open-access records, stored as
    "pmc:<PMCID>" so that the abstract record keeps its identity and versions.
    A missing full text is reported but does not make the collection incomplete."""
    for r in payload["resultList"].get("result") or []:
        pmcid = r.get("pmcid")
        if not (pmcid and r.get("isOpenAccess") == "Y" and r.get("inEPMC") == "Y"):
            continue
        try:
            body = job.fetch(f"{job.settings.europepmc_url}/{pmcid}/fullTextXML")
            texts = list(iter_jats_articles(body, origin="europepmc"))
        except ServiceError as e:
            job.stats.fail(pmcid, str(e))
            continue
        except ParseError as e:
            job.quarantine(body, "xml", pmcid, str(e), fatal=False)
            continue
        for text in texts:
            text.id = f"pmc:{pmcid}"
        job.ingest(texts)
