"""The study behind an abstract or a registry record: design, size, arms, measures.

- sections: each sentence's role (background, methods, results,
  conclusions) from its structured-abstract label, from a label written into
  the text ("Methods: ..."), else inferred from cues, moving forward only; a
  "Methods and Findings" section turns to results at its first finding;
- design: from the registry record (`doc.trial`), else PubMed publication
  types, else text cues (`data/lexicons/design.toml`), title first;
- n_randomized: "N = 73", "73 patients were randomized", "randomly assigned
  120 patients", arm sizes summed ("ketamine (n = 47) or midazolam (n = 25)"
  -> 72, "in 24 and 16 subjects" -> 40, "22 patients received ... compared
  with 20 patients as the control group" -> 42), group size times group
  count ("two groups of 30", "thirty patients in each of four groups"); then
  enrolled/included counts. None without randomization and for a protocol;
  registry enrollment when ACTUAL and randomized. `sample_size` also says
  when the stated arm sizes do not add up to the stated total;
- intervention: ketamine / esketamine / arketamine (else the drug the title
  names first), with the dose if stated;
- comparator and comparator_type: any placebo arm makes it placebo; a
  comparator the intervention arm also gets ("ketamine added to midazolam",
  "remifentanil + ketamine", "only propofol" in the control arm) is
  background, so a trial whose comparators are all background is an add-on
  design (`none`); midazolam is an active placebo in psychiatric trials only;
- measures: rating scales named (`measures.toml`);
- significant_primary: a results sentence about the named primary outcome
  (by name, or sharing its words with the primary outcome the methods
  name), else the first results sentence with a verdict, else the
  conclusions. A sentence's verdict comes from its p-values, else from the
  first clause that has one ("significantly lower ..., but comparable ..."
  is significant; "Despite ..., no significant difference" is not; "lower
  in the ketamine group than in the control group" is). Clauses about
  change within the groups ("improved in both groups", "from baseline")
  are no verdict: the primary outcome's verdict is between the groups.

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
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Iterable, Sequence

from data import lexicons
from data.records import Document, Study
from extractors.conditions import find_conditions
from extractors.outcomes import (ci_excludes_no_effect, norm_registry_p, p_is_significant, p_values,
                                 sentence_outcomes)
from extractors.quantities import parse_number

_DOSE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?(?:\s*(?:-|–|to|or)\s*\d+(?:\.\d+)?)?)\s?"
                   r"(mg/kg(?:/h(?:our)?|/min)?|µg/kg(?:/h|/min)?|μg/kg(?:/h|/min)?|mcg/kg(?:/h|/min)?|mg|µg|μg|mcg|ng/ml)\b", re.I)
_STAGES = ("background", "methods", "results", "conclusions")
_INLINE_LABEL = re.compile(r"^\s*([A-Z][A-Za-z' ]{2,40}?)\s*:\s+")


# ----------------------------------------------------------------- sections

@lru_cache(maxsize=1024)
def section_role(label: str | None) -> str | None:
    """background | methods | results | conclusions | registration |
    methods_and_results (a label that names both, split by `section_roles`) | None."""
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


def section_roles(sentences: Sequence[str], labels: Sequence[str | None] | None = None) -> list[str | None]:
    """The section role of each sentence: its structured-abstract label, a
    label written into the text ("Results: ..."), else inferred from cues."""
    labels = list(labels or [None] * len(sentences))
    roles: list[str | None] = []
    current = None
    for s, label in zip(sentences, labels):
        if label:
            current = section_role(label)
        else:
            m = _INLINE_LABEL.match(s)
            current = (section_role(m.group(1)) if m else None) or current
        roles.append(current)
    if any(r not in (None, "registration") for r in roles):
        return _split_methods_and_results(sentences, roles)
    # no label names a section of the study ("Abstract", only a registration): infer them
    return [r or inferred for r, inferred in zip(roles, _inferred_roles(sentences))]


def _split_methods_and_results(sentences: Sequence[str], roles: list[str | None]) -> list[str | None]:
    """A section labelled with both ("Methods and Findings",
    "Methodology/Principal Findings") is methods up to its first sentence with
    a results cue, results from there on."""
    results_cue = lexicons.design().section_cues["results"]
    out, in_results = [], False
    for k, (s, r) in enumerate(zip(sentences, roles)):
        if r != "methods_and_results":
            out.append(r)
            continue
        in_results = (in_results and roles[k - 1] == r) or results_cue.search(s) is not None
        out.append("results" if in_results else "methods")
    return out


def _inferred_roles(sentences: Sequence[str]) -> list[str | None]:
    """Sections of an unlabelled abstract: the first sentence with a later
    section's cue starts it; the first two sentences are background or methods."""
    cues = lexicons.design().section_cues
    stage = 0
    roles: list[str | None] = []
    for k, s in enumerate(sentences):
        for nxt in range(stage + 1, len(_STAGES)):
            if (k >= 2 or nxt == 1) and cues[_STAGES[nxt]].search(s):
                stage = nxt
                break
        roles.append(_STAGES[stage])
    if stage < 2:            # no findings recognised: every sentence but the first may hold them
        return roles[:1] + [None] * (len(roles) - 1)
    return roles


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
    for om in registry_outcome_measures(trial):
        if str(om.get("type", "")).upper() == "PRIMARY":
            for an in om.get("analyses") or []:
                pv = an.get("pValue") or an.get("p_value")
                if pv:
                    flat["primary_p_values"].append(str(pv))
    return flat


