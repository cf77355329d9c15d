"""Study design, size, arms, measures and significance from short abstracts."""
import pytest

from data.records import Document
from extractors.sentences import split_sentences
from extractors.study import (ci_significance, extract_study, find_comparator, find_intervention,
                              find_n_randomized, find_significant_primary, sample_size, section_role,
                              section_roles, significance)


def abstract(title, text="", sections=(), pubtypes=(), trial=None, kind="abstract"):
    return Document(id="pmid:1", kind=kind, title=title, text=text, source="test", origin="test",
                    raw_format="pubmed_xml", sections=list(sections),
                    publication_types=list(pubtypes), trial=trial)


def study_of(doc):
    labels, sents = [], []
    for label, body in doc.sections or [(None, doc.text)]:
        for s in split_sentences(body, line_breaks=False):
            labels.append(label)
            sents.append(s)
    return extract_study(doc, sents, labels)


MURROUGH_LIKE = abstract(
    "Antidepressant efficacy of ketamine in treatment-resistant major depression: a two-site "
    "randomized controlled trial",
    sections=[
        ("OBJECTIVE", "We tested ketamine against an active placebo."),
        ("METHOD", "In a double-blind trial, N = 73 (2:1) patients with TRD were randomized to a single "
                   "infusion of ketamine 0.5 mg/kg or midazolam 0.045 mg/kg. The primary outcome was "
                   "change in MADRS score 24 hours after treatment; QIDS-SR and CADSS were secondary."),
        ("RESULTS", "Baseline characteristics did not differ significantly between groups. The ketamine "
                    "group had a greater improvement in MADRS score than the midazolam group 24 hours "
                    "after treatment (p < 0.001)."),
        ("CONCLUSIONS", "Ketamine demonstrated rapid antidepressant effects."),
    ],
    pubtypes=["Journal Article", "Randomized Controlled Trial"],
)


def test_structured_rct():
    st = study_of(MURROUGH_LIKE)
    assert st.design == "rct"
    assert st.crossover is False
    assert st.n_randomized == 73
    assert st.intervention == "ketamine 0.5 mg/kg"
    assert (st.comparator, st.comparator_type) == ("midazolam", "active_placebo")
    assert st.measures == ["MADRS", "QIDS", "CADSS"]
    assert st.significant_primary is True          # baseline sentence ignored


def test_null_primary_and_crossover_saline():
    doc = abstract("Ketamine in OCD", text=(
        "In this randomized, placebo-controlled crossover trial, 15 adults received ketamine or saline. "
        "The primary outcome, Y-BOCS change at one week, did not differ between conditions (p = 0.41)."))
    st = study_of(doc)
    assert st.design == "rct" and st.crossover is True
    assert st.n_randomized == 15
    assert (st.comparator, st.comparator_type) == ("saline", "placebo")
    assert st.measures == ["Y-BOCS"]
    assert st.significant_primary is False


@pytest.mark.parametrize("sentences,expected", [
    (["Patients were randomly assigned to ketamine (n = 47) or midazolam (n = 25)."], 72),
    (["N = 73 (2:1) patients."], 73),
    (["In total, 73 patients were randomized."], 73),
    (["We randomly assigned 120 patients to two arms."], 120),
    (["Fifty-seven patients with early ARDS were randomly assigned to two groups."], 57),
    (["Of 120 screened, 73 were randomized."], 73),
    (["Patients were allocated into two groups of 30 each."], 60),
    (["Ninety-two preschool children, aged two to six years, were included."], 92),
    (["Ten healthy volunteers participated."], 10),
    (["Group M (46 patients) received midazolam and group KM (46 patients) received both."], 92),
    (["Ketamine is a drug."], None),
])
def test_n_randomized(sentences, expected):
    assert find_n_randomized(sentences) == expected


