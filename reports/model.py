"""What a report shows, read from the store once: claims, studies, outcomes, sources.

Every number keeps its provenance (document id, sentence index, sentence);
curated trials keep their source URLs. Claims are shown under the conditions
they were judged for: those the sentence names, else the page's (marked as
inferred).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from data.facts import Facts, Trial, load_facts
from data.records import CLAIM_TYPES, CONDITIONS, VERDICTS
from data.store import EvidenceStore, RunRecord, by_document
from extractors.verdicts import (RATE_KINDS, claimed_rate, fact_reference, ketamine_studies,
                                 page_contexts, study_label, study_reference, trial_reference)
from reports.charts import evidence_map, rate_chart
from reports.sources_view import indicators, source_view

UNSPECIFIED = "unspecified"   # claims that name no condition and whose page names none
SIGNIFICANCE = {True: "yes", False: "no", None: ""}


@dataclass
class ConditionSection:
    condition: str
    name: str = ""
    claims: list[dict[str, Any]] = field(default_factory=list)
    studies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sources(self) -> int:
        return len({c["source_id"] for c in self.claims} | {s["source_id"] for s in self.studies})

    @property
    def verdict_counts(self) -> dict[str, int]:
        return _verdict_counts(self.claims)

    def claims_by_type(self) -> list[tuple[str, list[dict[str, Any]]]]:
        return [(t, [c for c in self.claims if c["claim_type"] == t])
                for t in CLAIM_TYPES if any(c["claim_type"] == t for c in self.claims)]

    def evidence_map(self):
        return evidence_map(self.studies)

    def rate_chart(self):
        rates = [dict(r, label=s["label"]) for s in self.studies for r in s["rates"]
                 if r["kind"] in RATE_KINDS]
        claimed = [(c["claimed_rate"], f"claimed {c['claimed_rate']:g}%") for c in self.claims
                   if c["claimed_rate"] is not None]
        return rate_chart(rates, claimed)


@dataclass
class ReportData:
    """Studies and outcomes are those about ketamine (collected ones in `studies`,
    curated ones in `trials`); sources are all documents. What grows with the
    store, the sources and the pages' texts, is read again at each use."""
    run: RunRecord
    sections: list[ConditionSection]
    claims: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    sources: "SourceRows"
    studies: list[dict[str, Any]]
    trials: list[dict[str, Any]]
    facts: list[dict[str, Any]]
    references: dict[str, dict[str, Any]]
    source_views: "SourceViews"
    changes: dict[str, Any] | None = None

    @property
    def verdict_counts(self) -> dict[str, int]:
        return _verdict_counts(self.claims)

    @property
    def basis_counts(self) -> dict[str, int]:
        return dict(Counter(c["basis"] for c in self.claims))


class SourceRows:
    """The sources table, one row per document, read from the store a page at a
    time whenever it is iterated; `web` rows are the web pages alone."""

    def __init__(self, store: EvidenceStore, run_id: int, indicators: dict[str, dict],
                 count: int, web_count: int):
        self.store, self.run_id, self.indicators = store, run_id, indicators
        self.count, self.web_count = count, web_count

    def pages(self, web: bool | None = None) -> Iterator[list[dict[str, Any]]]:
        for page in self.store.latest_document_pages(web=web, record=False):
            counts = self.store.sentence_counts([d["pk"] for d in page])
            yield [{**_source(d, self.run_id, counts.get(d["pk"], 0)),
                    **self.indicators.get(d["source_id"], {})} for d in page]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (row for page in self.pages() for row in page)

    @property
    def web(self) -> Iterator[dict[str, Any]]:
        return (row for page in self.pages(web=True) for row in page)


class SourceViews:
    """Each web page's sentences with their labels and claims, and its scorecard,
    read from the store a page at a time whenever it is iterated."""

    def __init__(self, store: EvidenceStore, claims: list[dict], facts: Facts):
        self.store, self.claims_by_doc, self.facts = store, by_document(claims), facts

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for page in self.store.latest_document_pages(web=True):
            sentences = self.store.rows_by_document("sentences", [d["pk"] for d in page])
            for d in page:
                yield source_view(d, sentences.get(d["pk"], []), self.claims_by_doc.get(d["pk"], []),
                                  self.facts)


def _verdict_counts(claims: list[dict]) -> dict[str, int]:
    counts = Counter(c["verdict"] for c in claims)
    return {v: counts[v] for v in VERDICTS if counts[v]}