def registry_outcome_measures(trial: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Posted outcome measures, raw v2 (`resultsSection`) or parser-normalised (`results`)."""
    if not trial:
        return []
    raw = ((trial.get("resultsSection") or {}).get("outcomeMeasuresModule") or {}).get("outcomeMeasures") or []
    normalised = trial.get("results") or {}
    return list(raw) + list(normalised.get("outcome_measures") or []) if isinstance(normalised, dict) else list(raw)


def _is_randomized_trial(tv: dict[str, Any]) -> bool:
    return str(tv.get("allocation") or "").upper() == "RANDOMIZED"


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
    if lx.animal_subjects.search(text):             # animals counted or randomized: even "a randomized study"
        return "preclinical"
    if mentions_randomization(title):               # a trial that cites a review in its background
        return "rct"
    if lx.own_randomization.search(text) is None:   # else a synthesis named in passing
        for design, pattern in lx.text_cues[:2]:    # meta-analysis, systematic review
            if pattern.search(text):
                return design
    if lx.animal.search(text) and not lx.human.search(text):
        return "preclinical"
    work, _ = lx.negated_randomized.blank(text)
    for design, pattern in lx.text_cues[2:]:
        if pattern.search(work if design == "rct" else text):
            return design
    return None


def mentions_randomization(text: str) -> bool:
    """The main rct cues ("randomized", "randomly assigned") outside "not randomized"."""
    lx = lexicons.design()
    work, _ = lx.negated_randomized.blank(text)
    return next(p for d, p in lx.text_cues if d == "rct").search(work) is not None


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

@dataclass(frozen=True)
class SampleSize:
    """`n`: the number randomized as best stated; `stated`: a total the
    abstract states outright; `arms`: the sum of arm sizes given together."""
    n: int | None = None
    stated: int | None = None
    arms: int | None = None

    @property
    def arms_disagree(self) -> bool:
        """Arm sizes that do not add up to the stated total (a number is wrong)."""
        return self.stated is not None and self.arms is not None and self.stated != self.arms


_SPACED_THOUSANDS = re.compile(r"\d{1,3}(?:[ \u2009\u202f\u00a0]\d{3})+")     # "20 170"


@cache
def _n_patterns() -> dict[str, re.Pattern[str]]:
    words = [w for w in lexicons.quantities().number_words if w not in ("a", "an")]
    w = lexicons.phrases_regex(words, bounded=False)
    # "1,276", "20 170" (a space between thousands), "Eighty‐seven" (any hyphen)
    num = (rf"(?:\d{{1,3}}(?:,\d{{3}})+|{_SPACED_THOUSANDS.pattern}(?![\d.,])|\d+"
           rf"|(?:{w})(?:[\s\-‐‑]+(?:and[\s\-‐‑]+)?(?:{w})){{0,3}})")
    who = (r"(?:patients|participants|subjects|adults|individuals|volunteers|veterans|"
           r"outpatients|inpatients|women|men|children|adolescents|people|persons|cases|"
           r"parturients|mothers|infants|neonates|rats|mice|animals|sheep|pigs|dogs|eyes|"
           r"monkeys|macaques|residents|students|girls|boys|employees|workers|athletes|"
           r"smokers|pupils|nurses|elderly|players|runners|cyclists|soldiers|recipients|donors|"
           r"hamsters|rabbits|swine|piglets|horses|cats|calves|cattle|ewes|lambs|primates|"
           r"males|females|youths?|schoolchildren|teenagers|newborns|toddlers|caregivers|couples|dyads)")
    # the words between a count and its subjects: no year among them ("2009 to
    # October 2010 all the patients"), no second count unless the whole a subset
    # is taken from ("Thirty of the 50 children"; "58 TAP blocks were performed
    # among 29 patients" counts blocks); for one arm's count, no count at all
    # ("250 Orang Asli (aboriginal) schoolchildren": a word in brackets too)
    pre = (r"(?:of\s+(?:the\s+|these\s+|all\s+)?\d[\d,]*\s+)?"
           r"(?:(?!(?:19|20)\d\d\b|\d{2,}\s)(?:[\w–/'’-]+|\([\w\s-]+\)),?\s+){0,10}?")
    arm_pre = r"(?:(?!and\b|or\b|\d)[\w–/'’-]+,?\s+){0,10}?"
    # "were assigned, using telephone randomisation, to" names its method mid-phrase
    rand = (r"(?:randomi[sz]ed|randomly\s+(?:assigned|allocated|divided|distributed|received|split|placed|sorted)"
            r"|(?:assigned|allocated|divided|distributed)(?:\s+(?:randomly|at\s+random)"
            r"|,?\s+(?:using|by|through|via)\s+(?:[\w-]+\s+){0,3}?randomi[sz]ation,?\s+to))")
    count = r"(?P<g>two|three|four|five|six|2|3|4|5|6)"
    arm_word = (r"(?:intervention|control|placebo|treatment|experimental|active|sham|usual[\s-]care)"
                r"(?:\s+(?:group|arm))?")
    return {
        # "randomized (n = 40)", "infants (n = 26) randomized"
        "randomized_paren": re.compile(
            r"(?P<pre>(?<=randomi[sz]ed)\s*)?\(\s*[nN]\s*=\s*(?P<n>\d[\d,]*)\s*\)"
            r"(?(pre)|\s+(?:were\s+|was\s+)?(?:then\s+)?randomi[sz]ed\b)", re.I),
        "randomized_after": re.compile(
            rf"\b{rand}\s+(?:a\s+total\s+of\s+)?(?P<n>{num})\s+{pre}{who}\b", re.I),
        "randomized_before": re.compile(          # "Forty-five rats were fed ... and thereafter randomized into"
            rf"(?<![\w.,])(?P<n>{num})\s+{pre}{who}\b(?:[^.;]|\.\d){{0,160}}?\b{rand}\b"
            rf"(?!\s*,|\s+(?:controlled|clinical|trial|study|double|placebo|design|cross-?over|manner|fashion|order|sequence)"
            rf"|\s+(?:in|to|into)\s+each\b|\s+per\s)", re.I),
        "randomized_bare": re.compile(
            rf"(?<![\w.,])(?P<n>{num})\s+(?:\([^()]*\)\s+)?(?:were|was)\s+(?:then\s+)?{rand}", re.I),
        # "This randomized study was performed with 90 patients"
        "randomized_with": re.compile(
            rf"\brandomi[sz]ed,?\s+(?:[\w-]+,?\s+){{0,4}}?(?:study|trial)\b[^.;]{{0,60}}?\b(?:with|in|on|of|among|included|enrolled)"
            rf"\s+(?P<n>{num})\s+{pre}{who}\b(?!\s+(?:each|per|in\s+each)\b)", re.I),
        # "A total of 84 patients ... were divided into two groups": the
        # total split between the arms, even when no randomization is named
        "divided_total": re.compile(
            rf"(?<![\w.,])(?P<n>{num})\s+{pre}{who}\b[^.;]{{0,120}}?\b(?:were|was)\s+(?:then\s+|equally\s+)?"
            rf"(?:divided|allocated|assigned|distributed|split|stratified)\s+(?:equally\s+)?in(?:to)?\s+"
            rf"{count}\s+(?:equal\s+|treatment\s+|study\s+)?(?:groups|arms)\b", re.I),
        "total_n": re.compile(r"(?<![\w.])N\s*=\s*(?P<n>\d[\d,]*)"),
        # "The intention-to-treat population consisted of 284 patients"
        "population_stated": re.compile(
            rf"\b(?:intention[\s-]+to[\s-]+treat|itt|randomi[sz]ed|study)\s+(?:population|sample|cohort)\s+"
            rf"(?:consisted\s+of|comprised|included|was|of)\s+(?P<n>{num})\b", re.I),
        # "Of 96 patients, 48 applied ... and 48 applied ..."
        "of_total": re.compile(rf"^\W*of\s+(?:the\s+|a\s+total\s+of\s+)?(?P<n>{num})\s+{pre}{who}"
                               rf"(?:\s+(?:recruited|enrolled|included|randomi[sz]ed)"
                               rf"(?:\s+in(?:to)?\s+(?:the|this)\s+(?:study|trial))?)?\s*,", re.I),
        # "Sixteen men and 47 women": both sexes counted
        "sexes": re.compile(
            rf"(?<![\w.,])(?P<a>{num})\s+(?:men|males|boys)\s+and\s+(?P<b>{num})\s+(?:women|females|girls)\b"
            rf"|(?<![\w.,])(?P<c>{num})\s+(?:women|females|girls)\s+and\s+(?P<d>{num})\s+(?:men|males|boys)\b", re.I),
        "arm_n": re.compile(
            r"\(\s*(?:[^()]*?[;,]\s*)?[nN]\s*=\s*(?P<n>\d[\d,]*)\s*(?:[,;][^()]*)?\)"
            r"|\(\s*(?P<m>\d[\d,]*)\s+(?:patients|participants|subjects|each)\s*\)"),
        "arm_count": re.compile(
            rf"(?<![\w.,])(?P<n>{num})\s+{arm_pre}{who}\b(?:\s+with\s+[\w\s-]{{1,30}}?)?\s+"
            rf"(?:received|were\s+given|as\s+(?:the\s+)?controls?\b|as\s+the\s+control\s+group|in\s+the\s+[\w-]+\s+group)", re.I),
        # "enrolled (609 intervention, 667 control)"; not clusters ("60
        # neighbourhoods (30 intervention, 30 control)")
        "arm_labelled": re.compile(
            r"\b(?!(?:sites|neighbou?rhoods|clusters|practices|schools|villages|units|wards|hospitals|clinics"
            rf"|areas|districts|households|communities)\s)[\w-]+\s+\(\s*(?P<a>\d[\d,]*)\s+{arm_word}\s*[,;]\s*"
            rf"(?P<b>\d[\d,]*)\s+{arm_word}\s*\)", re.I),
        "arm_pair": re.compile(rf"(?<![\w.,])(?P<a>{num})\s+(?:and|or)\s+(?P<b>{num})\s+{who}\b", re.I),
        "pair_gate": re.compile(rf"\s(?:and|or)\s+[\w-]+\s+{who}\b"),
        "who": re.compile(rf"\b{who}\b"),
        "arm_context": re.compile(r"random|assign|allocat|group|arm"),
        "lone_n": re.compile(r"\(\s*(?:[^()]*?[;,]\s*)?n\s*=\s*(?P<n>\d[\d,]*)", re.I),
        "arms_from": re.compile(r"random|assign|allocat", re.I),
        "groups_of": re.compile(
            rf"\b{count}\s+(?:equal\s+)?groups\s*(?:(?:of|with|each\s+with|containing|consisting\s+of)\s+(?P<n>{num})\b"
            rf"|\(\s*n\s*=\s*(?P<m>\d+)\s*(?:each|per\s+group)?\s*\))", re.I),
        "per_group": re.compile(         # "30 patients each", "n = 35 each", "20 per group"
            rf"(?<![\w.,])(?P<n>{num})\s+(?:{who}\s+)?(?:(?:were\s+)?randomi[sz]ed\s+)?"
            rf"(?:each\b|per\s+(?:group|arm)\b|in\s+each\s+(?:[\w-]+\s+)?(?:groups?|arms?)\b)", re.I),
        "group_count": re.compile(       # "three groups", "four treatment arms", "a three-group design"
            rf"\b{count}(?:\s+(?:equal\s+|treatment\s+|study\s+|parallel\s+|drug\s+|different\s+)?(?:groups|arms)"
            rf"|-(?:group|arm))\b", re.I),
        "group_label": re.compile(r"\bgroups?\s+(?P<l>[IVX]{1,3}|[A-Z]{1,3}\d?|\d)\b"),
        "enrolled_before": re.compile(
            rf"(?<![\w.,])(?P<n>{num})\s+{pre}{who}\b[^.;]{{0,120}}?\b(?:were|was)\s+(?:[a-z]+ly\s+)?(?:enrolled|included|recruited|studied|treated|analy[sz]ed|evaluated|assessed|selected)", re.I),
        "enrolled_after": re.compile(
            rf"\b(?:enrolled|enrolling|included|includes|including|recruited|recruiting|studied|a\s+total\s+of|"
            rf"comprised\s+of|consisted\s+of|comprising|(?:was|were)\s+composed\s+of|(?:subjects|participants)\s+were|"
            rf"(?:carried\s+out|conducted|performed)\s+(?:in\s+(?:19|20)\d\d\s+)?(?:on|in|with))"
            rf"\s+(?P<n>{num})\s+{pre}{who}\b", re.I),
        "subjects_verb": re.compile(
            rf"(?<![\w.,])(?P<n>{num})\s+{pre}{who}\s+(?:\([^()]*\)\s+)?(?:with\s+[\w\s-]{{1,50}}?\s+)?"
            rf"(?:received|underwent|participated|took\s+part|completed|were\s+given|consumed|ingested|drank|ate)\b", re.I),
        # "Sixty patients took part"; not those who left ("Six participants withdrew")
        "sentence_start": re.compile(
            rf"^\s*(?P<n>{num})\s+{pre}{who}\b(?!\s+(?:\w+\s+)?(?:withdrew|dropped|discontinued|died|declined"
            rf"|refused|(?:were|was)\s+(?:excluded|lost|withdrawn|not)))", re.I),
        "in_n": re.compile(rf"\bin\s+(?P<n>{num})\s+{pre}{who}\b", re.I),
    }


def _num(tok: str | None) -> int | None:
    tok = tok or ""
    if _SPACED_THOUSANDS.fullmatch(tok):
        tok = re.sub(r"\s", "", tok)
    v = parse_number(tok.replace(",", ""))
    if v is None or v != int(v) or v <= 0 or v > 1_000_000:
        return None
    return int(v)


_N_NEEDS = {
    "randomized_paren": ("random",), "randomized_after": ("random",),
    "randomized_before": ("random",), "randomized_bare": ("random",), "randomized_with": ("random",),
    "enrolled_before": ("enrol", "includ", "recruit", "studied", "treated", "analy", "evaluat",
                        "assessed", "selected"),
    "enrolled_after": ("enrol", "includ", "recruit", "studied", "total", "compris", "consist",
                       "carried", "conducted", "performed", "compos", "subjects were", "participants were"),
    "subjects_verb": ("received", "underwent", "participated", "took part", "completed", "were given",
                      "consumed", "ingested", "drank", " ate "),
    "in_n": ("random",),
    "population_stated": ("population", "sample", "cohort"),
    "divided_total": ("divided", "allocated", "assigned", "distributed", "split", "stratified"),
    "of_total": ("of ",),
}
_ARM_COUNT_WORDS = ("received", "given", "control", " group")


@cache
def _needs(key: str) -> re.Pattern[str] | None:
    words = _N_NEEDS.get(key)
    return re.compile("|".join(map(re.escape, words))) if words and len(words) > 1 else None


_DATE_BEFORE = re.compile(r"(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
                          r"|\b(?:in|from|since|until|to|during|between|and|of))\s*$", re.I)


def _is_year(s: str, m: re.Match[str]) -> bool:
    """A year, not a count: "From July 2009 to October 2010 all the patients"."""
    n = _num(m.group("n"))
    return n is not None and 1950 <= n <= 2035 and _DATE_BEFORE.search(s, 0, m.start("n")) is not None


def _first(key: str, sentences: Sequence[str], lows: Sequence[str]) -> int | None:
    """The first count pattern `key` finds in a sentence that has its cue words."""
    needs = _needs(key)
    word = _N_NEEDS[key][0] if key in _N_NEEDS and needs is None else None
    pattern = _n_patterns()[key]
    for s, low in zip(sentences, lows):
        if (word in low) if word else (needs is None or needs.search(low)):
            m = next((m for m in pattern.finditer(s) if not _is_year(s, m)), None)
            if m and (n := _num(m.group("n"))):
                return _nearest(pattern, s, m) or n
    return None


_OWN_VERB_THEN_AND = re.compile(r"\b(?:were|was)\b.*\band\s+$", re.I)


def _nearest(pattern: re.Pattern[str], s: str, m: re.Match[str]) -> int | None:
    """A later count that ends at the same verb, after a verb of the first
    count's own, is the one the verb counts ("Ninety-six patients were
    enrolled and 91 patients were randomised"); not a breakdown ("Thirty
    patients (27 men, 3 women) were") or the whole of a subset ("Thirty of
    the 50")."""
    later = None
    while (nxt := pattern.search(s, m.end("n"))) and nxt.end() == m.end():
        if _OWN_VERB_THEN_AND.search(s, m.end("n"), nxt.start("n")):
            later = nxt
        m = nxt
    return _num(later.group("n")) if later else None


def _total_n(s: str, low: str) -> int | None:
    """"N = 312": a total, unless it is one of two or more arms' sizes
    ("to CR (N = 19) or PR alone (N = 19)")."""
    pats = _n_patterns()
    m = pats["total_n"].search(s)
    if m is None:
        return None
    arms = list(pats["arm_n"].finditer(s)) if pats["arm_context"].search(low) else []
    if len(arms) >= 2 and any(a.start() <= m.start() < a.end() for a in arms):
        return None
    return _num(m.group("n"))


def _paren_arms(s: str) -> int | None:
    """Arm sizes in parentheses in one sentence, summed (two or more arms);
    those after the randomization when the sentence states one ("45 rats were
    fed HFD (n = 40) or ND (n = 5) and randomized into ND (n = 5), ...")."""
    pats = _n_patterns()
    arms = [m for m in pats["arm_n"].finditer(s)]
    cue = pats["arms_from"].search(s) if len(arms) > 2 else None
    if cue and sum(1 for m in arms if m.start() >= cue.end()) >= 2:
        arms = [m for m in arms if m.start() >= cue.end()]
    found = [a for m in arms if (a := _num(m.group("n") or m.group("m")))]
    if len(found) < 2 and (m := pats["arm_labelled"].search(s)):
        found = [a for a in (_num(m.group("a")), _num(m.group("b"))) if a]
    return sum(found) if len(found) >= 2 else None


def _counted_arms(s: str, low: str) -> int | None:
    """"22 patients received ... compared with 20 patients as the control
    group" -> 42; "in 24 and 16 subjects" -> 40 (costlier patterns, gated)."""
    pats = _n_patterns()
    found: list[int] = []
    if any(w in low for w in _ARM_COUNT_WORDS) and len(pats["who"].findall(low)) >= 2:
        found = [a for m in pats["arm_count"].finditer(s) if (a := _num(m.group("n")))]
    if len(found) < 2 and (" and " in low or " or " in low) and pats["pair_gate"].search(low):
        found = [a for m in pats["arm_pair"].finditer(s) for x in (m.group("a"), m.group("b")) if (a := _num(x))]
    return sum(found) if len(found) >= 2 else None


def _arms_one_per_sentence(sentences: Sequence[str], lows: Sequence[str]) -> int | None:
    """"... the intervention (n=119). The control group received no
    intervention (n=116)." -> 235: adjacent sentences with one arm size each,
    the first run that says how patients were randomized or grouped."""
    pats = _n_patterns()
    # "two groups (n = 10)" and "(n = 35 each)" give the size of each group, not one arm
    sizes = [found[0] if len(found := pats["lone_n"].findall(s)) == 1
             and not pats["groups_of"].search(s) and not pats["per_group"].search(s) else None
             for s in sentences]
    for k, (size, low) in enumerate(zip(sizes, lows)):
        if size is None or not pats["arm_context"].search(low):
            continue
        a = k
        while a > 0 and sizes[a - 1] is not None:
            a -= 1
        b = k
        while b + 1 < len(sizes) and sizes[b + 1] is not None:
            b += 1
        run = [_num(x) for x in sizes[a:b + 1]]
        return sum(x for x in run if x) or None
    return None


def _group_count(s: str) -> int | None:
    pats = _n_patterns()
    m = pats["group_count"].search(s)
    if m:
        return _num(m.group("g"))
    labels = {m.group("l") for m in pats["group_label"].finditer(s)}
    return len(labels) if len(labels) >= 2 else None


def _groups_times_size(sentences: Sequence[str], lows: Sequence[str]) -> int | None:
    """"two groups of 30"; "30 patients each" with the number of groups from
    the same sentence or, failing that, from the abstract."""
    pats = _n_patterns()
    for s, low in zip(sentences, lows):
        if "group" in low:
            m = pats["groups_of"].search(s)
            if m and (n := _num(m.group("n") or m.group("m"))) and (g := _num(m.group("g"))):
                return n * g
    for s, low in zip(sentences, lows):
        if "each" in low or "per " in low:
            m = pats["per_group"].search(s)
            size = _num(m.group("n")) if m else None
            if size:
                groups = _group_count(s) or next(
                    (g for other in sentences if (g := _group_count(other))), None)
                if groups:
                    return size * groups
    return None


def sample_size(sentences: Sequence[str]) -> SampleSize:
    """Number randomized (or enrolled when no randomization is stated), with
    the stated total and the arm sizes for checking one against the other."""
    lows = [lexicons.lowered(s) for s in sentences]
    stated = None
    for key in ("randomized_paren", "randomized_after", "randomized_before", "randomized_bare",
                "randomized_with", "population_stated", "divided_total"):
        if (stated := _first(key, sentences, lows)) is not None:
            break
    if stated is None:
        stated = next((n for s, low in zip(sentences, lows) if "=" in s and (n := _total_n(s, low))), None)
    context = _n_patterns()["arm_context"]
    arms = next((a for s, low in zip(sentences, lows)
                 if "(" in s and context.search(low) and (a := _paren_arms(s))), None)
    n = stated or arms or next((a for s, low in zip(sentences, lows)
                                if (a := ("(" in s and _paren_arms(s)) or _counted_arms(s, low))), None)
    if n is None:
        n = _arms_one_per_sentence(sentences, lows)
    if n is None:
        n = _groups_times_size(sentences, lows)
    if n is None:
        n = _first("of_total", sentences, lows) or _both_sexes(sentences, lows)
    for key in ("enrolled_before", "enrolled_after", "subjects_verb", "sentence_start", "in_n"):
        if n is not None:
            break
        n = _first(key, sentences, lows)
    return SampleSize(n=n, stated=stated, arms=arms)


def _both_sexes(sentences: Sequence[str], lows: Sequence[str]) -> int | None:
    """Men and women counted apart ("Sixteen men and 47 women"), summed."""
    pattern = _n_patterns()["sexes"]
    for s, low in zip(sentences, lows):
        if "men" in low or "males" in low or "boys" in low:
            m = pattern.search(s)
            if m:
                a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
                if (x := _num(a)) and (y := _num(b)):
                    return x + y
    return None


def find_n_randomized(sentences: Sequence[str]) -> int | None:
    """Number randomized (or enrolled when no randomization is stated)."""
    return sample_size(sentences).n


def is_protocol(title: str, sentences: Sequence[str]) -> bool:
    """A trial protocol: "study protocol" in the title, "will be randomized"."""
    lx = lexicons.design()
    return lx.protocol_title.search(title or "") is not None or \
        lx.protocol.search(_joined(title, sentences)) is not None


# ---------------------------------------------------- intervention, comparator

@dataclass(frozen=True)
class _Mention:
    name: str
    ctype: str
    pattern: Any           # every spelling of this comparator


def _title_drug(title: str) -> str | None:
    """The study drug of a trial that is not about ketamine: the first active
    drug its title names ("Dexmedetomidine premedication for ...")."""
    for name, ctype, pattern in lexicons.treatments().comparators:
        if name == "active drug":
            m = pattern.search(title or "")
            return lexicons.norm_term(m.group(0)) if m else None
    return None


def _with_dose(name: str, pattern: Any, texts: Sequence[str]) -> str:
    """`name` with the dose that follows its first dosed mention."""
    for t in texts:
        for m in pattern.finditer(t):
            after = t[m.end():m.end() + 80]       # a dose starting within 60 characters, read whole
            d = _DOSE.search(after, 0, 80)
            if d and d.start() < 60 and not re.search(r"\b(?:or|versus|vs\.?|and|compared|placebo|saline|midazolam)\b",
                                   after[:d.start()], re.I):
                return f"{name} {d.group(1)} {d.group(2)}".replace("  ", " ")
    return name


def find_intervention(texts: Sequence[str]) -> str | None:
    """"ketamine 0.5 mg/kg", "esketamine 56 mg", "arketamine"; for a trial of
    another drug, the drug its title names first (texts[0] is the title)."""
    tx = lexicons.treatments()
    if not texts:
        return None
    if not tx.any_form.search(_joined(texts[0], texts[1:])):
        drug = _title_drug(texts[0])
        return _with_dose(drug, _drug_pattern(drug), texts) if drug else None
    counts: dict[str, int] = {}
    for t in texts:
        for name, pattern in tx.forms:
            for m in pattern.finditer(t):
                # "esketamine" also contains "ketamine": count the specific form only
                if name == "ketamine" and re.search(r"(?:es|ar|[sr][\s(+\-)]{1,4})$", t[max(0, m.start() - 5):m.start()], re.I):
                    continue
                counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    order = [name for name, _ in tx.forms]
    best = max(counts, key=lambda k: (counts[k], -order.index(k)))
    return _with_dose(best, dict(tx.forms)[best], texts)


_GROUP_LEAD = re.compile(
    r"\b(?i:group|arm)\s+[A-Z0-9]{1,3}\b(?:\s+patients)?\s*(?:\(|:|,|received|(?:was|were)\s+given)\s*[^.;]{0,30}$")
_ARM_AFTER = re.compile(r"\s*(?:group|arm|condition|control|\(\s*n\s*=|[-‐]?controlled|infusion\s+group)", re.I)


def _in_comparison(joined: str, a: int, b: int) -> bool:
    """A drug named as a study arm: "versus X", "X group", "group B (X"."""
    before = joined[max(0, a - 60):a]
    return bool(lexicons.treatments().comparison_lead.search(before)
                or _ARM_AFTER.match(joined[b:b + 25]) or _GROUP_LEAD.search(before))


def _comparator_mentions(joined: str) -> list[_Mention]:
    """Every comparator the text names as an arm, in text order."""
    tx = lexicons.treatments()
    out = []
    for m, key in tx.any_comparator.finditer(joined):      # one scan for every comparator
        name, ctype, pattern = tx.comparators[int(key)]
        a, b = m.span()
        if ctype == "placebo":
            ok = not tx.diluent_lead.search(joined[max(0, a - 40):a])
        else:
            ok = name in ("active placebo", "usual care") or _in_comparison(joined, a, b)
        if ok:
            if name == "active drug":        # each drug of the list is its own comparator
                label = lexicons.norm_term(m.group(0))
                out.append(_Mention(label, ctype, _drug_pattern(label)))
            else:
                out.append(_Mention(name, ctype, pattern))
    return out


@cache
def _drug_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(name)}\b", re.I)


