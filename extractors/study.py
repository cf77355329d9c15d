"""The study behind an abstract or a registry record: design, size, arms, measures.

- design: from the registry record (`doc.trial`), else PubMed publication
  types, else text cues (`data/lexicons/design.toml`), title first;
- n_randomized: "N = 73", "73 patients were randomized", "randomly assigned
  120 patients", arm sizes summed ("ketamine (n = 47) or midazolam (n = 25)"
  -> 72), "two groups of 30"; then enrolled/included counts; registry
  enrollment when ACTUAL;
- intervention: ketamine / esketamine / arketamine, with the dose if stated;
- comparator and comparator_type (placebo | active_placebo | active | none);
- measures: rating scales named (`measures.toml`);
- significant_primary: from the primary-outcome sentence, else the first
  result with a significance cue, else the conclusions.

`doc.trial` may be the raw ClinicalTrials.gov v2 study (`protocolSection`...)
or a flat dict with keys `study_type`, `allocation`, `intervention_model`,
`masking`, `enrollment` (int or {"count", "type"}), `enrollment_type`,
`arms` ([{"label", "type", "interventions"|"interventionNames"}]),
`interventions` ([{"name", "type"}]), `primary_p_values` ([str]) or `results`
({"outcome_measures": [{"type": "PRIMARY", "analyses": [{"p_value"}]}]}, the
shape of flows/sources/parsers/ctgov_json.py).
"""
from __future__ import annotations

import re
from functools import cache
from typing import Any, Sequence

from data import lexicons
from data.records import Document, Study
from extractors.quantities import parse_number

_DOSE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?(?:\s*(?:-|–|to|or)\s*\d+(?:\.\d+)?)?)\s?"
                   r"(mg/kg(?:/h(?:our)?|/min)?|µg/kg(?:/h)?|μg/kg(?:/h)?|mcg/kg(?:/h)?|mg|µg|mcg|ng/ml)\b", re.I)
_P_VALUE = re.compile(
    r"(?<![\w.])p\s*(?:-?\s*values?\s*)?(?P<op><=|>=|≤|≥|<|>|=|&lt;|&gt;)\s*(?P<v>0?\.\d+|\d(?:\.\d+)?)", re.I)


# ----------------------------------------------------------------- sections

def section_role(label: str | None) -> str | None:
    """background | methods | results | conclusions | registration | None."""
    if not label:
        return None
    lab = re.sub(r"[^a-z' ]+", " ", label.lower()).strip()
    lab = re.sub(r"\s+", " ", lab)
    secs = lexicons.design().sections
    for role, names in secs.items():
        if lab in names:
            return role
    for role, names in secs.items():
        for name in names:
            if lab.startswith(name + " ") or lab.startswith(name):
                return role
    return None


# -------------------------------------------------------------- registry data

def trial_view(trial: dict[str, Any] | None) -> dict[str, Any]:
    """A flat view of `doc.trial`, raw ClinicalTrials.gov v2 or already flat."""
    if not trial:
        return {}
    ps = trial.get("protocolSection", trial)
    design_mod = ps.get("designModule") or {}
    info = design_mod.get("designInfo") or {}
    enroll = design_mod.get("enrollmentInfo") or {}
    arms_mod = ps.get("armsInterventionsModule") or {}
    flat = {
        "study_type": trial.get("study_type") or design_mod.get("studyType"),
        "allocation": trial.get("allocation") or info.get("allocation"),
        "intervention_model": trial.get("intervention_model") or info.get("interventionModel"),
        "masking": trial.get("masking") or (info.get("maskingInfo") or {}).get("masking"),
        "arms": trial.get("arms") or arms_mod.get("armGroups") or [],
        "interventions": trial.get("interventions") or arms_mod.get("interventions") or [],
        "primary_p_values": list(trial.get("primary_p_values") or []),
    }
    enr = trial.get("enrollment", enroll)
    if isinstance(enr, dict):
        flat["enrollment"] = enr.get("count")
        flat["enrollment_type"] = trial.get("enrollment_type") or enr.get("type")
    else:
        flat["enrollment"] = enr
        flat["enrollment_type"] = trial.get("enrollment_type")
    results = trial.get("resultsSection") or {}
    measures = (results.get("outcomeMeasuresModule") or {}).get("outcomeMeasures") or []
    normalised = trial.get("results") or {}                 # flows/sources/parsers/ctgov_json.py
    if isinstance(normalised, dict):
        measures = list(measures) + list(normalised.get("outcome_measures") or [])
    for om in measures:
        if str(om.get("type", "")).upper() == "PRIMARY":
            for an in om.get("analyses") or []:
                pv = an.get("pValue") or an.get("p_value")
                if pv:
                    flat["primary_p_values"].append(str(pv))
    return flat


