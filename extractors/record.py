"""One document in, one extraction record out (DESIGN.md "The extraction record").

- sentences: from `doc.sections` for structured abstracts/records (in order,
  each section a paragraph), else from `doc.text` (web text: one paragraph per
  line; abstracts: blank lines only); indices `i` from 0;
- conditions: web documents, what the title, text and keywords name;
  abstracts and trials, the study population's (title, objective and
  methods, keywords, MeSH headings, registry conditions; none for healthy
  volunteers);
- claims: a web document's marketing claims (`extractors.claims`); a study's
  findings, from its results and conclusions (`extractors.findings`); only
  web claims get verdicts;
- study and outcomes: abstracts and trials only (None / [] for web); a
  registry record's posted results (outcome measures, analyses, adverse
  events) become sentences of their own, so every number keeps a sentence;
- scores: shares of sentences labelled promotional, evidence_vague, hedge,
  call_to_action; `cited_share` = cited / (cited + vague) evidence appeals
  (0.0 when none); `risk_disclosure` 1.0 when any sentence discloses risk;
  `suspect_numbers` = numbers that cannot be right (outcomes outside their
  own CI, percentages above 100, ...; arm sizes that do not add up to the
  stated total count once), `suspect_arm_sizes` 1.0 for the latter.
"""
from __future__ import annotations

from typing import Any

from data.records import SCIENTIFIC_KINDS, Claim, Document, Extraction, Sentence
from extractors.claims import claim_sentences, extract_claims, ketamine_context, mentions_ketamine
from extractors.conditions import conditions_from_mesh, find_conditions, merge_conditions, population_conditions
from extractors.findings import extract_study_claims
from extractors.labels import label_document, set_label
from extractors.outcomes import count_suspect, extract_outcomes, registry_results
from extractors.sentences import split_text
from extractors.study import extract_study, sample_size, section_roles



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


def _registry_population(trial: dict[str, Any] | None) -> list[str]:
    """The conditions and keywords a registry record lists, and the study
    population an observational record describes ("Healthy adult volunteers":
    a condition it lists, such as the dysphagia it studies, is not theirs)."""
    if not trial:
        return []
    ps = trial.get("protocolSection", trial)
    conds = trial.get("conditions") or (ps.get("conditionsModule") or {}).get("conditions") or []
    kws = trial.get("keywords") or (ps.get("conditionsModule") or {}).get("keywords") or []
    population = trial.get("study_population") or (ps.get("eligibilityModule") or {}).get("studyPopulation")
    return [str(c) for c in list(conds) + list(kws) + ([population] if population else [])]


def _conditions(doc: Document, texts: list[str], roles: list[str | None]) -> list[str]:
    if doc.kind not in SCIENTIFIC_KINDS:
        return merge_conditions(
            find_conditions("\n".join([doc.title or ""] + texts)),
            find_conditions("\n".join(doc.keywords or [])),
            conditions_from_mesh(doc.mesh_terms))
    registry = _registry_population(doc.trial)
    if registry:           # a registry record lists its population; its description is background
        texts, roles = [], []
    return population_conditions(doc.title or "", texts, roles, extra=list(doc.keywords or []) + registry,
                                 mesh=conditions_from_mesh(doc.mesh_terms))


def _share(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def extract_document(doc: Document) -> Extraction:
    """The extraction record of one document (pure, deterministic)."""
    units = document_sentences(doc)
    texts = [s for _, _, s in units]
    paragraphs = [p for p, _, _ in units]
    labels_sec = [lab for _, lab, _ in units]
    scientific = doc.kind in SCIENTIFIC_KINDS
    roles = section_roles(texts, labels_sec) if scientific else []
    conditions = _conditions(doc, texts, roles)
    registry_texts, registry_outcomes = registry_results(doc.trial, len(texts)) if scientific else ([], [])
    if registry_texts:
        texts = texts + registry_texts
        paragraphs = paragraphs + [(paragraphs[-1] + 1 if paragraphs else 0)] * len(registry_texts)

    if scientific:          # a study's claims are its findings (extractors.findings), not its ketamine talk
        context, about = False, None
    else:
        context = mentions_ketamine(doc.title or "") or ketamine_context(texts, paragraphs)
        about = claim_sentences(texts, paragraphs=paragraphs, context_ketamine=context)
    doc_links = [l for l in (doc.links or []) if l]
    sentence_links = [[l for l in doc_links if l in text] for text in texts]
    labelled = label_document(texts, paragraphs, sentence_links, about, kind=doc.kind,
                              roles=roles + [None] * (len(texts) - len(roles)) if scientific else None,
                              topic=doc.title or "")
    sentences = [Sentence(i=k, text=text, labels=labels, hype_terms=hype)
                 for k, (text, (labels, hype)) in enumerate(zip(texts, labelled))]

    claims = []
    study = None
    outcomes = []
    arm_sizes_disagree = False
    if doc.kind == "web":
        claims = extract_claims(texts, paragraphs=paragraphs, links=sentence_links,
                                context_ketamine=context)
    elif scientific:
        written = texts[:len(units)]        # the registry's own numbers are read from its data
        size = sample_size(written)
        study = extract_study(doc, written, labels_sec, conditions=conditions, roles=roles, size=size)
        outcomes = extract_outcomes(written, doc) + registry_outcomes
        arm_sizes_disagree = size.arms_disagree
        claims = extract_study_claims(written, roles, conditions, topic=doc.title or "",
                                      vague=["evidence_vague" in s.labels for s in sentences])
    _claim_labels_agree(sentences, claims)

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
        "suspect_numbers": float(count_suspect(outcomes) + arm_sizes_disagree),
        "suspect_arm_sizes": float(arm_sizes_disagree),
    }
    return Extraction(id=doc.id, kind=doc.kind, title=doc.title or "", source=doc.source or "",
                      conditions=conditions, sentences=sentences, claims=claims, study=study,
                      outcomes=outcomes, scores=scores)


def _claim_labels_agree(sentences: list[Sentence], claims: list[Claim]) -> None:
    """The claim label and the claims list agree."""
    claimed = {c.sentence for c in claims}
    for s in sentences:
        if ("claim" in s.labels) != (s.i in claimed):
            s.labels = set_label(s.labels, "claim", s.i in claimed)
