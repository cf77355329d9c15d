"""Record types shared by every stage: what sources produce and extractors return.

Plain dataclasses, no I/O: sources build `Document`s, extractors turn a
`Document` into an `Extraction`, the store persists both.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

# Vocabularies from DESIGN.md; the JSON Schema in data/schema repeats them.
CONDITIONS = ("trd", "depression", "ptsd", "ocd", "chronic_pain", "acute_pain",
              "anxiety", "bipolar", "suicidality", "substance_use", "other")
# Document kinds that are studies (their claims are findings; see extractors.findings).
SCIENTIFIC_KINDS = ("abstract", "trial")
LABELS = ("promotional", "call_to_action", "claim", "evidence_vague",
          "evidence_cited", "hedge", "risk_disclosure")
CLAIM_TYPES = ("efficacy", "onset", "durability", "safety", "mechanism",
               "regulatory", "cost", "procedure")
DESIGNS = ("meta_analysis", "systematic_review", "rct", "nonrandomized_trial",
           "open_label", "observational", "case_report", "review",
           "preclinical", "other")
OUTCOME_KINDS = ("response_rate", "remission_rate", "relapse_rate", "mean_change",
                 "mean_difference", "effect_size", "odds_ratio", "hazard_ratio",
                 "risk_ratio", "adverse_event_rate", "other")
VERDICTS = ("supported", "mixed", "preliminary", "overstated", "contradicted",
            "misleading", "unsupported", "not_checkable")


@dataclass
class Document:
    """One collected document, before extraction.

    `id` is stable across versions of the same document ("pmid:23982301",
    "pmc:PMC1065070", "nct:NCT01920555", "url:https://...", "file:seeds/a.txt");
    the store versions it by `content_hash`.
    """
    id: str
    kind: str                      # web | abstract | trial
    title: str
    text: str                      # main text; for abstracts the abstract
    source: str                    # URL or file path a reader can follow
    origin: str                    # collector: pubmed, europepmc, ctgov, web, files
    raw_format: str                # pubmed_xml, medline, jats, europepmc_json, ctgov_json, html, markdown, text
    sections: list[tuple[str, str]] = field(default_factory=list)  # structured abstract (label, text)
    url: str | None = None
    published: str | None = None   # ISO date, as precise as known ("2013", "2013-10")
    authors: list[str] = field(default_factory=list)
    journal: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None
    nct_id: str | None = None
    publication_types: list[str] = field(default_factory=list)
    mesh_terms: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)   # outbound links (web pages)
    trial: dict[str, Any] | None = None              # structured registry data (ctgov)
    raw: bytes | None = field(default=None, repr=False)  # original payload, archived by the store

    def content_hash(self) -> str:
        """Hash of everything that matters for extraction; `raw` is left out
        so that whitespace in a re-exported file does not make a new version."""
        payload = self.to_dict()
        payload.pop("raw", None)
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=list)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sections"] = [list(s) for s in self.sections]
        d.pop("raw", None)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Document":
        d = dict(d)
        d["sections"] = [tuple(s) for s in d.get("sections") or []]
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass
class Sentence:
    i: int
    text: str
    labels: list[str] = field(default_factory=list)
    hype_terms: list[str] = field(default_factory=list)


@dataclass
class Quantity:
    value: float
    unit: str
    op: str  # = > < ~


@dataclass
class Claim:
    sentence: int
    text: str
    type: str
    conditions: list[str] = field(default_factory=list)
    quantity: Quantity | None = None
    evidence: str = "none"   # cited | vague | none
    citations: list[str] = field(default_factory=list)


@dataclass
class Study:
    design: str
    crossover: bool = False
    n_randomized: int | None = None
    intervention: str | None = None
    comparator: str | None = None
    comparator_type: str | None = None  # placebo | active_placebo | active | none
    measures: list[str] = field(default_factory=list)
    significant_primary: bool | None = None


@dataclass
class Outcome:
    sentence: int
    kind: str
    measure: str | None = None
    arm: str | None = None
    value: float | None = None
    unit: str | None = None
    ci: tuple[float, float] | None = None
    p: str | None = None
    timepoint: str | None = None
    direction: str | None = None  # benefit | harm | no_difference


@dataclass
class Extraction:
    """The extraction record of DESIGN.md (`ketamine-evidence extract` output)."""
    id: str
    kind: str
    title: str
    source: str
    conditions: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    study: Study | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for o in d["outcomes"]:
            o["ci"] = list(o["ci"]) if o["ci"] is not None else None
        return d
