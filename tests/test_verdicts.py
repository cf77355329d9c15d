"""Verdict rules with hand-made claims and studies, and the curated-facts loader."""
from __future__ import annotations

import csv
import dataclasses
import shutil
from pathlib import Path

import pytest

from data.facts import FACTS_DIR, load_facts
from extractors.verdicts import (document_context, judge_claim, judge_claims, ketamine_studies,
                                 page_contexts, study_label)

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
FACTS = load_facts()
NO_TRIALS = dataclasses.replace(FACTS, trials=())


def claim(text: str, ctype: str = "efficacy", conditions=(), rate=None, op=">", context=None, pk=1):
    row = {"pk": pk, "text": text, "type": ctype, "conditions": list(conditions),
           "quantity_value": rate, "quantity_unit": "%" if rate is not None else None,
           "quantity_op": op if rate is not None else None}
    if context:
        row["context"] = {"conditions": context, "source": "the page title"}
    return row


def study(pmid: str, design: str = "rct", n: int | None = 100, significant=True, conditions=("trd",),
          title: str = "Ketamine for treatment-resistant depression", comparator="midazolam",
          comparator_type="active_placebo", outcomes=()) -> dict:
    return {"pmid": pmid, "source_id": f"pmid:{pmid}", "design": design, "n_randomized": n,
            "significant_primary": significant, "conditions": list(conditions), "title": title,
            "intervention": "ketamine 0.5 mg/kg", "comparator": comparator,
            "comparator_type": comparator_type, "crossover": False, "measures": [],
            "outcomes": list(outcomes), "label": f"Study {pmid}"}


def rate(kind: str, value: float, arm: str | None = "ketamine") -> dict:
    return {"kind": kind, "value": value, "unit": "%", "arm": arm, "timepoint": "24 hours"}


# -- the five examples of the issue ---------------------------------------------------

def test_eighty_percent_remission_is_overstated_against_trial_remission_rates():
    v = judge_claim(claim("Over 80% of patients reach remission.", conditions=["trd"], rate=80), [])
    assert v["verdict"] == "overstated"
    assert "80%" in v["reason"] and "27.1%" in v["reason"] and "46%" in v["reason"]
    assert "nct:NCT04338321" in v["references"]          # ESCAPE-TRD, 27.1% remission


def test_long_term_remission_after_one_cycle_is_overstated():
    v = judge_claim(claim("Ketamine brings long-term remission after one treatment cycle.",
                          "durability", ["depression"]), [])
    assert v["verdict"] == "overstated" and "weeks" in v["reason"]
    assert "pmid:31166571" in v["references"]            # SUSTAIN-1: relapse after stopping


def test_fda_approved_on_an_iv_ketamine_page_is_misleading():
    v = judge_claim(claim("Ketamine is FDA-approved.", "regulatory", context=["depression"]), [])
    assert v["verdict"] == "misleading"
    assert "anaesthetic" in v["reason"] and "Spravato" in v["reason"]
    assert {"fact:ketamine_not_approved_psychiatric", "fact:spravato_trd_approval_2019"} <= set(v["references"])
    assert v["basis"] == "curated"


def test_non_addictive_is_contradicted_by_schedule_iii():
    v = judge_claim(claim("Ketamine is completely non-addictive.", "safety"), [])
    assert v["verdict"] == "contradicted" and "Schedule III" in v["reason"]
    assert "fact:dea_schedule_iii_1999" in v["references"]


def test_effective_for_ocd_is_preliminary_on_one_small_crossover_and_a_null_open_label_study():
    v = judge_claim(claim("Ketamine is effective for OCD.", conditions=["ocd"]), [])
    assert v["verdict"] == "preliminary"
    assert "N=15" in v["reason"] and "open-label" in v["reason"]
    assert "saline" in v["reason"] and "unblinding" in v["reason"]   # Rodriguez 2013 used saline
    assert set(v["references"]) == {"nct:NCT01100255", "pmid:22784486"}


# -- rates ---------------------------------------------------------------------