@pytest.mark.parametrize("pubtypes,text,expected", [
    (["Meta-Analysis", "Systematic Review"], "We pooled 7 randomized trials.", "meta_analysis"),
    (["Review"], "A systematic review of ketamine trials.", "systematic_review"),
    (["Review"], "We review the pharmacology of ketamine.", "review"),
    (["Case Reports"], "A 45-year-old woman received ketamine.", "case_report"),
    (["Observational Study"], "A cohort of patients.", "observational"),
    ([], "Ketamine reduced immobility in rats exposed to chronic stress.", "preclinical"),
    # animals randomized, even when the background speaks of patients
    ([], "Septic patients often need sedation. Anaesthetized pigs were instrumented and the animals were "
         "randomized to propofol or midazolam.", "preclinical"),
    ([], "In this open-label study, 12 patients received six infusions.", "open_label"),
    ([], "A retrospective chart review of 235 patients.", "observational"),
    ([], "A non-randomized comparison of two clinics.", "nonrandomized_trial"),
    ([], "A meta-analysis of randomised controlled trials.", "meta_analysis"),
    ([], "We report the case of a 30-year-old man.", "case_report"),
    ([], "Ketamine is a drug.", "other"),
    # a JATS review article, whatever trials it recounts
    (["review-article"], "The OASIS-6 trial randomized 12092 patients to fondaparinux or heparin.", "review"),
    (["research-article"], "We randomized 60 patients to ketamine or saline.", "rct"),
    # a review named in passing does not make a trial a review; a typeset hyphen is a hyphen
    ([], "A systematic review of acupressure was inconclusive. An open randomised controlled pilot "
         "study was conducted in smokers.", "rct"),
    ([], "In meta-analyses vitamin D reduced fractures. The subjects were randomized to vitamin D or "
         "placebo.", "rct"),
    ([], "This meta\u2010analysis pooled nine short\u2010term trials of vortioxetine.", "meta_analysis"),
])
def test_design(pubtypes, text, expected):
    st = study_of(abstract("A study", text=text, pubtypes=pubtypes))
    assert st.design == expected


@pytest.mark.parametrize("text", [
    "Two lens platforms were assigned randomly to the eyes.",
    "Group I received fentanyl before induction (n=30). Group II received fentanyl and nitroglycerin (n=30).",
])
def test_randomization_said_after_the_verb_and_labelled_groups_given_different_things_are_rct(text):
    assert study_of(abstract("Two techniques compared", text=text)).design == "rct"


def test_a_trial_named_in_its_title_is_no_review_for_citing_one():
    text = ("A recent systematic review found the evidence weak. We randomized 60 adults to massage or "
            "usual care.")
    assert study_of(abstract("Massage for insomnia: a randomized controlled trial", text=text)).design == "rct"
    # ... nor is one that states its own randomization, whatever its title
    assert study_of(abstract("Massage for insomnia", text=text)).design == "rct"
    assert study_of(abstract("Randomized trials of massage: a systematic review", text=text)).design \
        == "systematic_review"


def test_open_label_has_no_comparator():
    st = study_of(abstract("Open-label ketamine for OCD", text="Ten patients received open-label ketamine."))
    assert st.design == "open_label" and st.comparator is None and st.comparator_type == "none"


def test_trial_record_raw_ctgov_shape():
    trial = {"protocolSection": {
        "designModule": {"studyType": "INTERVENTIONAL",
                         "designInfo": {"allocation": "RANDOMIZED", "interventionModel": "CROSSOVER"},
                         "enrollmentInfo": {"count": 41, "type": "ACTUAL"}},
        "armsInterventionsModule": {"armGroups": [
            {"label": "Ketamine", "type": "EXPERIMENTAL", "interventionNames": ["Drug: Ketamine"]},
            {"label": "Midazolam", "type": "ACTIVE_COMPARATOR", "interventionNames": ["Drug: Midazolam"]}]}}}
    st = study_of(abstract("Ketamine for PTSD", text="A trial of ketamine.", trial=trial, kind="trial"))
    assert st.design == "rct" and st.crossover is True and st.n_randomized == 41
    assert (st.comparator, st.comparator_type) == ("midazolam", "active_placebo")
    assert st.intervention == "ketamine"


def test_trial_record_flat_shape():
    trial = {"study_type": "INTERVENTIONAL", "allocation": "NA", "intervention_model": "SINGLE_GROUP",
             "enrollment": {"count": 20, "type": "ESTIMATED"},
             "arms": [{"label": "Esketamine", "type": "EXPERIMENTAL", "interventionNames": ["Drug: Esketamine"]}],
             "primary_p_values": []}
    st = study_of(abstract("Esketamine nasal spray", text="Participants receive esketamine 56 mg.",
                           trial=trial, kind="trial"))
    assert st.design == "open_label" and st.n_randomized is None      # estimated, not actual
    assert st.comparator_type == "none" and st.intervention == "esketamine 56 mg"
    nonrand = dict(trial, allocation="NON_RANDOMIZED", intervention_model="PARALLEL")
    assert study_of(abstract("x", text="x", trial=nonrand, kind="trial")).design == "nonrandomized_trial"
    obs = {"study_type": "OBSERVATIONAL"}
    assert study_of(abstract("x", text="x", trial=obs, kind="trial")).design == "observational"
    assert study_of(abstract("x", text="x", trial={"allocation": "RANDOMIZED", "primary_p_values": ["<0.001"]},
                             kind="trial")).significant_primary is True


