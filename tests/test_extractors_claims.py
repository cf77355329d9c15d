"""Claims: type, conditions, quantity, evidence."""
import pytest

from data.records import Quantity
from extractors.claims import claim_type, extract_claims
from extractors.quantities import find_quantities, parse_number, pick_quantity


@pytest.mark.parametrize("text,expected", [
    ("Over 70% of patients improve.", (70.0, "%", ">")),
    ("More than half of patients respond.", (50.0, "%", ">")),
    ("Approximately two-thirds of people respond.", (66.7, "%", "~")),
    ("two-thirds of patients", (66.7, "%", "~")),
    ("Up to 80% of patients feel better.", (80.0, "%", "<")),
    ("Relief comes within 24 hours.", (24.0, "hours", "<")),
    ("Each infusion costs $400.", (400.0, "USD", "=")),
    ("Infusions cost $400-$800.", (600.0, "USD", "~")),
    ("It has been used for more than 50 years.", (50.0, "years", ">")),
    ("The infusion takes 40 minutes.", (40.0, "minutes", "=")),
    ("0.5 mg/kg given over 40 minutes", (0.5, "mg/kg", "=")),
    ("The majority of patients respond.", (50.0, "%", ">")),
    ("Relief within an hour.", (1.0, "hours", "<")),
    ("60-70% of patients respond.", (65.0, "%", "~")),
])
def test_first_quantity(text, expected):
    q = find_quantities(text)[0][1]
    assert (q.value, q.unit, q.op) == expected


def test_infusion_duration_is_not_a_minimum():
    qs = [q for _, q in find_quantities("0.5 mg/kg infused over 40 minutes")]
    assert Quantity(40.0, "minutes", "=") in qs


def test_no_quantity_without_numbers():
    assert find_quantities("Ketamine works within hours.") == []
    assert find_quantities("half an hour") == [(0, Quantity(0.5, "hours", "="))]


def test_pick_quantity_prefers_the_claim_units():
    text = "For $400, 70% of patients feel better within 24 hours."
    assert pick_quantity(text, ("USD",)) == Quantity(400.0, "USD", "=")
    assert pick_quantity(text, ("hours",)) == Quantity(24.0, "hours", "<")
    assert pick_quantity(text, ("%",)) == Quantity(70.0, "%", "=")


def test_parse_number():
    assert parse_number("Fifty-seven") == 57
    assert parse_number("one hundred and twenty") == 120
    assert parse_number("1,200") == 1200
    assert parse_number("several") is None


@pytest.mark.parametrize("text,expected", [
    ("Ketamine is FDA-approved as an anesthetic.", "regulatory"),
    ("Ketamine is a Schedule III controlled substance.", "regulatory"),
    ("Ketamine infusions cost $400 and are not covered by insurance.", "cost"),
    ("Ketamine blocks NMDA receptors and boosts glutamate and neuroplasticity.", "mechanism"),
    ("Ketamine is safe and side effects are mild.", "safety"),
    ("Ketamine relieves depression within hours.", "onset"),
    ("Ketamine gives long-lasting relief for weeks.", "durability"),
    ("A ketamine infusion takes 40 minutes in our office.", "procedure"),
    ("Ketamine is an effective treatment for depression.", "efficacy"),
    ("Ketamine is a drug.", None),
])
def test_claim_type(text, expected):
    assert claim_type(text) == expected


def test_extract_claims_end_to_end():
    sentences = [
        "Ketamine Infusion Therapy",                                     # heading
        "Over 70% of patients respond to ketamine within 24 hours.",     # onset: the time counts
        "Studies show it is safe.",                                      # generic subject, vague
        "TMS is an effective treatment too.",                            # other treatment
        "Ketamine relieves PTSD (Feder et al., 2014).",                  # cited, own condition
        "The infusion takes 40 minutes.",                                # procedure
    ]
    claims = extract_claims(sentences, ["trd"], paragraphs=[0, 1, 2, 3, 4, 5], context_ketamine=True)
    by_i = {c.sentence: c for c in claims}
    assert set(by_i) == {1, 2, 4, 5}
    assert by_i[1].type == "onset" and by_i[1].quantity == Quantity(24.0, "hours", "<")
    assert by_i[1].conditions == ["trd"] and by_i[1].evidence == "none"
    assert by_i[2].type == "safety" and by_i[2].evidence == "vague"
    assert by_i[4].conditions == ["ptsd"]
    assert by_i[4].evidence == "cited" and by_i[4].citations == ["author:feder2014"]
    assert by_i[5].type == "procedure" and by_i[5].quantity == Quantity(40.0, "minutes", "=")


def test_efficacy_claim_takes_the_percentage():
    claims = extract_claims(["Ketamine helps more than half of patients with TRD."], [])
    assert claims[0].type == "efficacy"
    assert claims[0].quantity == Quantity(50.0, "%", ">") and claims[0].conditions == ["trd"]


def test_a_citation_in_the_paragraph_cites_the_claim():
    sentences = ["Ketamine works within hours.", "See Murrough et al. (2013)."]
    claims = extract_claims(sentences, [], paragraphs=[0, 0])
    assert claims[0].evidence == "cited" and claims[0].citations == ["author:murrough2013"]
    claims = extract_claims(sentences, [], paragraphs=[0, 1])
    assert claims[0].evidence == "none"


def test_topic_moves_away_from_ketamine_within_a_paragraph():
    sentences = ["Antidepressants take weeks to work.", "They often cause side effects.",
                 "Ketamine works within hours.", "It is also safe."]
    claims = extract_claims(sentences, [], paragraphs=[0, 0, 0, 0], context_ketamine=True)
    assert [c.sentence for c in claims] == [2, 3]