def _given_with_intervention(texts: Sequence[str], drug: Any, intervention: Any) -> bool:
    """Does the intervention arm get comparator `name` too (an add-on design:
    "ketamine added to midazolam", "remifentanil + ketamine", "received
    ketamine and propofol"), or the control arm only it ("only propofol")?"""
    tx = lexicons.treatments()
    for t in texts:
        for c in drug.finditer(t):
            if tx.control_only_before.search(t[max(0, c.start() - 30):c.start()]) \
                    or tx.control_only_after.search(t[c.end():c.end() + 30]):
                return True
            if any(_one_arm(t, c.span(), m.span()) for m in intervention.finditer(t)):
                return True
    return False


def _one_arm(t: str, c: tuple[int, int], i: tuple[int, int]) -> bool:
    """Are the drugs at spans `c` and `i` of sentence `t` given to one arm?"""
    tx = lexicons.treatments()
    (a1, b1), (a2, b2) = sorted([c, i])
    if b1 > a2:
        return False
    between = t[b1:a2]
    if len(between) > 80 or tx.alternatives.search(between):
        return False
    if tx.add_on_link.search(between):
        return True
    return bool(re.fullmatch(r"\s*(?:and|&)\s*", between)
                and tx.coadministered_lead.search(t[max(0, a1 - 40):a1]))


