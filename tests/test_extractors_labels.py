"""Sentence labels and hype terms, with their context rules (one test per rule)."""
import pytest

from extractors.labels import hype_score, is_hedged, is_heading, label_sentence


def labels(text, **kw):
    return label_sentence(text, **kw)[0]


# ---------------------------------------------------------------- promotional

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
    "Book your first infusion this month and receive $100 off.",
    "Veterans and first responders save an extra 10% on every package.",
    "Spaces fill quickly!",
    "Our 5-star reviews speak for themselves.",
    "Research shows ketamine works faster than any other antidepressant.",
    "What sets Lakeside Ketamine & Wellness apart from other clinics is our care.",
    "TMS stands out as a significant advancement in treating depression.",
    "Depressive thoughts fade, offering patients a renewed sense of hope.",
])
def test_marketing_phrases_are_promotional(text):
    assert "promotional" in labels(text)


@pytest.mark.parametrize("text", [
    "Ketamine is a promising treatment for depression.",
    "SP-26 is a novel extended-release ketamine implant.",
    "Ketamine infusion therapy can be a highly effective treatment option.",
])
def test_words_the_annotation_rules_exclude_are_not_promotional(text):
    assert "promotional" not in labels(text)


def test_statistical_significance_is_not_hype():
    labs, terms = label_sentence(
        "MADRS scores were lower with ketamine; the difference was statistically significant (p<0.01).")
    assert "promotional" not in labs
    assert "significant" not in terms


def test_significant_without_statistics_counts_as_a_hype_term():
    _, terms = label_sentence("Ketamine produces significant relief.")
    assert "significant" in terms


def test_weak_terms_inside_a_hedge_are_not_a_sales_pitch():
    labs, terms = label_sentence("Ketamine may offer rapid relief, but more research is needed.")
    assert "promotional" not in labs and "rapid relief" not in terms
    assert "hedge" in labs
    assert "promotional" in labels("Ketamine offers rapid relief and is an ideal choice.")
    # strong hype stays hype when hedged
    assert "promotional" in labels("Ketamir-2 could prove to be a game-changer.")


def test_negated_hype_is_not_counted():
    score, terms = hype_score("Ketamine is not a miracle cure.")
    assert score == 0 and terms == []


def test_neutral_phrases_are_masked():
    assert hype_score("The FDA granted Breakthrough Therapy designation.")[1] == []
    assert hype_score("Patients with major depressive disorder were enrolled.")[1] == []


def test_weak_academic_words_need_company():
    assert "promotional" not in labels("This is a key secondary outcome.")
    assert "promotional" not in labels("It is crucial and essential to arrange a ride home.")


def test_a_hype_word_in_a_name_is_not_hype():
    assert "promotional" not in labels("In addition, Innovative Psychedelics also provides Spravato.")
    assert "promotional" in labels("In addition, the clinic provides innovative psychedelic care.")


def test_the_words_of_a_link_are_not_hype():
    labs = labels("View source version on newsdirect.com: https://newsdirect.com/news/revolutionizing-care-1")
    assert "promotional" not in labs and "call_to_action" in labs


def test_a_term_inside_a_longer_one_is_reported_once():
    assert hype_score("The clinic is offering new hope to veterans.")[1] == ["offering new hope"]


@pytest.mark.parametrize("text", [
    '"I finally sleep through the night." - Derek, Army veteran',
    '"Within two days my suicidal thoughts were gone.',
    'The staff treated me like family." - James, 35',
])
def test_testimonials_are_promotional(text):
    assert "promotional" in labels(text)


@pytest.mark.parametrize("text", [
    '"I look forward to working with the FDA," said Jane Doe, CEO of NRx.',
    "I walked in and had my first infusion.",        # first person, but not a quotation
    '"Ketamine acts on NMDA receptors," the report says.',
])
def test_not_testimonials(text):
    assert "promotional" not in labels(text)


# ---------------------------------------------------------------- calls to action

@pytest.mark.parametrize("text", [
    "Call us today to book your free consultation!",
    "Contact us at (555) 123-4567.",
    "Learn more about our ketamine program.",
    "For more information, please visit https://www.example.com",
    "Ask your psychiatrist to send a referral, or call our intake line.",
    "Join hundreds of patients who have found relief at Blue Pine.",
    "Ready to write your own success story?",
    "NOTE TO INVESTORS: The latest news is available at https://ibn.fm/NRXP",
    "Interested parties are encouraged to contact Bloom Health at https://www.bloom.example/.",
    "Read More>>",
])
def test_calls_to_action(text):
    assert "call_to_action" in labels(text)


@pytest.mark.parametrize("text", [
    "Ketamine is a Schedule III controlled substance.",
    "The trial was registered at ClinicalTrials.gov.",
    "Each visit lasted an hour.",
    "Talk to your doctor to see if ketamine is right for you.",
    "If you are interested, speak with your healthcare provider to learn more about ketamine.",
    "The clinic is now accepting Aetna insurance.",
])
def test_not_calls_to_action(text):
    assert "call_to_action" not in labels(text)


# ---------------------------------------------------------------- evidence

def test_evidence_labels():
    assert "evidence_vague" in labels("Studies show that ketamine works within hours.")
    cited = labels("Ketamine works within hours (Murrough et al., 2013).")
    assert "evidence_cited" in cited and "evidence_vague" not in cited
    assert "evidence_cited" in labels("A study showed it works.",
                                      links=["https://pubmed.ncbi.nlm.nih.gov/23982301/"])