def test_helpers():
    assert find_intervention(["S-ketamine 0.25 mg/kg was given; esketamine again."]) == "esketamine 0.25 mg/kg"
    assert find_intervention(["Arketamine in mice."]) == "arketamine"
    assert find_comparator(["ketamine versus electroconvulsive therapy"]) == ("ect", "active")
    assert find_comparator(["patients received ketamine or propofol (n = 20)"]) == ("propofol", "active")
    assert find_comparator(["midazolam premedication was given to all"]) == (None, None)
    assert section_role("Materials and Methods:") == "methods"
    assert section_role("CONCLUSIONS AND RELEVANCE") == "conclusions"
    assert significance("MADRS was significantly lower (P=.03).") is True
    assert significance("Scores did not differ between groups.") is False
    assert significance("Patients were adults.") is None
    assert significance("The timing of psyllium had no effect on cholesterol.") is False


def test_trial_record_parser_shape_results():
    """The flat shape written by the ClinicalTrials.gov parser, with results."""
    trial = {"study_type": "INTERVENTIONAL", "allocation": "RANDOMIZED", "intervention_model": "PARALLEL",
             "enrollment": 99, "enrollment_type": "ACTUAL",
             "arms": [{"label": "Ketamine", "type": "EXPERIMENTAL", "interventions": ["Drug: Ketamine"]},
                      {"label": "Placebo", "type": "PLACEBO_COMPARATOR", "interventions": ["Drug: Saline"]}],
             "results": {"outcome_measures": [
                 {"type": "PRIMARY", "analyses": [{"p_value": "0.21"}]},
                 {"type": "SECONDARY", "analyses": [{"p_value": "<0.001"}]}]}}
    st = study_of(abstract("Ketamine trial", text="Ketamine versus placebo.", trial=trial, kind="trial"))
    assert (st.design, st.n_randomized) == ("rct", 99)
    assert st.comparator_type == "placebo"
    assert st.significant_primary is False


# ------------------------------------------------------------ sections

def test_section_roles_from_labels_inline_labels_and_cues():
    assert section_roles(["A.", "B.", "C."], ["BACKGROUND", "Materials and Methods:", "CONCLUSIONS"]) == [
        "background", "methods", "conclusions"]
    inline = ["Background: Ketamine is used.", "It is cheap.", "Methods: We enrolled 20 patients.",
              "Results: Pain fell.", "Conclusions: It works."]
    assert section_roles(inline) == ["background", "background", "methods", "results", "conclusions"]
    unlabelled = ["Ketamine is an NMDA antagonist.", "We asked whether it helps.",
                  "Forty patients were randomized to ketamine or saline.",
                  "Pain was significantly lower with ketamine (p = 0.01).",
                  "These findings suggest that ketamine helps."]
    assert section_roles(unlabelled) == ["background", "background", "methods", "results", "conclusions"]


def test_labels_that_name_no_section_of_the_study_leave_the_roles_to_the_cues():
    text = ["Oxygen therapy is common.", "In this randomised crossover study, 30 patients took part.",
            "Dyspnoea was lower with high flow (p<0.001).", "ACTRN12613000028707."]
    labels = ["Abstract", "Abstract", "Abstract", "Trial registration number"]
    assert section_roles(text, labels) == ["background", "methods", "results", "registration"]


def test_a_section_of_methods_and_findings_turns_to_results_at_its_first_finding():
    text = ["Ketamine may help pain.", "We randomised 60 patients to ketamine or saline.",
            "Pain scores were recorded for 24 hours.",
            "Pain was lower with ketamine (p = 0.02).", "Nausea did not differ.",
            "Ketamine may be considered after surgery.", "NCT01234567"]
    combined = "Methodology/Principal Findings"
    labels = ["Background", combined, combined, combined, combined, "Conclusions", "Trials registration"]
    assert section_roles(text, labels) == [
        "background", "methods", "methods", "results", "results", "conclusions", "registration"]
    # the verdict is read from the findings, not lost among the methods they share a label with
    sections = [("Background", text[0]), (combined, " ".join(text[1:5])), ("Conclusions", text[5])]
    assert study_of(abstract("Ketamine for pain", sections=sections)).significant_primary is True


@pytest.mark.parametrize("label,role", [
    ("Material and Methods:", "methods"), ("Material/Methods", "methods"),
    ("RESEARCH DESIGN AND METHODS", "methods"), ("Statistical Analysis Used:", "methods"),
    ("Methods and Results", "methods_and_results"), ("Methods and Findings", "methods_and_results"),
    ("ClinicalTrials.gov Identifier", "registration"), ("Current Controlled Trials", "registration"),
])
def test_section_label_variants(label, role):
    assert section_role(label) == role