def _offered_instead(texts: Sequence[str], drug: Any, intervention: Any) -> bool:
    """"either 5 mg morphine or 50 mg tramadol": named as the alternative to
    the intervention, close by, so an arm of its own whatever else is said."""
    tx = lexicons.treatments()
    for t in texts:
        for c in drug.finditer(t):
            for m in intervention.finditer(t):
                (a1, b1), (a2, _) = sorted([c.span(), m.span()])
                between = t[b1:a2]
                if 0 <= len(between) <= 40 and tx.alternatives.search(between) \
                        and not tx.add_on_link.search(between):
                    return True
    return False


def _typed(ctype: str, name: str, psychiatric: bool) -> str:
    """A comparator's type in this population (midazolam: active outside psychiatry)."""
    if not psychiatric:
        return lexicons.treatments().outside_psychiatry.get(name, ctype)
    return ctype


def _intervention_pattern(intervention: str | None) -> Any:
    """Mentions of the study drug: ketamine forms, or the other drug studied."""
    tx = lexicons.treatments()
    if intervention and not tx.any_form.search(intervention):
        return _drug_pattern(intervention.split(" ")[0])
    return tx.any_form


def find_comparator(texts: Sequence[str], *, psychiatric: bool = True,
                    intervention: str | None = None) -> tuple[str | None, str | None]:
    """(comparator, comparator_type) of the control arm, or (None, None).

    `texts[0]` is the title; `psychiatric` says whether the population is
    (midazolam is an active placebo there); `intervention` names the study
    drug when it is not ketamine."""
    joined = _joined(texts[0], texts[1:]) if texts else ""
    mentions = _comparator_mentions(joined)
    if not mentions:
        return _versus_fallback(joined)
    own = (intervention or "").split(" ")[0]
    drugs = [c for c in mentions if c.ctype in ("active", "active_placebo") and c.name != own]
    if any(c.name == "active placebo" for c in mentions):
        named = next((c.name for c in drugs if c.ctype == "active_placebo" and c.name != "active placebo"),
                     "active placebo")
        return named, "active_placebo"
    order = [name for name, _, _ in lexicons.treatments().comparators]
    for ctype in ("placebo", "none"):          # the most specific name ("saline" before "placebo")
        hits = [c for c in mentions if c.ctype == ctype]
        if hits:
            return min(hits, key=lambda c: order.index(c.name)).name, ctype
    pattern = _intervention_pattern(intervention)
    background = {c.name for c in drugs if _given_with_intervention(texts, c.pattern, pattern)
                  and not _offered_instead(texts, c.pattern, pattern)}
    real = [c for c in drugs if c.name not in background]
    if real:
        return real[0].name, _typed(real[0].ctype, real[0].name, psychiatric)
    return (None, "none") if drugs else (None, None)


