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
    "Patients reach the diary simply by dialling a landline number.",  # a study's method, no number to call
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


# ================================================================ round 2: rule classes
# Each test names a class of phrasing; the sentences are written for the
# tests, not taken from the corpus.

from extractors.labels import is_treatment_result, label_document  # noqa: E402


# ---------------------------------------------------------------- promotional classes

@pytest.mark.parametrize("text", [
    # a provider's superlative self-description
    "Harbor Mind Clinic, a leading outpatient practice in Tulsa, now offers esketamine.",
    "Willow Health is the region's leading ketamine provider.",
    "BrightPath is the preferred partner for behavioral health practices.",
    "CalmCare operates the nation's largest network of infusion suites.",
    "Our retreat will be the state's first to pair ketamine with equine therapy.",
    "What sets our clinic apart is the attention we give every visitor.",
    # urgency and no-risk offers
    "Don't wait another day to feel like yourself again.",
    "There is no obligation, and the first call is at no cost.",
    "Sign up free at our portal to see available dates.",
    # a better life held out to the reader
    "Take a step toward a brighter future with our team.",
    "Our program helps veterans build happier lives.",
    # transformation and a new standard as sales language
    "This approach could transform care for thousands of families.",
    "The clinic aims to set a new standard of care in the valley.",
    "Our protocols ensure every practice reaches lasting success.",
    # convenience marketing, two terms together
    "Sessions are convenient and hassle-free for busy parents.",
    "We promise a memorable and enjoyable visit.",
    # firsts and rarity claimed for a provider, devotion asserted
    "The program will be the first in the U.S. to pair infusions with yoga.",
    "The clinic is one of the few providers that accept insurance for infusions.",
    "Our staff works tirelessly to create a safe space for every client.",
    "The treatment helps people regain a sense of normalcy.",
    # compassion claimed for one's own care or staff
    "Our compassionate team walks beside you at every visit.",
    "The practice offers compassionate and effective care to each family.",
])
def test_promotional_classes(text):
    assert "promotional" in labels(text)


@pytest.mark.parametrize("text", [
    "Suicide is the leading cause of death in this age group.",         # not a self-description
    "Each patient receives a personalized treatment plan.",             # care fitted to the patient
    "Doses are tailored to each person's needs and medical history.",
    "Children with autism may show disruptive behaviors.",              # a clinical sense
    "The company could benefit from innovative dosing schedules.",      # hedged weak term
    '"I believe the board will approve it next year," she said.',       # a quoted opinion
    '"I don\'t think the rule will change soon."',
    "Compassionate use programmes let patients receive unapproved drugs.",  # a regulatory term
])
def test_not_promotional_classes(text):
    assert "promotional" not in labels(text)


def test_a_quoted_experience_is_still_a_testimonial():
    assert "promotional" in labels('"I think my panic attacks are finally behind me." - Rosa')


# ---------------------------------------------------------------- call-to-action classes

@pytest.mark.parametrize("text", [
    "Visit calmharbor-clinic.com.",                                    # a bare web address
    "Explore harborpaths.org for schedules.",
    "Enroll at harbornetwork.com to join the program.",
    "Reserve your intake slot this week.",                             # imperative opener
    "Mention this announcement for a reduced intake fee.",
    "More information is available at www.example-health.org.",
    "The full survey is available on the foundation's website.",
    "The complete dataset is available upon request.",
    "Our coordinators are available weekdays to assist with scheduling and questions.",
    "Use code CALM10 at checkout.",
    # an event the reader can join
    "The briefing is accessible through the investor relations site.",
    "A webcast of the meeting will be available afterwards for 30 days.",
    "Analysts may join by dialing the toll-free number below.",
])
def test_call_to_action_classes(text):
    assert "call_to_action" in labels(text)


@pytest.mark.parametrize("text", [
    "Our care team will reach out when a slot opens.",                 # the provider acts
    "The protocol is available at ClinicalTrials.gov (NCT01234567).",  # a reference
    "Schedule II drugs are tightly controlled.",
    "Booking errors were rare in the audit.",
])
def test_not_call_to_action_classes(text):
    assert "call_to_action" not in labels(text)


# ---------------------------------------------------------------- evidence classes

