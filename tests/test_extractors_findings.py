"""A study's own claims: which sentences report findings, their types,
conditions and quantities (extractors/findings.py)."""
import pytest

from data.lexicons import words_of
from data.records import Quantity
from extractors.findings import (extract_study_claims, finding_conditions, finding_quantity, finding_types,
                                 is_finding)


@pytest.mark.parametrize("text, role, expected", [
    ("Pain scores at 24 hours were lower with ketamine than with saline (p = 0.01).", "results", True),
    ("Ketamine reduced postoperative morphine use.", "conclusions", True),
    ("Ketamine reduced postoperative morphine use.", "methods", False),
    ("Ketamine has analgesic properties at low doses.", "background", False),
    # results sentences that report no finding
    ("Eighty patients (40 in each group) were enrolled.", "results", False),
    ("Sixty patients were randomized to ketamine or placebo.", "results", False),
    ("Demographic data did not differ between the groups.", "results", False),
    ("The trial is registered at ClinicalTrials.gov (NCT01234567).", "results", False),
    ("Further studies are needed to confirm these results.", "conclusions", False),
    ("This trial will provide evidence on the role of ketamine in surgery.", "conclusions", False),
    ("Further randomized, placebo-controlled trials are warranted.", "conclusions", False),
    ("The primary hypothesis is that the intervention will be superior to usual care.", None, False),
    ("Both groups were demographically identical.", "results", False),
    ("Measurements were completed by 78 patients in each arm.", "results", False),
    ("Gender distribution was 296 (68.4%) male and 110 (25.4%) female.", "results", False),
    # an abstract with no sections recognised: only a comparison or a test
    ("Pain scores were significantly lower in the ketamine group.", None, True),
    ("Ketamine was given as a bolus of 0.5 mg/kg.", None, False),
])
def test_is_finding(text, role, expected):
    assert is_finding(text, role) is expected


@pytest.mark.parametrize("text, topic, expected", [
    ("Pain scores were lower with ketamine (p < 0.01).", "", ("efficacy",)),
    ("Nausea occurred in 12% of patients given ketamine.", "", ("safety",)),
    ("Hallucinations were more frequent with ketamine.", "", ("safety",)),
    ("Ketamine reduced fentanyl consumption without increasing adverse effects.", "", ("efficacy", "safety")),
    ("Onset of sedation was more rapid with ketamine (2.9 min vs 7.9 min).", "", ("onset",)),
    ("Relapse occurred in 40% of responders within two weeks.", "", ("durability",)),
    ("Plasma BDNF rose after the infusion.", "", ("mechanism",)),
    # the study's own outcome is its efficacy, even when it is a harm elsewhere
    ("Nasal bleeding was less frequent in the LMA group.", "", ("safety",)),
    ("Nasal bleeding was less frequent in the LMA group.", "Nasal bleeding after nasal surgery: LMA versus ETT",
     ("efficacy",)),
    # generic safety words stay safety when the title names them too
    ("No safety concerns were identified.", "Efficacy and safety of drug X in asthma", ("safety",)),
    ("Grade 3-4 neutropenia occurred in 7% of the first arm.", "", ("safety",)),
    # costs, the running of the intervention, and what the drug does in the blood
    ("Total costs were £210 per patient in one arm and £180 in the other.", "", ("cost",)),
    ("The intervention was not cost-effective at a threshold of $50,000 per QALY.", "", ("cost",)),
    ("Adherence to the app was 70% in both arms.", "", ("procedure",)),
    ("Operative time did not differ between the groups (P = 0.4).", "", ("procedure",)),
    ("Uptake of the screening test was 71%.", "", ("procedure",)),
    ("Uptake of glucose by muscle rose with the drug.", "", ("efficacy",)),
    ("Plasma concentrations of the drug were dose-proportional.", "", ("mechanism",)),
])
def test_finding_types(text, topic, expected):
    assert finding_types(text, words_of(topic)) == expected


def test_finding_conditions():
    # result sentences rarely repeat the population: a clinical finding takes it
    assert finding_conditions("efficacy", ["acute_pain"]) == ["acute_pain"]
    assert finding_conditions("durability", ["trd"]) == ["trd"]
    assert finding_conditions("safety", ["acute_pain"]) == []
    assert finding_conditions("mechanism", ["trd"]) == []


@pytest.mark.parametrize("text, ctype, expected", [
    ("The time to first analgesic request was 23.1 ± 6.7 minutes with ketamine and 18.1 ± 7.3 minutes "
     "with saline.", "efficacy", Quantity(23.1, "minutes", "=")),
    ("During the 48 h after surgery, fentanyl consumption was 474 µg with ketamine.", "efficacy",
     Quantity(474.0, "µg", "=")),
    ("In the ketamine group 22 patients (78.6%) reached remission.", "efficacy", Quantity(78.6, "%", "=")),
    ("The sensitivity of endoscopy 24 hours after surgery was 60%.", "efficacy", Quantity(60.0, "%", "=")),
    ("3-year overall survival was 50·3% with chemotherapy alone.", "efficacy", Quantity(50.3, "%", "=")),
    ("Over a period of 6 months, pocket depth fell by 1.2 mm.", "efficacy", Quantity(1.2, "mm", "=")),
    ("After 0.5 mg/kg ketamine, 30% of patients had dizziness.", "safety", Quantity(30.0, "%", "=")),
    ("Sedation lasted 45 minutes after 0.5 mg/kg ketamine.", "procedure", Quantity(45.0, "minutes", "=")),
    ("Pain scores did not differ between the groups (p = 0.41).", "efficacy", None),
    # a concentration is part of the treatment; a stated share is kept over a computed one
    ("The 20 ml 0.5% ropivacaine group had a block that lasted for 48 h.", "efficacy",
     Quantity(48.0, "hours", "=")),
    ("A 2% lidocaine gel is a useful tool.", "efficacy", None),
    ("The 2% lidocaine gel was applied for 5 minutes.", "procedure", Quantity(2.0, "%", "=")),
    ("Cure rates were 79.8% (95% CI 71.7-89.0%) and 74.7%.", "efficacy", Quantity(79.8, "%", "=")),
    ("Sixteen out of 18 (88%) patients had a response.", "efficacy", Quantity(88.0, "%", "=")),
])
def test_finding_quantity(text, ctype, expected):
    assert finding_quantity(text, ctype) == expected


def test_extract_study_claims():
    texts = ["Ketamine may prevent chronic pain after surgery.",
             "Sixty patients were randomized to ketamine or saline.",
             "Pain scores were lower with ketamine at 24 hours (p = 0.003).",
             "Hypotension occurred in 10% of patients given ketamine.",
             "As earlier trials have shown, ketamine spares opioids.",
             "Further trials are needed."]
    roles = ["background", "results", "results", "results", "conclusions", "conclusions"]
    vague = [False, False, False, False, True, False]
    claims = extract_study_claims(texts, roles, ["acute_pain"], vague=vague)
    assert [(c.sentence, c.type, c.conditions, c.evidence) for c in claims] == [
        (2, "efficacy", ["acute_pain"], "none"),
        (3, "safety", [], "none"),
        (4, "efficacy", ["acute_pain"], "vague"),
    ]
    assert claims[1].quantity == Quantity(10.0, "%", "=")
    assert all(c.text == texts[c.sentence] and c.citations == [] for c in claims)
