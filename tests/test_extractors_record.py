"""extract_document: orchestration, kinds, labels/claims agreement, scores."""
import json

import pytest

from data.records import Document
from data.validation import validate_extraction
from extractors.outcomes import norm_registry_p
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
    # "Studies show ..." and a result given without a source ("Over 70% of patients ...") are vague
    assert lab("evidence_cited") == 1 and lab("evidence_vague") == 2
    assert rec.scores["cited_share"] == round(1 / 3, 4)
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
    # the study's findings are its claims: the results, not the call for more research
    assert [(c.sentence, c.type, c.conditions) for c in rec.claims] == [
        (3, "efficacy", ["trd", "suicidality"]), (4, "efficacy", ["trd", "suicidality"])]
    assert rec.claims[0].quantity.value == 64.0 and rec.claims[0].evidence == "none"
    assert [s.i for s in rec.sentences if "claim" in s.labels] == [3, 4]
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
def test_marketing_language_in_a_study_is_no_finding(kind):
    """A study's claims are its findings: a sales line outside any results
    section reports none."""
    doc = web_doc(text="Ketamine is safe and works within hours.")
    doc.kind = kind
    assert extract_document(doc).claims == []


def test_abstract_conditions_are_the_study_population():
    doc = Document(id="pmid:7", kind="abstract", origin="pubmed", raw_format="pubmed_xml", source="x",
                   title="Ketamine and fentanyl in experimental pain: a randomised crossover study",
                   text="", sections=[
                       ("Methods", "Ten healthy volunteers were randomised to ketamine, fentanyl or saline."),
                       ("Results", "Pain thresholds rose more with the combination (p = 0.01). Two volunteers "
                                   "reported anxiety.")])
    rec = extract_document(doc)
    assert rec.conditions == []                # healthy volunteers: no condition, whatever the pain model
    assert rec.study.n_randomized == 10 and rec.study.comparator_type == "placebo"


def test_arm_sizes_that_do_not_add_up_are_a_suspect_number():
    rec = extract_document(abstract_doc())     # N = 72 from the arms, no stated total: nothing to flag
    assert rec.scores["suspect_arm_sizes"] == 0.0
    doc = abstract_doc()
    doc.sections = [("METHODS", "In total, 73 patients were randomized to ketamine (n = 47) or midazolam (n = 25)."),
                    ("RESULTS", "Response was 64% vs 28% (p < 0.001).")]
    rec = extract_document(doc)
    assert rec.study.n_randomized == 73
    assert rec.scores["suspect_arm_sizes"] == 1.0 and rec.scores["suspect_numbers"] == 1.0


def test_trial_results_become_sentences_with_their_outcomes():
    outcome = {"type": "PRIMARY", "title": "Change From Baseline in MADRS at Day 28", "time_frame": "Day 28",
               "unit": "units on a scale", "groups": [{"id": "A", "title": "Esketamine", "n": 30},
                                                      {"id": "B", "title": "Placebo", "n": 31}],
               "values": [{"group": "A", "value": -18.0}, {"group": "B", "value": -12.5}],
               "analyses": [{"groups": ["A", "B"], "p_value": "0.030", "param_type": "Mean Difference",
                             "param_value": -5.5, "ci_lower": -10.2, "ci_upper": -0.8}]}
    events = {"serious": [], "other": [{"term": "Nausea", "group": "Placebo", "affected": 40, "at_risk": 31}]}
    trial = {"study_type": "INTERVENTIONAL", "allocation": "RANDOMIZED", "intervention_model": "PARALLEL",
             "enrollment": 61, "enrollment_type": "ACTUAL", "conditions": ["Treatment Resistant Depression"],
             "arms": [{"label": "Esketamine", "type": "EXPERIMENTAL", "interventions": ["Drug: Esketamine"]},
                      {"label": "Placebo", "type": "PLACEBO_COMPARATOR", "interventions": ["Drug: Placebo"]}],
             "results": {"outcome_measures": [outcome], "adverse_events": events}}
    doc = Document(id="nct:NCT00000002", kind="trial", title="Esketamine nasal spray in TRD", origin="ctgov",
                   raw_format="ctgov_json", source="https://clinicaltrials.gov/study/NCT00000002",
                   text="Adults with TRD receive esketamine or placebo.",
                   sections=[("Brief Summary", "Adults with TRD receive esketamine or placebo.")], trial=trial)
    rec = extract_document(doc)
    validate_extraction(rec.to_dict())
    assert rec.conditions == ["trd"]
    assert (rec.study.design, rec.study.n_randomized, rec.study.comparator_type) == ("rct", 61, "placebo")
    assert rec.study.significant_primary is True                  # primary analysis p = 0.030
    assert len(rec.sentences) == 1 + 3                            # summary + measure, analysis, event
    md = next(o for o in rec.outcomes if o.kind == "mean_difference")
    assert rec.sentences[md.sentence].text.startswith("Analysis of") and md.ci == (-10.2, -0.8)
    assert rec.scores["suspect_numbers"] == 1.0                   # 40 of 31 with nausea