def test_collected_rates_join_the_comparison_and_control_arms_do_not_count():
    trial = study("9001", outcomes=[rate("remission_rate", 30), rate("remission_rate", 90, "placebo")])
    v = judge_claim(claim("Over 80% reach remission.", conditions=["trd"], rate=80), [trial], NO_TRIALS)
    assert v["verdict"] == "overstated" and v["references"] == ["pmid:9001"]
    assert v["basis"] == "collected" and "30%" in v["reason"]


def test_a_rate_within_the_trials_is_not_overstated():
    v = judge_claim(claim("More than half of patients respond.", conditions=["trd"], rate=50), [])
    assert v["verdict"] == "supported" and "does not exceed" in v["reason"]


def test_prevalence_is_not_a_claimed_rate():
    v = judge_claim(claim("Ketamine helps PTSD, which affects up to 20% of adults.",
                          conditions=["ptsd"], rate=20, op="<"), [])
    assert "20%" not in v["reason"]


# -- weighing by quality -------------------------------------------------------------

def test_one_large_null_rct_outweighs_several_small_positive_reports():
    big_null = study("2", n=200, significant=False, conditions=["ocd"], title="Ketamine for OCD",
                     comparator="placebo", comparator_type="placebo")
    small = [study(str(i), design="case_report", n=None, conditions=["ocd"], title="Ketamine for OCD")
             for i in range(10, 14)]
    v = judge_claim(claim("Ketamine treats OCD.", conditions=["ocd"]), [big_null, *small], NO_TRIALS)
    assert v["verdict"] == "contradicted" and v["references"][0] == "pmid:2"
    assert judge_claim(claim("Ketamine treats OCD.", conditions=["ocd"]), small, NO_TRIALS)["verdict"] == "preliminary"
    assert judge_claim(claim("Ketamine treats OCD.", conditions=["ocd"]), [], NO_TRIALS)["verdict"] == "unsupported"


def test_a_missed_non_inferiority_margin_against_ect_is_not_evidence_of_no_effect():
    positive = study("1", n=100)
    versus_ect = study("2", n=300, significant=False, comparator="ECT", comparator_type="active")
    v = judge_claim(claim("Ketamine treats TRD.", conditions=["trd"]), [positive, versus_ect], NO_TRIALS)
    assert v["verdict"] == "supported"


def test_ptsd_evidence_is_mixed():
    v = judge_claim(claim("Ketamine is effective for PTSD.", conditions=["ptsd"]), [])
    assert v["verdict"] == "mixed" and "Abdallah 2022" in v["reason"] and "Feder 2021" in v["reason"]


def test_a_saline_controlled_trial_is_flagged():
    saline = study("5", n=40, conditions=["anxiety"], title="Ketamine for anxiety", comparator="saline",
                   comparator_type="placebo")
    v = judge_claim(claim("Ketamine eases anxiety.", conditions=["anxiety"]), [saline], NO_TRIALS)
    assert v["verdict"] == "supported" and "unblinding" in v["reason"]


def test_a_claim_wider_than_the_evidence_is_overstated_unless_it_is_tentative():
    wide = judge_claim(claim("Ketamine treats depression, anxiety and OCD.",
                             conditions=["depression", "anxiety", "ocd"]), [])
    assert wide["verdict"] == "overstated" and "absent for anxiety" in wide["reason"]
    tentative = judge_claim(claim("Ketamine has shown promise for OCD.", conditions=["ocd"]), [])
    assert tentative["verdict"] == "supported" and "tentative" in tentative["reason"]


def test_only_ketamine_studies_count_and_a_collected_copy_of_a_curated_trial_is_not_counted_twice():
    aspirin = dict(study("77", conditions=["anxiety"], title="Aspirin for anxiety"), intervention="aspirin")
    assert judge_claim(claim("Ketamine eases anxiety.", conditions=["anxiety"]), [aspirin])["verdict"] == "unsupported"
    murrough = study("23982301", n=73)
    v = judge_claim(claim("Ketamine treats TRD.", conditions=["trd"]), [murrough])
    assert v["references"].count("pmid:23982301") <= 1 and v["basis"] == "curated"


# -- context, types, rules ---------------------------------------------------------------