@pytest.mark.parametrize("text", [
    # a source named for a fact, without a reference
    "Depression affects 21 million adults, according to a national survey.",
    "According to the manufacturer, the spray is stable for two years.",
    # data, polls and surveys that show something
    "As the survey shows, most clinicians would prescribe it.",
    "Internal data reveal that relapse is uncommon.",
    "The firm filed data showing the vial stays sterile for a year.",
    "Newer findings point to synaptic repair as the key step.",
    # recognition and consensus as evidence
    "Esketamine has earned wide recognition for its rapid effect.",
    "Infusions have won praise from the psychiatric community.",
    "Specialists now consider it a second-line option.",
    # efficacy "shown" without a study named
    "The drug has shown striking efficacy in chronic pain.",
    "The spray is proving to be a dependable option.",
    "There is growing evidence that it reduces suicidal thoughts.",
    "The company reports that the agency found no abuse signal.",
    # a product "shown to" work, research that "spotlighted" it, testimonials as proof
    "The clinic will launch a nasal product shown to enhance the effect of TMS.",
    "Recent research has spotlighted infusions as an option for chronic pain.",
    "Clients have shared testimonials attesting to the efficacy of the program.",
    "The spray has shown early signs of effectiveness in older adults.",
])
def test_vague_appeal_classes(text):
    assert "evidence_vague" in labels(text)


@pytest.mark.parametrize("text", [
    "Doses are adjusted according to your weight.",                    # an instruction
    "The infusion runs according to the clinic's protocol.",
    "The company reports that it is on track to file next year.",      # a plan
    "The podcast covers scientific research and personal stories.",    # a topic list
    "Ketamine has shown potential benefits for some people.",          # promise alone
    "The video was shown to patients before the session.",             # shown, not proven
])
def test_not_vague_appeal_classes(text):
    assert "evidence_vague" not in labels(text)


def test_study_data_are_no_appeal_in_an_abstract():
    text = "These findings and our data show lower pain scores with ketamine."
    assert "evidence_vague" not in labels(text, kind="abstract")
    assert "evidence_vague" not in labels("According to the protocol, saline was infused.",
                                          kind="abstract")


# ---------------------------------------------------------------- results in context

@pytest.mark.parametrize("text", [
    "Roughly 65% of our clients report lasting improvement in mood.",
    "Response rates of 70% were seen after three sessions.",
    "Seven out of ten patients felt better within a week.",
    "The majority of patients respond after the second infusion.",
    "It lowered depression scores more than placebo did.",
    "Remission was twice as common compared with midazolam.",
])
def test_treatment_results(text):
    assert is_treatment_result(text)


@pytest.mark.parametrize("text", [
    "Anxiety affects 19% of adults every year.",                       # epidemiology
    "Save 15% on your second package.",                                # a price
    "Overhead fell by 40% after the merger.",                          # business
    "Its oral bioavailability is close to 90%.",
])
def test_not_treatment_results(text):
    assert not is_treatment_result(text)


def _doc(texts, paragraphs=None, kind="web"):
    return [labs for labs, _ in label_document(texts, paragraphs, kind=kind)]


def test_an_unreferenced_result_is_a_vague_appeal():
    out = _doc(["Our clinic opened in 2019.", "About 72% of our patients see a response."])
    assert "evidence_vague" in out[1]


def test_a_result_backed_by_a_reference_nearby_is_not_vague():
    texts = ["A randomized trial compared ketamine with midazolam (Doe et al., 2015; PMID 12345678).",
             "At one day, 60% responded to ketamine, against 25% with midazolam.",
             "Half of the patients kept their response for a week."]
    out = _doc(texts, [0, 0, 0])
    assert "evidence_cited" in out[0]
    assert "evidence_vague" not in out[1] and "evidence_vague" not in out[2]
    # a new paragraph two sentences on is no longer backed
    out = _doc(texts + ["Unrelated heading text follows here.", "Over 80% of users improved."],
               [0, 0, 0, 1, 2])
    assert "evidence_vague" in out[4]


def test_results_in_an_abstract_are_the_evidence_itself():
    out = _doc(["Response was 64% with ketamine and 28% with placebo."], kind="abstract")
    assert "evidence_vague" not in out[0]


