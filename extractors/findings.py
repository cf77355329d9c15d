"""A study's own claims: what an abstract's results and conclusions say the
studied interventions did.

Web claims are marketing claims and get verdicts; these are the study's
findings, kept as claims of the same shape so a reader can set a page's
claim beside a study's. Rules (data in `data/lexicons/findings.toml`):

- sentences: those of the results and conclusions sections, except those
  that report no finding (enrolment, baseline, registration, calls for more
  research, what a protocol will do); where no section was recognised, a
  sentence that reports a comparison or a significance test;
- type: onset or durability on their cues; then efficacy when the sentence
  names a clinical outcome (and safety too when it also reports harms);
  then safety, mechanism; efficacy otherwise;
- conditions: a clinical finding (efficacy, onset, durability) takes the
  study population's conditions, which result sentences rarely repeat;
  other findings none (reading the conditions a finding names as well gained
  1 point of condition accuracy on tune and cost 5% of extraction speed);
- quantity: the first amount it reports: never a p-value, a CI, a time
  point of a result or (but in a procedure finding) a dose or a
  concentration ("0.5% ropivacaine");
- evidence: `none` (the abstract is the evidence), `vague` when the sentence
  appeals to other work without a reference.
"""
from __future__ import annotations

import re
from typing import Sequence

from data import lexicons
from data.records import Claim, Quantity
from extractors.quantities import attributive, find_quantities

FINDING_SECTIONS = ("results", "conclusions")
_CLINICAL = ("efficacy", "onset", "durability")
_SHARE_AFTER = re.compile(r"[^()]{1,40}?\(\s*\d+(?:\.\d+)?\s*%")
_PERCENT_AT = re.compile(r"[-−]?[\d.,]+\s?%\s+")
_TIME_AFTER = re.compile(r"[\d.,]+\s*[a-z]*\s+(?:after|post|postoperatively|later)\b", re.I)  # "24 h after"
_LASTED = re.compile(r"\b(?:last(?:s|ed|ing)?|took|lasting)\s+(?:for\s+)?(?:about\s+)?$", re.I)  # a duration
_TIME_POINT = re.compile(r"\b(?:at|after|during|within|over|for|by|until|in|first|to|the|period\s+of)\s+"
                         r"(?:the\s+)?(?:first\s+)?$", re.I)


def is_finding(text: str, role: str | None) -> bool:
    """Does the sentence report what a studied intervention did?"""
    if role not in FINDING_SECTIONS and role is not None:
        return False
    if lexicons.findings().not_findings.search(text):
        return False
    return role is not None or lexicons.findings().result_cues.search(text) is not None


def finding_types(text: str, topic: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The claim types of a finding, the dominant one first; a clinical
    result that also reports harms ("reduced fentanyl use without more
    adverse effects") is a safety finding too. A cue the study's `topic`
    (its title's words) names is the study's own outcome, not a side issue:
    bleeding in a trial on bleeding is its efficacy."""
    lx = lexicons.findings()
    types = lx.types
    for t in ("onset", "durability", "cost"):
        if types[t].search(text):
            return (t,)
    harms = lexicons.names_beyond(types["safety"].finditer(text), topic) or \
        lx.harms_whatever_the_title.search(text) is not None
    if lx.efficacy_first.search(text):
        return ("efficacy", "safety") if harms else ("efficacy",)
    if harms:
        return ("safety",)
    return next(((t,) for t in ("mechanism", "procedure") if types[t].search(text)), ("efficacy",))


def finding_conditions(ctype: str, population: Sequence[str]) -> list[str]:
    return list(population) if ctype in _CLINICAL else []


def finding_quantity(text: str, ctype: str) -> Quantity | None:
    """The first amount a finding reports: not a time point ("during the
    48 h after surgery", "24 hours after surgery") unless the finding is
    about time or the amount is how long something lasted; not a dose
    unless it is a procedure finding."""
    qx = lexicons.quantities()
    found = find_quantities(text)
    for k, (pos, q) in enumerate(found):
        if "/" in q.unit and q.unit in qx.dose_units and ctype != "procedure":
            continue            # mg/kg is a dose; mg of morphine used is a result
        if attributive(text, pos) and ctype != "procedure":
            continue            # "3-year overall survival was 50.3%": the 3 years name the outcome
        if q.unit in qx.durations and ctype not in ("onset", "durability") and not _LASTED.search(text, 0, pos) \
                and (_TIME_POINT.search(text, 0, pos) or _TIME_AFTER.match(text, pos)):
            continue
        if q.unit == "%" and ctype != "procedure" and _concentration(text, pos):
            continue
        if k + 1 < len(found) and found[k + 1][1].unit == "%" and _SHARE_AFTER.match(text, pos) \
                and not _PERCENT_AT.match(text, pos):
            return found[k + 1][1]   # "22 patients (78.6%)": the share is the result
        return q
    return None


def _concentration(text: str, pos: int) -> bool:
    """Is the percentage at `pos` the strength of a substance ("0.5% ropivacaine")?"""
    m = _PERCENT_AT.match(text, pos)
    return m is not None and (c := lexicons.findings().concentration_of.search(text, m.end(), m.end() + 40)) \
        is not None and c.start() == m.end()


def extract_study_claims(texts: Sequence[str], roles: Sequence[str | None],
                         population: Sequence[str] = (), topic: str = "",
                         vague: Sequence[bool] | None = None) -> list[Claim]:
    """The findings among a study's sentences (`roles[k]`: sentence k's
    section), as claims; `population` is the study's conditions, `topic`
    its title, `vague[k]` whether sentence k is labelled evidence_vague."""
    claims = []
    topic_words = lexicons.words_of(topic)
    for k, (text, role) in enumerate(zip(texts, roles)):
        if not is_finding(text, role):
            continue
        types = finding_types(text, topic_words)
        for ctype in types:
            claims.append(Claim(sentence=k, text=text, type=ctype,
                                conditions=finding_conditions(ctype, population),
                                quantity=finding_quantity(text, ctype),
                                evidence="vague" if vague and vague[k] else "none"))
    return claims