def test_section_cues_only_move_forward():
    text = ["Ketamine is used in anaesthesia.", "Patients were randomized to two groups.",
            "Scores were significantly lower with ketamine (P < 0.05).",
            "Patients were randomized again in a later phase."]
    assert section_roles(text)[-1] == "results"


def test_unrecognised_findings_leave_every_sentence_but_the_first_usable():
    assert section_roles(["Ketamine is used.", "Something happened.", "Another thing."]) == [
        "background", None, None]


# ------------------------------------------------------------ design

@pytest.mark.parametrize("text,expected", [
    ("Patients were randomly distributed into one of three groups.", "rct"),
    ("Seventy-five patients were assigned to one of the following groups: group A or group B.", "rct"),
    ("The control group received saline and the study group received ketamine.", "rct"),
    ("Data of 312 children treated between 2015 and 2016 were collected from our department.", "observational"),
    ("Patients were grouped and compared according to the anaesthetic they accepted.", "observational"),
])
def test_design_cues_without_randomly(text, expected):
    assert study_of(abstract("Ketamine and pain", text=text)).design == expected


def test_protocol_keeps_the_design_but_has_no_n():
    doc = abstract("Ketamine for ischaemic rest pain: study protocol for a randomised controlled trial",
                   text="A total of 120 patients will be randomised to ketamine or placebo.")
    st = study_of(doc)
    assert st.design == "rct" and st.n_randomized is None


def test_no_randomization_no_n_randomized():
    doc = abstract("Ketamine sedation for tooth extraction",
                   text="Data of 922 children were gathered retrospectively. Group 1 (n=822) received ketamine "
                        "and Group 2 (n=100) received sevoflurane.")
    st = study_of(doc)
    assert st.design == "observational" and st.n_randomized is None


# ------------------------------------------------------------ sample size

@pytest.mark.parametrize("sentences,expected", [
    (["Sixty patients scheduled for surgery were randomly assigned to ketamine or saline."], 60),
    (["Patients were randomly assigned to DM60 (60 mg/day; n = 65), DM120 (120 mg/day; n = 65), "
      "or placebo (n = 66)."], 196),
    (["Twenty-two patients with MDD received ketamine and propofol compared with 20 patients as the "
      "control group who received propofol in a double-blind randomized trial."], 42),
    (["We conducted two placebo-controlled crossover studies of LSD in 24 and 16 subjects, respectively."], 40),
    (["The patients were randomly allocated to group I and group II comprising 30 patients each."], 60),
    (["Patients were randomized into four groups.", "In this trial, thirty patients randomized in each "
      "studied groups."], 120),
    (["Macaques (n = 16, 5 males and 3 females randomly allocated to each treatment group) received ketamine."], 16),
    (["The intervention was tested in a randomized trial (n=119).", "The control group received no "
      "intervention (n=116)."], 235),
    (["Forty-five rats were fed either a high-fat diet (n = 40) or a normal diet (n = 5) and thereafter "
      "randomized into ND (n = 5), HFD (n = 10), HFD+AGE (n = 10), HFD+Ex (n = 10) or HFD+Ex+AGE (n = 10)."], 45),
    (["In this randomized study, 72 healthy participants performed eye movement tasks while being randomly "
      "assigned to one of four drug groups."], 72),
    (["Blood pressure was monitored in 68 healthy participants in a double-blind, randomized trial."], 68),
    # a stated analysis population, a total before its arms, both sexes, a parenthesis before the verb
    (["A randomized, placebo-controlled study of risedronate.", "The intention-to-treat population "
      "consisted of 284 patients."], 284),
    (["A randomized trial of two creams.", "Of 96 patients, 48 applied cream A and 48 applied cream B."], 96),
    (["Sixteen men and 47 women were recruited from lipid clinics.", "They took psyllium in randomized "
      "order."], 63),
    (["Thirty-two male soccer players (age: 23 years) participated in this randomized cross-over study."], 32),
])
def test_n_randomized_forms(sentences, expected):
    assert find_n_randomized(sentences) == expected


def test_arm_sizes_that_do_not_add_up_are_flagged():
    size = sample_size(["In a double-blind trial, N = 73 patients were randomized to ketamine (n = 47) "
                        "or midazolam (n = 25)."])
    assert (size.n, size.stated, size.arms, size.arms_disagree) == (73, 73, 72, True)
    fine = sample_size(["A total of 171 patients were randomly distributed into three groups (n = 57, "
                        "n = 57 and n = 57)."])
    assert fine.n == 171 and not fine.arms_disagree


# ------------------------------------------------------------ comparator

