"""Verdicts: check each web claim against the studies and the curated facts.

Pure functions over plain rows: claims as the store returns them (plus the
page context the caller adds), collected studies as `flows.stages` builds
them, and the curated facts of `data/facts/`. A claim is judged by the first
matching check in `claim_checks.toml` (regulatory facts, guarantees, "non-
addictive", ...); else a quantitative claim against the response and
remission rates of controlled trials; else by weighing the studies of each
condition it speaks of by design and size (a meta-analysis or large RCT
outweighs an open-label series; never a bare vote count).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from data.facts import Facts, Trial, load_facts
from extractors.conditions import find_conditions

# How much one study counts: a meta-analysis or large RCT outweighs a case series.
DESIGN_WEIGHT = {"meta_analysis": 4.0, "systematic_review": 3.0, "rct": 2.0,
                 "nonrandomized_trial": 1.0, "open_label": 0.7, "observational": 0.7,
                 "case_report": 0.2, "review": 0.5, "preclinical": 0.1, "other": 0.3}
DESIGN_WORDS = {"meta_analysis": "meta-analysis", "systematic_review": "systematic review",
                "rct": "RCT", "nonrandomized_trial": "non-randomized trial",
                "open_label": "open-label study", "observational": "observational study",
                "case_report": "case report", "review": "review", "other": "study"}
CONTROLLED = {"meta_analysis", "systematic_review", "rct"}
POOLED = {"meta_analysis", "systematic_review"}
NOT_CLINICAL = {"preclinical"}
SMALL_N = 30
RATE_KINDS = {"response_rate", "remission_rate"}
RATE_TYPES = {"efficacy", "onset"}
RATE_TOLERANCE = 5.0        # percentage points a claim may exceed the best trial arm
MAX_REFERENCES = 6
# Which verdict wins when the conditions of one claim disagree: the most telling.
SEVERITY = ("contradicted", "unsupported", "mixed", "preliminary", "supported")
KETAMINE = re.compile(r"\b(?:es|ar|s-|r-)?ketamin", re.I)


def is_ketamine_study(study: dict[str, Any]) -> bool:
    """Evidence must be about ketamine: a trial corpus holds trials of everything."""
    return bool(KETAMINE.search(study.get("intervention") or "")
                or KETAMINE.search(study.get("title") or ""))


def ketamine_studies(docs: dict[int, dict[str, Any]], studies: Iterable[dict[str, Any]],
                     outcomes: dict[int, list[dict[str, Any]]]) -> Iterator[tuple[dict, dict, list[dict]]]:
    """(document, study row, its outcome rows) for each study about ketamine,
    by its intervention or its document's title; `docs` and `outcomes` by `pk`."""
    for study in studies:
        doc = docs[study["document_pk"]]
        if is_ketamine_study({**study, "title": doc["title"]}):
            yield doc, study, outcomes.get(study["document_pk"], [])


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


def study_label(authors: list[str] | None, year: str | None, fallback: str) -> str:
    """"Murrough 2013" from "Murrough JW" (PubMed style); the id when no author is known."""
    if not authors:
        return fallback
    words = authors[0].split()
    if len(words) > 1 and words[-1].isupper() and len(words[-1]) <= 4:
        words = words[:-1]   # drop the initials
    return " ".join(words + [year] if year else words)


def trial_reference(trial: Trial) -> str:
    """PMID, else NCT id, else DOI, else the curated study id."""
    for prefix, value in (("pmid", trial.pmid), ("nct", trial.nct_id), ("doi", trial.doi)):
        if value:
            return f"{prefix}:{value}"
    return f"study:{trial.id}"


def fact_reference(fact_id: str) -> str:
    return f"fact:{fact_id}"


# -- the evidence: curated trials and collected studies in one shape -----------

def curated_study(trial: Trial) -> dict[str, Any]:
    significant = {"yes": True, "no": False, "mixed": "mixed"}.get(trial.significant_primary or "")
    return {"ref": trial_reference(trial), "basis": "curated", "label": trial.label,
            "design": trial.design, "crossover": trial.crossover,
            "n_randomized": trial.n_randomized, "comparator_type": trial.comparator_type,
            "saline": trial.saline_controlled, "conditions": set(trial.conditions),
            "significant": significant, "year": trial.year, "trial_id": trial.id,
            "rates": [{"kind": r.kind, "value": r.value, "arm": r.arm, "control": r.control,
                       "timepoint": r.timepoint} for r in trial.rates],
            "timepoints": [trial.timepoint or ""] + [r.timepoint or "" for r in trial.rates],
            "durability": trial.durability is not None,
            "adverse": trial.adverse_events is not None,
            "ids": {trial.pmid, trial.nct_id, (trial.doi or "").lower() or None} - {None}}


