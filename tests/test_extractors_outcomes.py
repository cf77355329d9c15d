"""Outcomes: rates per arm, ratios with CIs, effect sizes, p-values, timepoints, suspects."""
import pytest

from data.records import Outcome, Sentence
from extractors.outcomes import (ci_excludes_no_effect, count_suspect, extract_outcomes, is_suspect, norm_registry_p,
                                 p_is_significant, p_values, registry_results)


def one(text):
    outs = extract_outcomes([text])
    assert len(outs) == 1, outs
    return outs[0]


@pytest.mark.parametrize("text,p", [
    ("MADRS scores fell more with ketamine (p < 0.001).", "<0.001"),
    ("MADRS scores fell more with ketamine (P=.03).", "0.03"),
    ("MADRS scores fell more with ketamine, p = 0.04.", "0.04"),
    ("MADRS scores fell more with ketamine (P ≤ 0.05).", "<=0.05"),
])
def test_p_values_are_normalised_and_keep_the_measure(text, p):
    o = one(text)
    assert o.p == p and o.measure == "MADRS" and o.kind == "other"


def test_response_rates_per_arm():
    outs = extract_outcomes(["Response rates at 24 hours were 64% with ketamine vs 28% with midazolam (p < 0.001)."])
    assert [(o.kind, o.arm, o.value, o.unit, o.p, o.timepoint) for o in outs] == [
        ("response_rate", "ketamine", 64.0, "%", "<0.001", "24 hours"),
        ("response_rate", "midazolam", 28.0, "%", "<0.001", "24 hours"),
    ]
    assert [o.direction for o in outs] == ["benefit", "benefit"]


def test_respectively_assigns_arms_in_order():
    outs = extract_outcomes(["Remission rates were 30% and 10% in the esketamine and placebo groups, respectively."])
    assert [(o.kind, o.arm, o.value) for o in outs] == [
        ("remission_rate", "esketamine", 30.0), ("remission_rate", "placebo", 10.0)]
    assert all(o.direction is None for o in outs)          # no significance stated


def test_relapse_hazard_ratio_with_ci():
    o = one("Relapse was less likely with esketamine (HR 0.49, 95% CI 0.29-0.84; P=.003).")
    assert (o.kind, o.value, o.ci, o.p) == ("hazard_ratio", 0.49, (0.29, 0.84), "0.003")
    assert o.direction == "benefit"


def test_odds_ratio_of_response():
    o = one("Response at 24 h: OR 2.18 (95% CI 1.21 to 4.14).")
    assert (o.kind, o.value, o.ci, o.timepoint, o.direction) == ("odds_ratio", 2.18, (1.21, 4.14), "24 hours", "benefit")


def test_ratio_ci_crossing_one_is_no_difference():
    o = one("Dropouts: risk ratio 1.25 (95% CI 0.19-8.28).")
    assert o.kind == "risk_ratio" and o.direction == "no_difference"


def test_mean_difference_with_negative_ci():
    o = one("Least-squares mean difference in MADRS was -4.0 (95% CI -7.31 to -0.64) at day 28.")
    assert (o.kind, o.measure, o.value, o.ci, o.timepoint) == ("mean_difference", "MADRS", -4.0, (-7.31, -0.64), "day 28")
    assert not is_suspect(o)


def test_points_lower_with_ketamine():
    o = one("MADRS was 7.95 points lower with ketamine than midazolam (95% CI 3.20-12.71).")
    assert (o.kind, o.value, o.unit, o.arm, o.direction) == ("mean_difference", 7.95, "points", "ketamine", "benefit")


@pytest.mark.parametrize("text,value", [
    ("The effect size was large (Cohen's d = 0.75) at week 2.", 0.75),
    ("Hedges g = 0.27 (95% CI 0.03-0.51).", 0.27),
    ("SMD -0.87 (95% CI -1.26 to -0.48).", -0.87),
])
def test_effect_sizes(text, value):
    o = one(text)
    assert o.kind == "effect_size" and o.value == value


def test_adverse_event_rate():
    o = one("Dissociation occurred in 28% of patients receiving ketamine.")
    assert (o.kind, o.measure, o.value, o.arm) == ("adverse_event_rate", "dissociation", 28.0, "ketamine")


def test_definitions_and_ci_bounds_are_not_rates():
    outs = extract_outcomes(["Response (≥50% reduction in MADRS) was 55% vs 30%."])
    assert [o.value for o in outs] == [55.0, 30.0]
    outs = extract_outcomes(["Model-estimated response: ketamine 45% (34-56%), midazolam 18% (6-30%)."])
    assert [(o.arm, o.value, o.ci) for o in outs] == [("ketamine", 45.0, (34.0, 56.0)), ("midazolam", 18.0, (6.0, 30.0))]


def test_no_significant_difference():
    o = one("There was no significant group-by-time interaction on the PCL-5 (p = 0.41).")
    assert (o.measure, o.direction) == ("PCL-5", "no_difference")