def _design_from_trial(tv: dict[str, Any]) -> str | None:
    if not tv:
        return None
    st = str(tv.get("study_type") or "").upper()
    alloc = str(tv.get("allocation") or "").upper()
    model = str(tv.get("intervention_model") or "").upper()
    if st.startswith("OBSERVATIONAL"):
        return "observational"
    if alloc == "RANDOMIZED":
        return "rct"
    if alloc in ("NON_RANDOMIZED", "NONRANDOMIZED", "NON-RANDOMIZED"):
        return "nonrandomized_trial"
    if model == "SINGLE_GROUP":
        return "open_label"
    if st.startswith("INTERVENTIONAL"):
        return "other"
    return None


# ------------------------------------------------------------------- design

def _design_from_pubtypes(pubtypes: Sequence[str]) -> str | None:
    have = {p.strip().lower() for p in pubtypes or ()}
    for ptype, design in lexicons.design().publication_types:
        if ptype in have and design != "other":
            return design
    return None


def _design_from_text(title: str, text: str) -> str | None:
    """Design from text cues; `text` is the title and body joined."""
    lx = lexicons.design()
    # The title decides first for syntheses, case reports and animal studies.
    for design, pattern in lx.text_cues:
        if design in ("meta_analysis", "systematic_review", "case_report", "review") \
                and pattern.search(title):
            return design
    if lx.animal.search(title) and not lx.human.search(title):
        return "preclinical"
    for design, pattern in lx.text_cues[:2]:        # meta-analysis, systematic review
        if pattern.search(text):
            return design
    if lx.animal.search(text) and not lx.human.search(text):
        return "preclinical"
    work, _ = lx.negated_randomized.blank(text)
    for design, pattern in lx.text_cues[2:]:
        if design == "rct":
            if pattern.search(work):
                return design
        elif pattern.search(text):
            return design
    return None


def _joined(title: str, sentences: Sequence[str]) -> str:
    return "\n".join([title or ""] + list(sentences))


def detect_design(doc: Document, sentences: Sequence[str]) -> str:
    tv = trial_view(doc.trial)
    from_text = _design_from_text(doc.title or "", _joined(doc.title, sentences))
    d = _design_from_trial(tv)
    if d and d != "other":
        return d
    p = _design_from_pubtypes(doc.publication_types)
    if p == "review" and from_text in ("meta_analysis", "systematic_review"):
        return from_text
    return p or from_text or d or "other"


# ------------------------------------------------------------- sample size

