"""Conditions in the DESIGN.md vocabulary, in vocabulary order."""
import pytest

from extractors.conditions import conditions_from_mesh, find_conditions, merge_conditions


@pytest.mark.parametrize("text,expected", [
    ("Ketamine for depression, anxiety, PTSD and chronic pain.",
     ["depression", "ptsd", "chronic_pain", "anxiety"]),
    ("Ketamine reduced postoperative pain after hernia repair.", ["acute_pain"]),
    ("Perioperative ketamine and procedural pain in children.", ["acute_pain"]),
    ("Pain scores after laparoscopic surgery were lower with ketamine.", ["acute_pain"]),
    ("electrical current pain threshold in healthy volunteers", ["acute_pain"]),
    ("Patients with treatment-resistant depression (TRD) received ketamine.", ["trd"]),
    ("refractory depression", ["trd"]),
    ("major depressive disorder", ["depression"]),
    ("fibromyalgia, CRPS and neuropathic pain", ["chronic_pain"]),
    ("obsessive-compulsive disorder", ["ocd"]),
    ("bipolar depression with suicidal ideation", ["depression", "bipolar", "suicidality"]),
    ("alcohol use disorder and opioid use disorder", ["substance_use"]),
    ("Ketamine can cause respiratory depression.", []),
    ("contraindicated with a history of substance abuse", []),
    ("Ketamine infusions for pain management.", ["chronic_pain"]),
    ("emergence agitation after sevoflurane", ["other"]),
    ("", []),
])
def test_find_conditions(text, expected):
    assert find_conditions(text) == expected


def test_postoperative_pain_is_never_chronic():
    found = find_conditions("Ketamine for postoperative pain and post-surgical pain after cesarean.")
    assert "acute_pain" in found and "chronic_pain" not in found


def test_chronic_postsurgical_pain_is_chronic():
    assert find_conditions("chronic postsurgical pain") == ["chronic_pain"]


def test_mesh_and_merge():
    assert conditions_from_mesh(["Depressive Disorder, Treatment-Resistant", "Ketamine/therapeutic use",
                                 "Pain, Postoperative/drug therapy*"]) == ["trd", "acute_pain"]
    assert merge_conditions(["ptsd"], ["trd", "ptsd"]) == ["trd", "ptsd"]