_VERSUS = re.compile(r"\b(?:versus|vs\.?)\s+(?:a\s+|an\s+|the\s+)?(?!placebo|controls?\b|baseline|sham|usual)\w", re.I)


def _versus_fallback(joined: str) -> tuple[str | None, str | None]:
    """"X versus a traditional web-based module": something active, unnamed."""
    if "vs" not in joined and "versus" not in lexicons.lowered(joined):
        return None, None
    return (None, "active") if _VERSUS.search(joined) else (None, None)


def _comparator_from_trial(tv: dict[str, Any], psychiatric: bool) -> tuple[str | None, str | None]:
    arms = tv.get("arms") or []
    if not arms:
        return None, None
    tx = lexicons.treatments()

    def described(a: dict[str, Any]) -> str:
        names = a.get("interventionNames") or a.get("interventions") or []
        return " ".join([str(a.get("label", ""))] + [str(n) for n in names])

    for a in arms:                                  # any placebo arm, whatever its type
        for name, ctype, pattern in tx.comparators:
            if ctype == "placebo" and pattern.search(described(a)):
                return name, "placebo"
    for a in arms:
        at = str(a.get("type", "")).upper()
        if at in ("PLACEBO_COMPARATOR", "SHAM_COMPARATOR", "ACTIVE_COMPARATOR", "NO_INTERVENTION"):
            for name, ctype, pattern in tx.comparators:
                if pattern.search(described(a)):
                    return name, _typed(ctype, name, psychiatric)
            if at == "NO_INTERVENTION":
                return None, "none"
            names = a.get("interventionNames") or a.get("interventions") or []
            clean = re.sub(r"^\w+:\s*", "", str(names[0])) if names else str(a.get("label", ""))
            return clean.lower() or None, ("placebo" if at != "ACTIVE_COMPARATOR" else "active")
    if len(arms) == 1:
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