@cache
def _n_patterns() -> dict[str, re.Pattern[str]]:
    words = [w for w in lexicons.quantities().number_words if w not in ("a", "an")]
    w = lexicons.phrases_regex(words, bounded=False)
    num = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{w})(?:[\s-]+(?:and[\s-]+)?(?:{w})){{0,3}})"
    who = (r"(?:patients|participants|subjects|adults|individuals|volunteers|veterans|"
           r"outpatients|inpatients|women|men|children|adolescents|people|persons|cases|"
           r"parturients|mothers|infants|neonates|rats|mice|animals|sheep|pigs|dogs|eyes)")
    pre = r"(?:[\w-]+[\s,]+){0,6}?"
    return {
        "randomized_after": re.compile(
            rf"\b(?:randomi[sz]ed|randomly\s+(?:assigned|allocated|divided|distributed))\s+(?:a\s+total\s+of\s+)?(?P<n>{num})\s+{pre}{who}\b",
            re.I),
        "randomized_before": re.compile(
            rf"(?<![\w.,])(?P<n>{num})\s+{pre}{who}\b[^.;]{{0,120}}?\b(?:were|was)\s+(?:then\s+|subsequently\s+|prospectively\s+)?"
            rf"(?:randomi[sz]ed|randomly\s+(?:assigned|allocated|divided|distributed))", re.I),
        "randomized_bare": re.compile(
            rf"(?<![\w.,])(?P<n>{num})\s+(?:were|was)\s+(?:then\s+)?(?:randomi[sz]ed|randomly\s+(?:assigned|allocated))", re.I),
        "randomized_paren": re.compile(r"\brandomi[sz]ed\s*\(\s*[nN]\s*=\s*(?P<n>\d[\d,]*)\s*\)", re.I),
        "total_n": re.compile(r"(?<![\w.])N\s*=\s*(?P<n>\d[\d,]*)"),
        "arm_n": re.compile(r"\(\s*(?:n|N)\s*=\s*(?P<n>\d[\d,]*)\s*(?:[,;][^)]*)?\)|\(\s*(?P<m>\d[\d,]*)\s+(?:patients|participants|subjects|each)\s*\)"),
        "groups_of": re.compile(
            rf"\b(?P<g>two|three|four|five|2|3|4|5)\s+(?:equal\s+)?groups\s+(?:of|with|each\s+with|containing)\s+(?P<n>{num})\b", re.I),
        "enrolled_before": re.compile(
            rf"(?<![\w.,])(?P<n>{num})\s+{pre}{who}\b[^.;]{{0,120}}?\b(?:were|was)\s+(?:enrolled|included|recruited|studied|treated|analy[sz]ed|evaluated|assessed)", re.I),
        "enrolled_after": re.compile(
            rf"\b(?:enrolled|included|recruited|studied|a\s+total\s+of)\s+(?P<n>{num})\s+{pre}{who}\b", re.I),
        "subjects_verb": re.compile(
            rf"(?<![\w.,])(?P<n>{num})\s+{pre}{who}\s+(?:received|underwent|participated|took\s+part|completed|were\s+given)\b", re.I),
        "sentence_start": re.compile(rf"^\s*(?P<n>{num})\s+{pre}{who}\b", re.I),
    }


def _num(tok: str) -> int | None:
    v = parse_number(tok.replace(",", ""))
    if v is None or v != int(v) or v <= 0 or v > 1_000_000:
        return None
    return int(v)


_N_NEEDS = {
    "randomized_paren": ("random",), "randomized_after": ("random",),
    "randomized_before": ("random",), "randomized_bare": ("random",),
    "enrolled_before": ("enrol", "includ", "recruit", "studied", "treated", "analy", "evaluat", "assessed"),
    "enrolled_after": ("enrol", "includ", "recruit", "studied", "total"),
    "subjects_verb": ("received", "underwent", "participated", "took part", "completed", "were given"),
}


def find_n_randomized(sentences: Sequence[str]) -> int | None:
    """Number randomized (or enrolled when no randomization is stated)."""
    pats = _n_patterns()
    lows = [lexicons.lowered(s) for s in sentences]

    def candidates(key: str):
        needs = _N_NEEDS.get(key)
        for s, low in zip(sentences, lows):
            if needs is None or any(n in low for n in needs):
                yield s

    for key in ("randomized_paren", "randomized_after", "randomized_before", "randomized_bare"):
        for s in candidates(key):
            m = pats[key].search(s)
            if m and (n := _num(m.group("n"))):
                return n
    for s in sentences:
        if "=" in s:
            m = pats["total_n"].search(s)
            if m and (n := _num(m.group("n"))):
                return n
    for s in sentences:
        if "(" in s:
            arms = [(_num(m.group("n") or m.group("m"))) for m in pats["arm_n"].finditer(s)]
            arms = [a for a in arms if a]
            if len(arms) >= 2:
                return sum(arms)
    for s, low in zip(sentences, lows):
        if "groups" in low:
            m = pats["groups_of"].search(s)
            if m and (n := _num(m.group("n"))) and (g := _num(m.group("g"))):
                return n * g
    for key in ("enrolled_before", "enrolled_after", "subjects_verb", "sentence_start"):
        for s in candidates(key):
            m = pats[key].search(s)
            if m and (n := _num(m.group("n"))):
                return n
    return None


# ---------------------------------------------------- intervention, comparator

