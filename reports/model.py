"""What a report shows, read from the store once: claims, studies, outcomes, sources.

Every number keeps its provenance (document id, sentence index, sentence).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data.records import CLAIM_TYPES, CONDITIONS, VERDICTS
from data.store import EvidenceStore, RunRecord
from extractors.verdicts import is_ketamine_study

UNSPECIFIED = "unspecified"   # claims that name no condition


@dataclass
class ConditionSection:
    condition: str
    claims: list[dict[str, Any]] = field(default_factory=list)
    studies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sources(self) -> int:
        return len({c["source_id"] for c in self.claims} | {s["source_id"] for s in self.studies})

    @property
    def verdict_counts(self) -> dict[str, int]:
        counts = Counter(c["verdict"] for c in self.claims)
        return {v: counts[v] for v in VERDICTS if counts[v]}

    def claims_by_type(self) -> list[tuple[str, list[dict[str, Any]]]]:
        return [(t, [c for c in self.claims if c["claim_type"] == t])
                for t in CLAIM_TYPES if any(c["claim_type"] == t for c in self.claims)]


@dataclass
class ReportData:
    """Studies and outcomes are those about ketamine; sources are all documents."""
    run: RunRecord
    sections: list[ConditionSection]
    claims: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    studies: list[dict[str, Any]]


def load_report_data(store: EvidenceStore, run_id: int, workdir: Path) -> ReportData:
    docs = {d["pk"]: d for d in store.latest_documents()}
    pks = list(docs)
    sentences = {(s["document_pk"], s["i"]): s["text"] for s in store.rows_for("sentences", pks)}
    claim_rows = store.rows_for("claims", [pk for pk, d in docs.items() if d["kind"] == "web"])
    verdicts = store.verdicts_for([c["pk"] for c in claim_rows])
    claims = [_claim(c, docs[c["document_pk"]], verdicts.get(c["pk"]), workdir) for c in claim_rows]
    studies = [s for s in (_study(s, docs[s["document_pk"]]) for s in store.rows_for("studies", pks))
               if is_ketamine_study(s)]
    study_by_doc = {s["document_pk"]: s for s in studies}
    outcomes = [_outcome(o, docs[o["document_pk"]], study_by_doc[o["document_pk"]], sentences)
                for o in store.rows_for("outcomes", list(study_by_doc))]
    per_doc = Counter(pk for pk, _ in sentences)
    sources = [_source(d, run_id, per_doc[pk]) for pk, d in docs.items()]
    return ReportData(store.get_run(run_id), _sections(claims, studies), claims,
                      outcomes, sources, studies)


def _sections(claims: list[dict], studies: list[dict]) -> list[ConditionSection]:
    sections = {c: ConditionSection(c) for c in (*CONDITIONS, UNSPECIFIED)}
    for claim in claims:
        for cond in claim["conditions"] or [UNSPECIFIED]:
            sections[cond].claims.append(claim)
    for study in studies:
        for cond in study["conditions"]:
            sections[cond].studies.append(study)
    ordered = [sections[c] for c in CONDITIONS]
    if sections[UNSPECIFIED].claims:
        ordered.append(sections[UNSPECIFIED])
    return ordered


def link_for(source: str | None) -> str | None:
    """A link a reader can follow: web URLs as they are, local files as file: URIs."""
    if not source:
        return None
    if source.startswith(("http://", "https://")):
        return source
    path = Path(source)
    return path.resolve().as_uri() if path.exists() else None


def _claim(c: dict, doc: dict, verdict: dict | None, workdir: Path) -> dict[str, Any]:
    quantity = None
    if c["quantity_value"] is not None:
        quantity = f"{c['quantity_op']}{c['quantity_value']:g} {c['quantity_unit']}".strip()
    archived = (workdir / doc["raw_location"]).resolve().as_uri() if doc["raw_location"] else None
    return {"pk": c["pk"], "source_id": doc["source_id"], "source": doc["source"],
            "title": doc["title"], "link": link_for(doc["source"]), "archived": archived,
            "sentence_i": c["sentence_i"], "sentence": c["text"], "claim_type": c["type"],
            "conditions": c["conditions"], "quantity": quantity, "evidence": c["evidence"],
            "citations": c["citations"],
            "verdict": verdict["verdict"] if verdict else "not_checkable",
            "reason": verdict["reason"] if verdict else "No verdict was computed for this claim.",
            "references": verdict["references"] if verdict else [],
            "basis": verdict["basis"] if verdict else "none"}


def _study(s: dict, doc: dict) -> dict[str, Any]:
    rec = doc["record"]
    return {**s, "source_id": doc["source_id"], "title": doc["title"],
            "year": (doc["published"] or "")[:4] or None, "pmid": doc["pmid"],
            "nct_id": doc["nct_id"], "doi": doc["doi"], "link": link_for(doc["source"]),
            "conditions": doc["conditions"] or [], "kind": doc["kind"],
            "journal": rec.get("journal"), "authors": rec.get("authors") or [],
            "abstract": rec.get("text") or ""}


def _outcome(o: dict, doc: dict, study: dict, sentences: dict) -> dict[str, Any]:
    return {"document_id": doc["source_id"], "pmid": doc["pmid"], "nct_id": doc["nct_id"],
            "design": study["design"], "n_randomized": study["n_randomized"],
            "conditions": doc["conditions"] or [], "measure": o["measure"], "kind": o["kind"],
            "arm": o["arm"], "value": o["value"], "unit": o["unit"], "ci_low": o["ci_low"],
            "ci_high": o["ci_high"], "p": o["p"], "timepoint": o["timepoint"],
            "direction": o["direction"], "sentence_i": o["sentence_i"],
            "sentence": sentences.get((o["document_pk"], o["sentence_i"]), "")}


def _source(d: dict, run_id: int, n_sentences: int) -> dict[str, Any]:
    scores = d["scores"] or {}
    if d["extracted_at"] is None:
        status = "not extracted"
    elif d["run_id"] != run_id:
        status = "unchanged"
    else:
        status = "updated" if d["version"] > 1 else "new"
    return {"source_id": d["source_id"], "kind": d["kind"], "source": d["source"],
            "title": d["title"], "link": link_for(d["source"]),
            "sentences": n_sentences,
            "promotional_share": scores.get("promotional"),
            "cited_share": scores.get("cited_share"),
            "risk_disclosure": scores.get("risk_disclosure"), "status": status}

