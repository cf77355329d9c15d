"""Sentence labels (DESIGN.md vocabulary) and the hype terms behind `promotional`.

- promotional: hype terms (`hype.toml`) whose weights reach the threshold;
  "significant" next to statistics and "promising" in a hedged sentence do not
  count, nor a negated term ("not a miracle cure").
- call_to_action: `calls_to_action.toml`.
- claim: see `extractors.claims` (a claim cue in a sentence about the treatment).
- evidence_cited: a citation in the sentence (or a citable link given for it);
  evidence_vague: an appeal to research ("studies show") without one.
- hedge: `hedges.toml`; risk_disclosure: `risks.toml`, unless the only risk
  words deny risk ("no side effects" is a safety claim, and hype).
"""
from __future__ import annotations

import re
from typing import Iterable

from data import lexicons
from data.records import LABELS
from extractors.citations import find_citations, is_vague_appeal
from extractors.claims import is_claim

_NEGATION = re.compile(
    r"\b(?:not|never|no\s+longer|isn['’]t|aren['’]t|nor|neither|hardly)\s+(?:[\w-]+\s+){0,2}$", re.I)


def _hit(matcher: lexicons.Matcher, exclude: lexicons.Matcher, text: str) -> bool:
    """Does `matcher` match once the `exclude` phrases are blanked out?"""
    if matcher.search(text) is None:
        return False
    work, changed = exclude.blank(text)
    return True if not changed else matcher.search(work) is not None


def is_hedged(text: str) -> bool:
    lx = lexicons.hedges()
    return _hit(lx.pattern, lx.exclude, text)


def is_statistical(text: str) -> bool:
    return lexicons.hype().stats_context.search(text) is not None


def hype_score(text: str, *, hedged: bool | None = None,
               statistical: bool | None = None) -> tuple[float, list[str]]:
    """(summed weight, distinct hype terms in order) for one sentence."""
    lx = lexicons.hype()
    hits = lx.terms.finditer(text)
    if not hits:
        return 0.0, []
    work, masked = lx.neutral.blank(text)
    if masked:
        hits = lx.terms.finditer(work)
    weights: dict[str, float] = {}
    for m, cat in hits:
        term = lexicons.norm_term(m.group(0))
        if term in weights:
            continue
        if term in lx.hedge_sensitive:
            if hedged is None:
                hedged = is_hedged(text)
            if hedged:
                continue
        if term in lx.stats_sensitive:
            if statistical is None:
                statistical = is_statistical(text)
            if statistical:
                continue
        if _NEGATION.search(work[max(0, m.start() - 40):m.start()]):
            continue
        weights[term] = lx.weights[cat]
    return sum(weights.values()), list(weights)


def is_call_to_action(text: str) -> bool:
    lx = lexicons.calls_to_action()
    return _hit(lx.pattern, lx.exclude, text)


def is_risk_disclosure(text: str) -> bool:
    lx = lexicons.risks()
    return _hit(lx.pattern, lx.denial, text)


def label_sentence(text: str, links: Iterable[str] = (), *,
                   about_treatment: bool | None = None) -> tuple[list[str], list[str]]:
    """(labels in vocabulary order, hype terms) for one sentence.

    `links` are outbound links that belong to this sentence (a citable one
    makes it `evidence_cited`). `about_treatment` says whether the context is
    ketamine (for sentences that say "the treatment" or "it"); None treats the
    sentence on its own, accepting such generic subjects.
    """
    labels: set[str] = set()
    hedged = is_hedged(text)
    score, terms = hype_score(text, hedged=hedged)
    if score >= lexicons.hype().threshold:
        labels.add("promotional")
    if is_call_to_action(text):
        labels.add("call_to_action")
    if is_claim(text, about_ketamine=True if about_treatment is None else about_treatment):
        labels.add("claim")
    if find_citations(text, links):
        labels.add("evidence_cited")
    elif is_vague_appeal(text):
        labels.add("evidence_vague")
    if hedged:
        labels.add("hedge")
    if is_risk_disclosure(text):
        labels.add("risk_disclosure")
    return [lab for lab in LABELS if lab in labels], terms