def _clauses(text: str) -> list[str]:
    """The clauses that state findings, in order; a leading concessive clause
    ("Despite higher success, ...") is dropped."""
    ox = lexicons.outcomes()
    m = ox.concessive.search(text)
    if m and m.end() < len(text):
        text = text[m.end():]
    cuts = [0] + [x for br in ox.clause_break.finditer(text) for x in br.span()] + [len(text)]
    return [text[a:b] for a, b in zip(cuts[::2], cuts[1::2]) if text[a:b].strip()]


def ci_significance(text: str) -> bool | None:
    """Whether the first ratio's or difference's CI in `text` excludes no
    effect (1 for a ratio, 0 for a difference); None without one."""
    for o in sentence_outcomes(text):
        if (excludes := ci_excludes_no_effect(o)) is not None:
            return excludes
    return None


def between_group_part(text: str) -> str:
    """`text` without its clauses about change within the groups ("improved
    in both groups (p<0.05)", "compared with baseline"), unless a clause
    also compares the groups."""
    ox = lexicons.outcomes()
    if not ox.within_group.search(text):
        return text
    cuts = [0] + [br.start() for br in ox.group_clause_break.finditer(text)] + [len(text)]
    clauses = [text[a:b] for a, b in zip(cuts, cuts[1:])]
    return " ".join(c for c in clauses if not ox.within_group.search(c) or ox.between_group.search(c)).strip()