def test_timepoints():
    assert one("Response at week 4 was 50% (p = 0.01).").timepoint == "week 4"
    assert one("On day 7 MADRS scores were lower (p = 0.02).").timepoint == "day 7"
    assert one("Pain was lower 6 h after surgery (p = 0.02).").timepoint == "6 hours"


def test_score_sentence_is_not_an_event_rate():
    assert one("Agitation scores were higher in group M than in group KM (P < 0.01).").kind == "other"


def test_suspect_numbers_are_kept_and_flagged():
    # a lost minus sign: "-4.0 (-7.31, -0.64)" scraped as "24.0 (27.31, 20.64)"
    bad_ci = one("The mean difference was 24.0 (27.31, 20.64).")
    assert bad_ci.kind == "mean_difference" and bad_ci.direction is None and is_suspect(bad_ci)
    over = one("Remission occurred in 120% of patients (p < 0.01).")
    assert over.kind == "remission_rate" and over.direction is None and is_suspect(over)
    outside = one("OR 5.2 (95% CI 1.1-3.4).")
    assert is_suspect(outside) and outside.direction is None
    assert count_suspect([bad_ci, over, outside, Outcome(sentence=0, kind="other", p="0.2")]) == 3


def test_sentence_indices_follow_sentence_objects():
    outs = extract_outcomes([Sentence(i=5, text="Nothing here."), Sentence(i=6, text="Response was 40% (p = 0.2).")])
    assert [(o.sentence, o.kind, o.direction) for o in outs] == [(6, "response_rate", "no_difference")]


def test_p_is_significant():
    assert p_is_significant("<0.001") is True
    assert p_is_significant("0.04") is True
    assert p_is_significant("0.41") is False
    assert p_is_significant(">0.05") is False
    assert p_is_significant(None) is None


def test_lancet_middle_dot_decimals():
    o = one("Relapse was less frequent (HR 0·56, 0·34–0·92, p=0·007).")
    assert (o.kind, o.value, o.ci, o.p, o.direction) == ("hazard_ratio", 0.56, (0.34, 0.92), "0.007", "benefit")


def test_bracketed_abbreviation_and_rate_abbreviations():
    assert one("The hazard ratio [HR] 0.80 (95% CI 0.70-0.91) favoured ketamine.").value == 0.80
    outs = extract_outcomes(["Patients achieved RR of 61.7 % and a response of 40% (p = 0.2)."])
    assert all(o.kind != "risk_ratio" for o in outs)


def test_no_partial_numbers_and_ci_must_be_near():
    outs = extract_outcomes(["After 1 year, the HbA1c reduction was 0.83% (95% CI 0.81–0.84%)."])
    assert not any(o.value == 0.8 for o in outs)
    outs = extract_outcomes(["Response was 45% in clinics and 48% in research (95% CI -5 to 11%, p = 0.46)."])
    assert outs[0].ci is None and not any(is_suspect(x) for x in outs)


def test_risk_difference_is_not_a_rate():
    outs = extract_outcomes(["Side effects: 51% vs 49%; risk difference 3% [95% CI, −8 to 14%]; p = 0.6."])
    diff = [o for o in outs if o.value == 3.0][0]
    assert diff.kind == "other" and diff.ci == (-8.0, 14.0) and not is_suspect(diff)


@pytest.mark.parametrize("text, expected", [
    ("The incident rate ratio between the groups was 0.90 (95% CI 0.62–1.33).", ("risk_ratio", 0.9, (0.62, 1.33))),
    ("The odds ratio for remission was 2.1 (95% CI 1.1-3.9).", ("odds_ratio", 2.1, (1.1, 3.9))),
    ("The difference was 1.5 points (95% CI 0.4 to 2.6).", ("mean_difference", 1.5, (0.4, 2.6))),
    ("The difference between the groups was -4.2 (95% CI -7.1 to -1.3).", ("mean_difference", -4.2, (-7.1, -1.3))),
    ("Bleeding was more frequent (difference: −26.5%; 95% CI: −42.2% to −10.7%).", ("other", -26.5, (-42.2, -10.7))),
])
def test_estimates_named_in_other_words(text, expected):
    o = one(text)
    assert (o.kind, o.value, o.ci) == expected


@pytest.mark.parametrize("text", [
    "There was a significant difference between the 2 groups regarding efficacy.",
    "We found no difference in 24-hour SOFA scores.",
])
def test_a_difference_without_its_value_is_no_estimate(text):
    assert all(o.value is None for o in extract_outcomes([text]))


@pytest.mark.parametrize("outcome, expected", [
    (Outcome(0, "odds_ratio", value=2.1, ci=(1.1, 3.9)), True),
    (Outcome(0, "hazard_ratio", value=0.9, ci=(0.62, 1.33)), False),
    (Outcome(0, "mean_difference", value=-4.0, ci=(-6.1, -1.9)), True),
    (Outcome(0, "other", value=3.0, unit="%", ci=(-1.0, 7.0)), False),
    (Outcome(0, "response_rate", value=64.0, unit="%", ci=(50.0, 78.0)), None),   # a rate compares nothing
    (Outcome(0, "mean_difference", value=-4.0), None),
])
def test_a_ci_that_leaves_out_no_effect(outcome, expected):
    assert ci_excludes_no_effect(outcome) is expected


