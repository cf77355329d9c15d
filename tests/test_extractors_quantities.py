"""Quantities in claims: values, units and operators (tests/gold/README.md "quantity")."""
import pytest

from data.records import Quantity
from extractors.quantities import attributive, find_quantities, parse_number, pick_quantity


def first(text: str) -> tuple | None:
    found = find_quantities(text)
    return (found[0][1].value, found[0][1].unit, found[0][1].op) if found else None


@pytest.mark.parametrize("text,expected", [
    ("Over 70% of patients improve.", (70.0, "%", ">")),
    ("More than half of patients respond.", (50.0, "%", ">")),
    ("Approximately two-thirds of people respond.", (66.7, "%", "~")),
    ("two-thirds of patients", (66.7, "%", "~")),
    ("Up to 80% of patients feel better.", (80.0, "%", "<")),
    ("Relief comes within 24 hours.", (24.0, "hours", "<")),
    ("Each infusion costs $400.", (400.0, "USD", "=")),
    ("It has been used for more than 50 years.", (50.0, "years", ">")),
    ("The infusion takes 40 minutes.", (40.0, "minutes", "=")),
    ("0.5 mg/kg given over 40 minutes", (0.5, "mg/kg", "=")),
    ("Relief within an hour.", (1.0, "hours", "<")),
])
def test_first_quantity(text, expected):
    assert first(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Infusions cost $400-$800.", (400.0, "USD", "~")),
    ("60-70% of patients respond.", (60.0, "%", "~")),
    ("The infusion lasts about 45 to 60 minutes.", (45.0, "minutes", "~")),
    ("a prevalence of 6.9% to 10%", (6.9, "%", "~")),
])
def test_a_range_is_its_lower_bound(text, expected):
    assert first(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("It reported lower pain scores over 12 weeks.", (12.0, "weeks", "=")),
    ("Six infusions over two to three weeks.", (2.0, "weeks", "~")),
    ("It has been used safely for over 50 years.", (50.0, "years", ">")),
    ("Over 50 years of safe use in surgery.", (50.0, "years", ">")),
    ("With over 50 years of FDA-approved use, ketamine is familiar.", (50.0, "years", ">")),
])
def test_over_before_a_duration_is_a_span_unless_a_minimum(text, expected):
    found = [(q.value, q.unit, q.op) for _, q in find_quantities(text)]
    assert expected in found


@pytest.mark.parametrize("text,expected", [
    ("a series of six injections", (6.0, "injections", "=")),
    ("30 to 50 times lower affinity", (30.0, "times", "~")),
    ("backed by data from more than 1,000 patients", (1000.0, "patients", ">")),
    ("advise a patient to have more than one infusion", (1.0, "infusions", ">")),
])
def test_counted_nouns_keep_their_noun(text, expected):
    assert first(text) == expected


def test_negative_points_and_no_confidence_interval():
    assert [(q.value, q.unit) for _, q in find_quantities(
        "MADRS fell by −4.0 points more with esketamine (95% CI −7.31 to −0.64).")] \
        == [(-4.0, "points")]
    assert [q.value for _, q in find_quantities("a 55% response rate (95% CI 40-60%)")][:1] == [55.0]


def test_a_code_is_no_number():
    assert find_quantities("COVID-19 patients") == []
    assert first("NRX-101 was tested in 800 patients.") == (800.0, "patients", "=")


def test_money_scales():
    assert first("a $4.3 million grant") == (4300000.0, "USD", "=")
    assert first("a market of $3.35 billion") == (3350000000.0, "USD", "=")


@pytest.mark.parametrize("text", [
    "Most patients feel better.",
    "The majority of patients respond.",
    "Ketamine works within hours.",
    "An infusion scheduled once a month.",
])
def test_no_amount_without_a_number(text):
    assert find_quantities(text) == []


def test_operator_next_to_the_number_wins():
    assert first("return to baseline within about two hours") == (2.0, "hours", "~")
    assert first("Within two days my thoughts were gone.") == (2.0, "days", "<")


def test_half_an_hour():
    assert find_quantities("half an hour") == [(0, Quantity(0.5, "hours", "="))]


def test_attributive_amounts_describe_the_treatment():
    assert attributive("a 4-day infusion", 2)
    assert attributive("a three-hour session", 2)
    assert not attributive("within 4 days", 7)


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


# ---------------------------------------------------------------- round 2: a general grammar of numbers
# Sentences written for these tests (none is from the corpus).

@pytest.mark.parametrize("text,expected", [
    # rates per period
    ("Infusions are given twice a week.", (2.0, "per week", "=")),
    ("Most people come in three times weekly.", (3.0, "per week", "=")),
    ("The schedule is 2 sessions per week at first.", (2.0, "per week", "=")),
    ("Treatment runs five days a week.", (5.0, "per week", "=")),
    ("Boosters are given 1 time per month.", (1.0, "per month", "=")),
    # "-fold" and "x" are times
    ("The drug binds tenfold less strongly.", (10.0, "times", "=")),
    ("a 20- to 40-fold higher affinity", (20.0, "times", "~")),
    ("Patients were 3x more likely to respond.", (3.0, "times", "=")),
    # spelled-out percentages, fractions written with a slash or "out of"
    ("Nearly sixty percent of clients improved.", (60.0, "%", "~")),
    ("About 1/4 of patients stop early.", (25.0, "%", "~")),
    ("Seven out of 10 patients felt better.", (70.0, "%", "~")),
    ("two in five patients", (40.0, "%", "~")),
    # "or more" / "or less" after the amount
    ("Response rates of 50% or higher were seen.", (50.0, "%", ">")),
    ("Sessions last 30 minutes or less.", (30.0, "minutes", "<")),
    # "between ... and ..." is a range
    ("Prices run between $350 and $700 per session.", (350.0, "USD", "~")),
    ("between 40 and 55% of patients", (40.0, "%", "~")),
])
def test_grammar_of_amounts(text, expected):
    assert first(text) == expected


