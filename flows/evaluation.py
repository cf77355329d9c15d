"""Evaluate the extractors against the hand annotations in tests/gold/.

`evaluate(gold_dir, corpus_dir, split=None)` reads every gold file, reads its
document (`flows.sources.files.read_file`, first Document), runs
`extractors.record.extract_document` and scores the extraction. The scoring
functions below take plain dicts and lists and do no I/O, so they can be
tested on tiny hand-made inputs; loading and extraction live in
`load_gold`, `evaluate` and `main`.

Sentences are matched by normalised text (case, quotes, dashes, whitespace).
When that fails, containment is tried, then a difflib ratio >= 0.9, because
sentence splitters differ: a gold sentence may be cut in two, or glued to a
heading or a section label ("Background: ..."). Labels are counted on the gold
side (a gold sentence with label L is a TP when a matched predicted sentence
has L, else an FN) and on the predicted side (a predicted sentence with L is
an FP when no gold sentence it matches has L). Sentences not in the gold file
are gold-negative.
"""
from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import re
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

LABELS = ("promotional", "call_to_action", "claim", "evidence_vague",
          "evidence_cited", "hedge", "risk_disclosure")
SPLITS = ("tune", "holdout")
FUZZY_RATIO = 0.9
MIN_CONTAINED = 12          # shortest text (normalised chars) that may match by containment
MIN_CONTAINED_SHARE = 0.3   # ... and its share of the longer text (a heading is no sentence half)
REPO = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- text matching

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                         "\u2032": "'", "\u00b4": "'", "`": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
                         "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u00a0": " "})
_LEAD_MARK = re.compile(r"^(?:[-*+\u2022]\s+|\d{1,3}[.)]\s+|#+\s*)")


def normalize(text: str) -> str:
    """Case-, quote-, dash- and whitespace-insensitive form of a sentence."""
    t = unicodedata.normalize("NFKC", text or "").translate(_QUOTES).lower()
    t = " ".join(t.split())
    t = _LEAD_MARK.sub("", t)
    return t.strip(" \"'")


def match_score(gold: str, pred: str) -> float:
    """1.0 for equal normalised texts, 0.95 when one contains the other at word
    boundaries (the shorter at least MIN_CONTAINED characters and
    MIN_CONTAINED_SHARE of the longer), else the difflib ratio when it reaches
    FUZZY_RATIO, else 0. Takes normalised texts."""
    if not gold or not pred:
        return 0.0
    if gold == pred:
        return 1.0
    short, long_ = (gold, pred) if len(gold) <= len(pred) else (pred, gold)
    if (len(short) >= MIN_CONTAINED and len(short) >= MIN_CONTAINED_SHARE * len(long_)
            and _contains_words(long_, short)):
        return 0.95
    if min(len(gold), len(pred)) / max(len(gold), len(pred)) < 0.8:
        return 0.0
    sm = difflib.SequenceMatcher(None, gold, pred, autojunk=False)
    if sm.real_quick_ratio() < FUZZY_RATIO or sm.quick_ratio() < FUZZY_RATIO:
        return 0.0
    r = sm.ratio()
    return r if r >= FUZZY_RATIO else 0.0


def _contains_words(long_: str, short: str) -> bool:
    """`short` occurs in `long_` starting and ending at word boundaries."""
    start = long_.find(short)
    while start >= 0:
        end = start + len(short)
        before = long_[start - 1] if start else " "
        after = long_[end] if end < len(long_) else " "
        if not (before.isalnum() and short[0].isalnum()) and not (after.isalnum() and short[-1].isalnum()):
            return True
        start = long_.find(short, start + 1)
    return False


def align(gold: Sequence[str], pred: Sequence[str]) -> list[list[int]]:
    """For each gold sentence, the indices of the predicted sentences that
    match it: the exact match when there is one, else every containment or
    fuzzy match (a gold sentence split in two maps to both halves; two gold
    sentences glued together map to the same predicted one)."""
    gn = [normalize(g) for g in gold]
    pn = [normalize(p) for p in pred]
    exact: dict[str, list[int]] = {}
    for j, p in enumerate(pn):
        exact.setdefault(p, []).append(j)
    out: list[list[int]] = []
    for g in gn:
        if g in exact:
            out.append(list(exact[g]))
            continue
        out.append([j for j, p in enumerate(pn) if match_score(g, p) > 0])
    return out


# ---------------------------------------------------------------- counting

@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ErrorItem:
    label: str
    kind: str            # "FP" | "FN"
    document: str
    sentence: str
    other_labels: list[str] = field(default_factory=list)  # the other side's labels