def collected_study(row: dict[str, Any], facts: Facts) -> dict[str, Any]:
    """A study from the store; efficacy evidence for the conditions its title
    names, or (when the title names none) those it measures on their own scales."""
    cues = facts.cues
    targets = set(find_conditions(row.get("title") or ""))
    if not targets:
        measured = {c for m in row.get("measures") or [] for c in facts.measure_conditions.get(m, ())}
        targets = measured & set(row.get("conditions") or [])
    outcomes = row.get("outcomes") or []
    return {"ref": study_reference(row), "basis": "collected", "label": row.get("label") or study_reference(row),
            "design": row.get("design") or "other", "crossover": bool(row.get("crossover")),
            "n_randomized": row.get("n_randomized"), "comparator_type": row.get("comparator_type"),
            "saline": bool(cues["saline"].search(row.get("comparator") or "")),
            "conditions": targets, "significant": row.get("significant_primary"),
            "year": row.get("year"), "trial_id": None,
            "rates": [{"kind": o["kind"], "value": o["value"], "arm": o.get("arm"),
                       "timepoint": o.get("timepoint"),
                       "control": bool(cues["control_arm"].search(o.get("arm") or ""))}
                      for o in outcomes if o.get("value") is not None and o.get("unit") == "%"],
            "timepoints": [o.get("timepoint") or "" for o in outcomes],
            "durability": any(o["kind"] == "relapse_rate" for o in outcomes),
            "adverse": any(o["kind"] == "adverse_event_rate" for o in outcomes),
            "ids": {row.get("pmid"), row.get("nct_id"), (row.get("doi") or "").lower() or None} - {None}}


def gather_evidence(collected: Iterable[dict], facts: Facts) -> list[dict[str, Any]]:
    """Curated trials plus collected ketamine studies; a collected copy of a
    curated trial is dropped (the curated figures were verified by hand)."""
    curated = [curated_study(t) for t in facts.trials]
    known = set().union(*(s["ids"] for s in curated))
    fresh = [collected_study(r, facts) for r in collected if is_ketamine_study(r)]
    return curated + [s for s in fresh if not s["ids"] & known and s["design"] not in NOT_CLINICAL]


# -- the claim's context -----------------------------------------------------

def document_context(title: str, sentences: Iterable[str]) -> tuple[list[str], str]:
    """The conditions a page is about, for claims that name none: those its
    title names, else the ones its sentences name most often ("other" aside)."""
    named = [c for c in find_conditions(title or "") if c != "other"]
    if named:
        return named, "the page title"
    counts = Counter(c for s in sentences for c in find_conditions(s) if c != "other")
    if not counts:
        return [], ""
    top = max(counts.values())
    return [c for c in counts if counts[c] == top], "the conditions the page names most often"


def page_contexts(page: Iterable[dict[str, Any]],
                  sentences: dict[int, list[dict[str, Any]]]) -> dict[int, tuple[list[str], str]]:
    """`document_context` of each page document (by its `pk`), from its sentence rows."""
    return {d["pk"]: document_context(d["title"], [s["text"] for s in sentences.get(d["pk"], [])])
            for d in page}


def claim_conditions(claim: dict[str, Any]) -> tuple[list[str], str]:
    """(conditions to judge the claim for, how they were inferred or "")."""
    if claim.get("conditions"):
        return list(claim["conditions"]), ""
    context = claim.get("context") or {}
    return list(context.get("conditions") or []), context.get("source") or ""


# -- verdicts ----------------------------------------------------------------

@dataclass
class Finding:
    """What the evidence says about one claim (or one of its conditions)."""
    verdict: str
    reason: str
    studies: list[dict[str, Any]] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)


def judge_claims(claims: list[dict], studies: list[dict], facts: Facts | None = None) -> list[dict]:
    facts = facts or load_facts()
    evidence = gather_evidence(studies, facts)
    return [_judge(c, evidence, facts) for c in claims]


def judge_claim(claim: dict[str, Any], studies: list[dict], facts: Facts | None = None) -> dict[str, Any]:
    facts = facts or load_facts()
    return _judge(claim, gather_evidence(studies, facts), facts)


def _judge(claim: dict[str, Any], evidence: list[dict], facts: Facts) -> dict[str, Any]:
    conditions, inferred = claim_conditions(claim)
    finding = _by_rule(claim, conditions, evidence, facts)
    if finding is None:
        finding = _by_condition(claim, conditions, evidence, facts, bool(inferred))
        if inferred:
            finding.reason = (f"The sentence names no condition, so it was judged for "
                              f"{_names(conditions, facts)} (from {inferred}): "
                              f"{_lower_first(finding.reason)}")
    return _verdict_row(claim, finding)