@pytest.mark.parametrize("text,p", [
    ("No interaction was found for PS (all P⩾0.26).", ">=0.26"),
    ("An effect on gain was observed (both P⩽0.04).", "<=0.04"),
    ("Morphine use was lower with propofol (P value, 0.01).", "0.01"),
])
def test_unusual_p_value_forms(text, p):
    assert p_values(text) == [p]
    assert one(text).p == p


def test_registry_p_values_are_normalised():
    assert [norm_registry_p(p) for p in ("<0.0001", "< 0.001", "0.21", "NA", None)] == [
        "<0.0001", "<0.001", "0.21", None, None]


# A posted result in the shape flows/sources/parsers/ctgov_json.py writes (values are ours).
RESULTS = {"results": {
    "outcome_measures": [
        {"type": "PRIMARY", "title": "Change From Baseline in MADRS Total Score at Day 28", "time_frame": "Day 28",
         "unit": "units on a scale", "param_type": "LEAST_SQUARES_MEAN",
         "groups": [{"id": "OG000", "title": "Esketamine + AD", "n": 114},
                    {"id": "OG001", "title": "Placebo + AD", "n": 109}],
         "values": [{"group": "OG000", "category": None, "value": -19.8, "spread": 1.3},
                    {"group": "OG001", "category": None, "value": -15.8, "spread": 1.4}],
         "analyses": [{"groups": ["OG000", "OG001"], "p_value": "0.020", "param_type": "LS Mean Difference",
                       "param_value": -4.0, "ci_lower": -7.31, "ci_upper": -0.64, "ci_pct": 95.0}]},
        {"type": "SECONDARY", "title": "Percentage of Participants With Response at Day 28", "time_frame": "Day 28",
         "unit": "percentage of participants", "param_type": "NUMBER",
         "groups": [{"id": "OG000", "title": "Esketamine + AD", "n": 114},
                    {"id": "OG001", "title": "Placebo + AD", "n": 109}],
         "values": [{"group": "OG000", "value": 69.3}, {"group": "OG001", "value": 52.0}],
         "analyses": [{"groups": ["OG000", "OG001"], "p_value": "0.21", "param_type": "Odds Ratio (OR)",
                       "param_value": 1.4, "ci_lower": 0.8, "ci_upper": 2.3, "ci_pct": 95.0}]},
        {"type": "SECONDARY", "title": "Plasma Concentration", "values": [], "analyses": []},
    ],
    "adverse_events": {
        "serious": [{"term": "Suicidal ideation", "group": "Esketamine + AD", "affected": 0, "at_risk": 115},
                    {"term": "Suicidal ideation", "group": "Placebo + AD", "affected": 0, "at_risk": 109}],
        "other": [{"term": "Dissociation", "group": "Esketamine + AD", "affected": 30, "at_risk": 115},
                  {"term": "Dissociation", "group": "Placebo + AD", "affected": 4, "at_risk": 109},
                  {"term": "Nausea", "group": "Placebo + AD", "affected": 120, "at_risk": 109}]}}}


def test_registry_results_keep_numbers_and_sentences():
    sentences, outs = registry_results(RESULTS, first=3)
    assert len(sentences) == 6           # 2 measures + 2 analyses + 2 events that affected someone
    by_kind = {}
    for o in outs:
        by_kind.setdefault(o.kind, []).append(o)
        assert 3 <= o.sentence < 3 + len(sentences)
    madrs = by_kind["mean_change"]
    assert [(o.measure, o.arm, o.value, o.timepoint) for o in madrs] == [
        ("MADRS", "Esketamine + AD", -19.8, "Day 28"), ("MADRS", "Placebo + AD", -15.8, "Day 28")]
    md = by_kind["mean_difference"][0]
    assert (md.value, md.ci, md.p, md.arm) == (-4.0, (-7.31, -0.64), "0.020", "Esketamine + AD vs Placebo + AD")
    assert "-4 (95% CI -7.31 to -0.64), p 0.020" in sentences[md.sentence - 3]
    rates = by_kind["response_rate"]
    assert [(o.value, o.unit) for o in rates] == [(69.3, "%"), (52.0, "%")]
    odds = by_kind["odds_ratio"][0]
    assert (odds.value, odds.p, odds.direction) == (1.4, "0.21", "no_difference")
    events = {(o.measure, o.arm): o.value for o in by_kind["adverse_event_rate"]}
    assert events[("dissociation", "Esketamine + AD")] == 26.1
    assert ("suicidal ideation", "Esketamine + AD") not in events       # nobody affected
    assert is_suspect(next(o for o in outs if o.measure == "nausea"))  # 120 of 109 at risk


def test_no_registry_results():
    assert registry_results(None, 0) == ([], [])
    assert registry_results({"results": None}, 0) == ([], [])