def score_labels(gold: Sequence[dict], pred: Sequence[dict], *, document: str = "",
                 ignore: Iterable[str] = ()) -> tuple[dict[str, Counts], list[ErrorItem], int]:
    """Per-label counts for one document.

    gold: [{"text", "labels"}] (only labelled sentences); pred: [{"text", "labels"}]
    (every predicted sentence). `ignore` lists texts (e.g. the title) whose
    predicted sentences are not scored. Returns counts, errors and the number
    of gold sentences that matched no predicted sentence at all."""
    ignored = {normalize(t) for t in ignore if t}
    pred = [p for p in pred if normalize(p.get("text", "")) not in ignored]
    mapping = align([g["text"] for g in gold], [p.get("text", "") for p in pred])
    counts = {lab: Counts() for lab in LABELS}
    errors: list[ErrorItem] = []
    golds_of_pred: dict[int, list[int]] = {}
    for gi, js in enumerate(mapping):
        for j in js:
            golds_of_pred.setdefault(j, []).append(gi)
    unaligned = sum(1 for js in mapping if not js)
    for gi, g in enumerate(gold):
        pred_labels = set()
        for j in mapping[gi]:
            pred_labels.update(pred[j].get("labels") or [])
        for lab in g.get("labels") or []:
            if lab not in counts:
                continue
            if lab in pred_labels:
                counts[lab].tp += 1
            else:
                counts[lab].fn += 1
                errors.append(ErrorItem(lab, "FN", document, g["text"], sorted(pred_labels)))
    for j, p in enumerate(pred):
        gold_labels = set()
        for gi in golds_of_pred.get(j, []):
            gold_labels.update(gold[gi].get("labels") or [])
        for lab in p.get("labels") or []:
            if lab in counts and lab not in gold_labels:
                counts[lab].fp += 1
                errors.append(ErrorItem(lab, "FP", document, p.get("text", ""), sorted(gold_labels)))
    return counts, errors, unaligned


# ---------------------------------------------------------------- quantities

_UNIT_SYNONYMS = {
    "percent": "%", "per cent": "%", "pct": "%", "percentage": "%", "percentage points": "%",
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours",
    "min": "minutes", "mins": "minutes", "minute": "minutes",
    "d": "days", "day": "days", "wk": "weeks", "wks": "weeks", "week": "weeks",
    "mo": "months", "month": "months", "y": "years", "yr": "years", "yrs": "years", "year": "years",
    "$": "usd", "us$": "usd", "dollar": "usd", "dollars": "usd",
    "ug": "µg", "mcg": "µg", "μg": "µg", "microgram": "µg", "micrograms": "µg",
    "point": "points", "pts": "points", "pt": "points",
    "s": "seconds", "sec": "seconds", "secs": "seconds", "second": "seconds",
    "fold": "times", "-fold": "times", "x": "times", "×": "times",
    "mg/kg": "mg/kg",
}
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9}


def normalize_unit(unit: str | None, value: float | None = None) -> tuple[str, float | None]:
    """(unit, value) in one spelling: "Hours" and "hr" -> "hour", "$" -> "usd",
    "million USD" with 4.3 -> ("usd", 4300000.0), "infusions" -> "infusion"."""
    u = unicodedata.normalize("NFKC", unit or "").strip().lower().replace("μ", "µ")
    words = u.split()
    if words and words[0] in _SCALE and len(words) > 1 and value is not None:
        value = value * _SCALE[words[0]]
        u = " ".join(words[1:])
    u = _UNIT_SYNONYMS.get(u, u)
    if len(u) > 3 and u.isalpha() and u.endswith("s") and not u.endswith("ss"):
        u = u[:-1]           # one number for nouns: "infusions" and "infusion" agree
    return u, value


def quantity_equal(gold: dict | None, pred: dict | None, *, check_op: bool = True) -> bool:
    """Same value (relative tolerance 0.1%), same normalised unit and, unless
    check_op is False, same operator."""
    if not gold or not pred:
        return False
    gu, gv = normalize_unit(gold.get("unit"), _float(gold.get("value")))
    pu, pv = normalize_unit(pred.get("unit"), _float(pred.get("value")))
    if gv is None or pv is None:
        return False
    if not math.isclose(gv, pv, rel_tol=1e-3, abs_tol=1e-9):
        return False
    if gu != pu:
        return False
    return not check_op or (gold.get("op") or "=") == (pred.get("op") or "=")