def _by_rule(claim: dict, conditions: list[str], evidence: list[dict], facts: Facts) -> Finding | None:
    """A verdict that does not depend on weighing a condition's studies, if one applies."""
    ctype, text = claim["type"], claim["text"]
    for check in facts.checks:
        if check.applies(ctype, text):
            return _from_check(check, conditions, evidence, facts)
    if ctype in facts.not_checkable:
        return Finding("not_checkable", facts.not_checkable[ctype])
    if ctype != "safety" and not facts.cues["effect"].search(text):
        return Finding("not_checkable", "The sentence names no effect of ketamine that studies "
                       "could measure.")
    if ctype == "safety":
        return _judge_safety(text, conditions, evidence, facts)
    if not conditions:
        return Finding("not_checkable", "Neither the sentence nor its page names a condition "
                       "to look up evidence for.")
    return None


def _by_condition(claim: dict, conditions: list[str], evidence: list[dict], facts: Facts,
                  inferred: bool) -> Finding:
    """A claimed rate against the trials' rates, else the weight of each condition's studies."""
    rate = claimed_rate(claim, facts)
    rate_note = ""
    if rate is not None:
        overstated, rate_note = _judge_rate(*rate, conditions, evidence, facts)
        if overstated:
            return overstated
    scope = _early if claim["type"] == "onset" else None
    finding = _combine(claim["text"], conditions, evidence, facts, scope, inferred)
    if rate_note:
        finding.reason = f"{finding.reason.rstrip('.')}; {rate_note}"
    return finding


def _verdict_row(claim: dict, finding: Finding) -> dict[str, Any]:
    refs = list(dict.fromkeys([s["ref"] for s in finding.studies]
                              + [fact_reference(f) for f in finding.facts]))[:MAX_REFERENCES]
    kinds = {s["basis"] for s in finding.studies} | ({"curated"} if finding.facts else set())
    basis = "both" if len(kinds) > 1 else (kinds.pop() if kinds else "none")
    if finding.verdict in ("unsupported", "not_checkable"):
        refs, basis = [], "none"
    return {"claim_pk": claim["pk"], "verdict": finding.verdict,
            "reason": _sentence(finding.reason), "references": refs, "basis": basis}


# -- checks ------------------------------------------------------------------

def _from_check(check, conditions: list[str], evidence: list[dict], facts: Facts) -> Finding:
    named = [s for s in evidence if s.get("trial_id") in check.trials]
    cited = _cited(check.cite, conditions, evidence, facts) if check.cite else []
    studies = list({s["ref"]: s for s in named + cited}.values())
    return Finding(check.verdict, check.reason, studies, list(check.facts))


def _cited(scope: str, conditions: list[str], evidence: list[dict], facts: Facts) -> list[dict]:
    """The best studies of a check's scope, on the claim's conditions when it names any."""
    if scope in facts.condition_names:
        pool = _relevant(scope, evidence, facts)
    else:
        pool = [s for c in conditions for s in _relevant(c, evidence, facts)] or evidence
        scoped = {"condition": pool, "durability": [s for s in pool if s["durability"]],
                  "early": _early(pool, facts), "adverse": [s for s in pool if s["adverse"]]}[scope]
        pool = scoped or pool
    if scope == "adverse":   # trials that give side-effect rates say most
        return sorted(pool, key=lambda s: (not _ae_rates(s), -study_weight(s)))[:4]
    return _ranked(pool)[:4]


def _ae_rates(study: dict) -> bool:
    return any(r["kind"] == "adverse_event_rate" for r in study["rates"])


# -- rates ---------------------------------------------------------------------

def claimed_rate(claim: dict, facts: Facts) -> tuple[float, str, bool] | None:
    """(value, op, about remission) when the claim states a response-like percentage."""
    text = claim["text"]
    if (claim["type"] not in RATE_TYPES or claim.get("quantity_unit") != "%"
            or claim.get("quantity_value") is None):
        return None
    if not facts.cues["improvement"].search(text) or facts.cues["prevalence"].search(text):
        return None
    return (claim["quantity_value"], claim.get("quantity_op") or "=",
            bool(facts.cues["remission"].search(text)))