def comparator_of(title, text, **kw):
    st = study_of(abstract(title, text=text, **kw))
    return st.comparator, st.comparator_type


@pytest.mark.parametrize("title,text,expected", [
    # add-on designs: the control arm gets the background, not something in place of ketamine
    ("Ketamine pretreatment for angioplasty",
     "We evaluated a small dose of ketamine added to midazolam and remifentanil. Sixty patients were "
     "randomized. The control group received midazolam and remifentanil.", (None, "none")),
    ("Ketamine and remifentanil-induced hyperalgesia",
     "Patients were randomized to group RH (remifentanil 0.3 µg/kg/min) or group KRH (remifentanil "
     "0.3 µg/kg/min + ketamine 0.5 mg/kg).", (None, "none")),
    ("Combined ketamine and electroconvulsive therapy for major depressive disorder",
     "Twenty patients received ketamine and propofol compared with 20 patients as the control group who "
     "received propofol.", (None, "none")),
    ("Dexmedetomidine premedication for fibreoptic intubation",
     "Patients were randomized to group D or group P. Group P patients were given only propofol.",
     (None, "none")),
    # "administered ketamine and fentanyl" lists the arms when the text offers one instead of the other
    ("Intra-articular ketamine and fentanyl after arthroscopy",
     "Patients were randomly assigned to either 0.5 mg/kg ketamine or 1 µg/kg fentanyl. Intra-articularly "
     "administered ketamine and fentanyl both reduced pain.", ("fentanyl", "active")),
    # midazolam is an active placebo in psychiatric trials only
    ("Intranasal ketamine and midazolam for dental sedation in children",
     "Children were randomized to ketamine or midazolam.", ("midazolam", "active")),
    ("Ketamine for treatment-resistant depression",
     "Patients were randomized to ketamine or midazolam.", ("midazolam", "active_placebo")),
    # any placebo arm makes it placebo; a diluent does not
    ("Ketamine, paracetamol and magnesium for postoperative pain",
     "Patients were randomized to ketamine, paracetamol, magnesium or placebo (normal saline).",
     ("saline", "placebo")),
    ("Ketamine versus fentanyl", "Patients received ketamine diluted in saline or fentanyl.",
     ("fentanyl", "active")),
    # nothing in place of the intervention
    ("Ketamine-assisted therapy", "Patients were randomized to ketamine or treatment as usual.",
     ("usual care", "none")),
    # an active procedure the add-on arm does not get
    ("Dexmedetomidine with fentanyl IV-PCA in comparison with conventional thoracic epidural",
     "Patients were randomized to thoracic epidural PCA, dexmedetomidine in combination with fentanyl IV-PCA, "
     "or fentanyl IV-PCA only.", ("thoracic epidural", "active")),
])
def test_comparator_types(title, text, expected):
    assert comparator_of(title, text) == expected


def test_unnamed_active_comparator_in_a_randomized_trial():
    assert comparator_of("Virtual reality for sedation training",
                         "In a randomized controlled trial we compared the virtual reality module versus a "
                         "traditional web-based module.") == (None, "active")


def test_intervention_of_a_trial_without_ketamine_and_whole_doses():
    assert find_intervention(["Dexmedetomidine premedication for fibreoptic intubation",
                              "Group D received dexmedetomidine 1 μg/kg over 10 min."]) == "dexmedetomidine 1 μg/kg"
    assert find_intervention(["Ketamine pretreatment", "The Ketamine group received, in addition, an "
                              "intravenous bolus of 0.5 mg/kg ketamine."]) == "ketamine 0.5 mg/kg"


# ------------------------------------------------------------ significance

