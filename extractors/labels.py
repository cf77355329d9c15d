"""Sentence labels (DESIGN.md vocabulary) and the hype terms behind `promotional`.

Rules are written for classes of phrasing, not for single sentences; each
class lives in a lexicon (`data/lexicons/*.toml`) with a comment naming it.

- promotional: hype terms (`hype.toml`: Millar/Batalo/Budgell categories,
  Vinkers' positive words, marketing, price offers and urgency, emotional
  appeals, a provider's superlative self-description, convenience
  marketing) whose weights reach the threshold; "significant" next to
  statistics and weak terms in a hedged sentence do not count, nor a negated
  term ("not a miracle cure"), nor a hype word that is part of a name ("...
  also provides Innovative Psychedelics ..."), nor care fitted to the patient
  ("a personalized treatment plan"). A quoted first-person sentence not
  spoken by the publisher's staff is a testimonial, and testimonials are
  promotional whatever their words, unless the first person only gives an
  opinion ("I believe Congress will act").
- call_to_action: `calls_to_action.toml` (contact, book, visit, subscribe,
  an imperative web-marketing verb opening the sentence, a web address the
  reader is sent to, something "available on our website" or "upon
  request"); advice to talk to one's own doctor is not one, nor a provider
  that "will reach out".
- claim: in web text, see `extractors.claims` (a claim cue in a sentence about
  the treatment); a study's claims are its findings (`extractors.findings`),
  labelled by `extractors.record`.
- evidence_cited: a citation in the sentence (or a citable link given for it);
  evidence_vague: an appeal to research ("studies show") without one; in
  web text also a source named for a fact ("according to the company"), data
  or polls that "show", recognition as evidence ("has gained recognition for
  its effectiveness"), and (`label_document`) a treatment result with no
  reference in its sentence, its paragraph before it or the sentence before.
- hedge: `hedges.toml`. A scoped cue ("may", "some patients") hedges only an
  effect of the treatment: not when its clause names a risk ("you may feel
  dizzy") or goes on with a procedural step ("these may include", "may be
  covered by insurance"), not when its subject is a procedure ("the number of
  sessions may vary") or another treatment ("conventional therapies may
  fail"); "may reduce side effects" hedges the reduction. Forward-looking
  boilerplate hedges only where it states risks and uncertainties.
- risk_disclosure: `risks.toml` (drug-label vocabulary, supervision,
  screening for suitability, limits of use), unless the only risk words deny
  risk ("no side effects" is a safety claim, and hype; "without the side
  effects of ..."; "reduces the need for supervision"), name another
  treatment's risks, frame an article, or are an investor's risks (securities
  boilerplate); a study's methods sentence ("heart rate was monitored")
  discloses nothing, unless it counts the patients affected.
- A heading (a short line without final punctuation) names a section: it is
  never a hedge or an evidence appeal, and a risk disclosure only when it
  names more than the topic ("Nausea and vomiting", not "Side Effects").
- Web text and a study's own report differ: in an abstract the study's data
  and results are the evidence itself (no web-only appeals), and "no adverse
  events" is a safety result (a disclosure), not a reassurance.
- In a study's report the section decides too (`label_document` with
  `roles`): a result or conclusion about a safety outcome (haemodynamics,
  oversedation, delirium, recovery time) discloses risk whichever way it went; a
  methods sentence names what was measured, not a risk, unless it reports
  what happened; background about another drug's complications is no
  disclosure of the studied drug's. The background's appeals to earlier
  work ("reports of ... have suggested") are `evidence_vague`; a plan to
  publish in a peer-reviewed journal is not.
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

from data import lexicons
from data.records import LABELS, SCIENTIFIC_KINDS
from extractors.citations import (find_citations, find_reference_markers, has_reference_list,
                                  is_treatment_result, is_vague_appeal)
from extractors.claims import is_claim, mentions_ketamine

_NEGATION = re.compile(
    r"\b(?:not|never|no\s+longer|isn['’]t|aren['’]t|nor|neither|hardly)\s+(?:[\w-]+\s+){0,2}$", re.I)
_CLAUSE_END = re.compile(r"[,;:.!?()\[\]]")
_SCOPE_WORDS = 8          # how far a "may" reaches: "may be mild physical side effects"
_LOOKBACK_WORDS = 4       # "side effects that you may experience"
_HEADING_WORDS = 8        # "Contraindications for Ketamine Infusion Therapy"
_CLOSERS = "\"'”’)] "
_HEADING_NOT = re.compile(r"[\"“”]|https?://|www\.", re.I)
_CLAUSE_START = ".!?:;\"“(—–-"
_PREPOSITIONS = frozenset("to with from than after on by for of over like unlike".split())


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
    ctx = lexicons.hedge_context()
    if ctx.boilerplate.search(text) is not None and ctx.boilerplate_risk.search(text) is None:
        return False          # forward-looking boilerplate that only defines or disclaims
    work, _ = lx.exclude.blank(text)
    first = lx.pattern.search(work)
    if first is not None:
        for m in ([first] if ctx.comparators.search(work) is None else lx.pattern.finditer(work)):
            if not _names_as_subject(ctx.comparators, _clause_before(work, m.start())):
                return True
    return any(_hedges_an_effect(work, m) for m in scope.scoped.finditer(work))


def _clause_after(rest: str, words: int = 3) -> str:
    """The first `words` words after a cue, past a parenthetical "however,"."""
    rest = re.sub(r"^\W*(?:however|though|too|also|unfortunately)\b\W*", "", rest, flags=re.I)
    return " ".join(rest.split()[:words])


def _clause_before(text: str, pos: int, words: int = _LOOKBACK_WORDS) -> str:
    """The last `words` words of the clause that ends at `pos`."""
    return " ".join(_CLAUSE_END.split(text[:pos])[-1].split()[-words:])


def _hedges_an_effect(text: str, cue: re.Match[str]) -> bool:
    """Is the scoped cue about an effect of the treatment, not a risk, a
    procedural step or another treatment ("conventional therapies may fail")?"""
    scope, risks, ctx = lexicons.hedge_scope(), lexicons.risks().pattern, lexicons.hedge_context()
    rest = text[cue.end():].lstrip(" ,;")
    if scope.not_after.match(rest):
        return False
    modal = lexicons.norm_term(cue.group(0)) in scope.modals
    before = _clause_before(text, cue.start()) if modal else ""
    if modal and (ctx.procedural_subjects.search(before) is not None
                  or _names_as_subject(ctx.comparators, before)):
        return False
    if not modal and _names_as_subject(ctx.comparators, _clause_after(rest)):
        return False          # "in some cases, medications fall short"
    if ctx.effect_verbs.match(rest):
        return True           # "may reduce side effects" hedges the reduction
    if scope.sensation.match(rest):
        return risks.search(rest) is None
    after = " ".join(_CLAUSE_END.split(rest, 1)[0].split()[:_SCOPE_WORDS])
    if risks.search(after) is not None:
        return False
    if not modal:
        return True
    return risks.search(before) is None


def _names_as_subject(matcher: lexicons.Matcher, clause: str) -> bool:
    """Does `clause` name one of `matcher`'s phrases other than as the object
    of a preposition ("conventional therapies may fail", not "those who have
    not responded to conventional therapies may find relief")?"""
    for m in matcher.finditer(clause):
        prev = clause[:m.start()].split()[-1:]
        if not prev or prev[0].lower() not in _PREPOSITIONS:
            return True
    return False


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


def is_testimonial(text: str, *, quoted: bool = False) -> bool:
    """A quoted sentence in the first person singular, or one signed with a
    name after a dash, not spoken by staff (`quoted`: the caller knows it sits
    inside a quotation)."""
    t = lexicons.testimonials()
    if t.staff.search(text) is not None:
        return False
    if t.signed is not None and t.signed.search(text) is not None:
        return True
    if t.first_person.search(text) is None or not (quoted or t.quoted.search(text)):
        return False
    if t.opinion is not None:
        work, changed = t.opinion.blank(text)    # "I believe ..." is an opinion, not an experience
        return not changed or t.first_person.search(work) is not None
    return True


def is_call_to_action(text: str) -> bool:
    lx = lexicons.calls_to_action()
    return _hit(lx.pattern, lx.exclude, text)


def is_risk_disclosure(text: str, *, heading: bool = False, web: bool = True) -> bool:
    lx = lexicons.risks()
    if lx.pattern.search(text) is None:
        return False
    ctx = lexicons.risk_context()
    if ctx.methods.search(text) is not None and ctx.results.search(text) is None:
        return False
    if ctx.investor.search(text) is not None:
        return False          # securities boilerplate: an investor's risks
    work, _ = lx.denial.blank(text)
    if web:
        work, _ = lx.web_denial.blank(work)
    else:
        work, _ = lx.study_not_risks.blank(work)
    if heading:
        work, _ = ctx.topics.blank(work)
    return lx.pattern.search(work) is not None


_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.)]|[•▪‣◦*])\s+(?=[A-Z\"“'‘])")


def label_sentence(text: str, links: Iterable[str] = (), *,
                   about_treatment: bool | None = None,
                   kind: str = "web") -> tuple[list[str], list[str]]:
    """(labels in vocabulary order, hype terms) for one sentence.

    `links` are outbound links that belong to this sentence (a citable one
    makes it `evidence_cited`). `about_treatment` says whether the context is
    ketamine (for sentences that say "the treatment" or "it"); None treats the
    sentence on its own, accepting such generic subjects. `kind` is the
    document's ("web", "abstract", "trial"): web text takes the appeals and
    denials that only hold outside a study's own report.
    """
    labels: set[str] = set()
    web = kind not in SCIENTIFIC_KINDS
    text = _LIST_MARK.sub("", text)     # "1. Take our quiz" opens with its verb
    heading = is_heading(text)
    hedged = not heading and is_hedged(text)
    score, terms = hype_score(text, hedged=hedged)
    if score >= lexicons.hype().threshold or is_testimonial(text):
        labels.add("promotional")
    if is_call_to_action(text):
        labels.add("call_to_action")
    if web and is_claim(text, about_ketamine=True if about_treatment is None else about_treatment):
        labels.add("claim")             # a study's claims are its findings (extractors.findings)
    if find_citations(text, links):
        labels.add("evidence_cited")
    elif not heading and is_vague_appeal(text, web=web, results=web):
        labels.add("evidence_vague")
    if hedged:
        labels.add("hedge")
    if is_risk_disclosure(text, heading=heading, web=web):
        labels.add("risk_disclosure")
    return [lab for lab in LABELS if lab in labels], terms


def label_document(texts: Sequence[str], paragraphs: Sequence[int] | None = None,
                   links: Sequence[Iterable[str]] | None = None,
                   about: Sequence[bool | None] | None = None, *,
                   kind: str = "web",
                   roles: Sequence[str | None] | None = None,
                   topic: str = "") -> list[tuple[list[str], list[str]]]:
    """(labels, hype terms) for every sentence of one document, in order.

    Each sentence is labelled by `label_sentence`; then rules that need the
    document's context:

    - a reference list (a "References" heading with entries, or two or more
      entries) makes numbered markers such as "(3)" or "^3" citations;
    - in web text, a treatment result (`is_treatment_result`) is
      `evidence_vague` (the reader cannot check it) unless a reference sits
      earlier in its paragraph or in the sentence just before; then the
      result belongs to the cited study and is no appeal of its own.

    `paragraphs[k]` is sentence k's paragraph index, `links[k]` its outbound
    links, `about[k]` whether it is about the treatment (see
    `label_sentence`) and, for a study's report, `roles[k]` its section
    (background, methods, results, conclusions) and `topic` its title (see
    `study_risk`).
    """
    n = len(texts)
    paragraphs = list(paragraphs) if paragraphs is not None else list(range(n))
    links = [list(l) for l in links] if links is not None else [[] for _ in range(n)]
    about = list(about) if about is not None else [None] * n
    out = [label_sentence(t, links[k], about_treatment=about[k], kind=kind)
           for k, t in enumerate(texts)]
    if kind not in SCIENTIFIC_KINDS and n and has_reference_list(texts):
        for k, t in enumerate(texts):
            labs, terms = out[k]
            if "evidence_cited" not in labs and not is_heading(t) and find_reference_markers(t):
                labs = [lab for lab in labs if lab != "evidence_vague"] + ["evidence_cited"]
                out[k] = (_ordered(labs), terms)
    if kind in SCIENTIFIC_KINDS:
        if roles is not None:
            words = lexicons.words_of(topic)
            out = [(_ordered(study_hedge(study_evidence(study_risk(labs, t, role, words), t, role), t, role)),
                    terms) for (labs, terms), t, role in zip(out, texts, roles)]
        return out
    for k in _inside_unattributed_quotes(texts, paragraphs):
        labs, terms = out[k]
        if "promotional" not in labs and is_testimonial(texts[k], quoted=True):
            out[k] = (set_label(labs, "promotional", True), terms)
    for k in _signed_quotations(texts):
        out[k] = (set_label(out[k][0], "promotional", True), out[k][1])
    cited = ["evidence_cited" in labs for labs, _ in out]
    for k, t in enumerate(texts):
        labs, terms = out[k]
        if ("evidence_vague" in labs and _backed(k, cited, paragraphs)
                and not is_vague_appeal(t, results=False)):
            out[k] = ([lab for lab in labs if lab != "evidence_vague"], terms)
    return out


def _inside_unattributed_quotes(texts: Sequence[str], paragraphs: Sequence[int]) -> list[int]:
    """Sentences in the middle of a quotation that runs over several
    sentences of one paragraph ("I had tried everything. By my second
    infusion I was laughing again. It gave me my future back." - Lauren),
    unless staff speak it: its own sentences or the one after name them."""
    staff = lexicons.testimonials().staff
    depths = [_quote_depth(t) for t in texts]
    out: list[int] = []
    k, n = 0, len(texts)
    while k < n:
        if depths[k] <= 0:
            k += 1
            continue
        end, depth = k, depths[k]                     # the quotation opened in sentence k
        while depth > 0 and end + 1 < n and paragraphs[end + 1] == paragraphs[k]:
            end += 1
            depth += depths[end]
        after = end + 1 < n and paragraphs[end + 1] == paragraphs[k]     # "..., she said." may follow
        said_by = texts[k:end + 2] if after else texts[k:end + 1]
        if end > k + 1 and not any(staff.search(t) for t in said_by):
            out.extend(range(k + 1, end))
        k = end + 1
    return out


def _signed_quotations(texts: Sequence[str]) -> list[int]:
    """Sentences of a quotation signed on the line after it ('"The nightmares
    show up once a week now."' then 'Former Navy corpsman, Virginia'): a
    testimonial, unless staff speak it."""
    t = lexicons.testimonials()
    out: list[int] = []
    for k in range(1, len(texts)):
        if not _SIGNATURE.match(texts[k]) or not _CLOSES_QUOTE.search(texts[k - 1]):
            continue
        start = k - 1            # back to the sentence that opens the quotation, five at most
        while start > 0 and not _OPENS_QUOTE.match(texts[start]) and k - start < 6:
            start -= 1
        if _OPENS_QUOTE.match(texts[start]) and not any(t.staff.search(q) for q in texts[start:k + 1]):
            out.extend(range(start, k))
    return out


# a signature line, a few words and no sentence of its own, after a dash or with
# a comma ("Former Navy corpsman, Virginia"), unlike a heading ("What the trials show")
_SIGNATURE = re.compile(r"^\s*(?:[-–—]\s*(?-i:[A-Z])[^.!?\"“”]{0,60}|(?-i:[A-Z])[^.!?\"“”,]{0,40},[^.!?\"“”]{1,40})$")
_OPENS_QUOTE = re.compile(r"\s*[\"“]")
_CLOSES_QUOTE = re.compile(r"[\"”]\s*$")


def _quote_depth(text: str) -> int:
    """Quotations a sentence leaves open (+) or closes (-): curly quotes by
    side; an odd straight quote opens when the sentence starts with it, or
    when it is the only one and a space or the start is before it."""
    depth = text.count("“") - text.count("”")
    if text.count('"') % 2:
        i = text.index('"')
        lone_opening = text.count('"') == 1 and (i == 0 or text[i - 1].isspace())
        depth += 1 if text.lstrip().startswith('"') or lone_opening else -1
    return depth


def study_risk(labels: Sequence[str], text: str, role: str | None,
               topic: frozenset[str] = frozenset()) -> list[str]:
    """A study sentence's labels with `risk_disclosure` set by its section.
    In the findings, a harm the study's `topic` (its title's words) names is
    the outcome it set out to prevent (agitation, nausea, bladder
    discomfort), not a risk of the treatment."""
    ctx = lexicons.risk_context()
    has = "risk_disclosure" in labels
    if role in ("results", "conclusions"):
        has = has or ctx.study_outcomes.search(text) is not None
        if has and topic:
            harms = lexicons.risks().pattern.finditer(text) + ctx.study_outcomes.finditer(text)
            has = lexicons.names_beyond(harms, topic)
    elif role == "methods":
        has = has and ctx.results.search(text) is not None
    elif role == "background":
        has = has and mentions_ketamine(text)
    return _with(labels, "risk_disclosure", has)


def study_evidence(labels: Sequence[str], text: str, role: str | None) -> list[str]:
    """A study sentence's labels with `evidence_vague` set by its section: its
    background appeals to earlier work; a plan to publish appeals to nothing."""
    ctx = lexicons.evidence_context()
    vague = "evidence_vague" in labels
    if not vague and role == "background" and "evidence_cited" not in labels:
        vague = ctx.study_background.search(text) is not None
    if vague and ctx.dissemination.search(text) is not None:
        vague = False
    return _with(labels, "evidence_vague", vague)


def study_hedge(labels: Sequence[str], text: str, role: str | None) -> list[str]:
    """A study sentence's labels with `hedge` set by its section: its methods
    describe a design ("a pilot study", "open-label") and plans ("we
    anticipate enrolling 24"), which hedge nothing, unless a finding is
    read into them ("the results suggested")."""
    hedged = "hedge" in labels
    if hedged and role == "methods":
        hedged = lexicons.hedge_context().inference.search(text) is not None
    return _with(labels, "hedge", hedged)


def set_label(labels: Sequence[str], label: str, on: bool) -> list[str]:
    """`labels` in vocabulary order, with `label` present when `on`, absent otherwise."""
    return _ordered(_with(labels, label, on))


def _with(labels: Sequence[str], label: str, on: bool) -> list[str]:
    """`labels` with `label` present when `on`, absent otherwise."""
    return [lab for lab in labels if lab != label] + ([label] if on else [])


def _backed(k: int, cited: Sequence[bool], paragraphs: Sequence[int]) -> bool:
    """Is there a reference in the sentence before k, or earlier in k's paragraph?"""
    if k > 0 and cited[k - 1]:
        return True
    j = k - 1
    while j >= 0 and paragraphs[j] == paragraphs[k]:
        if cited[j]:
            return True
        j -= 1
    return False


def _ordered(labels: Iterable[str]) -> list[str]:
    have = set(labels)
    return [lab for lab in LABELS if lab in have]