def _judge_rate(value: float, op: str, remission: bool, conditions: list[str],
                evidence: list[dict], facts: Facts) -> tuple[Finding | None, str]:
    """An overstated Finding when the claimed rate beats every controlled trial
    arm; otherwise (None, a note on where the claim lies)."""
    pool = list({s["ref"]: s for c in conditions for s in _relevant(c, evidence, facts)
                 if s["design"] in CONTROLLED}.values())
    observed, what = _best_rates(pool, RATE_KINDS), "response or remission"
    if remission:
        observed, what = _best_rates(pool, {"remission_rate"}), "remission"
        if not observed:   # remission is stricter than response: response rates bound it
            observed, what = _best_rates(pool, {"response_rate"}), "even response"
    if not observed:
        return None, "no controlled trial reported a rate to compare the claimed figure with"
    top = observed[0][0]
    lo, hi = min(v for v, _ in observed), top
    span = f"{lo:g}%" if lo == hi else f"{lo:g}% to {hi:g}%"
    if value > top + RATE_TOLERANCE:
        reason = (f"The claim states {_op_word(op)}{value:g}%, but in controlled trials {what} "
                  f"in the ketamine arms ranged from {span} ({_labels([s for _, s in observed])})")
        return Finding("overstated", reason, [s for _, s in observed][:MAX_REFERENCES]), ""
    return None, f"the claimed {value:g}% does not exceed the {span} reported in controlled trials"


def _best_rates(studies: list[dict], kinds: set[str]) -> list[tuple[float, dict]]:
    """Each study's highest non-control rate of these kinds, best first (which favours the claim)."""
    best = []
    for s in studies:
        values = [r["value"] for r in s["rates"]
                  if r["kind"] in kinds and not r["control"] and 0 <= r["value"] <= 100]
        if values:
            best.append((max(values), s))
    return sorted(best, key=lambda pair: -pair[0])


def _op_word(op: str) -> str:
    return {">": "over ", "<": "up to ", "~": "about "}.get(op, "")


# -- safety --------------------------------------------------------------------

def _judge_safety(text: str, conditions: list[str], evidence: list[dict], facts: Facts) -> Finding:
    rule = facts.safety
    studies = _cited("adverse", conditions, evidence, facts)
    if rule.minimising.search(text) and not rule.qualified.search(text):
        return Finding("overstated", rule.overstated, studies, list(rule.facts))
    if rule.minimising.search(text) or rule.transient.search(text):
        return Finding("supported", rule.supported, studies, list(rule.facts))
    return Finding("not_checkable", "The sentence makes no safety statement that trial data "
                   "could confirm or refute.")


# -- weighing the studies of each condition -----------------------------------------

def _relevant(condition: str, evidence: list[dict], facts: Facts) -> list[dict]:
    near = {condition, *facts.related_conditions.get(condition, ())}
    return [s for s in evidence if s["conditions"] & near]


def _ranked(studies: list[dict]) -> list[dict]:
    return sorted(studies, key=study_weight, reverse=True)


def _early(studies: list[dict], facts: Facts) -> list[dict]:
    cue = facts.cues["early_timepoint"]
    return [s for s in studies if any(cue.search(t) for t in s["timepoints"])]


def _substantial(study: dict) -> bool:
    """Controlled and big enough to stand on its own (pooled, or N >= 30)."""
    design = study["design"]
    return design in POOLED or (design == "rct" and (study["n_randomized"] or 0) >= SMALL_N)


def _combine(text: str, conditions: list[str], evidence: list[dict], facts: Facts,
             scope, inferred: bool) -> Finding:
    """Weigh each condition's studies (conditions that share the same studies, such
    as TRD and depression, once) and combine the findings into one verdict."""
    hedged = bool(facts.cues["hedge"].search(text))
    groups: dict[tuple, list[str]] = {}
    for cond in dict.fromkeys(conditions):
        studies = _relevant(cond, evidence, facts)
        scoped = (scope(studies, facts) if scope is not None else []) or studies
        groups.setdefault(tuple(s["ref"] for s in scoped), []).append(cond)
    findings = {}
    for conds in groups.values():
        studies = _relevant(conds[0], evidence, facts)
        scoped = scope(studies, facts) if scope is not None else []
        finding = _weigh(_names(conds, facts), scoped or studies, hedged)
        if scoped:
            finding.reason = f"Within a day, {_lower_first(finding.reason)}"
        findings[_names(conds, facts)] = finding
    if inferred and any(f.verdict != "unsupported" for f in findings.values()):
        # The page's other conditions were not claimed: judge on those with evidence.
        findings = {c: f for c, f in findings.items() if f.verdict != "unsupported"}
    verdicts = {f.verdict for f in findings.values()}
    studies = [s for f in findings.values() for s in f.studies]
    if len(findings) == 1:
        return next(iter(findings.values()))
    if "supported" in verdicts and len(verdicts) > 1 and not (inferred or hedged):
        return Finding("overstated", _wider_reason(findings), studies)
    verdict = next(v for v in SEVERITY if v in verdicts)
    reasons = [f.reason.rstrip(".") for f in findings.values()]
    return Finding(verdict, "; ".join(reasons[:1] + [_lower_first(r) for r in reasons[1:]]), studies)