def quantity_value_equal(gold: dict | None, pred: dict | None) -> bool:
    if not gold or not pred:
        return False
    _, gv = normalize_unit(gold.get("unit"), _float(gold.get("value")))
    _, pv = normalize_unit(pred.get("unit"), _float(pred.get("value")))
    return gv is not None and pv is not None and math.isclose(gv, pv, rel_tol=1e-3, abs_tol=1e-9)


def _float(v: Any) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- claims

@dataclass
class ClaimStats:
    gold: int = 0
    pred: int = 0
    matched: int = 0            # one-to-one pairs on the same sentence, any type
    matched_typed: int = 0      # ... with the same type
    conditions_exact: int = 0   # among matched pairs
    evidence_same: int = 0      # among matched pairs
    gold_with_quantity: int = 0
    quantity_exact: int = 0     # value, unit and operator
    quantity_value: int = 0     # value only
    found_with_quantity: int = 0  # found gold claims that state a quantity (the measure)

    def add(self, o: "ClaimStats") -> "ClaimStats":
        return ClaimStats(*(a + b for a, b in zip(astuple_(self), astuple_(o))))

    def rates(self) -> dict[str, float | None]:
        def r(a: int, b: int) -> float | None:
            return a / b if b else None
        p_any, r_any = r(self.matched, self.pred), r(self.matched, self.gold)
        p_typed, r_typed = r(self.matched_typed, self.pred), r(self.matched_typed, self.gold)
        return {"precision": p_any, "recall": r_any, "f1": _f1(p_any, r_any),
                "typed_precision": p_typed, "typed_recall": r_typed, "typed_f1": _f1(p_typed, r_typed),
                "conditions_exact": r(self.conditions_exact, self.matched),
                "evidence_same": r(self.evidence_same, self.matched),
                "quantity_exact": r(self.quantity_exact, self.gold_with_quantity),
                "quantity_found": r(self.quantity_exact, self.found_with_quantity),
                "quantity_value": r(self.quantity_value, self.gold_with_quantity)}


def astuple_(s: Any) -> tuple:
    return tuple(getattr(s, f) for f in s.__dataclass_fields__)


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ClaimError:
    kind: str              # "missed" | "spurious" | "wrong_type" | "conditions" | "quantity"
    document: str
    sentence: str
    gold: str = ""
    pred: str = ""


def score_claims(gold: Sequence[dict], pred: Sequence[dict], *,
                 document: str = "") -> tuple[ClaimStats, list[ClaimError]]:
    """Pair gold and predicted claims one-to-one on matching sentence text:
    first pairs with the same type, then any type. gold: gold-file claims;
    pred: [{"text" (the claim's sentence), "type", "conditions", "quantity", "evidence"}]."""
    st = ClaimStats(gold=len(gold), pred=len(pred))
    errors: list[ClaimError] = []
    gn = [normalize(g["text"]) for g in gold]
    pn = [normalize(p.get("text", "")) for p in pred]
    same = [[match_score(g, p) > 0 for p in pn] for g in gn]
    pair: dict[int, int] = {}
    used: set[int] = set()
    for typed in (True, False):
        for gi, g in enumerate(gold):
            if gi in pair:
                continue
            for pj, p in enumerate(pred):
                if pj in used or not same[gi][pj]:
                    continue
                if typed and p.get("type") != g.get("type"):
                    continue
                pair[gi] = pj
                used.add(pj)
                break
    for gi, g in enumerate(gold):
        q = g.get("quantity")
        if q:
            st.gold_with_quantity += 1
        if gi not in pair:
            errors.append(ClaimError("missed", document, g["text"], gold=_claim_desc(g)))
            continue
        p = pred[pair[gi]]
        st.matched += 1
        if p.get("type") == g.get("type"):
            st.matched_typed += 1
        else:
            errors.append(ClaimError("wrong_type", document, g["text"], _claim_desc(g), _claim_desc(p)))
        if set(p.get("conditions") or []) == set(g.get("conditions") or []):
            st.conditions_exact += 1
        else:
            errors.append(ClaimError("conditions", document, g["text"],
                                     ",".join(g.get("conditions") or []) or "-",
                                     ",".join(p.get("conditions") or []) or "-"))
        if (p.get("evidence") or "none") == (g.get("evidence") or "none"):
            st.evidence_same += 1
        if q:
            st.found_with_quantity += 1
            pq = p.get("quantity")
            if quantity_equal(q, pq):
                st.quantity_exact += 1
            else:
                errors.append(ClaimError("quantity", document, g["text"], _qdesc(q), _qdesc(pq)))
            if quantity_value_equal(q, pq):
                st.quantity_value += 1
    for pj, p in enumerate(pred):
        if pj not in used:
            errors.append(ClaimError("spurious", document, p.get("text", ""), pred=_claim_desc(p)))
    return st, errors


