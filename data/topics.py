"""What the live sources look for: search topics (data/topics.toml) and the
web pages to watch (data/watchlist.toml)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

TOPICS_FILE = Path(__file__).with_name("topics.toml")
WATCHLIST_FILE = Path(__file__).with_name("watchlist.toml")
_CONDITION_TERMS = ("pubmed", "europepmc", "ctgov_cond")   # per condition, per service


@dataclass(frozen=True)
class Queries:
    """One query per service for a set of conditions."""
    conditions: tuple[str, ...]
    pubmed: str
    europepmc: str
    ctgov_cond: str          # ClinicalTrials.gov query.cond
    ctgov_intr: str          # ClinicalTrials.gov query.intr


def load_topics(path: Path = TOPICS_FILE) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def queries_for(conditions: Iterable[str] | None = None, path: Path = TOPICS_FILE) -> Queries:
    """The queries for `conditions` (all of them when None or empty): the drug
    terms AND any of the conditions' terms. Raises ValueError naming the valid
    conditions when one is unknown."""
    topics = load_topics(path)
    known = topics["conditions"]
    chosen = list(dict.fromkeys(conditions or known))
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise ValueError(f"unknown condition(s) {', '.join(unknown)}; "
                         f"valid conditions: {', '.join(sorted(known))}")
    drug = topics["drug"]
    terms = {s: " OR ".join(f"({known[c][s]})" for c in chosen) for s in _CONDITION_TERMS}
    return Queries(
        conditions=tuple(chosen),
        pubmed=f"({drug['pubmed']}) AND ({terms['pubmed']})",
        europepmc=f"({drug['europepmc']}) AND ({terms['europepmc']})",
        ctgov_cond=terms["ctgov_cond"],
        ctgov_intr=drug["ctgov_intr"])


def watchlist_urls(path: Path = WATCHLIST_FILE) -> list[str]:
    with open(path, "rb") as fh:
        return [page["url"] for page in tomllib.load(fh).get("page", [])]
