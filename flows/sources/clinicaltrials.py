"""ClinicalTrials.gov API v2 /studies, paged by nextPageToken.

Each study becomes a trial Document whose `trial` dict (built by the parser)
holds the registry data and posted results.
"""
from __future__ import annotations

from data.records import Document
from flows.sources.http import US_EASTERN, Job, json_pages
from flows.sources.parsers import iter_ctgov_studies, next_page_token
from flows.sources.parsers.ctgov_json import load_payload

MAX_PAGES = 100


def collect(job: Job, cond: str, intr: str) -> None:
    """Studies matching the condition and intervention queries, updated
    (LastUpdatePostDate) since the last successful run."""
    params = {"query.cond": cond, "query.intr": intr, "pageSize": job.settings.ctgov_page_size, "format": "json"}
    if since := job.since_date(US_EASTERN):
        params["filter.advanced"] = f"AREA[LastUpdatePostDate]RANGE[{since:%Y-%m-%d},MAX]"
    for _, docs in json_pages(job, f"{job.settings.ctgov_url}/studies", params, read=_read,
                           next_params=_next, max_pages=MAX_PAGES):
        job.ingest(docs)


def _read(body: bytes) -> tuple[dict, list[Document]]:
    payload = load_payload(body)
    return payload, list(iter_ctgov_studies(payload))


def _next(payload: dict) -> dict | None:
    token = next_page_token(payload)
    return {"pageToken": token} if token else None