@pytest.mark.parametrize("text", [
    "Its role in treating depression is supported by extensive research.",
    "Per the CDC, ketamine caused about 30 deaths.",
    "Controlled trials licensed by NRx showed a 55% response rate.",
    "One Columbia University study reported a 55% response rate.",
    "Ketamine has long been recognized as a safe and effective treatment.",
    "NRX-101 is the first oral medication to have demonstrated reduced suicidal ideation.",
    "The filing is based on results of well-controlled clinical trials.",
    "More and more studies are coming out questioning their efficacy.",
])
def test_vague_appeals(text):
    assert "evidence_vague" in labels(text)


@pytest.mark.parametrize("text", [
    "This study showed lower pain scores with ketamine.",      # an abstract's own study
    "GBK is widely recognized in the entertainment industry.",
    "Ketamine has shown promising results in treating depression.",   # "shown promise" alone
])
def test_not_vague_appeals(text):
    assert "evidence_vague" not in labels(text)


# ---------------------------------------------------------------- hedges

@pytest.mark.parametrize("text", [
    "Ketamine may help reduce the symptoms of PTSD.",
    "Some individuals may experience immediate relief from their symptoms.",
    "Ketamine is emerging as a potential treatment option for OCD.",
    "Patients knew which treatment they received in this trial.",
    "The trial measured a single infusion, so it says little about how long the benefit lasts.",
    "Evidence for these conditions comes mainly from small studies.",
    "If approved by the FDA, it would be the first such medicine.",
    "It is also believed that ketamine stimulates new connections.",
    "Recent research has shown that ketamine may have other benefits.",
])
def test_hedges(text):
    assert is_hedged(text)


@pytest.mark.parametrize("text", [
    "You may feel dizzy or lightheaded after the infusion.",          # a side effect
    "These may include increased heart rate or blood pressure.",       # a list of risks
    "Common side effects that you may experience include nausea.",     # risk named before
    "During treatment your blood pressure may rise for a short time.",
    "The patient may experience a range of sensations, including dissociation.",
    "They will also answer any questions you may have.",               # procedure
    "Esketamine may only be given in certified treatment centers.",
    "The study could not show an effect on mood.",                     # inability
    "Talk to your provider to determine if it may be a viable option for you.",
    "Its potential to improve mental health is discussed on the podcast.",
    "The designation expands the potential patient population tenfold.",
    "Using ketamine for depression is off-label.",                     # a risk disclosure
    "Ketamine is not suitable for people with uncontrolled high blood pressure.",
])
def test_not_hedges(text):
    assert not is_hedged(text)


# ---------------------------------------------------------------- risk disclosure

def test_risk_disclosure_and_denial():
    assert "risk_disclosure" in labels("Side effects include dissociation, nausea and raised blood pressure.")
    assert "risk_disclosure" in labels("Ketamine is contraindicated in uncontrolled hypertension.")
    denial = labels("Ketamine has no side effects.")
    assert "risk_disclosure" not in denial and "promotional" in denial


@pytest.mark.parametrize("text", [
    "Using intravenous ketamine to treat depression is off-label.",
    "A nurse monitors you throughout each session.",
    "You will stay in the clinic until the effects have worn off.",
    "Your provider will review your medical history and assess whether it is a suitable option.",
    "Ketamine is not currently approved for other mental health conditions.",
])
def test_risk_disclosures(text):
    assert "risk_disclosure" in labels(text)


@pytest.mark.parametrize("text", [
    "Compared to opioids, ketamine's potential for abuse is considerably lower.",
    "SP-26 avoids the dissociative effects of IV ketamine.",
    "These are typically well-tolerated and do not pose significant risks to most people.",
    "It helps those who cannot tolerate the side effects of traditional antidepressants.",
    "These statements involve risks and uncertainties.",
    "In this article, we explore the benefits and potential side effects of ketamine.",
    "The clinic offers substance abuse treatment and counseling.",
])
def test_denials_foils_and_framing_are_not_risk_disclosures(text):
    assert "risk_disclosure" not in labels(text)


def test_a_methods_sentence_discloses_no_risk():
    assert "risk_disclosure" not in labels("Blood pressure and heart rate were monitored every 5 min.")
    assert "risk_disclosure" in labels("Blood pressure and heart rate rose during the infusion.")


# ---------------------------------------------------------------- headings

def test_headings_name_a_section_and_disclose_nothing():
    assert is_heading("Potential Side Effects") and not is_heading("Side effects are rare.")
    assert labels("Potential Side Effects") == []
    assert labels("Who should not receive ketamine") == []
    assert labels("The evidence we rely on") == []
    assert labels("Off-label use") == []
    assert "risk_disclosure" in labels("Nausea and vomiting")        # a list item names a risk


# ---------------------------------------------------------------- claim and order

def test_claim_label_needs_a_cue_and_a_subject():
    assert "claim" in labels("Ketamine relieves depression within hours.")
    assert "claim" not in labels("Side effects include nausea.")
    assert "claim" not in labels("TMS therapy is an effective treatment.")
    assert "claim" in labels("It works within hours.", about_treatment=True)
    assert "claim" not in labels("It works within hours.", about_treatment=False)
    assert "claim" not in labels("Benefits of Ketamine")            # a heading


def test_labels_come_in_vocabulary_order():
    labs = labels("Studies show this groundbreaking ketamine therapy may work fast, but side effects occur.")
    assert labs == ["promotional", "claim", "evidence_vague", "hedge", "risk_disclosure"]


def test_a_methods_sentence_that_counts_events_is_a_result():
    assert "risk_disclosure" in labels(
        "When side effects were investigated, nausea was observed in 30 patients (3.6%).")