def _wider_reason(findings: dict[str, Finding]) -> str:
    good = [name for name, f in findings.items() if f.verdict == "supported"]
    weak = {"preliminary": "preliminary", "mixed": "mixed", "unsupported": "absent",
            "contradicted": "negative"}
    rest = [f"{weak[f.verdict]} for {name}" for name, f in findings.items()
            if f.verdict != "supported"]
    return (f"The studies support the claim for {_join(good)}, but the evidence is "
            f"{_join(rest)}, so the claim reaches beyond what the studies show")


def _weigh(name: str, studies: list[dict], hedged: bool) -> Finding:
    ranked = _ranked(studies)
    if not ranked:
        return Finding("unsupported", f"No ketamine study of {name} was found among the collected "
                       "documents or the curated trials")
    if not any(_substantial(s) for s in ranked):
        cited = ranked[:4]
        if hedged:
            return Finding("supported", f"The claim is tentative, which fits the only evidence on "
                           f"{name}: small or uncontrolled studies ({_describe(cited)})", cited)
        return Finding("preliminary", f"Only small or uncontrolled studies address {name} "
                       f"({_describe(cited)}){_caveats(cited)}", cited)
    pos = [s for s in ranked if s["significant"] is True]
    partial = [s for s in ranked if s["significant"] == "mixed"]
    # An active-comparator trial that misses its endpoint (ketamine vs ECT) says
    # ketamine is not better than ECT, not that it does nothing.
    null = [s for s in ranked if s["significant"] is False and s["comparator_type"] != "active"]
    half = sum(study_weight(s) for s in partial) / 2
    wpos, wnull = sum(map(study_weight, pos)) + half, sum(map(study_weight, null)) + half
    if pos and (null or partial) and min(wpos, wnull) >= 0.5 * max(wpos, wnull):
        return Finding("mixed", f"Controlled studies of {name} disagree: {_disagreement(pos, null, partial)}"
                       f"{_caveats(pos[:3])}", pos[:3] + null[:2] + partial[:2])
    if wpos > wnull and pos:
        dissent = f"; {_labels(null[:2])} found none" if null else ""
        return Finding("supported", f"The weight of controlled evidence on {name} shows a benefit "
                       f"({_describe(pos[:3])}){dissent}{_caveats(pos[:3])}", pos[:4] + null[:1])
    if wnull > wpos and null:
        return Finding("contradicted", f"The weightier controlled studies of {name} found no "
                       f"benefit ({_describe(null[:3])})", null[:4] + pos[:1])
    return Finding("preliminary", f"Studies of {name} exist but none reports a clear primary "
                   f"result ({_describe(ranked[:3])})", ranked[:4])


def _disagreement(pos: list[dict], null: list[dict], partial: list[dict]) -> str:
    parts = [f"{_labels(pos[:3])} found a benefit"]
    if null:
        parts.append(f"{_labels(null[:3])} found none")
    if partial:
        parts.append(f"{_labels(partial[:3])} found only a partial or uncertain one")
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def _caveats(studies: list[dict]) -> str:
    saline = [s for s in studies if s["saline"]]
    if not saline:
        return ""
    return (f"; {_labels(saline)} compared ketamine with saline, which patients can tell apart, "
            "so the effect may be inflated by unblinding")


# -- wording -------------------------------------------------------------------

def _describe(studies: list[dict]) -> str:
    return "; ".join(f"{s['label']}: {_design_words(s)}" for s in studies)


def _design_words(study: dict) -> str:
    words = DESIGN_WORDS.get(study["design"], "study")
    if study["crossover"]:
        words = f"crossover {words}"
    if study["n_randomized"]:
        words += f", N={study['n_randomized']}"
    outcome = {True: "benefit", False: "no benefit", "mixed": "partial benefit"}.get(study["significant"])
    return f"{words}, {outcome}" if outcome else words


def _labels(studies: list[dict]) -> str:
    return ", ".join(s["label"] for s in studies)


def _names(conditions: Iterable[str], facts: Facts) -> str:
    return _join([facts.condition_names.get(c, c) for c in conditions])


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(".") else text + "."
