"""ClinicalTrials.gov API v2 JSON (one study or a /studies page) -> trial Documents."""
from __future__ import annotations

import json
from typing import Any, Iterator

from data.records import Document
from flows.sources.parsers._common import ParseError, norm_ws, unique

STUDY_URL = "https://clinicaltrials.gov/study/{}"


def load_payload(data: bytes | str) -> dict[str, Any]:
    try:
        payload = json.loads(data)
    except ValueError as e:
        raise ParseError(f"invalid JSON: {e}") from None
    if not isinstance(payload, dict):
        raise ParseError("not a ClinicalTrials.gov v2 response: top level is not an object")
    if "FullStudiesResponse" in payload:
        raise ParseError("unsupported: ClinicalTrials.gov API v1 FullStudiesResponse "
                         "(API v1 is retired; fetch the studies from API v2)")
    if "protocolSection" not in payload and not isinstance(payload.get("studies"), list):
        raise ParseError("not a ClinicalTrials.gov v2 response: no protocolSection or studies")
    return payload


def iter_ctgov_studies(payload: dict[str, Any] | bytes | str) -> Iterator[Document]:
    if not isinstance(payload, dict):
        payload = load_payload(payload)
    studies = [payload] if "protocolSection" in payload else payload.get("studies") or []
    for study in studies:
        yield parse_study(study)


def next_page_token(payload: dict[str, Any]) -> str | None:
    return payload.get("nextPageToken") or None


def parse_study(study: dict[str, Any]) -> Document:
    p = study.get("protocolSection") or {}
    ident = p.get("identificationModule") or {}
    nct = ident.get("nctId")
    if not nct:
        raise ParseError("ClinicalTrials.gov study without identificationModule.nctId")
    desc = p.get("descriptionModule") or {}
    sections = [(label, norm_ws(desc.get(key))) for label, key in
                (("Brief Summary", "briefSummary"), ("Detailed Description", "detailedDescription"))
                if desc.get(key)]
    trial = trial_record(study)
    url = STUDY_URL.format(nct)
    derived = study.get("derivedSection") or {}
    return Document(
        id=f"nct:{nct}", kind="trial", title=ident.get("officialTitle") or ident.get("briefTitle") or "",
        text="\n\n".join([text for _, text in sections] + _outcome_sentences(trial)),
        source=url, origin="ctgov", raw_format="ctgov_json", sections=sections, url=url,
        published=_get(p, "statusModule", "studyFirstPostDateStruct", "date"),
        nct_id=nct, keywords=unique(_get(p, "conditionsModule", "keywords") or []),
        mesh_terms=unique(m.get("term") for module in ("conditionBrowseModule", "interventionBrowseModule")
                          for m in _get(derived, module, "meshes") or []),
        trial=trial, raw=json.dumps(study, ensure_ascii=False).encode("utf-8"))


def trial_record(study: dict[str, Any]) -> dict[str, Any]:
    """The protocol and results in the normalised shape the extractors read."""
    p = study.get("protocolSection") or {}
    design = p.get("designModule") or {}
    info = design.get("designInfo") or {}
    arms = p.get("armsInterventionsModule") or {}
    outcomes = p.get("outcomesModule") or {}
    results = study.get("resultsSection")
    return {
        "phase": design.get("phases") or [],
        "study_type": design.get("studyType"),
        "allocation": info.get("allocation"),
        "intervention_model": info.get("interventionModel"),
        "masking": _get(info, "maskingInfo", "masking"),
        "enrollment": _int(_get(design, "enrollmentInfo", "count")),
        "enrollment_type": _get(design, "enrollmentInfo", "type"),
        "conditions": _get(p, "conditionsModule", "conditions") or [],
        "study_population": _get(p, "eligibilityModule", "studyPopulation"),
        "interventions": [{"type": i.get("type"), "name": i.get("name")}
                          for i in arms.get("interventions") or []],
        "arms": [{"label": a.get("label"), "type": a.get("type"),
                  "interventions": a.get("interventionNames") or []}
                 for a in arms.get("armGroups") or []],
        "primary_outcomes": _planned(outcomes.get("primaryOutcomes")),
        "secondary_outcomes": _planned(outcomes.get("secondaryOutcomes")),
        "overall_status": _get(p, "statusModule", "overallStatus"),
        "last_update": _get(p, "statusModule", "lastUpdatePostDateStruct", "date"),
        "has_results": bool(study.get("hasResults") or results),
        "results": _results(results) if results else None,
    }