@pytest.mark.parametrize("sentence,expected", [
    ("Overall, the incidence of POM was significantly less in group K (P<0.05), but both groups were "
     "comparable for grade 2.", True),                               # p-values decide
    ("There was no significant difference in time to first bowel movement (P = 0.830).", False),
    ("Ketamine increased saccadic frequency (all P<0.01) but had no effect on antisaccades (all P⩾0.07).", True),
    ("No interaction was found (all P⩾0.26).", False),
    ("Pain was significantly lower in the dexmedetomidine group, but comparable between the other two "
     "groups.", True),                                               # first clause
    ("Despite higher success of sedation with ketamine, no significant differences were found in overall "
     "behaviour.", False),                                           # concessive clause dropped
    ("The VNRS values were lower in the ketamine group than in the control group.", True),   # comparative
    ("More than half of the patients responded.", None),             # a quantity, not a comparison
    ("Tapentadol was non-inferior but not superior to oxycodone.", False),
    ("Risperidone did not reverse ketamine-induced deteriorations.", False),
    ("A concentration that did not alter sedation potentiated the antinociceptive effect.", None),
    ("The comparison between the two groups was not statistically significant.", False),
    # negations the phrase list alone missed
    ("The primary endpoint did not show a significant difference between the arms.", False),
    ("Significant differences between the two dressings could not be demonstrated.", False),
    ("The capsule and the tablet were bioequivalent.", False),
    ("Adding the vaccine to chemotherapy did not result in improved survival.", False),
    ("The reminder letters did not lead to fewer missed visits.", False),
    # change within the groups says nothing about the difference between them
    ("Anxiety scores improved significantly in both groups (p<0.01).", None),
    ("Grip strength rose compared with baseline (p = 0.02), without significant differences between "
     "the groups.", False),
    ("In group II, all scores were improved (p<0.05).", None),
    ("Heart rate, blood pressure and sedation changed significantly from baseline in all groups, but "
     "sedation was deeper in group D than in group M (p = 0.01).", True),
    ("In group A, lower peak lactate (1.1 versus 2.4, p < 0.001) was seen.", True),   # a comparison
    # a trend is short of significance, unless its p-value says otherwise
    ("There was a trend toward a higher proportion still on sick leave in the assessment group (7/18) "
     "than in the usual-care group (3/15).", False),
    ("Scores tended to be greater in the PRP group than in the saline group.", False),
    ("There was also a trend for superior efficacy of paroxetine over placebo on anxiety.", False),
    # ... but a "tendency for" is a propensity, not a trend
    ("The dye worked at low concentration with minimal tendency for tooth discoloration.", None),
    ("A trend towards fewer relapses with ketamine was significant (p = 0.03).", True),
    ("The primary endpoint, change from baseline in CDRS-R score at week 8, did not statistically "
     "separate from placebo.", False),
    ("Superiority of the add-on was neither confirmed by interaction effects nor by a group "
     "difference.", False),
])
def test_significance_of_one_sentence(sentence, expected):
    assert significance(sentence) is expected


def test_the_primary_outcome_named_in_the_methods_picks_the_results_sentence():
    doc = abstract("Lidocaine infusion after colorectal surgery", sections=[
        ("Methods", "Fifty-eight adults were randomized to lidocaine or placebo. The primary outcome was the "
                    "time to first bowel movement; secondary outcomes were pain scores and opioid use."),
        ("Results", "Opioid consumption was significantly lower with lidocaine (P = 0.039). There was no "
                    "significant difference in time to first bowel movement (P = 0.83)."),
    ])
    assert study_of(doc).significant_primary is False


def test_a_change_from_a_baseline_value_is_a_result_not_the_groups_at_baseline():
    doc = abstract("Phone therapy for mild depression", sections=[
        ("Methods", "Workers were randomized to phone therapy or usual care."),
        ("Results", "Scores fell from 18.1 at baseline to 10.2 with phone therapy and to 15.9 with usual "
                    "care (p<0.001). Absence from work did not differ (p = 0.40)."),
    ])
    assert study_of(doc).significant_primary is True
    # a within-group change tested by paired differences says nothing of the groups
    doc = abstract("Fever after a new antipyretic", sections=[
        ("Methods", "Children were randomized to the drug or paracetamol."),
        ("Results", "Fever fell from 80% at baseline to 2% on day 7 (p < 0.001 for paired differences)."),
    ])
    assert study_of(doc).significant_primary is None


def test_values_at_baseline_and_at_a_later_visit_are_a_result():
    sentences = ["Ferritin did not differ between the groups (iron: 21.7 ng/ml at baseline and 23.5 ng/ml "
                 "at week 12; placebo: 25.3 and 27.0 ng/ml; p=0.17).",
                 "Both drugs significantly reduced haemoglobin loss."]
    assert find_significant_primary(sentences, ["results", "results"]) is False
    # the groups compared at baseline alone are still no verdict
    sentences[0] = "Ferritin was 21.7 ng/ml at baseline in both groups (p=0.71)."
    assert find_significant_primary(sentences, ["results", "results"]) is True


def test_a_greater_change_from_baseline_is_no_comparison_of_the_groups():
    sentences = ["The placebo group showed a greater reduction in pocket depth compared with baseline.",
                 "However, there were no significant differences between groups."]
    assert find_significant_primary(sentences, ["results", "results"]) is False


def test_first_results_sentence_when_no_primary_is_named():
    doc = abstract("Ketamine for appendectomy pain", sections=[
        ("Methods", "Eighty patients were randomized to ketamine or saline."),
        ("Results", "Pain scores were significantly lower with ketamine (P < 0.01). Nausea did not differ."),
    ])
    assert study_of(doc).significant_primary is True


