"""Sentence labels and hype terms, with their context rules."""
import pytest

from extractors.labels import hype_score, label_sentence


def labels(text, **kw):
    return label_sentence(text, **kw)[0]


def test_hype_marks_promotional_and_reports_terms():
    labs, terms = label_sentence("Ketamine is a groundbreaking, life-changing miracle for depression.")
    assert "promotional" in labs
    assert terms == ["groundbreaking", "life-changing", "miracle"]


@pytest.mark.parametrize("text", [
    "Our game-changer therapy offers instant relief with no side effects!",
    "We guarantee to be the most affordable clinic.",
    "Ketamine offers a ray of hope for those who suffer.",
    "100% of our clients feel better.",
    "Ketamine is a novel and innovative option.",
])
def test_marketing_phrases_are_promotional(text):
    assert "promotional" in labels(text)


def test_statistical_significance_is_not_hype():
    labs, terms = label_sentence(
        "MADRS scores were lower with ketamine; the difference was statistically significant (p<0.01).")
    assert "promotional" not in labs
    assert "significant" not in terms


def test_significant_without_statistics_counts_as_a_hype_term():
    _, terms = label_sentence("Ketamine produces significant relief.")
    assert "significant" in terms


def test_promising_inside_a_hedge_is_not_promotional():
    labs, terms = label_sentence("Ketamine may be promising, but more research is needed.")
    assert "promotional" not in labs and "promising" not in terms
    assert "hedge" in labs
    assert "promotional" in labels("Ketamine is a promising treatment for depression.")


def test_negated_hype_is_not_counted():
    score, terms = hype_score("Ketamine is not a miracle cure.")
    assert score == 0 and terms == []


def test_neutral_phrases_are_masked():
    assert hype_score("The FDA granted Breakthrough Therapy designation.")[1] == []
    assert hype_score("Patients with major depressive disorder were enrolled.")[1] == []


def test_weak_academic_words_need_company():
    assert "promotional" not in labels("This is a key secondary outcome.")


@pytest.mark.parametrize("text", [
    "Call us today to book your free consultation!",
    "Contact us at (555) 123-4567.",
    "Talk to your doctor to see if ketamine is right for you.",
    "Learn more about our ketamine program.",
    "For more information, please visit https://www.example.com",
])
def test_calls_to_action(text):
    assert "call_to_action" in labels(text)


@pytest.mark.parametrize("text", [
    "Ketamine is a Schedule III controlled substance.",
    "The trial was registered at ClinicalTrials.gov.",
    "Each visit lasted an hour.",
])
def test_not_calls_to_action(text):
    assert "call_to_action" not in labels(text)


def test_evidence_labels():
    assert "evidence_vague" in labels("Studies show that ketamine works within hours.")
    cited = labels("Ketamine works within hours (Murrough et al., 2013).")
    assert "evidence_cited" in cited and "evidence_vague" not in cited
    assert "evidence_cited" in labels("A study showed it works.",
                                      links=["https://pubmed.ncbi.nlm.nih.gov/23982301/"])


def test_risk_disclosure_and_denial():
    assert "risk_disclosure" in labels("Side effects include dissociation, nausea and raised blood pressure.")
    assert "risk_disclosure" in labels("Ketamine is contraindicated in uncontrolled hypertension.")
    denial = labels("Ketamine has no side effects.")
    assert "risk_disclosure" not in denial and "promotional" in denial


def test_claim_label_needs_a_cue_and_a_subject():
    assert "claim" in labels("Ketamine relieves depression within hours.")
    assert "claim" not in labels("Side effects include nausea.")
    assert "claim" not in labels("TMS therapy is an effective treatment.")
    assert "claim" in labels("It works within hours.", about_treatment=True)
    assert "claim" not in labels("It works within hours.", about_treatment=False)
    assert "claim" not in labels("Benefits of Ketamine")            # a heading


def test_labels_come_in_vocabulary_order():
    labs = labels("Studies show this groundbreaking ketamine therapy works fast, but side effects may occur.")
    assert labs == ["promotional", "claim", "evidence_vague", "hedge", "risk_disclosure"]