def _planned(outcomes) -> list[dict[str, Any]]:
    return [{"measure": o.get("measure"), "time_frame": o.get("timeFrame")} for o in outcomes or []]


def _results(results: dict[str, Any]) -> dict[str, Any]:
    measures = _get(results, "outcomeMeasuresModule", "outcomeMeasures") or []
    return {"outcome_measures": [_outcome_measure(m) for m in measures],
            "adverse_events": _adverse_events(results.get("adverseEventsModule") or {})}


def _outcome_measure(m: dict[str, Any]) -> dict[str, Any]:
    counts = {c.get("groupId"): _int(c.get("value"))
              for d in (m.get("denoms") or [])[:1] for c in d.get("counts") or []}
    return {
        "type": m.get("type"), "title": m.get("title"), "time_frame": m.get("timeFrame"),
        "unit": m.get("unitOfMeasure"), "param_type": m.get("paramType"),
        "groups": [{"id": g.get("id"), "title": g.get("title"), "n": counts.get(g.get("id"))}
                   for g in m.get("groups") or []],
        "values": [value for c in m.get("classes") or [] for value in _class_values(c)],
        "analyses": [_analysis(a) for a in m.get("analyses") or []],
    }


def _class_values(cls: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per group and category; `category` names the class/category
    ("Week 4", "Fat") when the measure has several."""
    for cat in cls.get("categories") or []:
        label = " / ".join(t for t in (cls.get("title"), cat.get("title")) if t) or None
        for v in cat.get("measurements") or []:
            yield {"group": v.get("groupId"), "category": label, "value": _num(v.get("value")),
                   "spread": _num(v.get("spread")), "lower": _num(v.get("lowerLimit")),
                   "upper": _num(v.get("upperLimit"))}


def _analysis(a: dict[str, Any]) -> dict[str, Any]:
    return {"groups": a.get("groupIds") or [], "p_value": a.get("pValue"),
            "method": a.get("statisticalMethod"), "param_type": a.get("paramType"),
            "param_value": _num(a.get("paramValue")), "ci_lower": _num(a.get("ciLowerLimit")),
            "ci_upper": _num(a.get("ciUpperLimit")), "ci_pct": _num(a.get("ciPctValue"))}


def _adverse_events(ae: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Rows per event term and group; `group` is the group's title."""
    titles = {g.get("id"): g.get("title") or g.get("id") for g in ae.get("eventGroups") or []}
    return {kind: [{"term": e.get("term"), "group": titles.get(s.get("groupId"), s.get("groupId")),
                    "affected": _int(s.get("numAffected")), "at_risk": _int(s.get("numAtRisk"))}
                   for e in ae.get(key) or [] for s in e.get("stats") or []]
            for kind, key in (("serious", "seriousEvents"), ("other", "otherEvents"))}


def _outcome_sentences(trial: dict[str, Any]) -> list[str]:
    lines = []
    for kind in ("primary", "secondary"):
        for o in trial[f"{kind}_outcomes"]:
            frame = f" (time frame: {o['time_frame']})" if o.get("time_frame") else ""
            lines.append(f"{kind.capitalize()} outcome: {norm_ws(o.get('measure'))}{frame}.")
    return ["\n".join(lines)] if lines else []


def _get(d: dict[str, Any], *keys: str):
    for key in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def _num(value):
    """Registry numbers are strings ("83.7", "NA", "<0.0001"): a float where it
    parses, the string as given otherwise."""
    if value is None or isinstance(value, (int, float)):
        return value
    try:
        return float(value)
    except ValueError:
        return value


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