def test_without_a_named_primary_the_objectives_outcome_decides():
    sentences = ["The aim was to compare the effects of ketamine and midazolam on behavior of children "
                 "during dental treatment.",
                 "Crying decreased significantly with ketamine (P=0.002).",
                 "No significant differences were found regarding overall behavior (P>0.05)."]
    roles = ["background", "results", "results"]
    assert find_significant_primary(sentences, roles) is False
    # without the objective, the first results sentence with a verdict decides
    assert find_significant_primary(sentences[1:], roles[1:]) is True


def test_baseline_comparisons_are_no_verdict_on_the_primary():
    sentences = ["There were no statistical difference of patients' age and prostate volume (P=0.21).",
                 "Discomfort was significantly less frequent with the pretreatment (P=0.001)."]
    assert find_significant_primary(sentences, ["results", "results"]) is True


@pytest.mark.parametrize("sentences, expected", [
    (["Sixty-nine American Society of Anesthesiologists physical status class I patients aged 20-65 "
      "years were randomly allocated into one of three groups."], 69),
    (["A total of 105 (1-6 years) were randomly assigned into three groups."], 105),
    (["This randomized study was performed with 90 patients who underwent sedation for ERCP."], 90),
    (["Thirty-five golden Syrian hamsters were randomly divided into a control group and four groups."], 35),
    (["32 NMRI mice, weight average 26.0 ± 2.0 g, were randomly divided into four equal groups."], 32),
    (["The study was comprised of 48 patients undergoing TURP.", "Patients were randomly divided into "
      "two groups."], 48),
    (["Twenty dogs were selected.", "They were randomly divided to two groups (n = 10)."], 20),
    # subjects described before their verb, a study "carried out on" them, a total with its participle
    (["In this randomised, cross-over study, 32 patients with asthma underwent a provocation test."], 32),
    (["A randomised cross-over study was carried out on 10 healthy sheep under fasting conditions."], 10),
    (["In this randomised crossover study, we assessed responses to oxygen in 30 males."], 30),
    (["Women were randomised to a new stove or an open fire.", "Of 51 women recruited, 50 completed "
      "the study."], 51),
    # a size "each" is per group, times the groups a hyphenated count names
    (["This single-blind, three-group (n = 40 each) parallel trial ran for 3 weeks.",
      "Group A rinsed with a placebo."], 120),
    # the population may be described at length before its verb
    (["In this placebo-controlled study, 212 adults with moderate to severe chronic low back pain "
      "received placebo or the study drug."], 212),
    # thousands set apart by a space; a number word joined by a unicode hyphen
    (["We analysed 12 410 patients randomized in a placebo-controlled trial."], 12410),
    (["Sixty\u2010four adults were randomized to gel or cream."], 64),
    # the groups' size "consisting of" a number; a second arm's count is no part of the first
    (["We enrolled eighty adults into two groups consisting of forty (n = 40) adults each."], 80),
    (["A total of 212 patients received one of three active doses and 70 patients received "
      "placebo."], 282),
    # "Of N enrolled in the study,": the total
    (["Participants were randomized to coaching or a leaflet.", "Of 140 participants enrolled in the "
      "study, 121 completed it."], 140),
    # a year is no count
    (["From March 2009 to May 2011 all the patients of two wards were randomized to a checklist or "
      "usual care.", "In total, 1,204 participants were randomized."], 1204),
    (["This randomized study was conducted in 2016 on 140 nursing students."], 140),
    # more verbs and cues: "carried out on", "consumed", "includes", "divided randomly"
    (["A randomized crossover study was carried out on 12 healthy volunteers."], 12),
    (["Using a randomized crossover design, eleven adults consumed oat bran or wheat bran daily."], 11),
    (["This study includes 96 consecutive eyes of 60 patients.", "Two lens platforms were assigned "
      "randomly."], 96),
    (["Forty subjects were divided randomly into two groups."], 40),
    # a total divided into groups is the size even when the arms add up otherwise
    (["In a single-blind trial, 64 adults with gout were divided into two groups.",
      "Colchicine was given to group 1 (n=31) and a placebo to group 2 (n=34)."], 64),
    # arm sizes labelled in parentheses, but not clusters counted that way
    (["Randomization was by village.", "Mothers were enrolled at the first visit (410 intervention, "
      "395 control)."], 805),
    (["A cluster randomized trial was run in 40 villages (20 intervention, 20 control).",
      "In all, 610 mothers were enrolled."], 610),
    # a second count among the subjects' words counts something else; a subset's whole does not
    (["This was a randomized pilot trial.", "A total of 44 nerve blocks were performed among 22 patients."],
     None),
    (["Fifty adolescents took part.", "Twenty of the 50 adolescents were randomized to training or no "
      "training."], 20),
    (["In a randomized trial, 36 patients were consecutively enrolled and 24 patients received the "
      "brace so far."], 36),
    # the count nearest the verb, when the first count has a verb of its own; not a breakdown
    (["Eighty patients were enrolled and 72 patients were randomised to drug A (N=36) or drug B (N=36)."],
     72),
    (["Forty patients (31 men, 9 women) were randomly assigned to exercise or rest."], 40),
    # "N = 19" for each of two arms is no total
    (["Forty-two who were in rehabilitation were randomly assigned to training (N = 21) or usual care "
      "(N = 21)."], 42),
    # subjects the count names in other words, a word in brackets, a trial described with commas
    (["A total of 312 youth aged 12-17 years with asthma were randomized to coaching or leaflets."], 312),
    (["A randomized, double-blind, placebo-controlled trial was carried out on 140 Karen (hill-tribe) "
      "schoolchildren in two provinces."], 140),
    (["An open, three-armed randomized trial was conducted among 96 recruited women with lupus."], 96),
    # ... but not one group's size ("of 23 patients each" is half of 46)
    (["Consent was obtained from 46 adults.", "They entered a randomized, prospective trial with two "
      "groups, of 23 patients each."], 46),
    # allocation "at random", and the method of randomization named mid-phrase
    (["After a run-in, 62 men were allocated at random to drug or placebo."], 62),
    (["After screening, 880 first-time mothers were assigned, using web-based randomisation, to usual "
      "care or a peer supporter."], 880),
    # "(n = 26) randomized" is the randomized count, not a reference group beside it
    (["Healthy term infants (n = 26) randomized at birth received one of three formulas.",
      "An untreated reference group was followed too (n = 14)."], 26),
    # the subjects counted in one sentence, randomized in the next
    (["The subjects were 42 males and females aged 20 to 30 years (male 17, female 25).",
      "They were randomly divided into a taping group and a control group."], 42),
    (["The sample was composed of 68 women with high body dissatisfaction.",
      "Participants were randomly assigned to one of two postures."], 68),
    # those who left are not the sample
    (["Depressed adults were randomized to escitalopram, sertraline or venlafaxine.",
      "Six participants withdrew due to serious adverse events."], None),
    # what a programme is composed of counts no one
    (["Composed of four modules, the course is designed for children with diabetes.",
      "Families were randomized to the course or usual care."], None),
])
def test_n_randomized_more_forms(sentences, expected):
    assert find_n_randomized(sentences) == expected