@pytest.mark.parametrize("text", [
    "Staff are available 24 hours a day.",       # "a day" after an amount is a rate, not a second amount
])
def test_a_rate_after_an_amount_is_not_a_second_amount(text):
    assert [(q.value, q.unit) for _, q in find_quantities(text)] == [(24.0, "hours")]


def test_once_has_no_numeral():
    assert find_quantities("Boosters are given once a month.") == []
    assert first("once every one or two weeks") == (1.0, "weeks", "~")


@pytest.mark.parametrize("text,expected", [
    ("The interval was 23.1 ± 6.7 minutes with ketamine.", (23.1, "minutes", "=")),
    ("Performance improved by 3.4 ± 1.3% with nitrate.", (3.4, "%", "=")),
    ("Recovery took 21.4 +/- 13.4 min.", (21.4, "minutes", "=")),
    ("The between-group difference was -0.19 ± 0.18 mmHg.", (-0.19, "mmHg", "=")),
    # a spread in brackets between the amount and its unit
    ("Morphine use was 21.38 (SD = 14.38) mg with acupuncture.", (21.38, "mg", "=")),
    ("Weight rose by 3.9 (SD 3.1) kg.", (3.9, "kg", "=")),
    ("Analgesia lasted 8 (5-11) h with magnesium.", (8.0, "hours", "=")),
    ("IL-6 was 978 [664–1385] pg/mL.", (978.0, "pg/mL", "=")),
])
def test_a_mean_with_its_sd_takes_the_unit(text, expected):
    assert first(text) == expected


def test_a_bracketed_spread_keeps_positions():
    text = "Use was 21.38 (SD = 14.38) mg with acupuncture and 30% less."
    assert [pos for pos, _ in find_quantities(text)] == [text.index("21.38"), text.index("30%")]


@pytest.mark.parametrize("text,expected", [
    ("Incidence was lower with propofol (60 vs. 87%).", [(60.0, "%"), (87.0, "%")]),
    ("TcCO2 was 43.3 vs 46.7 mm Hg.", [(43.3, "mmHg"), (46.7, "mmHg")]),
    ("Times were 500 ± 190 and 730 ± 260 min.", [(500.0, "minutes"), (730.0, "minutes")]),
    ("Weight gain was 3.9 (SD 3.1) vs. 2.7 (SD 3.7) kg.", [(3.9, "kg"), (2.7, "kg")]),
    ("Cholesterol was 5.76, 5.77 and 5.80 mmol/L.", [(5.76, "mmol/L"), (5.77, "mmol/L"), (5.8, "mmol/L")]),
    # no sharing: a comma alone, a test statistic, a range's upper end
    ("In 2019, 30 patients were treated.", [(30.0, "patients")]),
    ("The groups differed (p = 0.001 and 30 minutes later).", [(30.0, "minutes")]),
    ("Expression was 80–100 vs. 1–79%.", [(1.0, "%")]),
])
def test_amounts_before_a_unit_share_it(text, expected):
    assert [(q.value, q.unit) for _, q in find_quantities(text)] == expected


def test_between_two_amounts_of_one_unit_is_a_range():
    assert first("The block regressed between 24 and 48 h.") == (24.0, "hours", "~")


@pytest.mark.parametrize("text,expected", [
    ("Sedation was <10% in both groups.", (10.0, "%", "<")),
    ("patients with HbA1c >8.5%", (8.5, "%", ">")),
    ("a pulse rate ≤ 45 bpm", (45.0, "beats/min", "<")),
    ("sites with a gain ≥2 mm", (2.0, "mm", ">")),
])
def test_comparison_signs_are_operators(text, expected):
    assert first(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("One third of patients relapsed.", (33.3, "%", "~")),
    ("two thirds of patients", (66.7, "%", "~")),
    ("Only one quarter of the group read it.", (25.0, "%", "~")),
    ("They were approximately twice as likely to respond.", (2.0, "times", "~")),
    ("Ketamine was twice as effective.", (2.0, "times", "=")),
])
def test_fractions_spelt_with_a_space_and_twice_as(text, expected):
    assert first(text) == expected


def test_a_confidence_level_is_no_result_however_spelt():
    text = "Eradication was 79.8% (95% confidential interval: 71.7-89.0%)."
    assert [q.value for _, q in find_quantities(text)] == [79.8, 71.7]


@pytest.mark.parametrize("text,expected", [
    ("Heart rate was 119 ± 18 beats/min with ketamine.", (119.0, "beats/min", "=")),
    ("End-tidal CO2 was 33 mm Hg in both groups.", (33.0, "mmHg", "=")),
    ("Mean weight rose by 0.8 kg.", (0.8, "kg", "=")),
    ("IL-6 fell to 978 pg/mL.", (978.0, "pg/mL", "=")),
    ("Pachymetry rose by 28.1 ± 23.6 μm.", (28.1, "µm", "=")),
])
def test_units_of_measurement(text, expected):
    assert first(text) == expected