def test_a_reference_list_makes_numbered_markers_citations():
    texts = ["Ketamine acts within hours (1).", "Its effect fades within a week (2, 3).",
             "References",
             "1. Doe J, Roe R. Rapid effects of ketamine. J Psychiatr Res. 2015;12(3):45-50.",
             "2. Poe A, Loe B. Durability of ketamine. Am J Psychiatry. 2016;170:10-15."]
    out = _doc(texts, [0, 0, 1, 2, 3])
    assert "evidence_cited" in out[0] and "evidence_cited" in out[1]
    # without a reference list, "(1)" is no citation
    assert "evidence_cited" not in _doc(texts[:2], [0, 0])[0]


# ---------------------------------------------------------------- hedge classes

@pytest.mark.parametrize("text", [
    "Research into its long-term safety is still being conducted.",    # research under way
    "Its use for eating disorders continues to be studied.",
    "The company is investigating a weekly dose for migraine.",
    "Psychedelic care remains an evolving field.",                     # a young field
    "Evidence comes mostly from nonrandomized trials and case series.",  # weak designs
    "No one knows whether the benefit lasts beyond a month.",          # open questions
    "There is much speculation about the new rules.",
    "If granted, the designation would speed the review.",             # forward-looking
    "Absorption is predicted to reach 70% in humans.",
    "Not every patient will respond to the first infusion.",           # individual variation
    "The new analog may reduce side effects such as dizziness.",       # a hedged reduction
    "These forward-looking statements are subject to risks and uncertainties.",
    "The total raised, assuming both rounds close, will be $12 million.",   # a condition on the outcome
    "Infusions present a possible solution for people stuck in this cycle.",
    "The company expects data from its animal studies within 90 days.",
])
def test_hedge_classes(text):
    assert is_hedged(text)


@pytest.mark.parametrize("text", [
    "The number of sessions may vary from person to plan.",            # a procedural subject
    "The dose may be adjusted after the second visit.",                # a procedural step
    "Treatment may be covered by some insurance plans.",
    "It may seem surprising that an anesthetic helps mood.",           # a concession
    "Conventional antidepressants may take weeks to work.",            # another treatment
    "Any statements that are not historical facts may be deemed forward-looking.",
    "The firm disclaims any duty to update forward-looking statements.",
    "Visitors are invited to explore the potential benefits of our services.",
    "The market potential for the compound is large.",
    "The clinic is dedicated to ongoing research and education.",
])
def test_not_hedge_classes(text):
    assert not is_hedged(text)


def test_a_hedge_about_the_treatment_after_another_treatment_is_named():
    assert is_hedged("People who did not respond to antidepressants may find relief with ketamine.")


# ---------------------------------------------------------------- risk classes

@pytest.mark.parametrize("text", [
    "Every candidate completes a comprehensive psychiatric evaluation first.",  # screening
    "Staff review each history to determine whether infusion is appropriate.",
    "An intake call helps determine your eligibility.",
    "Avoid driving or operating heavy machinery for 24 hours.",
    "IV dosing raises safety issues for home use.",
    "Seizures have been reported with high doses.",
    # care only from trained hands, said either way round
    "Given by specially trained clinicians, the infusions are well tolerated.",
    "Readers should obtain this therapy only from licensed medical practitioners.",
    "Infusion therapy requires clinical expertise at every step.",
    "Talk it over and consult your physician before stopping any medication.",
    "Each dose is given in a controlled medical environment.",
])
def test_risk_classes(text):
    assert "risk_disclosure" in labels(text)


@pytest.mark.parametrize("text", [
    "The tablet may reduce side effects typically linked to infusions.",   # a risk taken away
    "An oral form would reduce the need for medical supervision.",
    "The analog relieves pain without the sedation or other side effects of opioids.",
    "SSRIs are criticised for their side effects, such as weight gain.",   # another treatment's
    "The trial reported no device-related adverse events.",               # reassurance (web)
    "These and other risks are described in our Form 10-K.",              # an investor's risks
    "Undue reliance should not be placed on these statements in any investment decision.",
    "The drug does not induce hyperactivity in rats, a sign linked to psychosis.",
    "Our trained staff greet every visitor with a warm smile.",           # staff, no care given by them
])
def test_not_risk_classes(text):
    assert "risk_disclosure" not in labels(text)


def test_no_adverse_events_is_a_safety_result_in_an_abstract():
    text = "There were no serious adverse events in either group."
    assert "risk_disclosure" in labels(text, kind="abstract")
    assert "risk_disclosure" not in labels(text)


