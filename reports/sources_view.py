"""The per-source view: a page's sentences with their labels, and its scorecard.

The scorecard's indicators follow the JAMA benchmark criteria (authorship,
attribution, disclosure, currency) and the HONcode justifiability and
advertising principles. They are read from the text by simple cues and say
what a reader can see on the page; they are not a certification.
"""
from __future__ import annotations

import hashlib
from typing import Any

from data.facts import Facts

# Labels shown in the text view, in legend order, with what each style means.
HIGHLIGHTS = {"promotional": "promotional language", "call_to_action": "call to action",
              "evidence_vague": "vague appeal to evidence (\"studies show\")",
              "evidence_cited": "cited evidence (a reference a reader can follow)",
              "risk_disclosure": "risk disclosure", "hedge": "hedge (uncertainty)"}
OFF_LABEL_CHECK = "off_label_disclosed"
YES_NO = ("risks_mentioned", "off_label_stated", "authorship_shown", "date_shown", "disclosure_shown")


def anchor(source_id: str) -> str:
    """A stable HTML id for a source (ids hold characters an id attribute should not)."""
    return "src-" + hashlib.sha1(source_id.encode()).hexdigest()[:12]


def source_view(doc: dict, sentences: list[dict], claims: list[dict], facts: Facts) -> dict[str, Any]:
    by_sentence = {c["sentence_i"]: c for c in claims}
    rows = [{"i": s["i"], "text": s["text"],
             "classes": [f"l-{label}" for label in s["labels"] if label in HIGHLIGHTS],
             "claim": by_sentence.get(s["i"])}
            for s in sorted(sentences, key=lambda s: s["i"])]
    return {"source_id": doc["source_id"], "anchor": anchor(doc["source_id"]),
            "title": doc["title"], "sentences": rows,
            "indicators": indicators(doc, sentences, claims, facts)}


def indicators(doc: dict, sentences: list[dict], claims: list[dict], facts: Facts) -> dict[str, Any]:
    """What a reader can check on the page, as numbers and yes/no."""
    text = "\n".join(s["text"] for s in sentences)
    cues = facts.source_indicators
    off_label = next(c for c in facts.checks if c.id == OFF_LABEL_CHECK)
    scores = doc["scores"] or {}
    labels = [label for s in sentences for label in s["labels"]]
    return {
        "promotional_share": scores.get("promotional"),
        "calls_to_action": labels.count("call_to_action"),
        "cited_share": scores.get("cited_share"),
        "claims": len(claims),
        "claims_cited": sum(c["evidence"] == "cited" for c in claims),
        "risks_mentioned": bool(scores.get("risk_disclosure")),
        "off_label_stated": bool(off_label.match.search(text)),
        "authorship_shown": bool(doc["record"].get("authors") or cues["authorship"].search(text)),
        "date_shown": bool(doc["published"] or cues["date"].search(text)),
        "disclosure_shown": bool(cues["disclosure"].search(text)),
    }


def scorecard(ind: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """(indicator, value, the principle it speaks to) rows for the report; with
    no indicators, the rows' names and principles only (for the legend)."""
    ind = ind or {"promotional_share": None, "calls_to_action": "", "cited_share": None,
                  "claims_cited": "", "claims": "", **{k: None for k in YES_NO}}

    def pct(v):
        return "" if v is None else f"{100 * v:.0f}%"

    def yes(v):
        return "" if v is None else ("yes" if v else "no")

    return [
        ("Promotional share of sentences", pct(ind["promotional_share"]), "HONcode: advertising kept apart from content"),
        ("Calls to action", str(ind["calls_to_action"]), "HONcode: advertising kept apart from content"),
        ("Cited share of evidence appeals", pct(ind["cited_share"]), "HONcode justifiability; JAMA attribution"),
        ("Claims with a citation", f"{ind['claims_cited']} of {ind['claims']}", "HONcode justifiability"),
        ("Risks mentioned", yes(ind["risks_mentioned"]), "balance of benefits and harms"),
        ("Off-label status stated", yes(ind["off_label_stated"]), "regulatory status disclosed"),
        ("Authorship shown", yes(ind["authorship_shown"]), "JAMA authorship"),
        ("Date shown", yes(ind["date_shown"]), "JAMA currency"),
        ("Sponsorship or advertising disclosed", yes(ind["disclosure_shown"]), "JAMA disclosure"),
    ]
