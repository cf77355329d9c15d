"""Claims: detection, type, conditions, quantity, evidence (tests/gold/README.md "Claims")."""
import pytest

from data.records import Quantity
from extractors.claims import (claim_type, claim_types, extract_claims, ketamine_context,
                               quantities_for, subject_of)


def claims_of(sentences, **kw):
    kw.setdefault("context_ketamine", True)
    return extract_claims(sentences, [], **kw)


def kinds(sentences, **kw):
    """{sentence index: [claim types]} for a text."""
    out = {}
    for c in claims_of(sentences, **kw):
        out.setdefault(c.sentence, []).append(c.type)
    return out


@pytest.mark.parametrize("text,expected", [
    ("Ketamine is FDA-approved as an anesthetic.", "regulatory"),
    ("Ketamine is a Schedule III controlled substance.", "regulatory"),
    ("Ketamine infusions cost $400 and are not covered by insurance.", "cost"),
    ("Booster infusions after the starter series are $425 each.", "cost"),
    ("Ketamine blocks NMDA receptors and boosts glutamate and neuroplasticity.", "mechanism"),
    ("Ketamine is safe and side effects are mild.", "safety"),
    ("Ketamine relieves depression within hours.", "onset"),
    ("Ketamine works faster than any other antidepressant.", "onset"),
    ("Ketamine gives long-lasting relief for weeks.", "durability"),
    ("Stable remitters on esketamine relapsed less often.", "durability"),
    ("A ketamine infusion takes 40 minutes in our office.", "procedure"),
    ("Most patients complete six infusions, followed by occasional boosters.", "procedure"),
    ("Ketamine is an effective treatment for depression.", "efficacy"),
    ("Ketamine is a drug.", None),
])
def test_claim_type(text, expected):
    assert claim_type(text) == expected


def test_phrases_that_only_look_like_cues_are_ignored():
    # a population, not an effect
    assert claim_type("Ketamine is given intravenously to adults whose depression has not "
                      "improved.") == "procedure"
    # a session's length, not a lasting effect
    assert claim_type("Ketamine sessions typically last for 2 hours.") == "procedure"
    # a setting, not a safety claim; a market, not a price
    assert claim_type("Ketamine is given in a safe and supportive environment.") is None
    assert claim_type("The ketamine market is valued at $750 million.") is None


def test_coordinated_type_words_make_two_claims():
    assert set(claim_types("Ketamine is safe and effective.")) == {"safety", "efficacy"}
    assert set(claim_types("It gives instant and long-lasting relief.")) == {"onset", "durability"}
    assert claim_types("Ketamine is safe.") == ("safety",)
    assert claim_types("Ketamine is safe, and patients like it.") == ("safety",)


def test_second_claim_phrases():
    assert claim_types("Ketamine has rapid antidepressant effects within 24 hours, "
                       "with effects lasting weeks.") == ("onset", "durability")
    assert set(claim_types("The study showed improvements in mood without the common side "
                           "effects.")) == {"efficacy", "safety"}
    assert claim_types("The effects can last for a few days.") == ("durability",)


def test_a_result_against_a_control_is_efficacy_even_when_fast():
    assert claim_type("Ketamine reduced suicidal ideation within 24 hours more than "
                      "midazolam did.") == "efficacy"
    assert claim_type("Ketamine reduced suicidal ideation within 24 hours.") == "onset"


def test_conditions_are_the_sentences_own():
    claims = extract_claims(["Ketamine is an effective treatment.",
                             "Ketamine relieves PTSD."], ["trd", "ptsd"], context_ketamine=True)
    assert [c.conditions for c in claims] == [[], ["ptsd"]]


@pytest.mark.parametrize("text", [
    "In this article, we explore the benefits of ketamine.",
    "It is important to follow the instructions before your ketamine infusion.",
    "Does ketamine work for depression?",
    "Benefits Of Ketamine For Depression",
    "Our mission is to help patients heal with ketamine.",
    "Ketamine Pharma is a clinical-stage biopharmaceutical company developing effective treatments.",
    "Chronic pain affects more than 50 million Americans, and ketamine may help.",
])
def test_sentences_that_make_no_claim(text):
    assert kinds(["Ketamine clinic.", text]) == {}


def test_a_note_on_approval_is_a_claim():
    assert kinds(["Ketamine clinic.", "It is important to note that Spravato is not approved "
                  "for anxiety."]) == {1: ["regulatory"]}


def test_research_and_development_statements_claim_only_a_status():
    assert kinds(["NRx News", "The Company is developing NRX-100 (intravenous ketamine) "
                  "and NRX-101."]) == {}
    assert kinds(["NRx News", "The Company is developing NRX-101, an FDA-designated "
                  "Breakthrough Therapy for bipolar depression."]) == {1: ["regulatory"]}


