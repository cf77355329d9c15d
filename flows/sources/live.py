"""The live sources and the one entry point the pipeline calls for each.

`collect_source` never raises: whatever goes wrong ends up in the returned
SourceStats, and every batch fetched before a failure is already stored.
"""
from __future__ import annotations

from typing import Iterable

import requests

from data.store import EvidenceStore
from data.topics import queries_for
from flows.settings import LIVE_SOURCES, Settings
from flows.sources import SourceStats
from flows.sources import clinicaltrials, europepmc, pubmed, web
from flows.sources.http import Job, ServiceError, make_session

LABELS = {"pubmed": "PubMed", "europepmc": "Europe PMC", "ctgov": "ClinicalTrials.gov",
          "web": "web pages"}


def collect_source(name: str, store: EvidenceStore, settings: Settings, conditions: list[str],
                   run_id: int | None, *, urls: Iterable[str] = (), pmids: Iterable[str] = (),
                   full_text: bool = False, session: requests.Session | None = None) -> SourceStats:
    """Collect one live source into `store`, asking only for what is new since
    its last successful run; web pages also fetch `urls`, PubMed also the
    records `pmids` names. Pass a session from `http.make_session` to share
    connections; without one (and always for web pages, unless private URLs
    are allowed) a session is made and closed here."""
    stats = SourceStats(name)
    if name not in LIVE_SOURCES:
        stats.fail(name, f"unknown live source {name!r}; live sources: {', '.join(LIVE_SOURCES)}",
                   fatal=True)
        return stats
    public_only = name == "web" and not settings.allow_private_urls
    own = session is None or public_only       # web pages get a session that refuses private peers
    session = make_session(settings, public_only=public_only) if own else session
    try:
        job = Job(LABELS[name], store, settings, session, stats, run_id,
                  store.last_successful_collection(name))
        _collect(job, conditions, list(urls), list(pmids), full_text)
    except ServiceError as e:
        stats.fail(name, str(e), fatal=True)
    except Exception as e:  # noqa: BLE001 - the contract: a source's failure is data, not a crash
        stats.fail(name, f"{type(e).__name__}: {e}", fatal=True)
    finally:
        if own:
            session.close()
    return stats


def _collect(job: Job, conditions: list[str], urls: list[str], pmids: list[str],
             full_text: bool) -> None:
    name = job.stats.source
    if name == "web":
        web.collect(job, urls)
        return
    queries = queries_for(conditions)
    if name == "pubmed":
        pubmed.collect(job, queries.pubmed, pmids)
    elif name == "europepmc":
        europepmc.collect(job, queries.europepmc, full_text=full_text)
    else:
        clinicaltrials.collect(job, queries.ctgov_cond, queries.ctgov_intr)