def significance(text: str) -> bool | None:
    """True / False / None for one results or conclusions sentence about the
    difference between the groups: its p-values decide, else the CI of a
    ratio or difference, else the first clause that says (no) difference."""
    text = between_group_part(text)
    ps = [p_is_significant(p) for p in p_values(text)]
    if any(v is not None for v in ps):
        return any(ps)
    if (by_ci := ci_significance(text)) is not None:
        return by_ci
    ox = lexicons.outcomes()
    for clause in _clauses(text):
        if ox.no_difference.search(clause):
            return False
        if (ox.significant.search(clause) or ox.benefit.search(clause) or ox.harm.search(clause)
                or ox.comparative.search(clause)):
            return True
    return None


_WORDS = re.compile(r"[a-z][a-z-]{3,}")


def _stems(text: str, spelled: dict[str, set[str]] | None = None) -> set[str]:
    """Six-letter stems of the outcome words in `text`; an abbreviation the
    abstract defined (`spelled`: "IOP" -> the stems of "intraocular
    pressure") adds the stems of its long form."""
    stop = _primary_stopwords()
    out = set()
    for w in _WORDS.findall(lexicons.lowered(text).replace("-", "")):
        if w not in stop:
            out.add(w[:6])
    for abbr, long_stems in (spelled or {}).items():
        if abbr in text and re.search(rf"\b{re.escape(abbr)}\b", text):
            out |= long_stems
    return out


_DEFINED = re.compile(r"\s\(([A-Z][A-Za-z0-9]{1,7})\)")