def find_intervention(texts: Sequence[str]) -> str | None:
    """"ketamine 0.5 mg/kg", "esketamine 56 mg", "arketamine" or None."""
    tx = lexicons.treatments()
    if not tx.any_form.search(_joined(texts[0], texts[1:]) if texts else ""):
        return None
    counts: dict[str, int] = {}
    first: dict[str, tuple[int, int]] = {}
    for ti, t in enumerate(texts):
        for name, pattern in tx.forms:
            for m in pattern.finditer(t):
                # "esketamine" also contains "ketamine": count the specific form only
                if name == "ketamine" and re.search(r"(?:es|ar|[sr][\s(+\-)]{1,4})$", t[max(0, m.start() - 5):m.start()], re.I):
                    continue
                counts[name] = counts.get(name, 0) + 1
                first.setdefault(name, (ti, m.end()))
    if not counts:
        return None
    order = [name for name, _ in tx.forms]
    best = max(counts, key=lambda k: (counts[k], -order.index(k)))
    for ti, t in enumerate(texts):
        for m in dict(tx.forms)[best].finditer(t):
            after = t[m.end():m.end() + 60]
            d = _DOSE.search(after)
            if d and not re.search(r"\b(?:or|versus|vs\.?|and|compared|placebo|saline|midazolam)\b",
                                   after[:d.start()], re.I):
                return f"{best} {d.group(1)} {d.group(2)}".replace("  ", " ")
    return best


def find_comparator(texts: Sequence[str]) -> tuple[str | None, str | None]:
    """(comparator, comparator_type) named in comparison context, or (None, None)."""
    tx = lexicons.treatments()
    joined = _joined(texts[0], texts[1:]) if texts else ""
    for name, ctype, pattern in tx.comparators:
        for m in pattern.finditer(joined):
            if ctype == "placebo" or name == "active placebo":
                return (lexicons.norm_term(m.group(0)) if name == "active drug" else name), ctype
            before = joined[max(0, m.start() - 40):m.start()]
            after = joined[m.end():m.end() + 25]
            if (tx.comparison_lead.search(before)
                    or re.match(r"\s*(?:group|arm|condition|control|\(\s*n\s*=|[-‐]?controlled|infusion\s+group)", after, re.I)
                    or re.search(r"\b(?:group|arm)\s+[A-Z]{1,3}\s*(?:\(|received|was\s+given)\s*[^.;]{0,30}$", before)):
                return (lexicons.norm_term(m.group(0)) if name == "active drug" else name), ctype
    return None, None


def _comparator_from_trial(tv: dict[str, Any]) -> tuple[str | None, str | None]:
    arms = tv.get("arms") or []
    if not arms:
        return None, None
    tx = lexicons.treatments()
    types = {str(a.get("type", "")).upper() for a in arms}
    for a in arms:
        at = str(a.get("type", "")).upper()
        if at in ("PLACEBO_COMPARATOR", "SHAM_COMPARATOR", "ACTIVE_COMPARATOR", "NO_INTERVENTION"):
            names = a.get("interventionNames") or a.get("interventions") or []
            label = " ".join([str(a.get("label", ""))] + [str(n) for n in names])
            for name, ctype, pattern in tx.comparators:
                if pattern.search(label):
                    return name, ctype
            if at == "NO_INTERVENTION":
                return None, "none"
            clean = re.sub(r"^\w+:\s*", "", str(names[0])) if names else str(a.get("label", ""))
            return clean.lower() or None, ("placebo" if at != "ACTIVE_COMPARATOR" else "active")
    if types <= {"EXPERIMENTAL", ""} and len(arms) == 1:
        return None, "none"
    return None, None


def _intervention_from_trial(tv: dict[str, Any]) -> str | None:
    for a in tv.get("arms") or []:
        if str(a.get("type", "")).upper() == "EXPERIMENTAL":
            names = a.get("interventionNames") or a.get("interventions") or []
            if names:
                return re.sub(r"^\w+:\s*", "", str(names[0])).strip() or None
    for i in tv.get("interventions") or []:
        if isinstance(i, dict) and i.get("name"):
            return str(i["name"])
    return None


# ----------------------------------------------------------------- measures

def find_measures(texts: Sequence[str]) -> list[str]:
    lx = lexicons.measures()
    found: list[str] = []
    for _, name in lx.names.finditer(_joined(texts[0], texts[1:]) if texts else ""):
        if name not in found:
            found.append(name)
    return found