def load_report_data(store: EvidenceStore, run_id: int, workdir: Path,
                     facts: Facts | None = None) -> ReportData:
    """Read the store a page of documents at a time, keeping what the report
    shows in full (ketamine studies and outcomes, web claims) and counts."""
    facts = facts or load_facts()
    studies, outcomes, count = [], [], 0
    for page in store.latest_document_pages():
        page_studies, page_outcomes = _page_evidence(store, page, facts)
        studies += page_studies
        outcomes += page_outcomes
        count += len(page)
    claims, scorecards = [], {}
    for page in store.latest_document_pages(web=True):
        page_claims, page_scorecards = _page_claims(store, page, workdir, facts)
        claims += page_claims
        scorecards.update(page_scorecards)
    trials = [_trial(t) for t in facts.trials]
    references = _reference_index(studies, trials, facts)
    for claim in claims:
        claim["reference_links"] = [references.get(r) or {"ref": r, "label": r, "url": None}
                                    for r in claim["references"]]
    return ReportData(store.get_run(run_id), _sections(claims, studies + trials, facts), claims,
                      outcomes, SourceRows(store, run_id, scorecards, count, len(scorecards)),
                      studies, trials, [_fact(f) for f in facts.regulatory.values()], references,
                      SourceViews(store, claims, facts))


def _page_evidence(store: EvidenceStore, page: list[dict], facts: Facts) -> tuple[list[dict], list[dict]]:
    """The ketamine studies among some documents, and their outcomes with the
    sentences that report them."""
    docs = {d["pk"]: d for d in page}
    outcome_rows = store.rows_for("outcomes", list(docs))
    outcomes_by_doc = by_document(outcome_rows)
    study_rows = store.rows_for("studies", list(docs))
    studies = [_study(s, doc, found, facts)
               for doc, s, found in ketamine_studies(docs, study_rows, outcomes_by_doc)]
    study_by_doc = {s["document_pk"]: s for s in studies}
    sentences = {(s["document_pk"], s["i"]): s["text"]
                 for s in store.rows_for("sentences", [pk for pk in study_by_doc if pk in outcomes_by_doc])}
    outcomes = [_outcome(o, docs[o["document_pk"]], study_by_doc[o["document_pk"]], sentences)
                for o in outcome_rows if o["document_pk"] in study_by_doc]
    return studies, outcomes


def _page_claims(store: EvidenceStore, page: list[dict], workdir: Path,
                 facts: Facts) -> tuple[list[dict], dict[str, dict]]:
    """The claims of some web pages with their verdicts, and each page's scorecard indicators."""
    docs = {d["pk"]: d for d in page}
    sentences = store.rows_by_document("sentences", list(docs))
    context = page_contexts(page, sentences)
    claim_rows = store.rows_for("claims", list(docs))
    verdicts = store.verdicts_for([c["pk"] for c in claim_rows])
    claims = [_claim(c, docs[c["document_pk"]], verdicts.get(c["pk"]), context[c["document_pk"]],
                     workdir, facts) for c in claim_rows]
    by_doc = by_document(claims)
    return claims, {d["source_id"]: indicators(d, sentences.get(pk, []), by_doc.get(pk, []), facts)
                    for pk, d in docs.items()}


def _sections(claims: list[dict], studies: list[dict], facts: Facts) -> list[ConditionSection]:
    sections = {c: ConditionSection(c, facts.condition_names.get(c, c)) for c in CONDITIONS}
    sections[UNSPECIFIED] = ConditionSection(UNSPECIFIED, "claims naming no condition")
    for claim in claims:
        for cond in claim["judged_for"] or [UNSPECIFIED]:
            sections[cond].claims.append(claim)
    for study in studies:
        for cond in study["conditions"]:
            sections[cond].studies.append(study)
    for section in sections.values():
        section.studies.sort(key=lambda s: (-(int(s["year"] or 0)), s["label"]))
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