def _qdesc(q: dict | None) -> str:
    if not q:
        return "-"
    op = q.get("op") or "="
    return f"{'' if op == '=' else op}{q.get('value')} {q.get('unit') or ''}".strip()


def _claim_desc(c: dict) -> str:
    conds = ",".join(c.get("conditions") or []) or "-"
    return f"{c.get('type')} [{conds}] q={_qdesc(c.get('quantity'))}"


# ---------------------------------------------------------------- studies

@dataclass
class StudyStats:
    documents: int = 0
    design_correct: int = 0
    n_total: int = 0            # gold reports n_randomized
    n_correct: int = 0
    comparator_total: int = 0   # gold comparator_type not null
    comparator_correct: int = 0
    significance_total: int = 0
    significance_correct: int = 0
    conditions_exact: int = 0   # gold study conditions == predicted document conditions
    acute_pain_studies: int = 0
    acute_as_chronic: int = 0   # acute-pain studies labelled chronic_pain (must be 0)

    def add(self, o: "StudyStats") -> "StudyStats":
        return StudyStats(*(a + b for a, b in zip(astuple_(self), astuple_(o))))


def score_study(gold: dict | None, pred: dict | None, pred_conditions: Iterable[str] = (),
                claim_conditions: Iterable[str] = ()) -> StudyStats:
    """Compare a gold study record with the extraction's study (None when the
    extractor gave none: every field counts as wrong). `pred_conditions` are
    the extraction's document conditions; `claim_conditions` the union of its
    claims' conditions (both count for acute-as-chronic)."""
    st = StudyStats()
    if not gold:
        return st
    pred = pred or {}
    st.documents = 1
    st.design_correct = int(pred.get("design") == gold.get("design"))
    if gold.get("n_randomized") is not None:
        st.n_total = 1
        st.n_correct = int(pred.get("n_randomized") == gold["n_randomized"])
    if gold.get("comparator_type") is not None:
        st.comparator_total = 1
        st.comparator_correct = int(pred.get("comparator_type") == gold["comparator_type"])
    if gold.get("significant_primary") is not None:
        st.significance_total = 1
        st.significance_correct = int(pred.get("significant_primary") is gold["significant_primary"])
    pc = set(pred_conditions)
    st.conditions_exact = int(pc == set(gold.get("conditions") or []))
    if "acute_pain" in (gold.get("conditions") or []):
        st.acute_pain_studies = 1
        st.acute_as_chronic = int("chronic_pain" in pc or "chronic_pain" in set(claim_conditions))
    return st


# ---------------------------------------------------------------- documents and report

@dataclass
class DocResult:
    gold_file: str
    document: str
    split: str
    kind: str
    group: str
    labels: dict[str, Counts] = field(default_factory=dict)
    errors: list[ErrorItem] = field(default_factory=list)
    claims: ClaimStats = field(default_factory=ClaimStats)
    claim_errors: list[ClaimError] = field(default_factory=list)
    study: StudyStats = field(default_factory=StudyStats)
    gold_sentences: int = 0
    unaligned: int = 0          # gold sentences matching no predicted sentence
    failure: str | None = None  # reading or extraction failed


@dataclass
class SplitSummary:
    name: str
    documents: int = 0
    groups: dict[str, int] = field(default_factory=dict)
    labels: dict[str, Counts] = field(default_factory=lambda: {lab: Counts() for lab in LABELS})
    claims: ClaimStats = field(default_factory=ClaimStats)
    study: StudyStats = field(default_factory=StudyStats)
    gold_sentences: int = 0
    unaligned: int = 0
    failures: int = 0
    group_labels: dict[str, Counts] = field(default_factory=dict)   # micro over labels, per group
    group_claims: dict[str, ClaimStats] = field(default_factory=dict)
    kind_claims: dict[str, ClaimStats] = field(default_factory=dict)  # "web" | "abstract"

    @property
    def micro(self) -> Counts:
        total = Counts()
        for c in self.labels.values():
            total = total.add(c)
        return total


@dataclass
class EvaluationReport:
    documents: list[DocResult]
    splits: dict[str, SplitSummary]       # "tune", "holdout", "all" (only those asked for)