def test_more_hedge_and_risk_classes():
    assert not is_hedged("In some cases, however, antidepressants stop working after a year.")
    assert is_hedged("In some cases, ketamine stops working after a year.")
    assert is_hedged("Home use of the spray is under scrutiny by regulators.")
    assert "risk_disclosure" not in labels(
        "The foundation works on raising awareness about the benefits and risks of psychedelics.")


@pytest.mark.parametrize("text", [
    "Little is known about repeated dosing in teenagers.",
    "Its value for bipolar depression has not been established.",
    "There is insufficient evidence to recommend it for OCD.",
    "It is too early to tell whether the benefit lasts.",
    # a result short of significance, and evidence still wanted
    "There was a trend toward a higher remission rate with ketamine.",
    "Relapse tended to come later in the ketamine arm.",
    "The difference in MADRS scores was marginally significant (p = 0.06).",
    "More evidence is needed to judge the long-term outcomes.",
    "There was also a trend for superior efficacy of paroxetine on anxiety.",
    "At post-treatment a trend was noticed for fewer PTSD diagnoses.",
    "Interval training works elsewhere but is poorly studied in psychosis.",
    "No previous study has tested whether the bias causes relapse.",
])
def test_uncertainty_markers_are_hedges(text):
    assert is_hedged(text)


def test_a_market_trend_is_no_hedge():
    assert not is_hedged("The trend toward ketamine clinics in strip malls continues.")
    assert not is_hedged("No unexpected trend was observed and the drug was well tolerated.")


def _study(texts, roles):
    return ["risk_disclosure" in labs for labs, _ in label_document(texts, kind="abstract", roles=roles)]


def test_a_study_section_decides_its_risk_disclosures():
    texts = [
        "Succinylcholine has many complications, such as postoperative myalgia.",   # another drug's risks
        "Ketamine raises blood pressure and can cause hallucinations.",             # the studied drug's
        "Heart rate and blood pressure were recorded every five minutes.",          # what was measured
        "Nausea occurred in 4 patients given ketamine.",                            # methods that report
        "The haemodynamic response to intubation was smaller with ketamine.",       # a safety result
        "Cardiovascular and respiratory parameters did not differ between groups.", # a null safety result
        "Sedation scores were adequate in both groups.",                            # sedation as the aim
    ]
    roles = ["background", "background", "methods", "methods", "results", "conclusions", "results"]
    assert _study(texts, roles) == [False, True, False, True, True, True, False]
    # without sections, the sentence alone decides (the first names complications)
    assert _study(texts, None)[:2] == [True, True]


def test_a_harm_the_study_set_out_to_prevent_is_its_outcome_not_a_risk():
    texts = ["Emergence agitation was less frequent with propofol (12% vs 40%).",
             "Hypotension occurred in 3 patients given propofol."]
    roles = ["results", "results"]

    def risks(title):
        return ["risk_disclosure" in labs
                for labs, _ in label_document(texts, kind="abstract", roles=roles, topic=title)]
    assert risks("Propofol for emergence agitation in children") == [False, True]
    assert risks("Propofol sedation in children") == [True, True]


def _study_labels(texts, roles):
    return [labs for labs, _ in label_document(texts, kind="abstract", roles=roles)]


def test_a_study_methods_sentence_hedges_only_a_finding_read_into_it():
    texts = ["A non-randomized pilot study was performed among 20 patients.",
             "Based on earlier data, we anticipate enrolling 24 patients.",
             "Serum lipid analysis suggested that flaxseed lowers cholesterol.",
             "A pilot study is needed before a full trial."]
    out = _study_labels(texts, ["methods", "methods", "methods", "conclusions"])
    assert ["hedge" in labs for labs in out] == [False, False, True, True]


@pytest.mark.parametrize("text", [
    "Clinical evidence for this use is still lacking.",
    "Conflicting results were reported about its effect on pain.",
    "There remains a lack of consensus on the best dose.",
    "The sustainability of this pathway has been questioned.",
])
def test_gaps_and_disagreement_in_the_evidence_are_hedges(text):
    assert is_hedged(text)


def test_a_study_hypothesis_is_not_a_hedge():
    assert not is_hedged("We hypothesized that nitrate improves sprint performance.")


