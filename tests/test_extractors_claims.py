"""Claims: detection, type, conditions, quantity, evidence (tests/gold/README.md "Claims")."""
import pytest

from data.records import Quantity
from extractors.claims import (claim_type, claim_types, extract_claims, ketamine_context,
                               quantities_for, subject_of)


def claims_of(sentences, **kw):
    kw.setdefault("context_ketamine", True)
    return extract_claims(sentences, **kw)


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
                             "Ketamine relieves PTSD."], context_ketamine=True)
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


def test_research_and_development_statements_claim_only_a_status_or_a_route():
    assert kinds(["NRx News", "The Company is developing NRX-100 and NRX-101."]) == {}
    # how the product is given is a procedure claim (tests/gold/README.md)
    assert kinds(["NRx News", "The Company is developing NRX-100 (intravenous ketamine) "
                  "and NRX-101."]) == {1: ["procedure"]}
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
        "Over 70% of patients respond to ketamine within 24 hours.",     # a response rate, however fast
        "Studies show it is safe.",                                      # generic subject, vague
        "TMS is an effective treatment too.",                            # other treatment
        "Ketamine relieves PTSD (Feder et al., 2014).",                  # cited, own condition
        "The infusion takes 40 minutes.",                                # procedure
    ]
    claims = extract_claims(sentences, paragraphs=[0, 1, 2, 3, 4, 5], context_ketamine=True)
    by_i = {c.sentence: c for c in claims}
    assert set(by_i) == {1, 2, 4, 5}
    assert by_i[1].type == "efficacy" and by_i[1].quantity == Quantity(70.0, "%", ">")
    assert by_i[1].conditions == [] and by_i[1].evidence == "none"
    assert by_i[2].type == "safety" and by_i[2].evidence == "vague"
    assert by_i[4].conditions == ["ptsd"]
    assert by_i[4].evidence == "cited" and by_i[4].citations == ["author:feder2014"]
    assert by_i[5].type == "procedure" and by_i[5].quantity == Quantity(40.0, "minutes", "=")


def test_efficacy_claim_takes_the_percentage():
    claims = extract_claims(["Ketamine helps more than half of patients with TRD."])
    assert claims[0].type == "efficacy"
    assert claims[0].quantity == Quantity(50.0, "%", ">") and claims[0].conditions == ["trd"]


def test_a_citation_in_the_paragraph_cites_the_claim():
    sentences = ["Ketamine works within hours.", "See Murrough et al. (2013)."]
    claims = extract_claims(sentences, paragraphs=[0, 0])
    assert claims[0].evidence == "cited" and claims[0].citations == ["author:murrough2013"]
    claims = extract_claims(sentences, paragraphs=[0, 1])
    assert claims[0].evidence == "none"


def test_topic_moves_away_from_ketamine_within_a_paragraph():
    sentences = ["Antidepressants take weeks to work.", "They often cause side effects.",
                 "Ketamine works within hours.", "It is also safe."]
    claims = extract_claims(sentences, paragraphs=[0, 0, 0, 0], context_ketamine=True)
    assert [c.sentence for c in claims] == [2, 3]


# ---------------------------------------------------------------- round 2: classes of rules
# Every sentence below is written for these tests (none is from the corpus).

def test_a_title_that_opens_on_a_treatment_makes_it_the_publishers_own():
    text = ["Deep TMS Therapy Brings Relief to Veterans in Springfield",
            "TMS therapy eases depressive symptoms without medication."]
    assert kinds(text, context_ketamine=False) == {1: ["efficacy"]}
    text = ["Harbor Clinic Introduces TMS for Anxiety",
            "TMS uses magnetic pulses to stimulate nerve cells in the brain."]
    assert kinds(text, context_ketamine=False) == {1: ["mechanism"]}
    # a treatment the title only reports on is not the publisher's
    text = ["Survey Finds Cannabis Use Rising Among Seniors",
            "Cannabis can help seniors sleep better."]
    assert kinds(text, context_ketamine=False) == {}


def test_a_clause_mark_ends_a_yardstick():
    own = frozenset({"tms"})
    assert subject_of("Unlike older methods, TMS can be delivered safely in an office.", own) == "ketamine"
    assert subject_of("Unlike TMS, this treatment is quick.", own) == "generic"


