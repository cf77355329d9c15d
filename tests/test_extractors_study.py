"""Study design, size, arms, measures and significance from short abstracts."""
import pytest

from data.records import Document
from extractors.sentences import split_sentences
from extractors.study import (extract_study, find_comparator, find_intervention,
                              find_n_randomized, section_role, significance)


def abstract(title, text="", sections=(), pubtypes=(), trial=None, kind="abstract"):
    return Document(id="pmid:1", kind=kind, title=title, text=text, source="test", origin="test",
                    raw_format="pubmed_xml", sections=list(sections),
                    publication_types=list(pubtypes), trial=trial)


def study_of(doc):
    labels, sents = [], []
    for label, body in doc.sections or [(None, doc.text)]:
        for s in split_sentences(body, line_breaks=False):
            labels.append(label)
            sents.append(s)
    return extract_study(doc, sents, labels)


MURROUGH_LIKE = abstract(
    "Antidepressant efficacy of ketamine in treatment-resistant major depression: a two-site "
    "randomized controlled trial",
    sections=[
        ("OBJECTIVE", "We tested ketamine against an active placebo."),
        ("METHOD", "In a double-blind trial, N = 73 (2:1) patients with TRD were randomized to a single "
                   "infusion of ketamine 0.5 mg/kg or midazolam 0.045 mg/kg. The primary outcome was "
                   "change in MADRS score 24 hours after treatment; QIDS-SR and CADSS were secondary."),
        ("RESULTS", "Baseline characteristics did not differ significantly between groups. The ketamine "
                    "group had a greater improvement in MADRS score than the midazolam group 24 hours "
                    "after treatment (p < 0.001)."),
        ("CONCLUSIONS", "Ketamine demonstrated rapid antidepressant effects."),
    ],
    pubtypes=["Journal Article", "Randomized Controlled Trial"],
)


def test_structured_rct():
    st = study_of(MURROUGH_LIKE)
    assert st.design == "rct"
    assert st.crossover is False
    assert st.n_randomized == 73
    assert st.intervention == "ketamine 0.5 mg/kg"
    assert (st.comparator, st.comparator_type) == ("midazolam", "active_placebo")
    assert st.measures == ["MADRS", "QIDS", "CADSS"]
    assert st.significant_primary is True          # baseline sentence ignored


def test_null_primary_and_crossover_saline():
    doc = abstract("Ketamine in OCD", text=(
        "In this randomized, placebo-controlled crossover trial, 15 adults received ketamine or saline. "
        "The primary outcome, Y-BOCS change at one week, did not differ between conditions (p = 0.41)."))
    st = study_of(doc)
    assert st.design == "rct" and st.crossover is True
    assert st.n_randomized == 15
    assert (st.comparator, st.comparator_type) == ("saline", "placebo")
    assert st.measures == ["Y-BOCS"]
    assert st.significant_primary is False


@pytest.mark.parametrize("sentences,expected", [
    (["Patients were randomly assigned to ketamine (n = 47) or midazolam (n = 25)."], 72),
    (["N = 73 (2:1) patients."], 73),
    (["In total, 73 patients were randomized."], 73),
    (["We randomly assigned 120 patients to two arms."], 120),
    (["Fifty-seven patients with early ARDS were randomly assigned to two groups."], 57),
    (["Of 120 screened, 73 were randomized."], 73),
    (["Patients were allocated into two groups of 30 each."], 60),
    (["Ninety-two preschool children, aged two to six years, were included."], 92),
    (["Ten healthy volunteers participated."], 10),
    (["Group M (46 patients) received midazolam and group KM (46 patients) received both."], 92),
    (["Ketamine is a drug."], None),
])
def test_n_randomized(sentences, expected):
    assert find_n_randomized(sentences) == expected


@pytest.mark.parametrize("pubtypes,text,expected", [
    (["Meta-Analysis", "Systematic Review"], "We pooled 7 randomized trials.", "meta_analysis"),
    (["Review"], "A systematic review of ketamine trials.", "systematic_review"),
    (["Review"], "We review the pharmacology of ketamine.", "review"),
    (["Case Reports"], "A 45-year-old woman received ketamine.", "case_report"),
    (["Observational Study"], "A cohort of patients.", "observational"),
    ([], "Ketamine reduced immobility in rats exposed to chronic stress.", "preclinical"),
    ([], "In this open-label study, 12 patients received six infusions.", "open_label"),
    ([], "A retrospective chart review of 235 patients.", "observational"),
    ([], "A non-randomized comparison of two clinics.", "nonrandomized_trial"),
    ([], "A meta-analysis of randomised controlled trials.", "meta_analysis"),
    ([], "We report the case of a 30-year-old man.", "case_report"),
    ([], "Ketamine is a drug.", "other"),
])
def test_design(pubtypes, text, expected):
    st = study_of(abstract("A study", text=text, pubtypes=pubtypes))
    assert st.design == expected