def test_the_title_line_makes_no_claim_and_names_the_publishers_own_service():
    text = ["Clinic Launches TMS Therapy Alongside Spravato",
            "TMS is a non-invasive therapy that stimulates nerve cells in the brain."]
    assert kinds(text) == {1: ["mechanism"]}
    assert kinds(["Spravato clinic opens.", text[1]]) == {}


def test_a_treatment_the_title_compares_with_is_not_the_publishers():
    text = ["Ketamine Clinic Opens: An Alternative to SSRIs",
            "SSRIs are effective for many patients."]
    assert kinds(text) == {}


def test_a_treatment_named_as_a_yardstick_is_not_the_subject():
    assert subject_of("Unlike antidepressants, this treatment works within hours.") == "generic"
    assert subject_of("Antidepressants take weeks to work.") == "other"
    assert subject_of("It can improve the effectiveness of talk therapy.") == "generic"


def test_product_codes_are_the_publishers_product():
    assert subject_of("NRX-101 has been awarded Breakthrough Therapy Designation.") == "ketamine"
    assert subject_of("Ketamir-2 offers a superior safety profile.") == "ketamine"
    assert subject_of("PHQ-9 scores improved.") is None
    assert subject_of("Omega-3 supplements helped.") is None


def test_a_testimonial_speaks_of_the_treatment_in_first_person():
    claims = claims_of(["Ketamine clinic.", "\"Within two days my suicidal thoughts were gone."])
    assert [(c.type, c.conditions, c.quantity) for c in claims] == [
        ("onset", ["suicidality"], Quantity(2.0, "days", "<"))]


def test_a_text_naming_ketamine_in_its_opening_is_about_ketamine():
    opening = ["Real Stories", "At Blue Pine Ketamine Therapy, our patients speak."]
    quotes = [f"\"Quote {i} from a patient.\"" for i in range(10)]
    assert ketamine_context(opening + quotes, list(range(12)))
    assert not ketamine_context(quotes + opening, list(range(12)))


def test_cost_claims_need_no_subject():
    text = ["Ketamine Pricing", "Veterans save an extra 10% on every package."]
    assert kinds(text) == {1: ["cost"]}
    assert kinds(text, context_ketamine=False) == {}
    # ... but a price of another treatment is not ketamine's
    assert kinds(["Ketamine Pricing", "TMS costs $300 per session."]) == {}


def test_each_list_line_after_a_frame_is_a_claim():
    text = ["Ketamine Infusions", "Ketamine can help with:", "Post-traumatic stress disorder",
            "Alcohol use disorder", "Pain after surgery", "Hospitals use ketamine to reduce pain."]
    claims = claims_of(text, paragraphs=list(range(6)))
    assert [(c.sentence, c.type, c.conditions) for c in claims[:2]] == [
        (2, "efficacy", ["ptsd"]), (3, "efficacy", ["substance_use"])]
    assert {c.sentence for c in claims} == {2, 3, 5}     # no frame, no heading


def test_each_claim_takes_a_quantity_in_its_own_units():
    text = "Ketamine has rapid effects within 24 hours, with effects lasting 3 weeks."
    assert quantities_for(text, ("onset", "durability")) == [
        Quantity(24.0, "hours", "<"), Quantity(3.0, "weeks", "=")]
    # onset is strict about durations: years are not how fast it acts, a share may be
    assert quantities_for("Doctors have studied it for over 20 years because it acts quickly.",
                          ("onset",)) == [None]
    assert quantities_for("Over 70% of patients improve soon after treatment.",
                          ("onset",)) == [Quantity(70.0, "%", ">")]
    # a sample size only when nothing else is stated
    assert quantities_for("In a trial of 227 patients, esketamine lowered MADRS by 4 points.",
                          ("efficacy",)) == [Quantity(4.0, "points", "=")]
    assert quantities_for("It is backed by data from more than 1,000 patients.",
                          ("regulatory",)) == [Quantity(1000.0, "patients", ">")]
    # a dose is a procedure's amount only
    assert quantities_for("A 0.5 mg/kg dose of ketamine relieved depression.", ("efficacy",)) == [None]
    assert quantities_for("A 0.5 mg/kg dose of ketamine is infused.", ("procedure",)) \
        == [Quantity(0.5, "mg/kg", "=")]
    # the main claim falls back to an amount the second claim did not take
    assert quantities_for("A 3-hour infusion can significantly reduce chronic pain.",
                          ("efficacy", "procedure")) == [None, Quantity(3.0, "hours", "=")]
        # an amount describing the infusion comes after the result's
    assert quantities_for("A 4-day infusion reduced pain scores over 12 weeks.",
                          ("efficacy",)) == [Quantity(12.0, "weeks", "=")]


def test_extract_claims_end_to_end():
    sentences = [
        "Ketamine Infusion Therapy",                                     # title line
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
    assert by_i[1].conditions == [] and by_i[1].evidence == "none"
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