def test_a_study_background_appeals_to_earlier_work_but_a_publication_plan_does_not():
    texts = ["Reports of psyllium use have suggested that it lowers serum cholesterol.",
             "Psyllium lowered LDL cholesterol by 8% compared with placebo.",
             "Results will be submitted for publication in a peer-reviewed journal.",
             "Psyllium lowered LDL cholesterol, as has been reported before."]
    out = _study_labels(texts, ["background", "results", "conclusions", "results"])
    assert "evidence_vague" in out[0]
    assert "evidence_vague" not in out[1]     # the study's own finding
    assert "evidence_vague" not in out[2]
    assert "evidence_vague" in out[3]         # its finding set beside earlier work, with no reference


@pytest.mark.parametrize("text", [
    "Patients who have undergone ketamine treatment have reported rapid improvements in their symptoms.",
    "A significant decrease in suicidal thoughts was reported by many patients.",
    "The clinic's website features video testimonials from actual patients.",
])
def test_patient_reports_retold_by_the_publisher_are_promotional(text):
    assert "promotional" in label_sentence(text)[0]


def test_risk_as_a_probability_of_disease_is_no_disclosure_in_a_study():
    text = "Girls who saw the messages rated their risk of breast cancer higher."
    assert "risk_disclosure" in label_sentence(text)[0]          # web text: the word alone
    assert "risk_disclosure" not in label_sentence(text, kind="abstract")[0]


@pytest.mark.parametrize("text, promotional", [
    ('One patient shared, "My depression finally lifted after the infusions."', True),
    ("Testimonials from satisfied clients reflect the success of the therapy.", True),
    ("Individual results vary, and these testimonials do not guarantee the same outcome.", False),
    ("Dr. Roe, the esteemed psychiatrist at the clinic, leads the program.", True),
])
def test_testimonials_and_staff_praise(text, promotional):
    assert ("promotional" in label_sentence(text)[0]) is promotional


@pytest.mark.parametrize("text, vague", [
    ("Its action on glutamate has proven tremendously beneficial for patients.", True),
    ("With its rapid onset and proven effectiveness, the treatment transforms lives.", True),
    ("Committed to evidence-based practices, the team focuses on well-being.", False),
])
def test_proof_claimed_without_a_reference(text, vague):
    assert ("evidence_vague" in label_sentence(text)[0]) is vague


@pytest.mark.parametrize("text", [
    "Insomnia can quietly rob you of your joy and take over your life.",   # suffering told back
    "You have struggled with migraines long enough.",
    "Do not let anxiety define another week of your life.",
    "No one should have to suffer through winter alone.",
    "Our summer intro special brings the first visit down to $199.",        # offers and terms
    "The first session is just $99.",
    "The five-session bundle costs $1,900, a $350 saving.",
    "We offer flexible monthly financing on every package.",
    "Only a few consultation spots remain each month.",                     # scarcity
    "Our patients often tell us the change felt like waking up.",           # patients speaking through it
    "We run the Midwest's most trusted infusion program.",
    "Yes, when it is delivered by specialists like ours.",
])
def test_appeals_offers_and_boasts_of_clinic_pages_are_promotional(text):
    assert "promotional" in label_sentence(text)[0]


@pytest.mark.parametrize("text", [
    "You should not drive for the rest of the day.",       # an instruction, not an appeal
    "Patients told us about side effects at each visit.",  # no "many/most/our" patients speaking for it
])
def test_instructions_and_reports_stay_unpromotional(text):
    assert "promotional" not in label_sentence(text)[0]


def test_a_quotation_over_several_sentences_is_a_testimonial_throughout():
    texts = ['"I had given up on every pill.', "After two sessions I slept through the night again.",
             'I recommend them to everyone." - Priya, 44']
    assert all("promotional" in labs for labs, _ in label_document(texts, [0, 0, 0]))
    # staff speaking: the attribution after the quotation names them
    texts = ['"We opened in May.', "I was moved by how much our first patients improved.",
             'We plan a second site," said Dr. Alan Poe, medical director.']
    assert "promotional" not in label_document(texts, [0, 0, 0])[1][0]
    # sentences of another paragraph are outside the quotation
    texts = ['"I had given up.', "After two sessions I slept again.", 'It worked." - Priya']
    assert "promotional" not in label_document(texts, [0, 1, 2])[1][0]