def test_a_claim_naming_no_condition_is_judged_for_its_page_and_says_so():
    v = judge_claim(claim("Ketamine works when nothing else has.", context=["trd"]), [])
    assert v["verdict"] == "supported" and v["reason"].startswith("The sentence names no condition")
    assert judge_claim(claim("Ketamine works."), [])["verdict"] == "not_checkable"


def test_document_context_prefers_the_title_then_the_most_named_condition():
    assert document_context("Ketamine for PTSD in Denver", ["It helps depression."]) == (["ptsd"], "the page title")
    conds, how = document_context("Our clinic", ["Depression is hard.", "We treat depression.", "And PTSD."])
    assert conds == ["depression"] and "most often" in how


def test_ketamine_studies_keeps_studies_of_ketamine_by_intervention_or_title():
    docs = {1: {"title": "Esketamine nasal spray in TRD"}, 2: {"title": "Exercise for back pain"},
            3: {"title": "Sedation in children"}}
    studies = [{"document_pk": 1, "intervention": None}, {"document_pk": 2, "intervention": "walking"},
               {"document_pk": 3, "intervention": "ketamine 1 mg/kg"}]
    outcomes = {3: [{"document_pk": 3, "kind": "other"}]}
    kept = list(ketamine_studies(docs, studies, outcomes))
    assert [(doc["title"], found) for doc, _, found in kept] == [
        ("Esketamine nasal spray in TRD", []), ("Sedation in children", outcomes[3])]
    assert [study for _, study, _ in kept] == [studies[0], studies[2]]


def test_page_contexts_reads_each_page_from_its_own_sentences():
    page = [{"pk": 1, "title": "Our clinic"}, {"pk": 2, "title": "Ketamine for OCD"}, {"pk": 3, "title": "News"}]
    sentences = {1: [{"text": "We treat PTSD."}, {"text": "PTSD is common."}], 2: [{"text": "And PTSD."}]}
    contexts = page_contexts(page, sentences)
    assert contexts[1] == (["ptsd"], "the conditions the page names most often")
    assert contexts[2] == (["ocd"], "the page title")
    assert contexts[3] == ([], "")


@pytest.mark.parametrize("text, ctype, expected", [
    ("Spravato (esketamine) is FDA-approved for treatment-resistant depression.", "regulatory", "supported"),
    ("Using ketamine for depression is off-label.", "regulatory", "supported"),
    ("IV ketamine is approved by the FDA for depression.", "regulatory", "contradicted"),
    ("Ketamine is an FDA-approved anesthetic.", "regulatory", "supported"),
    ("NRX-100 received FDA Fast Track designation for suicidal depression.", "regulatory", "not_checkable"),
    ("The company plans to seek FDA approval for depression.", "regulatory", "not_checkable"),
    ("If approved by the FDA, it would be the first medicine for bipolar depression.", "regulatory", "not_checkable"),
    ("NRx filed a Citizen Petition with the FDA to make ketamine safer.", "safety", "not_checkable"),
    ("Discovered in 1956 and approved by the FDA in 1970, ketamine has a long record.", "regulatory", "supported"),
    ("This FDA-approved treatment is safe and used when depression therapies fail.", "regulatory", "misleading"),
    ("Ketamine works on NMDA receptors to regrow synapses.", "mechanism", "not_checkable"),
    ("Infusions cost $400 each.", "cost", "not_checkable"),
    ("Ketamine is a safe and effective treatment.", "safety", "overstated"),
    ("Ketamine is generally safe when given under medical supervision.", "safety", "supported"),
    ("Side effects are short-lived and resolve within hours.", "safety", "supported"),
    ("We provide a safe and supportive environment.", "safety", "not_checkable"),
    ("Ketamine has no side effects.", "safety", "contradicted"),
    ("Patients are monitored for two hours after each dose.", "procedure", "supported"),
    ("Ketamine cures depression.", "efficacy", "overstated"),
    ("Ketamine gives instant relief from depression.", "onset", "overstated"),
    ("Maintenance infusions help sustain the benefit.", "durability", "supported"),
    ("Long-term effects are still being studied.", "durability", "supported"),
    ("Antidepressant effects can last up to several weeks in some people.", "durability", "supported"),
    ("These sessions, lasting 2.5 hours, are repeated weekly.", "durability", "not_checkable"),
    ("Vials need preservatives to maintain sterility after repeated use.", "durability", "not_checkable"),
])
def test_rules(text, ctype, expected):
    v = judge_claim(claim(text, ctype, context=["depression"]), [])
    assert v["verdict"] == expected, v["reason"]