def score_document(gold: dict, extraction: dict | None, *, gold_file: str = "",
                   title: str = "", failure: str | None = None) -> DocResult:
    """Score one extraction (Extraction.to_dict() shape, or None when it
    failed) against one gold record."""
    doc = gold.get("document", gold_file)
    res = DocResult(gold_file=gold_file, document=doc, split=gold.get("split") or "",
                    kind=gold.get("kind") or "", group=gold_group(gold_file or doc),
                    gold_sentences=len(gold.get("sentences") or []), failure=failure)
    ex = extraction or {}
    sents = ex.get("sentences") or []
    pred_sents = [{"text": s.get("text", ""), "labels": s.get("labels") or []} for s in sents]
    res.labels, res.errors, res.unaligned = score_labels(
        gold.get("sentences") or [], pred_sents, document=doc, ignore=[title, ex.get("title", "")])
    by_i = {s.get("i", k): s.get("text", "") for k, s in enumerate(sents)}
    pred_claims = []
    for c in ex.get("claims") or []:
        text = by_i.get(c.get("sentence"), "") or c.get("text", "")
        pred_claims.append({**c, "text": text})
    res.claims, res.claim_errors = score_claims(gold.get("claims") or [], pred_claims, document=doc)
    if gold.get("kind") == "abstract" or gold.get("study"):
        claim_conds = {x for c in ex.get("claims") or [] for x in (c.get("conditions") or [])}
        res.study = score_study(gold.get("study"), ex.get("study"), ex.get("conditions") or [],
                                claim_conds)
    return res


def gold_group(name: str) -> str:
    """The evaluation group of a gold file (or, without one, of its document).
    `web_extra/press_extra_*`, `web_extra/page_extra_*` and `abstracts_extra/*`
    files are groups of their own ("press_extra", "page_extra",
    "abstract_extra"), so the per-group table shows them apart from the
    original sets."""
    base = Path(name).name
    if "abstracts_extra/" in name:
        return "abstract_extra"
    if base.startswith("seed_") or "seeds/" in name:
        return "seed"
    if base.startswith("page_extra_"):
        return "page_extra"
    if base.startswith("press_extra_") or "web_extra/" in name:
        return "press_extra"
    if base.startswith("press_") or "press_releases/" in name:
        return "press"
    if base.startswith("page_") or name.startswith("pages/"):
        return "page"
    return "abstract"


def summarize(results: Sequence[DocResult], name: str) -> SplitSummary:
    s = SplitSummary(name=name)
    for r in results:
        s.documents += 1
        s.groups[r.group] = s.groups.get(r.group, 0) + 1
        for lab, c in r.labels.items():
            s.labels[lab] = s.labels.get(lab, Counts()).add(c)
        s.claims = s.claims.add(r.claims)
        s.study = s.study.add(r.study)
        s.gold_sentences += r.gold_sentences
        s.unaligned += r.unaligned
        s.failures += int(r.failure is not None)
        micro = Counts()
        for c in r.labels.values():
            micro = micro.add(c)
        s.group_labels[r.group] = s.group_labels.get(r.group, Counts()).add(micro)
        s.group_claims[r.group] = s.group_claims.get(r.group, ClaimStats()).add(r.claims)
        kind = r.kind or "web"
        s.kind_claims[kind] = s.kind_claims.get(kind, ClaimStats()).add(r.claims)
    return s


def build_report(results: Sequence[DocResult], split: str | None = None) -> EvaluationReport:
    """Summaries for tune, holdout and both (or only `split`)."""
    if split in SPLITS:
        chosen = [r for r in results if r.split == split]
        return EvaluationReport(list(chosen), {split: summarize(chosen, split)})
    splits = {name: summarize([r for r in results if r.split == name], name) for name in SPLITS}
    splits["all"] = summarize(results, "all")
    return EvaluationReport(list(results), splits)


# ---------------------------------------------------------------- formatting

def _fmt(x: float | None) -> str:
    return "   -  " if x is None else f"{x:6.3f}"


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b} ({a / b:.0%})" if b else "-"