def id_links(pmid: str | None, nct_id: str | None, doi: str | None) -> list[dict[str, str]]:
    """PubMed, registry and DOI links for a study."""
    links = []
    if pmid:
        links.append({"text": f"PubMed {pmid}", "url": f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"})
    if nct_id:
        links.append({"text": nct_id, "url": f"https://clinicaltrials.gov/study/{nct_id}"})
    if doi:
        links.append({"text": f"doi:{doi}", "url": f"https://doi.org/{doi}"})
    return links


def _claim(c: dict, doc: dict, verdict: dict | None, context: tuple, workdir: Path,
           facts: Facts) -> dict[str, Any]:
    quantity = None
    if c["quantity_value"] is not None:
        quantity = f"{c['quantity_op']}{c['quantity_value']:g} {c['quantity_unit']}".strip()
    archived = (workdir / doc["raw_location"]).resolve().as_uri() if doc["raw_location"] else None
    judged_for = c["conditions"] or context[0]
    return {"pk": c["pk"], "document_pk": c["document_pk"], "source_id": doc["source_id"],
            "source": doc["source"], "title": doc["title"], "link": link_for(doc["source"]),
            "archived": archived, "sentence_i": c["sentence_i"], "sentence": c["text"],
            "claim_type": c["type"], "conditions": c["conditions"], "judged_for": judged_for,
            "conditions_inferred": bool(judged_for) and not c["conditions"],
            "quantity": quantity, "claimed_rate": (claimed_rate(c, facts) or (None,))[0],
            "evidence": c["evidence"], "citations": c["citations"],
            "verdict": verdict["verdict"] if verdict else "not_checkable",
            "reason": verdict["reason"] if verdict else "No verdict was computed for this claim.",
            "references": verdict["references"] if verdict else [],
            "basis": verdict["basis"] if verdict else "none"}


def _study(s: dict, doc: dict, outcomes: list[dict], facts: Facts) -> dict[str, Any]:
    rec = doc["record"]
    year = (doc["published"] or "")[:4] or None
    rates = [{"kind": o["kind"], "arm": o["arm"], "value": o["value"], "timepoint": o["timepoint"],
              "control": bool(facts.cues["control_arm"].search(o["arm"] or ""))}
             for o in outcomes if o["unit"] == "%" and o["value"] is not None]
    return {**s, "source_id": doc["source_id"], "title": doc["title"], "year": year,
            "pmid": doc["pmid"], "nct_id": doc["nct_id"], "doi": doc["doi"],
            "link": link_for(doc["source"]), "conditions": doc["conditions"] or [],
            "kind": doc["kind"], "journal": rec.get("journal"), "authors": rec.get("authors") or [],
            "abstract": rec.get("text") or "", "basis": "collected",
            "ref": study_reference({**s, **doc}),
            "label": study_label(rec.get("authors"), year, doc["source_id"]),
            "n": s["n_randomized"], "design_detail": "crossover RCT" if s["crossover"] else "",
            "measure": ", ".join(s["measures"]), "timepoint": _first(o["timepoint"] for o in outcomes),
            "result": _result_text(outcomes), "significance": SIGNIFICANCE.get(s["significant_primary"], ""),
            "saline": "saline" in (s["comparator"] or "").lower(), "rates": rates,
            "links": id_links(doc["pmid"], doc["nct_id"], doc["doi"])}


def _first(values) -> str:
    return next((v for v in values if v), "")


def _result_text(outcomes: list[dict]) -> str:
    """The study's reported numbers, in the order its sentences give them."""
    parts = []
    for o in outcomes:
        if o["value"] is None:
            continue
        what = (o["measure"] or o["kind"]).replace("_", " ")
        arm = f" ({o['arm']})" if o["arm"] else ""
        ci = f" [{o['ci_low']:g}, {o['ci_high']:g}]" if o["ci_low"] is not None else ""
        p = f", p {o['p']}" if o["p"] else ""
        parts.append(f"{what}{arm}: {o['value']:g}{o['unit'] or ''}{ci}{p}")
    return "; ".join(parts[:5])


def _trial(t: Trial) -> dict[str, Any]:
    """A curated trial in the shape of a collected study row, for tables and RIS."""
    return {"source_id": f"study:{t.id}", "ref": trial_reference(t), "basis": "curated",
            "label": t.label, "title": t.label, "year": str(t.year) if t.year else None,
            "design": t.design, "design_detail": t.design_detail, "crossover": t.crossover,
            "n": t.n_randomized, "n_randomized": t.n_randomized,
            "comparator": t.comparator, "comparator_type": t.comparator_type,
            "measure": t.measure, "measures": [t.measure], "timepoint": t.timepoint or "",
            "result": t.result, "significance": t.significant_primary or "",
            "durability": t.durability, "adverse_events": t.adverse_events,
            "saline": t.saline_controlled, "conditions": list(t.conditions),
            "pmid": t.pmid, "nct_id": t.nct_id, "doi": t.doi, "journal": t.journal,
            "authors": [], "abstract": t.result, "kind": "curated", "sources": list(t.sources),
            "link": t.sources[0], "intervention": t.intervention,
            "rates": [{"kind": r.kind, "arm": r.arm, "value": r.value, "timepoint": r.timepoint,
                       "control": r.control} for r in t.rates],
            "links": id_links(t.pmid, t.nct_id, t.doi) + [{"text": "source", "url": t.sources[0]}]}


def _fact(f) -> dict[str, Any]:
    return {"ref": fact_reference(f.id), "id": f.id, "statement": f.statement, "note": f.note,
            "sources": list(f.sources)}


def _reference_index(studies: list[dict], trials: list[dict], facts: Facts) -> dict[str, dict]:
    """Every reference a verdict may cite, with a label and a link to follow."""
    index = {s["ref"]: {"ref": s["ref"], "label": s["label"], "basis": "collected",
                        "url": (s["links"][0]["url"] if s["links"] else s["link"])} for s in studies}
    for t in trials:
        url = t["links"][0]["url"] if t["links"] else t["link"]
        index[t["ref"]] = {"ref": t["ref"], "label": t["label"], "basis": "curated", "url": url}
    for f in facts.regulatory.values():
        ref = fact_reference(f.id)
        index[ref] = {"ref": ref, "label": f.id.replace("_", " "), "basis": "curated",
                      "url": f.sources[0]}
    return index


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