def _abbreviations(sentences: Sequence[str]) -> dict[str, set[str]]:
    """Abbreviations defined in the text ("intraocular pressure (IOP)") and
    the stems of their long forms: as many words before the parenthesis as
    the abbreviation has capitals."""
    out: dict[str, set[str]] = {}
    for s in sentences:
        if "(" not in s:
            continue
        for m in _DEFINED.finditer(s):
            abbr = m.group(1)
            n = max(1, min(6, sum(c.isupper() for c in abbr)))
            if abbr not in out:
                out[abbr] = _stems(" ".join(s[:m.start()].split()[-n:]))
    return out


@cache
def _primary_stopwords() -> frozenset[str]:
    return frozenset(lexicons.load("outcomes")["primary_terms_ignore"])


def _primary_terms(sentences: Sequence[str], roles: Sequence[str | None]) -> set[str]:
    """Word stems of the primary outcome named in the methods."""
    ox = lexicons.outcomes()
    for s, r in zip(sentences, roles):
        if r in ("methods", "background") and (m := ox.primary.search(s)):
            named = s[m.end():] if not s[m.end():].lstrip().startswith(")") else s[:m.start()]
            return _stems(re.split(r"secondary", named, flags=re.I)[0])
    return set()


_OUTCOME_HEAD_END = re.compile(r"\s(?:of|in|during|among|for|after|with|without|undergoing|at|from|by)\s", re.I)


@cache
def _objective_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in lexicons.load("outcomes").get("objective_outcome", []))


def _objective_terms(sentences: Sequence[str], roles: Sequence[str | None]) -> set[str]:
    """Word stems of the outcome the objective names ("the effects of A and B
    on behaviour"), read from the background or methods."""
    for s, r in zip(sentences, roles):
        if r not in ("background", "methods", None):
            continue
        for p in _objective_patterns():
            if m := p.search(s):
                return _stems(_OUTCOME_HEAD_END.split(m.group("y"), 1)[0])
    return set()


def find_significant_primary(sentences: Sequence[str], roles: Sequence[str | None]) -> bool | None:
    """The verdict on the primary outcome: a results sentence that names it;
    else the results sentence that shares most words (two or more) with the
    primary outcome the methods name; else the first results sentence with a
    verdict; else the first conclusions sentence with one."""
    ox = lexicons.outcomes()
    findings = [s for s, r in zip(sentences, roles) if r in ("results", None) and not ox.baseline.search(s)]
    for s in findings:
        if ox.primary.search(s) and not ox.primary_rest.search(s) and (v := significance(s)) is not None:
            return v
    terms, least = _primary_terms(sentences, roles), 2
    if not terms:          # no primary named: the objective's outcome, one shared word enough
        terms, least = _objective_terms(sentences, roles), 1
    if terms:
        spelled = _abbreviations(sentences)
        scored = [(overlap, -k, v) for k, s in enumerate(findings)
                  if (overlap := len(terms & _stems(s, spelled))) >= least and (v := significance(s)) is not None]
        if scored:
            return max(scored)[2]
    conclusions = [s for s, r in zip(sentences, roles) if r == "conclusions" and not ox.baseline.search(s)]
    return next((v for s in findings + conclusions if (v := significance(s)) is not None), None)


def _significant_from_trial(tv: dict[str, Any]) -> bool | None:
    vals = [p_is_significant(norm_registry_p(p)) for p in tv.get("primary_p_values") or []]
    vals = [v for v in vals if v is not None]
    return any(vals) if vals else None


# -------------------------------------------------------------------- study

def _n_randomized(doc: Document, tv: dict[str, Any], design: str, sentences: Sequence[str],
                  size: SampleSize | None) -> int | None:
    """Registry enrollment when actual and randomized; else the abstract's
    count, only for a randomized study that has happened."""
    if tv.get("enrollment") is not None and str(tv.get("enrollment_type") or "").upper() == "ACTUAL":
        try:
            return (int(tv["enrollment"]) or None) if _is_randomized_trial(tv) else None
        except (TypeError, ValueError):
            return None
    randomized = design == "rct" or mentions_randomization(_joined(doc.title, sentences))
    n = (size or sample_size(sentences)).n if randomized else None
    return None if n is None or is_protocol(doc.title or "", sentences) else n


def _is_psychiatric(conditions: Iterable[str]) -> bool:
    return bool(set(conditions) & lexicons.treatments().psychiatric_conditions)


def extract_study(doc: Document, sentences: Sequence[str],
                  section_labels: Sequence[str | None] | None = None,
                  conditions: Sequence[str] | None = None,
                  roles: Sequence[str | None] | None = None,
                  size: SampleSize | None = None) -> Study:
    """The `Study` of an abstract or registry record (`sentences` of its text,
    `section_labels[k]` the structured-abstract label of sentence k,
    `conditions` the population's, which decide what midazolam is; `roles`
    and `size` when the caller has them from `section_roles` and `sample_size`)."""
    sentences = list(sentences)
    roles = list(roles) if roles is not None else section_roles(sentences, section_labels)
    tv = trial_view(doc.trial)
    texts = [doc.title or ""] + sentences
    joined = _joined(texts[0], texts[1:])
    if conditions is None:
        conditions = find_conditions(joined)
    psychiatric = _is_psychiatric(conditions)
    design = detect_design(doc, sentences)
    model = str(tv.get("intervention_model") or "").upper()
    crossover = model == "CROSSOVER" or lexicons.design().crossover.search(joined) is not None

    intervention = find_intervention(texts) or (_intervention_from_trial(tv) if tv else None)
    comparator, ctype = _comparator_from_trial(tv, psychiatric) if tv else (None, None)
    if comparator is None and ctype is None:
        comparator, ctype = find_comparator(texts, psychiatric=psychiatric, intervention=intervention)
    if comparator is None and ctype is None and design in ("open_label", "case_report"):
        ctype = "none"

    sig = _significant_from_trial(tv) if tv else None
    if sig is None:
        sig = find_significant_primary(sentences, roles)

    return Study(design=design, crossover=bool(crossover),
                 n_randomized=_n_randomized(doc, tv, design, sentences, size),
                 intervention=intervention, comparator=comparator, comparator_type=ctype,
                 measures=find_measures(texts), significant_primary=sig)
