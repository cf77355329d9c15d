"""Sentence labels (DESIGN.md vocabulary) and the hype terms behind `promotional`.

- promotional: hype terms (`hype.toml`) whose weights reach the threshold;
  "significant" next to statistics and weak terms in a hedged sentence do not
  count, nor a negated term ("not a miracle cure"), nor a hype word that is
  part of a name ("... also provides Innovative Psychedelics ..."). A quoted
  first-person sentence not spoken by the publisher's staff is a testimonial,
  and testimonials are promotional whatever their words.
- call_to_action: `calls_to_action.toml`; advice to talk to one's own doctor
  is not one.
- claim: see `extractors.claims` (a claim cue in a sentence about the treatment).
- evidence_cited: a citation in the sentence (or a citable link given for it);
  evidence_vague: an appeal to research ("studies show") without one.
- hedge: `hedges.toml`. A scoped cue ("may", "some patients") hedges only an
  effect: not when its clause names a risk ("you may feel dizzy") or goes on
  with a procedural step ("these may include").
- risk_disclosure: `risks.toml`, unless the only risk words deny risk ("no
  side effects" is a safety claim, and hype), name another treatment's risks,
  or frame an article; a study's methods sentence ("heart rate was monitored")
  discloses nothing, unless it counts the patients affected.
- A heading (a short line without final punctuation) names a section: it is
  never a hedge or an evidence appeal, and a risk disclosure only when it
  names more than the topic ("Nausea and vomiting", not "Side Effects").
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
_CLAUSE_END = re.compile(r"[,;:.!?()\[\]]")
_SCOPE_WORDS = 8          # how far a "may" reaches: "may be mild physical side effects"
_LOOKBACK_WORDS = 4       # "side effects that you may experience"
_HEADING_WORDS = 8        # "Contraindications for Ketamine Infusion Therapy"
_CLOSERS = "\"'”’)] "
_HEADING_NOT = re.compile(r"[\"“”]|https?://|www\.", re.I)
_CLAUSE_START = ".!?:;\"“(—–-"


def _hit(matcher: lexicons.Matcher, exclude: lexicons.Matcher, text: str) -> bool:
    """Does `matcher` match once the `exclude` phrases are blanked out?"""
    if matcher.search(text) is None:
        return False
    work, changed = exclude.blank(text)
    return True if not changed else matcher.search(work) is not None


def is_heading(text: str) -> bool:
    """A section heading: a short line without final punctuation, quotes or links."""
    if len(text.split()) > _HEADING_WORDS or _HEADING_NOT.search(text):
        return False
    return not text.rstrip(_CLOSERS).endswith((".", "!", "?", ":", ";"))


def is_hedged(text: str) -> bool:
    lx, scope = lexicons.hedges(), lexicons.hedge_scope()
    if lx.pattern.search(text) is None and scope.scoped.search(text) is None:
        return False
    work, _ = lx.exclude.blank(text)
    if lx.pattern.search(work) is not None:
        return True
    return any(_hedges_an_effect(work, m) for m in scope.scoped.finditer(work))


def _hedges_an_effect(text: str, cue: re.Match[str]) -> bool:
    """Is the scoped cue about an effect, not a risk or a procedural step?"""
    scope, risks = lexicons.hedge_scope(), lexicons.risks().pattern
    rest = text[cue.end():].lstrip(" ,;")
    if scope.not_after.match(rest):
        return False
    if scope.sensation.match(rest):
        return risks.search(rest) is None
    after = " ".join(_CLAUSE_END.split(rest, 1)[0].split()[:_SCOPE_WORDS])
    if risks.search(after) is not None:
        return False
    if lexicons.norm_term(cue.group(0)) not in scope.modals:
        return True
    before = " ".join(_CLAUSE_END.split(text[:cue.start()])[-1].split()[-_LOOKBACK_WORDS:])
    return risks.search(before) is None


def is_statistical(text: str) -> bool:
    return lexicons.hype().stats_context.search(text) is not None


def _in_name(text: str, start: int, end: int) -> bool:
    """Is the capitalised term at start:end part of a name ("Innovative
    Psychedelics also offers"), rather than a sentence or Title Case start?"""
    if not text[start:start + 1].isupper():
        return False
    before = text[:start].rstrip()
    prev = before.rsplit(None, 1)[-1] if before else ""
    if not prev or prev[-1] in _CLAUSE_START or prev[:1].isupper():
        return False
    return text[end:].lstrip()[:1].isupper()


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
    taken_until = -1             # a term inside a longer one ("new hope" in "offering new hope")
    for m, cat in hits:
        term = lexicons.norm_term(m.group(0))
        if term in weights or m.end() <= taken_until or _in_name(text, m.start(), m.end()):
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
        taken_until = max(taken_until, m.end())
    return sum(weights.values()), list(weights)


def is_testimonial(text: str) -> bool:
    """A quoted sentence in the first person singular, not spoken by staff."""
    t = lexicons.testimonials()
    return (t.first_person.search(text) is not None and t.quoted.search(text) is not None
            and t.staff.search(text) is None)


def is_call_to_action(text: str) -> bool:
    lx = lexicons.calls_to_action()
    return _hit(lx.pattern, lx.exclude, text)


def is_risk_disclosure(text: str, *, heading: bool = False) -> bool:
    lx = lexicons.risks()
    if lx.pattern.search(text) is None:
        return False
    ctx = lexicons.risk_context()
    if ctx.methods.search(text) is not None and ctx.results.search(text) is None:
        return False
    work, _ = lx.denial.blank(text)
    if heading:
        work, _ = ctx.topics.blank(work)
    return lx.pattern.search(work) is not None


def label_sentence(text: str, links: Iterable[str] = (), *,
                   about_treatment: bool | None = None) -> tuple[list[str], list[str]]:
    """(labels in vocabulary order, hype terms) for one sentence.

    `links` are outbound links that belong to this sentence (a citable one
    makes it `evidence_cited`). `about_treatment` says whether the context is
    ketamine (for sentences that say "the treatment" or "it"); None treats the
    sentence on its own, accepting such generic subjects.
    """
    labels: set[str] = set()
    heading = is_heading(text)
    hedged = not heading and is_hedged(text)
    score, terms = hype_score(text, hedged=hedged)
    if score >= lexicons.hype().threshold or is_testimonial(text):
        labels.add("promotional")
    if is_call_to_action(text):
        labels.add("call_to_action")
    if is_claim(text, about_ketamine=True if about_treatment is None else about_treatment):
        labels.add("claim")
    if find_citations(text, links):
        labels.add("evidence_cited")
    elif not heading and is_vague_appeal(text):
        labels.add("evidence_vague")
    if hedged:
        labels.add("hedge")
    if is_risk_disclosure(text, heading=heading):
        labels.add("risk_disclosure")
    return [lab for lab in LABELS if lab in labels], terms