def test_onset_within_hours_rests_on_early_time_points():
    v = judge_claim(claim("Ketamine relieves depression within hours.", "onset", ["trd"]), [])
    assert v["verdict"] == "supported" and v["reason"].startswith("Within a day")
    assert "pmid:23982301" in v["references"]            # Murrough 2013, 24 h


def test_every_verdict_has_a_reason_and_references_unless_unsupported_or_not_checkable():
    claims = [claim(text, ctype, conds, pk=i) for i, (text, ctype, conds) in enumerate([
        ("Over 90% respond.", "efficacy", ["ptsd"]), ("Ketamine is safe.", "safety", []),
        ("Ketamine helps anxiety.", "efficacy", ["anxiety"]), ("It is FDA approved.", "regulatory", []),
        ("Fast relief for PTSD.", "onset", ["ptsd"]), ("Lasting relief.", "durability", ["ocd"])])]
    for v in judge_claims(claims, []):
        assert v["verdict"] and v["reason"].endswith(".")
        if v["verdict"] not in ("unsupported", "not_checkable"):
            assert v["references"], v
        else:
            assert v["references"] == [] and v["basis"] == "none"


def test_study_label_from_pubmed_authors():
    assert study_label(["Murrough JW", "Iosifescu DV"], "2013", "pmid:1") == "Murrough 2013"
    assert study_label(["de Almeida ACM"], None, "pmid:1") == "de Almeida"
    assert study_label([], "2013", "pmid:1") == "pmid:1"


# -- the curated facts ---------------------------------------------------------------------

def test_every_curated_fact_has_a_source_url():
    assert FACTS.trials and FACTS.regulatory
    for item in [*FACTS.trials, *FACTS.regulatory.values()]:
        assert item.sources and all(u.startswith(("https://", "http://")) for u in item.sources)


@pytest.mark.skipif(not (REFERENCE / "landmark_trials.csv").exists(), reason="../shared/reference not found")
def test_curated_trials_match_the_reference_and_empty_cells_stay_empty():
    trials = {t.id: t for t in FACTS.trials}
    for row in csv.DictReader(open(REFERENCE / "landmark_trials.csv", encoding="utf-8")):
        t = trials[row["study_id"]]
        assert list(t.sources) == row["source_urls"].split(";")
        for column, value in (("pmid", t.pmid), ("doi", t.doi), ("nct_id", t.nct_id), ("journal", t.journal),
                              ("year", t.year), ("n_randomized", t.n_randomized), ("timepoint", t.timepoint),
                              ("significant_primary", t.significant_primary),
                              ("durability_note", t.durability), ("adverse_events", t.adverse_events)):
            if row[column]:
                assert value is not None, (t.id, column)
                if column in ("pmid", "doi", "nct_id", "journal", "year", "n_randomized", "significant_primary"):
                    assert str(value) == row[column], (t.id, column)
            else:
                assert value is None, (t.id, column)


@pytest.mark.skipif(not (REFERENCE / "regulatory_facts.csv").exists(), reason="../shared/reference not found")
def test_regulatory_facts_keep_the_reference_sources():
    for row in csv.DictReader(open(REFERENCE / "regulatory_facts.csv", encoding="utf-8")):
        assert list(FACTS.regulatory[row["fact_id"]].sources) == row["source_urls"].split(";")


def test_a_check_naming_a_missing_fact_is_refused(tmp_path):
    folder = tmp_path / "facts"
    shutil.copytree(FACTS_DIR, folder)
    rules = folder / "claim_checks.toml"
    rules.write_text(rules.read_text().replace('"dea_schedule_iii_1999"', '"no_such_fact"'))
    with pytest.raises(ValueError, match="does not exist"):
        load_facts(folder)