def test_products_named_by_a_determiner_are_the_subject():
    assert subject_of("The new molecule showed no abuse potential in rats.") == "generic"
    assert subject_of("This preservative is linked to liver toxicity.") == "generic"
    assert subject_of("The company's nasal device is easy to use.") == "generic"
    assert subject_of("We can lower relapse rates with maintenance sessions.") == "generic"


@pytest.mark.parametrize("names,sentence,expected", [
    # an organisation named after ketamine is no treatment mention
    (["Cedar Ketamine Wellness Center Opens in Tulsa",
      "Tulsa, OK (Newsworthy.ai) Monday May 6, 2024 — Cedar Ketamine Wellness Center, a new clinic, opens."],
     "Cedar Ketamine Wellness Center is committed to helping every patient thrive.", {}),
    (["Northfield Ketamine Associates Opens Second Office",
      "Boise, ID (Newsworthy.ai) Friday Mar 1, 2024 — Northfield Ketamine Associates, a local practice, grows."],
     "Ketamine infusions can relieve depression within hours.", {2: ["onset"]}),
])
def test_organisation_names_are_no_treatment(names, sentence, expected):
    assert kinds(names + [sentence], paragraphs=[0, 1, 2]) == expected


def test_a_business_named_after_ketamine_is_no_treatment():
    from extractors.claims import subject_texts
    read = subject_texts(["Report", "The ketamine industry is growing fast."])
    assert "ketamine" not in read[1].lower()
    assert kinds(["Report", "Software helps ketamine clinics lower their costs."],
                 context_ketamine=False) == {}


def test_cue_words_written_in_capitals_are_names():
    assert claim_types("SAFE Harbor clinics will open in May.") == ()
    assert claim_types("Ketamine blocks NMDA receptors.") == ("mechanism",)


@pytest.mark.parametrize("text", [
    # a provider's commitment, mission, personalised care and quality of care
    "Our clinic is dedicated to helping patients rebuild their lives.",
    "With a focus on helping veterans recover, the practice offers several services.",
    "Care plans are tailored to each patient's unique needs, ensuring the best possible outcomes.",
    # the provider or its staff as the subject
    "Throughout the process, our nurses provide guidance and help patients feel at ease.",
    "The staff creates a calm space, making every visitor feel at home.",
    # calls to action
    "Contact Maple Grove Clinic today to learn more about ketamine infusions.",
    "Schedule a consultation to learn how ketamine may help you.",
    # unmet needs and a study's methods or limits
    "Many patients are in need of better treatments.",
    "The trial enrolled 60 adults who received ketamine or saline.",
    # variability and a side effect that may occur
    "Not all patients will respond to ketamine in the same way.",
    "Some patients may experience side effects such as nausea or dizziness.",
])
def test_provider_and_framing_sentences_claim_nothing(text):
    assert kinds(["Ketamine clinic.", text]) == {}


def test_an_announced_service_claims_only_with_an_evaluative_word():
    assert kinds(["Ketamine clinic.", "Maple Grove Clinic is proud to announce the introduction of "
                  "ketamine treatment for chronic pain."]) == {}
    assert kinds(["Ketamine clinic.", "Maple Grove Clinic is proud to announce a breakthrough "
                  "ketamine treatment for chronic pain."]) == {1: ["efficacy"]}
    # the treatment as the subject of "offers" announces nothing
    assert kinds(["Ketamine clinic.", "Ketamine therapy offers a new approach for treating "
                  "depression."]) == {1: ["efficacy"]}
    # an evaluative word keeps a provider's claim
    assert kinds(["Ketamine clinic.", "The clinic offers a game-changing approach that relieves "
                  "anxiety in patients."]) == {1: ["efficacy"]}
    assert kinds(["Ketamine clinic.", "The clinic offers an approach that helps patients."]) == {}


def test_a_provider_reporting_a_claim_is_not_the_subject():
    assert kinds(["Ketamine clinic.", "The company says its preservative-free ketamine is "
                  "well tolerated."]) == {1: ["safety"]}
    assert kinds(["Ketamine clinic.", "Doctors have used it for decades because it acts "
                  "quickly."]) == {1: ["onset"]}