def test_open_label_has_no_comparator():
    st = study_of(abstract("Open-label ketamine for OCD", text="Ten patients received open-label ketamine."))
    assert st.design == "open_label" and st.comparator is None and st.comparator_type == "none"


def test_trial_record_raw_ctgov_shape():
    trial = {"protocolSection": {
        "designModule": {"studyType": "INTERVENTIONAL",
                         "designInfo": {"allocation": "RANDOMIZED", "interventionModel": "CROSSOVER"},
                         "enrollmentInfo": {"count": 41, "type": "ACTUAL"}},
        "armsInterventionsModule": {"armGroups": [
            {"label": "Ketamine", "type": "EXPERIMENTAL", "interventionNames": ["Drug: Ketamine"]},
            {"label": "Midazolam", "type": "ACTIVE_COMPARATOR", "interventionNames": ["Drug: Midazolam"]}]}}}
    st = study_of(abstract("Ketamine for PTSD", text="A trial of ketamine.", trial=trial, kind="trial"))
    assert st.design == "rct" and st.crossover is True and st.n_randomized == 41
    assert (st.comparator, st.comparator_type) == ("midazolam", "active_placebo")
    assert st.intervention == "ketamine"


def test_trial_record_flat_shape():
    trial = {"study_type": "INTERVENTIONAL", "allocation": "NA", "intervention_model": "SINGLE_GROUP",
             "enrollment": {"count": 20, "type": "ESTIMATED"},
             "arms": [{"label": "Esketamine", "type": "EXPERIMENTAL", "interventionNames": ["Drug: Esketamine"]}],
             "primary_p_values": []}
    st = study_of(abstract("Esketamine nasal spray", text="Participants receive esketamine 56 mg.",
                           trial=trial, kind="trial"))
    assert st.design == "open_label" and st.n_randomized is None      # estimated, not actual
    assert st.comparator_type == "none" and st.intervention == "esketamine 56 mg"
    nonrand = dict(trial, allocation="NON_RANDOMIZED", intervention_model="PARALLEL")
    assert study_of(abstract("x", text="x", trial=nonrand, kind="trial")).design == "nonrandomized_trial"
    obs = {"study_type": "OBSERVATIONAL"}
    assert study_of(abstract("x", text="x", trial=obs, kind="trial")).design == "observational"
    assert study_of(abstract("x", text="x", trial={"allocation": "RANDOMIZED", "primary_p_values": ["<0.001"]},
                             kind="trial")).significant_primary is True


def test_helpers():
    assert find_intervention(["S-ketamine 0.25 mg/kg was given; esketamine again."]) == "esketamine 0.25 mg/kg"
    assert find_intervention(["Arketamine in mice."]) == "arketamine"
    assert find_comparator(["ketamine versus electroconvulsive therapy"]) == ("ect", "active")
    assert find_comparator(["patients received ketamine or propofol (n = 20)"]) == ("propofol", "active")
    assert find_comparator(["midazolam premedication was given to all"]) == (None, None)
    assert section_role("Materials and Methods:") == "methods"
    assert section_role("CONCLUSIONS AND RELEVANCE") == "conclusions"
    assert significance("MADRS was significantly lower (P=.03).") is True
    assert significance("Scores did not differ between groups.") is False
    assert significance("Patients were adults.") is None


def test_trial_record_parser_shape_results():
    """The flat shape written by the ClinicalTrials.gov parser, with results."""
    trial = {"study_type": "INTERVENTIONAL", "allocation": "RANDOMIZED", "intervention_model": "PARALLEL",
             "enrollment": 99, "enrollment_type": "ACTUAL",
             "arms": [{"label": "Ketamine", "type": "EXPERIMENTAL", "interventions": ["Drug: Ketamine"]},
                      {"label": "Placebo", "type": "PLACEBO_COMPARATOR", "interventions": ["Drug: Saline"]}],
             "results": {"outcome_measures": [
                 {"type": "PRIMARY", "analyses": [{"p_value": "0.21"}]},
                 {"type": "SECONDARY", "analyses": [{"p_value": "<0.001"}]}]}}
    st = study_of(abstract("Ketamine trial", text="Ketamine versus placebo.", trial=trial, kind="trial"))
    assert (st.design, st.n_randomized) == ("rct", 99)
    assert st.comparator_type == "placebo"
    assert st.significant_primary is False
