"""One document in, one extraction record out (DESIGN.md "The extraction record").

- sentences: from `doc.sections` for structured abstracts/records (in order,
  each section a paragraph), else from `doc.text` (web text: one paragraph per
  line; abstracts: blank lines only); indices `i` from 0;
- conditions: title + text + keywords, MeSH headings, registry conditions;
- claims: web documents only (marketing claims); [] for abstracts and trials;
- study and outcomes: abstracts and trials only (None / [] for web);
- scores: shares of sentences labelled promotional, evidence_vague, hedge,
  call_to_action; `cited_share` = cited / (cited + vague) evidence appeals
  (0.0 when none); `risk_disclosure` 1.0 when any sentence discloses risk;
  `suspect_numbers` = outcomes whose numbers cannot be right.
"""
from __future__ import annotations

from typing import Any

from data.records import LABELS, Document, Extraction, Sentence
from extractors.claims import claim_sentences, extract_claims, ketamine_context, mentions_ketamine
from extractors.conditions import conditions_from_mesh, find_conditions, merge_conditions
from extractors.labels import label_sentence
from extractors.outcomes import count_suspect, extract_outcomes
from extractors.sentences import split_text
from extractors.study import extract_study

SCIENTIFIC_KINDS = ("abstract", "trial")


def document_sentences(doc: Document) -> list[tuple[int, str | None, str]]:
    """(paragraph, section label, sentence) for the document, in order."""
    out: list[tuple[int, str | None, str]] = []
    if doc.sections and doc.kind in SCIENTIFIC_KINDS:
        for si, (label, body) in enumerate(doc.sections):
            for _, s in split_text(body or "", line_breaks=False):
                out.append((si, label or None, s))
        if out:
            return out
    line_breaks = doc.kind != "abstract"
    return [(p, None, s) for p, s in split_text(doc.text or "", line_breaks=line_breaks)]


def _trial_conditions(trial: dict[str, Any] | None) -> list[str]:
    if not trial:
        return []
    ps = trial.get("protocolSection", trial)
    conds = trial.get("conditions") or (ps.get("conditionsModule") or {}).get("conditions") or []
    kws = trial.get("keywords") or (ps.get("conditionsModule") or {}).get("keywords") or []
    found: list[str] = []
    for c in list(conds) + list(kws):
        found = merge_conditions(found, find_conditions(str(c)))
    return found


def _share(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def extract_document(doc: Document) -> Extraction:
    """The extraction record of one document (pure, deterministic)."""
    units = document_sentences(doc)
    texts = [s for _, _, s in units]
    paragraphs = [p for p, _, _ in units]
    labels_sec = [lab for _, lab, _ in units]

    conditions = merge_conditions(
        find_conditions("\n".join([doc.title or ""] + texts)),   # same string the study reads
        find_conditions("\n".join(doc.keywords or [])),
        conditions_from_mesh(doc.mesh_terms),
        _trial_conditions(doc.trial),
    )

    context = mentions_ketamine(doc.title or "") or ketamine_context(texts, paragraphs)
    about = claim_sentences(texts, paragraphs=paragraphs, context_ketamine=context)
    doc_links = [l for l in (doc.links or []) if l]
    sentences: list[Sentence] = []
    sentence_links: list[list[str]] = []
    for k, text in enumerate(texts):
        links = [l for l in doc_links if l in text]
        sentence_links.append(links)
        labels, hype = label_sentence(text, links, about_treatment=about[k])
        sentences.append(Sentence(i=k, text=text, labels=labels, hype_terms=hype))

    claims = []
    study = None
    outcomes = []
    if doc.kind == "web":
        claims = extract_claims(texts, conditions, paragraphs=paragraphs, links=sentence_links,
                                context_ketamine=context)
        claimed = {c.sentence for c in claims}
        for s in sentences:      # the claim label and the claims list agree
            has = "claim" in s.labels
            if has != (s.i in claimed):
                s.labels = [l for l in s.labels if l != "claim"] if has else \
                    sorted(s.labels + ["claim"], key=_label_order)
    elif doc.kind in SCIENTIFIC_KINDS:
        study = extract_study(doc, texts, labels_sec)
        outcomes = extract_outcomes(texts, doc)

    total = len(sentences)

    def count(label: str) -> int:
        return sum(1 for s in sentences if label in s.labels)

    cited, vague = count("evidence_cited"), count("evidence_vague")
    scores = {
        "promotional": _share(count("promotional"), total),
        "cited_share": _share(cited, cited + vague),
        "vague_share": _share(vague, total),
        "hedge_share": _share(count("hedge"), total),
        "risk_disclosure": 1.0 if count("risk_disclosure") else 0.0,
        "call_to_action": _share(count("call_to_action"), total),
        "suspect_numbers": float(count_suspect(outcomes)),
    }
    return Extraction(id=doc.id, kind=doc.kind, title=doc.title or "", source=doc.source or "",
                      conditions=conditions, sentences=sentences, claims=claims, study=study,
                      outcomes=outcomes, scores=scores)


def _label_order(label: str) -> int:
    return LABELS.index(label)