@pytest.mark.parametrize("text,expected", [
    # fewer side effects, toxicity, sterility: safety
    ("The new salt may reduce side effects such as sedation.", "safety"),
    ("Patients face a lower risk of dependence with the oral form.", "safety"),
    ("The preservative is toxic to the kidneys.", "safety"),
    # regulatory terms
    ("The excipient is not Generally Recognized as Safe.", "regulatory"),
    # an indication next to how it is given: procedure
    ("The drug is given as a nasal spray and is used to treat depression.", "procedure"),
    # efficacy cues of fighting a condition, a good option, shown potential
    ("Ketamine helps combat treatment-resistant depression.", "efficacy"),
    ("Ketamine is a viable option for patients with chronic pain.", "efficacy"),
    ("Ketamine has shown tremendous potential in psychiatry.", "efficacy"),
    # a share of patients without a time in numbers is efficacy; with one, onset
    ("About 60% of patients improve soon after their first infusion.", "efficacy"),
    ("About 60% of patients feel better within 4 hours.", "onset"),
    # a single treatment that works: onset
    ("Patients notice a change after just one infusion.", "onset"),
    # "this mechanism" refers back: the claim is what it enables
    ("This mechanism allows a faster lift in mood.", "onset"),
])
def test_type_classes(text, expected):
    assert claim_type(text) == expected


def test_drug_class_names_are_no_mechanism_claims():
    assert claim_type("The clinic combines neuroplastic drugs with talk therapy.") == "procedure"


@pytest.mark.parametrize("text,expected", [
    ("The oral tablet is safe at low doses and effective in animal models.", {"safety", "efficacy"}),
    ("It produced rapid and clinically significant relief.", {"onset", "efficacy"}),
    ("This FDA-approved spray is safe for most adults.", {"regulatory", "safety"}),
    ("Ketamine proved highly effective by blocking NMDA receptors.", {"efficacy", "mechanism"}),
    ("Ketamine offers quick relief for up to ten days.", {"onset", "durability"}),
    ("Patients improve after just a single 40-minute infusion.", {"onset", "procedure"}),
])
def test_second_claims_on_clear_structure(text, expected):
    assert set(claim_types(text)) == expected


def test_one_claim_when_the_mechanism_leads_or_the_drug_works_by_it():
    assert claim_types("By blocking NMDA receptors, ketamine restores brain circuits.") == ("mechanism",)
    assert claim_types("Ketamine works by boosting glutamate in the brain.") == ("mechanism",)


def test_second_claim_takes_the_amount_inside_its_phrase():
    text = "Ketamine offers quick relief for up to ten days."
    types = claim_types(text)
    qs = dict(zip(types, quantities_for(text, types)))
    assert qs["durability"] == Quantity(10.0, "days", "<") and qs["onset"] is None
    text = "Patients improve after just a single 40-minute infusion."
    types = claim_types(text)
    qs = dict(zip(types, quantities_for(text, types)))
    assert qs["procedure"] == Quantity(40.0, "minutes", "=") and qs["onset"] is None


@pytest.mark.parametrize("text,ctype,expected", [
    # the ketamine arm, not the comparator's
    ("Compared with 20% on placebo, 58% of patients given ketamine responded.", "efficacy",
     Quantity(58.0, "%", "=")),
    ("Response was 58% with ketamine versus 20% with saline.", "efficacy", Quantity(58.0, "%", "=")),
    # another treatment's time is not the claim's
    ("Unlike SSRIs, which need 6 to 8 weeks, ketamine acts within hours.", "onset", None),
    # a market or a financing is not a price
    ("The clinic raised $12 million to expand affordable infusion programs.", "cost", None),
    # a patient's history is not the result
    ("After fifteen years of struggling with depression, ketamine gave me my life back.",
     "efficacy", None),
    # procedure: the first amount, in its own unit
    ("Patients receive infusions twice a week for three weeks.", "procedure",
     Quantity(2.0, "per week", "=")),
    ("A full course is 8 sessions over four weeks.", "procedure", Quantity(8.0, "sessions", "=")),
])
def test_the_amount_the_claim_turns_on(text, ctype, expected):
    assert quantities_for(text, (ctype,)) == [expected]
