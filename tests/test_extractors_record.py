"""extract_document: orchestration, kinds, labels/claims agreement, scores."""
import json

import pytest

from data.records import Document
from extractors.record import extract_document

WEB_TEXT = """Ketamine Infusion Therapy: A Miracle for Depression
Our groundbreaking ketamine infusions offer instant relief for treatment-resistant depression.
Over 70% of patients feel better within 24 hours.
Studies show ketamine is safe.
Ketamine blocks NMDA receptors (Zarate et al., 2006).
Side effects include dissociation and nausea, and patients are monitored.
Each infusion costs $400.
Call us today to book your free consultation!
Share on Facebook
Leave a Reply
"""


def web_doc(text=WEB_TEXT, **kw):
    return Document(id="url:https://clinic.example/ketamine", kind="web",
                    title=kw.pop("title", "Ketamine Infusion Therapy"), text=text,
                    source="https://clinic.example/ketamine", origin="web", raw_format="html", **kw)


def test_web_document():
    rec = extract_document(web_doc())
    assert rec.kind == "web" and rec.study is None and rec.outcomes == []
    texts = [s.text for s in rec.sentences]
    assert "Share on Facebook" not in texts and "Leave a Reply" not in texts
    assert [s.i for s in rec.sentences] == list(range(len(rec.sentences)))
    assert rec.conditions == ["trd", "depression"]
    types = {c.text: c.type for c in rec.claims}
    assert types["Over 70% of patients feel better within 24 hours."] == "onset"
    assert types["Studies show ketamine is safe."] == "safety"
    assert types["Ketamine blocks NMDA receptors (Zarate et al., 2006)."] == "mechanism"
    assert types["Each infusion costs $400."] == "cost"
    cost = next(c for c in rec.claims if c.type == "cost")
    assert (cost.quantity.value, cost.quantity.unit, cost.quantity.op) == (400.0, "USD", "=")
    mech = next(c for c in rec.claims if c.type == "mechanism")
    assert mech.evidence == "cited" and mech.citations == ["author:zarate2006"]
    # the claim label and the claims list agree
    assert {s.i for s in rec.sentences if "claim" in s.labels} == {c.sentence for c in rec.claims}


def test_web_scores():
    rec = extract_document(web_doc())
    n = len(rec.sentences)
    lab = lambda l: sum(1 for s in rec.sentences if l in s.labels)   # noqa: E731
    assert rec.scores["promotional"] == round(lab("promotional") / n, 4) > 0
    assert rec.scores["call_to_action"] == round(lab("call_to_action") / n, 4) > 0
    assert rec.scores["vague_share"] == round(lab("evidence_vague") / n, 4)
    assert lab("evidence_cited") == 1 and lab("evidence_vague") == 1
    assert rec.scores["cited_share"] == 0.5
    assert rec.scores["risk_disclosure"] == 1.0
    assert rec.scores["suspect_numbers"] == 0.0


def test_scores_without_evidence_appeals_or_sentences():
    rec = extract_document(web_doc(text="Ketamine is a medicine.\n"))
    assert rec.scores["cited_share"] == 0.0 and rec.scores["risk_disclosure"] == 0.0
    empty = extract_document(web_doc(text=""))
    assert empty.sentences == [] and empty.scores["promotional"] == 0.0


def abstract_doc():
    return Document(
        id="pmid:99", kind="abstract", origin="pubmed", raw_format="pubmed_xml", source="https://pubmed.ncbi.nlm.nih.gov/99/",
        title="Ketamine versus midazolam in treatment-resistant depression: a randomized trial",
        text="(ignored when sections exist)",
        sections=[("BACKGROUND", "Ketamine is a promising treatment. Previous studies have shown rapid effects."),
                  ("METHODS", "Patients were randomly assigned to ketamine (n = 47) or midazolam (n = 25)."),
                  ("RESULTS", "Response rates at 24 hours were 64% with ketamine vs 28% with midazolam (p < 0.001). "
                              "The mean difference was 24.0 (27.31, 20.64)."),
                  ("CONCLUSIONS", "Ketamine may be useful; further research is needed.")],
        publication_types=["Randomized Controlled Trial"],
        mesh_terms=["Depressive Disorder, Treatment-Resistant/drug therapy", "Suicidal Ideation"])


def test_structured_abstract():
    rec = extract_document(abstract_doc())
    assert rec.claims == []
    assert [s.text for s in rec.sentences][0] == "Ketamine is a promising treatment."
    assert len(rec.sentences) == 6
    assert rec.conditions == ["trd", "suicidality"]           # MeSH adds suicidality
    st = rec.study
    assert (st.design, st.n_randomized, st.comparator_type) == ("rct", 72, "active_placebo")
    assert st.significant_primary is True
    rates = [o for o in rec.outcomes if o.kind == "response_rate"]
    assert [(o.arm, o.value, o.sentence) for o in rates] == [("ketamine", 64.0, 3), ("midazolam", 28.0, 3)]
    assert rec.scores["suspect_numbers"] == 1.0
    assert rec.scores["cited_share"] == 0.0 and rec.scores["vague_share"] > 0
    assert "hedge" in rec.sentences[5].labels


def test_trial_record_uses_trial_conditions():
    doc = Document(id="nct:NCT00000001", kind="trial", title="Ketamine for PTSD", origin="ctgov",
                   raw_format="ctgov_json", source="https://clinicaltrials.gov/study/NCT00000001",
                   text="This study tests repeated ketamine infusions.",
                   trial={"protocolSection": {
                       "conditionsModule": {"conditions": ["Post-traumatic Stress Disorder", "Alcohol Use Disorder"]},
                       "designModule": {"studyType": "INTERVENTIONAL",
                                        "designInfo": {"allocation": "RANDOMIZED", "interventionModel": "PARALLEL"},
                                        "enrollmentInfo": {"count": 30, "type": "ACTUAL"}}}})
    rec = extract_document(doc)
    assert rec.conditions == ["ptsd", "substance_use"]
    assert rec.study.design == "rct" and rec.study.n_randomized == 30 and rec.claims == []


def test_deterministic_and_json_ready():
    a = json.dumps(extract_document(abstract_doc()).to_dict(), sort_keys=True)
    b = json.dumps(extract_document(abstract_doc()).to_dict(), sort_keys=True)
    assert a == b
    w = extract_document(web_doc()).to_dict()
    assert json.loads(json.dumps(w)) == w


@pytest.mark.parametrize("kind", ["abstract", "trial"])
def test_scientific_kinds_have_no_claims(kind):
    doc = web_doc(text="Ketamine is safe and works within hours.")
    doc.kind = kind
    assert extract_document(doc).claims == []