def _ctgov(corpus_dir, name):
    import json
    from flows.sources.files import read_file
    path = corpus_dir / "api_samples" / "clinicaltrials" / name
    return json.loads(path.read_text(encoding="utf-8")), extract_document(next(iter(read_file(path))))


@pytest.mark.parametrize("name,design,n,ctype,conditions", [
    ("NCT00763412.json", "rct", 31, "placebo", ["other"]),   # cystic fibrosis: outside the vocabulary
    ("NCT00973089.json", "rct", None, "none", []),            # enrollment 0 (ACTUAL): nobody randomized
    ("NCT02210780.json", "rct", 194, "placebo", ["other"]),   # the placebo arm is typed EXPERIMENTAL
    ("NCT02552212.json", "rct", 317, "placebo", ["other"]),
    ("NCT03418623.json", "rct", 24, "placebo", ["substance_use"]),
    ("NCT03630471.json", "rct", 250, "none", ["depression", "substance_use"]),   # enhanced usual care
    ("NCT05594173.json", "observational", None, None, []),    # healthy participants
])
def test_clinicaltrials_records(corpus_dir, name, design, n, ctype, conditions):
    raw, rec = _ctgov(corpus_dir, name)
    assert (rec.study.design, rec.study.n_randomized, rec.study.comparator_type) == (design, n, ctype)
    assert rec.conditions == conditions
    info = raw["protocolSection"]["designModule"].get("designInfo", {})
    assert rec.study.crossover == (info.get("interventionModel") == "CROSSOVER")


def test_clinicaltrials_posted_results(corpus_dir):
    raw, rec = _ctgov(corpus_dir, "NCT02552212.json")
    odds = [o for o in rec.outcomes if o.kind == "odds_ratio"]
    assert (odds[0].value, odds[0].ci, odds[0].p, odds[0].timepoint) == (15.231, (7.336, 31.623), "<0.001", "Week 52")
    rates = [(o.arm, o.value) for o in rec.outcomes if o.kind == "response_rate" and o.timepoint == "Week 52"][:2]
    assert rates == [("Placebo (FAS)", 7.0), ("CZP 200 mg Q2W (FAS)", 47.2)]
    glaucoma = [o for o in rec.outcomes if o.measure == "glaucoma" and o.arm == "CZP 200 mg Q2W (SS)"]
    assert glaucoma[0].kind == "adverse_event_rate" and glaucoma[0].value == round(100 / 159, 1)
    assert rec.study.significant_primary is True
    # every posted analysis with an estimate is an outcome with that estimate and its p-value
    posted = [(a.get("paramValue"), a.get("pValue")) for m in raw["resultsSection"]["outcomeMeasuresModule"]
              ["outcomeMeasures"] for a in m.get("analyses", []) if a.get("paramValue")]
    found = {(o.value, o.p) for o in rec.outcomes}
    assert posted and all((float(v), norm_registry_p(p)) in found for v, p in posted)   # "=0.247" -> "0.247"
    for o in rec.outcomes:                      # each number keeps a sentence that shows it
        assert 0 <= o.sentence < len(rec.sentences)


def test_clinicaltrials_records_without_results_have_no_outcomes_from_planned_measures(corpus_dir):
    raw, rec = _ctgov(corpus_dir, "NCT03418623.json")
    assert "resultsSection" not in raw and rec.outcomes == []