def format_report(report: EvaluationReport, errors: int = 0) -> str:
    """Plain-text tables, one block per split, then up to `errors` false
    positives and negatives per label (and claim errors) from the documents
    in the report."""
    out: list[str] = []
    for name, s in report.splits.items():
        groups = ", ".join(f"{g} {n}" for g, n in sorted(s.groups.items()))
        out.append(f"== {name}: {s.documents} documents ({groups or 'none'}) ==")
        if s.failures:
            out.append(f"   {s.failures} document(s) could not be read or extracted (scored as empty)")
        out.append(f"{'label':<17}{'precision':>10}{'recall':>8}{'f1':>8}{'tp':>6}{'fp':>6}{'fn':>6}{'support':>9}")
        for lab in LABELS:
            c = s.labels.get(lab, Counts())
            out.append(f"{lab:<17}{_fmt(c.precision):>10}{_fmt(c.recall):>8}{_fmt(c.f1):>8}"
                       f"{c.tp:>6}{c.fp:>6}{c.fn:>6}{c.support:>9}")
        m = s.micro
        out.append(f"{'micro':<17}{_fmt(m.precision):>10}{_fmt(m.recall):>8}{_fmt(m.f1):>8}"
                   f"{m.tp:>6}{m.fp:>6}{m.fn:>6}{m.support:>9}")
        out.append(f"gold sentences matching no predicted sentence: {_ratio(s.unaligned, s.gold_sentences)}")
        out.append("")
        out.append(f"claims: gold {s.claims.gold}, predicted {s.claims.pred}")
        out.append(f"  {'':<10}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}{'typed P':>9}{'typed R':>9}"
                   f"{'typed F1':>10}{'cond':>7}{'qty':>7}{'qty/f':>7}")
        rows = [("all", s.claims)] + [(k, s.kind_claims[k]) for k in sorted(s.kind_claims)
                                      if len(s.kind_claims) > 1]
        for kind, cs in rows:
            rc = cs.rates()
            out.append(f"  {kind:<10}{cs.gold:>6}{cs.pred:>6}{_fmt(rc['precision']):>8}{_fmt(rc['recall']):>8}"
                       f"{_fmt(rc['f1']):>8}{_fmt(rc['typed_precision']):>9}{_fmt(rc['typed_recall']):>9}"
                       f"{_fmt(rc['typed_f1']):>10}{_fmt(rc['conditions_exact']):>7}{_fmt(rc['quantity_exact']):>7}"
                       f"{_fmt(rc['quantity_found']):>7}")
        out.append("  (P/R/F1: claims found on the right sentence, any type; typed: with the right type;")
        out.append("   cond: conditions exact among found claims; qty: quantity exact among gold claims with one;")
        out.append("   qty/f: quantity exact among found claims with one)")
        out.append(f"  conditions exact (found claims): {_ratio(s.claims.conditions_exact, s.claims.matched)}")
        out.append(f"  evidence kind same (found claims): {_ratio(s.claims.evidence_same, s.claims.matched)}")
        out.append(f"  quantity exact (gold claims with a quantity): "
                   f"{_ratio(s.claims.quantity_exact, s.claims.gold_with_quantity)}"
                   f"; value only: {_ratio(s.claims.quantity_value, s.claims.gold_with_quantity)}"
                   f"; among found claims: {_ratio(s.claims.quantity_exact, s.claims.found_with_quantity)}")
        st = s.study
        if st.documents:
            out.append("")
            out.append(f"abstracts: {st.documents}")
            out.append(f"  design accuracy:               {_ratio(st.design_correct, st.documents)}")
            out.append(f"  n_randomized exact:            {_ratio(st.n_correct, st.n_total)}")
            out.append(f"  comparator_type accuracy:      {_ratio(st.comparator_correct, st.comparator_total)}")
            out.append(f"  significant_primary accuracy:  {_ratio(st.significance_correct, st.significance_total)}")
            out.append(f"  study conditions exact:        {_ratio(st.conditions_exact, st.documents)}")
            flag = "" if st.acute_as_chronic == 0 else "   <-- must be 0"
            out.append(f"  acute-pain studies labelled chronic_pain: {st.acute_as_chronic} "
                       f"of {st.acute_pain_studies}{flag}")
        if len(s.group_labels) > 1:
            out.append("")
            out.append(f"  {'by group':<12}{'docs':>6}{'label P':>9}{'label R':>9}{'label F1':>10}"
                       f"{'claim F1':>10}{'typed F1':>10}")
            for g in sorted(s.group_labels):
                c = s.group_labels[g]
                cr = s.group_claims[g].rates()
                out.append(f"  {g:<12}{s.groups.get(g, 0):>6}{_fmt(c.precision):>9}{_fmt(c.recall):>9}"
                           f"{_fmt(c.f1):>10}{_fmt(cr['f1']):>10}{_fmt(cr['typed_f1']):>10}")
        out.append("")
    if errors:
        out.extend(_format_errors(report.documents, errors))
    return "\n".join(out).rstrip() + "\n"


def _short(text: str, n: int = 160) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 3] + "..."


