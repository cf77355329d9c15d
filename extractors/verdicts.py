"""First-pass verdicts: link each web claim to studies on the same condition.

Pure functions over plain rows (claims and studies as dicts, as the store
returns them). Weighs evidence by design and size rather than counting votes;
curated facts and finer rules come later.
"""
from __future__ import annotations

import re
from typing import Any

# How much one study counts: a meta-analysis or large RCT outweighs a case series.
DESIGN_WEIGHT = {"meta_analysis": 4.0, "systematic_review": 3.0, "rct": 2.0,
                 "nonrandomized_trial": 1.0, "open_label": 0.7, "observational": 0.7,
                 "case_report": 0.2, "review": 0.5, "preclinical": 0.1, "other": 0.3}
CONTROLLED = {"meta_analysis", "systematic_review", "rct"}
SMALL_N = 30
RATE_KINDS = {"response_rate", "remission_rate"}
UNCHECKED_TYPES = {"mechanism", "regulatory", "cost", "procedure"}
KETAMINE = re.compile(r"\b(?:es|ar|s-|r-)?ketamin", re.I)


def is_ketamine_study(study: dict[str, Any]) -> bool:
    """Evidence must be about ketamine: a trial corpus holds trials of everything."""
    return bool(KETAMINE.search(study.get("intervention") or "")
                or KETAMINE.search(study.get("title") or ""))


def study_weight(study: dict[str, Any]) -> float:
    weight = DESIGN_WEIGHT.get(study.get("design") or "other", 0.3)
    n = study.get("n_randomized")
    if study.get("design") == "rct" and n:
        weight *= 1.5 if n >= 100 else (0.6 if n < SMALL_N else 1.0)
    return weight


def study_reference(study: dict[str, Any]) -> str:
    if study.get("pmid"):
        return f"pmid:{study['pmid']}"
    if study.get("nct_id"):
        return f"nct:{study['nct_id']}"
    return study["source_id"]


def judge_claims(claims: list[dict], studies: list[dict]) -> list[dict]:
    return [judge_claim(c, studies) for c in claims]


def judge_claim(claim: dict[str, Any], studies: list[dict]) -> dict[str, Any]:
    conditions = set(claim.get("conditions") or [])
    relevant = sorted((s for s in studies if conditions & set(s["conditions"])),
                      key=study_weight, reverse=True)
    refs = [study_reference(s) for s in relevant[:5]]

    def verdict(name: str, reason: str, basis: str = "collected", references=None):
        return {"claim_pk": claim["pk"], "verdict": name, "reason": reason,
                "references": refs if references is None else references, "basis": basis}

    if claim["type"] in UNCHECKED_TYPES:
        return verdict("not_checkable", f"{claim['type'].capitalize()} claims are not yet "
                       "checked against curated facts.", basis="none", references=[])
    if not conditions:
        return verdict("not_checkable", "The claim names no condition to look up evidence for.",
                       basis="none", references=[])
    if not relevant:
        return verdict("unsupported", "No collected study addresses "
                       f"{', '.join(sorted(conditions))}.", basis="none", references=[])
    rate = _claimed_rate(claim)
    if rate is not None:
        observed = _observed_rates(relevant)
        if observed:
            top, ref = max(observed)
            if rate > top + 5:
                return verdict("overstated", f"Claims {rate:g}% but the highest response or "
                               f"remission rate in the collected studies is {top:g}%.",
                               references=[ref] + [r for r in refs if r != ref][:4])
    return _weigh(relevant, verdict)


def _weigh(relevant: list[dict], verdict) -> dict[str, Any]:
    positive = sum(study_weight(s) for s in relevant if s.get("significant_primary") is True)
    null = sum(study_weight(s) for s in relevant if s.get("significant_primary") is False)
    controlled = [s for s in relevant if s.get("design") in CONTROLLED]
    if not controlled:
        return verdict("preliminary", f"Only {len(relevant)} uncontrolled or small "
                       "studies address this condition.")
    if positive and null and min(positive, null) >= 0.5 * max(positive, null):
        return verdict("mixed", "Controlled studies on this condition disagree "
                       f"(weighted positive {positive:.1f} vs null {null:.1f}).")
    if positive > null:
        return verdict("supported", f"{len(controlled)} controlled studies address this "
                       "condition and the weight of them reports a significant benefit.")
    if null > positive:
        return verdict("contradicted", "The weight of controlled studies on this condition "
                       "reports no significant benefit.")
    return verdict("preliminary", "Controlled studies exist but none reports a clear "
                   "primary result.")


def _claimed_rate(claim: dict[str, Any]) -> float | None:
    if claim.get("quantity_unit") == "%" and claim["type"] == "efficacy":
        return claim.get("quantity_value")
    return None


def _observed_rates(studies: list[dict]) -> list[tuple[float, str]]:
    return [(o["value"], study_reference(s)) for s in studies for o in s["outcomes"]
            if o["kind"] in RATE_KINDS and o.get("value") is not None and o["value"] <= 100]