# ------------------------------------------------------------ significance

def parse_p(op: str, value: str) -> tuple[str, float]:
    op = {"&lt;": "<", "&gt;": ">", "≤": "<=", "≥": ">="}.get(op, op)
    v = float(value)
    return op, v


def p_values(text: str) -> list[tuple[str, float]]:
    text = re.sub(r"(?<=\d)·(?=\d)", ".", text)
    return [parse_p(m.group("op"), m.group("v")) for m in _P_VALUE.finditer(text)]


def significance(text: str) -> bool | None:
    """True / False / None for one results or conclusions sentence."""
    ox = lexicons.outcomes()
    if ox.no_difference.search(text):
        return False
    ps = p_values(text)
    if ps:
        sig = [v < 0.05 or (op in ("<", "<=") and v <= 0.05) for op, v in ps]
        if any(sig):
            return True
        return False
    if ox.significant.search(text) or ox.benefit.search(text) or ox.harm.search(text):
        return True
    return None


def find_significant_primary(sentences: Sequence[str], roles: Sequence[str | None]) -> bool | None:
    ox = lexicons.outcomes()
    usable = [(s, r) for s, r in zip(sentences, roles)
              if r not in ("background", "methods", "registration") and not ox.baseline.search(s)]
    if not any(r for r in roles):
        # unstructured: skip the opening sentence (background)
        usable = [(s, r) for k, (s, r) in enumerate(zip(sentences, roles))
                  if k > 0 and not ox.baseline.search(s)]
    for s, _ in usable:
        if ox.primary.search(s):
            v = significance(s)
            if v is not None:
                return v
    for s, r in usable:
        if r in ("results", None):
            v = significance(s)
            if v is not None:
                return v
    for s, r in usable:
        if r == "conclusions":
            v = significance(s)
            if v is not None:
                return v
    return None


def _significant_from_trial(tv: dict[str, Any]) -> bool | None:
    vals = []
    for p in tv.get("primary_p_values") or []:
        m = re.match(r"\s*(<=|>=|≤|≥|<|>|=)?\s*(0?\.\d+|\d(?:\.\d+)?)", str(p))
        if m:
            op, v = parse_p(m.group(1) or "=", m.group(2))
            vals.append(v < 0.05 or (op in ("<", "<=") and v <= 0.05))
    if not vals:
        return None
    return any(vals)


# -------------------------------------------------------------------- study

def extract_study(doc: Document, sentences: Sequence[str],
                  section_labels: Sequence[str | None] | None = None) -> Study:
    """The `Study` of an abstract or registry record (`sentences` of its text,
    `section_labels[k]` the structured-abstract label of sentence k)."""
    sentences = list(sentences)
    roles = [section_role(lab) for lab in (section_labels or [None] * len(sentences))]
    tv = trial_view(doc.trial)
    texts = [doc.title or ""] + sentences
    design = detect_design(doc, sentences)
    lxd = lexicons.design()
    model = str(tv.get("intervention_model") or "").upper()
    crossover = model == "CROSSOVER" or lxd.crossover.search(_joined(texts[0], texts[1:])) is not None

    n = None
    if tv.get("enrollment") is not None and str(tv.get("enrollment_type") or "").upper() == "ACTUAL":
        try:
            n = int(tv["enrollment"]) or None
        except (TypeError, ValueError):
            n = None
    if n is None and design not in ("review",):
        n = find_n_randomized(sentences)

    intervention = find_intervention(texts) or (_intervention_from_trial(tv) if tv else None)
    comparator, ctype = (None, None)
    if tv:
        comparator, ctype = _comparator_from_trial(tv)
    if comparator is None and ctype is None:
        comparator, ctype = find_comparator(texts)
    if comparator is None and ctype is None and design in ("open_label", "case_report"):
        ctype = "none"

    sig = _significant_from_trial(tv) if tv else None
    if sig is None:
        sig = find_significant_primary(sentences, roles)

    return Study(design=design, crossover=bool(crossover), n_randomized=n,
                 intervention=intervention, comparator=comparator, comparator_type=ctype,
                 measures=find_measures(texts), significant_primary=sig)