def _format_errors(results: Sequence[DocResult], n: int) -> list[str]:
    out = [f"== errors (first {n} per label and kind) =="]
    for lab in LABELS:
        for kind in ("FP", "FN"):
            items = [e for r in results for e in r.errors if e.label == lab and e.kind == kind]
            if not items:
                continue
            out.append(f"-- {lab} {kind} ({len(items)})")
            for e in items[:n]:
                other = ",".join(e.other_labels) or "-"
                side = "gold" if kind == "FP" else "pred"
                out.append(f"   {e.document}: {_short(e.sentence)}  [{side}: {other}]")
    for kind in ("missed", "spurious", "wrong_type", "conditions", "quantity"):
        items = [e for r in results for e in r.claim_errors if e.kind == kind]
        if not items:
            continue
        out.append(f"-- claims {kind} ({len(items)})")
        for e in items[:n]:
            detail = " ".join(x for x in (f"gold: {e.gold}" if e.gold else "",
                                          f"pred: {e.pred}" if e.pred else "") if x)
            out.append(f"   {e.document}: {_short(e.sentence, 120)}  [{detail}]")
    failed = [r for r in results if r.failure]
    if failed:
        out.append(f"-- documents that failed ({len(failed)})")
        out.extend(f"   {r.document}: {r.failure}" for r in failed[:n])
    return out


# ---------------------------------------------------------------- loading

def default_gold_dir() -> Path:
    return REPO / "tests" / "gold"


def default_corpus_dir() -> Path:
    env = os.environ.get("KETEV_CORPUS_DIR")
    return Path(env) if env else REPO.parent / "shared" / "corpus"


# web_extra and abstracts_extra: extra press releases and abstracts, always tune
GOLD_SUBDIRS = ("web", "web_extra", "abstracts", "abstracts_extra")


def load_gold(gold_dir: str | Path) -> list[tuple[str, dict]]:
    """(relative file name, record) for every gold JSON file, sorted within
    each of GOLD_SUBDIRS (a missing subfolder is skipped)."""
    gold_dir = Path(gold_dir)
    out = []
    for sub in GOLD_SUBDIRS:
        for f in sorted((gold_dir / sub).glob("*.json")):
            out.append((f"{sub}/{f.name}", json.loads(f.read_text(encoding="utf-8"))))
    return out


def document_path(document: str, gold_dir: str | Path, corpus_dir: str | Path) -> Path:
    """"pages/<file>" lives in the gold folder; everything else in the corpus."""
    if document.startswith("pages/"):
        return Path(gold_dir) / document
    return Path(corpus_dir) / document


def evaluate(gold_dir: str | Path | None = None, corpus_dir: str | Path | None = None,
             split: str | None = None) -> EvaluationReport:
    """Read, extract and score every gold document; `split` restricts the
    report to "tune" or "holdout" (documents of the other split are not even
    extracted)."""
    from flows.sources.files import read_file
    from extractors.record import extract_document

    gold_dir = Path(gold_dir) if gold_dir else default_gold_dir()
    corpus_dir = Path(corpus_dir) if corpus_dir else default_corpus_dir()
    results = []
    for name, gold in load_gold(gold_dir):
        if split in SPLITS and gold.get("split") != split:
            continue
        path = document_path(gold["document"], gold_dir, corpus_dir)
        extraction, title, failure = None, "", None
        try:
            doc = next(iter(read_file(path)))
            title = doc.title or ""
            extraction = _as_dict(extract_document(doc))
        except StopIteration:
            failure = "no document in file"
        except Exception as e:  # noqa: BLE001 - one bad document must not stop the evaluation
            failure = f"{type(e).__name__}: {e}"
        results.append(score_document(gold, extraction, gold_file=name, title=title, failure=failure))
    return build_report(results, split)


def _as_dict(extraction: Any) -> dict:
    if isinstance(extraction, dict):
        return extraction
    if hasattr(extraction, "to_dict"):
        return extraction.to_dict()
    return asdict(extraction)


def report_json(report: EvaluationReport) -> dict:
    """Numbers only, for scripts and CI trend files."""
    out = {}
    for name, s in report.splits.items():
        out[name] = {
            "documents": s.documents, "groups": s.groups,
            "labels": {lab: {"precision": c.precision, "recall": c.recall, "f1": c.f1,
                             "tp": c.tp, "fp": c.fp, "fn": c.fn, "support": c.support}
                       for lab, c in s.labels.items()},
            "micro": {"precision": s.micro.precision, "recall": s.micro.recall, "f1": s.micro.f1},
            "claims": {**asdict(s.claims), **s.claims.rates(),
                       "by_kind": {k: {**asdict(c), **c.rates()} for k, c in s.kind_claims.items()}},
            "study": asdict(s.study),
            "gold_sentences": s.gold_sentences, "unaligned": s.unaligned, "failures": s.failures,
        }
    return out