@pytest.mark.parametrize("text, label", [
    ("Book before the 15th and save on your first visit.", "call_to_action"),
    ("Ask about our payment plans.", "call_to_action"),
    ("If you feel ready, we would love to hear from you.", "call_to_action"),
    ("In the ELEVATE-2 trial, 40% of patients responded.", "evidence_vague"),   # a trial named, no reference
    ("In the Morrison study, most patients improved within a week.", "evidence_vague"),
    ("A later pooled analysis of nine trials found a small benefit.", "evidence_vague"),
    ("The product label itself says it can raise blood pressure.", "evidence_vague"),
    ("The FDA cautioned clinics about unapproved home kits.", "evidence_vague"),
    ("Across our last 120 patients, 75% reported a 50% reduction in pain.", "evidence_vague"),
    ("For migraine, the evidence is thinner still.", "hedge"),
    ("Most of these studies were small and short.", "hedge"),
    ("Reviewers rated four of the trials at high risk of bias.", "hedge"),
    ("We are still learning who benefits most.", "hedge"),
    ("The spray has not been shown to prevent relapse.", "hedge"),
    ("Infusions are not a cure.", "hedge"),
    ("Your own results may look quite different.", "hedge"),
    ("This therapy is not right for everyone.", "risk_disclosure"),
    ("It may not be suitable if you have glaucoma.", "risk_disclosure"),
    ("We will not treat you if you have uncontrolled asthma.", "risk_disclosure"),
    ("A nurse anesthetist oversees every session.", "risk_disclosure"),
    ("You take the dose under the direct observation of our nurses.", "risk_disclosure"),
    ("Every patient is screened by a psychiatrist.", "risk_disclosure"),
    ("Each client has an ECG before the first session.", "risk_disclosure"),
    ("Tell us about any worsening of mood.", "risk_disclosure"),
    ("Never stop your antidepressant abruptly.", "risk_disclosure"),
    # the eighth round's pages: other ways in, other offers, plain-word risks
    ("Our front desk answers at (555) 201-7788 until 8pm.", "call_to_action"),   # a number to ring
    ("Tap the green button to chat with a nurse.", "call_to_action"),
    ("You can fill in our short intake form, and we will reply by Friday.", "call_to_action"),
    ("Add your email to our monthly research digest.", "call_to_action"),
    ("Visits can be requested online or by calling our clinic.", "call_to_action"),
    ("Donate $50 and a patient gets a ride home.", "call_to_action"),
    ("Are you a caregiver who is running out of options?", "call_to_action"),
    ("2. Take our five-minute quiz to see if you qualify.", "call_to_action"),   # a list item's number
    ("Enter code SPRING at checkout for $40 off.", "call_to_action"),
    ("The intake fee is waived when you book a full series.", "promotional"),
    ("Monthly payment plans start at $79.", "promotional"),
    ("Cancel anytime.", "promotional"),
    ("Your refills are shipped free in discreet packaging.", "promotional"),
    ("Refer a friend and you both get a free month.", "promotional"),
    ("Hundreds of people in the valley have already found relief with us.", "promotional"),
    ("No one in the state has given more infusions than our nurses.", "promotional"),
    ("Feel like yourself again, from your own sofa.", "promotional"),
    ("Many describe a floating sensation that fades after the drip stops.", "risk_disclosure"),
    ("We do not treat anyone with an aneurysm.", "risk_disclosure"),
    ("Ketamine can be misused, so doses are counted.", "risk_disclosure"),
    ("Patients may not drive until the next morning.", "risk_disclosure"),
    ("We are not an emergency service.", "risk_disclosure"),
    ("A physician review of your records comes before the first visit.", "risk_disclosure"),
    ("The spray is never dispensed for use at home.", "risk_disclosure"),
    ("How long it lasts varies between individuals.", "hedge"),
    ("The strongest trials still come with caveats.", "hedge"),
    ("When it works, the change is quick.", "hedge"),
    ("Nobody has followed patients long enough to know.", "hedge"),
    ("Researchers believe it helps neurons grow new links.", "evidence_vague"),
    ("Published research has also linked it to fewer suicidal thoughts.", "evidence_vague"),
    ("The prescribing information puts nausea at one in four patients.", "evidence_vague"),
    ("In clinical studies, dizziness was common.", "evidence_vague"),
])
def test_clinic_page_phrasings(text, label):
    assert label in label_sentence(text)[0]