def test_the_other_primary_outcomes_are_not_the_primary_result():
    sentences = ["The primary outcomes were wound healing and scar quality.",
                 "Wounds healed faster with the dressing (p = 0.01).",
                 "None of the other primary outcomes differed between the groups."]
    assert find_significant_primary(sentences, ["methods", "results", "results"]) is True
    # a sentence on the primary outcome itself still decides
    sentences[2] = "The primary outcome did not differ between the groups."
    assert find_significant_primary(sentences, ["methods", "results", "results"]) is False


def test_an_abbreviation_the_abstract_defines_matches_the_objectives_outcome():
    sentences = ["To compare the effect of two viscoelastic devices on intraocular pressure (IOP) after surgery.",
                 "Surgical time was significantly longer with device A (P=0.001).",
                 "IOP values at 1, 2 and 24 hours did not differ (P>0.05)."]
    assert find_significant_primary(sentences, ["background", "results", "results"]) is False


@pytest.mark.parametrize("text, expected", [
    ("The incident rate ratio between the groups was 0.90 (95% CI 0.62–1.33).", False),
    ("Remission was more likely with ketamine (odds ratio 2.1, 95% CI 1.2 to 3.4).", True),
    ("The mean difference was −4.0 points (95% CI −6.1, −1.9).", True),
    ("The difference was 1.5 points (95% CI −0.4 to 3.4).", False),
    ("Uptake was lower in one group (OR 0.51 (0.29 to 0.87)).", True),      # a bare CI
    ("Compliance was 66% vs. 43% (OR 6·33, 95% CI 3·71–10·80).", True),     # Lancet decimals
    ("Median PFS was 13.1 months (95% CI, 8.7–17.5 months).", None),        # a CI of no comparison
    ("Response (RR of 61.7%) was high, and PFS 13.1 months (95% CI, 8.7–17.5).", None),
    ("Scores fell in both groups.", None),
])
def test_a_confidence_interval_that_excludes_no_effect_is_significant(text, expected):
    assert ci_significance(text) is expected
    assert significance(text) is (expected if expected is not None else None)