# ------------------------------------------------------- annotator agreement

@dataclass
class Agreement:
    documents: int = 0
    labels: dict[str, Counts] = field(default_factory=lambda: {lab: Counts() for lab in LABELS})
    claims: ClaimStats = field(default_factory=ClaimStats)
    study: dict[str, list[int]] = field(default_factory=dict)   # field -> [same, compared]


STUDY_FIELDS = ("design", "n_randomized", "comparator_type", "significant_primary")


def agreement(gold_dir: str | Path, second_dir: str | Path) -> Agreement:
    """Inter-annotator agreement: every JSON file under `second_dir` is a
    second, independent annotation of the gold file with the same relative
    path under `gold_dir`; it is scored as if it were the extractor's output
    (precision: how many of its labels the gold has; recall: how many gold
    labels it gives). No document is read or extracted."""
    gold_dir, second_dir = Path(gold_dir), Path(second_dir)
    out = Agreement()
    for f in sorted(second_dir.rglob("*.json")):
        gold = json.loads((gold_dir / f.relative_to(second_dir)).read_text(encoding="utf-8"))
        other = json.loads(f.read_text(encoding="utf-8"))
        out.documents += 1
        counts, _, _ = score_labels(gold.get("sentences") or [], other.get("sentences") or [])
        for lab, c in counts.items():
            out.labels[lab] = out.labels[lab].add(c)
        out.claims = out.claims.add(score_claims(gold.get("claims") or [], other.get("claims") or [])[0])
        if gold.get("study") and other.get("study"):
            for name in STUDY_FIELDS:
                same, n = out.study.get(name, [0, 0])
                out.study[name] = [same + (gold["study"].get(name) == other["study"].get(name)), n + 1]
    return out


def format_agreement(a: Agreement) -> str:
    out = [f"== agreement: {a.documents} documents annotated twice (gold as reference) ==",
           f"{'label':<17}{'precision':>10}{'recall':>8}{'f1':>8}{'gold':>6}{'second':>8}"]
    for lab, c in a.labels.items():
        out.append(f"{lab:<17}{_fmt(c.precision):>10}{_fmt(c.recall):>8}{_fmt(c.f1):>8}"
                   f"{c.support:>6}{c.tp + c.fp:>8}")
    r = a.claims.rates()
    out.append(f"claims: recall {_fmt(r['recall'])}, typed recall {_fmt(r['typed_recall'])}, "
               f"conditions {_fmt(r['conditions_exact'])}, quantity among found "
               f"{_ratio(a.claims.quantity_exact, a.claims.found_with_quantity)}")
    if a.study:
        out.append("study fields: " + ", ".join(f"{k} {_ratio(*v)}" for k, v in a.study.items()))
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="ketamine-evidence evaluate",
                                 description="Score the extractors against tests/gold.")
    ap.add_argument("--gold", default=None, help="gold folder (default: tests/gold of the checkout)")
    ap.add_argument("--corpus", default=None,
                    help="shared corpus folder (default: $KETEV_CORPUS_DIR or ../shared/corpus)")
    ap.add_argument("--split", choices=("tune", "holdout", "all"), default=None,
                    help="report one split only (default: tune, holdout and both)")
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="list the first N false positives/negatives per label")
    ap.add_argument("--json", default=None, metavar="PATH", help="also write the numbers as JSON")
    ap.add_argument("--agreement", default=None, metavar="DIR",
                    help="instead, score a second annotator's files in DIR against the gold files of "
                         "the same names (inter-annotator agreement; e.g. tests/gold/agreement)")
    args = ap.parse_args(list(argv) if argv is not None else None)
    if args.agreement:
        sys.stdout.write(format_agreement(agreement(args.gold or default_gold_dir(), args.agreement)))
        return 0
    corpus = Path(args.corpus) if args.corpus else default_corpus_dir()
    if not corpus.is_dir():
        print(f"corpus folder not found: {corpus} (set KETEV_CORPUS_DIR or --corpus)", file=sys.stderr)
        return 2
    report = evaluate(args.gold, corpus, None if args.split == "all" else args.split)
    sys.stdout.write(format_report(report, errors=args.errors))
    if args.json:
        Path(args.json).write_text(json.dumps(report_json(report), indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