@pytest.mark.parametrize("text, label", [
    # offers, promises and crowds of reviewers on spa menus and listicles
    ("Not calmer by the second visit? Then the third one is on us.", "promotional"),
    ("If it does not help, the clinic refunds your deposit in full.", "promotional"),
    ("Veterans get 15% knocked off every series.", "promotional"),
    ("Lock in our launch pricing this week.", "promotional"),
    ("★★★★☆ 4.3 out of 5, from 88 reviews", "promotional"),
    ("Reviewers rave about the quiet rooms.", "promotional"),
    ("Our most-requested drip for busy parents.", "promotional"),
    ("Pick a time that suits you in the booking calendar.", "call_to_action"),
    ("Bring a friend along and both of you save $30.", "call_to_action"),
    ("Enter your details with code CALMSTART to get the rate.", "call_to_action"),
    ("Current patients can send a message through the portal.", "call_to_action"),
    ("Head over to the clinic's website to reserve a slot.", "call_to_action"),
    ("Walk-ins are welcome every weekday morning.", "call_to_action"),
    ("Wondering whether your insurer pays?", "call_to_action"),
    # what is not yet known, and a study's own limits
    ("We still don't know who will relapse.", "hedge"),
    ("Nobody yet knows how it acts on memory.", "hedge"),
    ("The authors named several limitations.", "hedge"),
    ("Whether it helps anxiety is far from clear.", "hedge"),
    ("The review rated the evidence as low in certainty.", "hedge"),
    ("These claims have not been evaluated by the Food and Drug Administration.", "hedge"),
    # side effects and limits of use in plain words
    ("You may feel floaty for an hour.", "risk_disclosure"),
    ("The medicine is never sent home with you.", "risk_disclosure"),
    ("Plan to stay on site for two hours afterwards.", "risk_disclosure"),
    ("Infusions aren't the right fit for everyone.", "risk_disclosure"),
    ("Ketamine has never been approved for anxiety.", "risk_disclosure"),
    ("We offer it only after two other treatments have failed.", "risk_disclosure"),
    ("People with unstable angina should not have it.", "risk_disclosure"),
    # research invoked by its weight, a reporter's own calls, a clinic's averages
    ("For CRPS the strongest evidence favours longer infusions.", "evidence_vague"),
    ("Three clinics we contacted charged over $500.", "evidence_vague"),
    ("Our pain patients have averaged two fewer flare-ups a month.", "evidence_vague"),
    ("A separate trial reached the opposite conclusion.", "evidence_vague"),
])
def test_spa_listicle_and_explainer_phrasings(text, label):
    assert label in label_sentence(text)[0]


@pytest.mark.parametrize("text, label", [
    ("The mask rated 4/5 on the satisfaction scale.", "promotional"),           # a study's scale
    ("Bathing aids were the most requested adaptation.", "promotional"),
    ("Surgery is the gold standard for this fracture.", "promotional"),
    ("(555) 014-7700 | media@clinic.example", "call_to_action"),              # a press line
    ("These statements include, without limitation, our plans.", "hedge"),
])
def test_study_wording_and_press_lines_keep_their_labels(text, label):
    assert label not in label_sentence(text)[0]


@pytest.mark.parametrize("text", [
    "Media contact: Dana Lee, press@clinic.example, (555) 201-0000",     # for journalists
    "Changes in the gut flora have not yet been addressed in clinical studies.",
])
def test_a_press_contact_and_a_gap_in_studies_are_not_calls_or_appeals(text):
    assert not {"call_to_action", "evidence_vague"} & set(label_sentence(text)[0])


def test_a_quotation_signed_on_the_line_after_it_is_a_testimonial():
    texts = ['"The panic attacks come maybe twice a month now."', "Retired firefighter, Ohio"]
    assert "promotional" in label_document(texts, [0, 1])[0][0]
    # a heading after a quotation is no signature, and staff are not patients
    assert "promotional" not in label_document(['"It is a clinic-first model."', "How it works"],
                                               [0, 1])[0][0]
    assert "promotional" not in label_document(['"We treat the whole person."', "Dr. Ana Ruiz, founder"],
                                               [0, 1])[0][0]


def test_a_screening_recommendation_in_a_study_is_no_risk_disclosure():
    text = "Children with dyslexia should be screened for eye problems."
    assert "risk_disclosure" not in label_sentence(text, kind="abstract")[0]
