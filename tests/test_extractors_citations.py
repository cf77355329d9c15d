"""Citations normalised: pmid:, doi:, nct:, author:, ref:, journal URLs."""
import pytest

from extractors.citations import evidence_of, find_citations, is_citable_url, is_reference_entry


@pytest.mark.parametrize("text,expected", [
    ("See PMID: 23982301.", ["pmid:23982301"]),
    ("(PMID 23982301)", ["pmid:23982301"]),
    ("doi:10.1176/appi.ajp.2013.13030392.", ["doi:10.1176/appi.ajp.2013.13030392"]),
    ("DOI 10.1038/s41380-018-0256-5;", ["doi:10.1038/s41380-018-0256-5"]),
    ("https://doi.org/10.1001/jamapsychiatry.2019.1189", ["doi:10.1001/jamapsychiatry.2019.1189"]),
    ("(doi:10.1016/j.biopsych.2012.05.028)", ["doi:10.1016/j.biopsych.2012.05.028"]),
    ("registered as NCT01920555.", ["nct:NCT01920555"]),
    ("Murrough et al. (2013) showed this.", ["author:murrough2013"]),
    ("as shown before (Murrough et al., 2013).", ["author:murrough2013"]),
    ("Zarate et al. 2006 was first.", ["author:zarate2006"]),
    ("Feder and Charney (2014) agree.", ["author:feder2014"]),
    ("(Zarate, 2006)", ["author:zarate2006"]),
    ("Ketamine works fast [3].", ["ref:3"]),
    ("Several trials [3, 5-7] agree.", ["ref:3", "ref:5", "ref:6", "ref:7"]),
    ("Read https://pubmed.ncbi.nlm.nih.gov/23982301/ now.", ["https://pubmed.ncbi.nlm.nih.gov/23982301/"]),
    ("[study](https://www.nejm.org/doi/full/10.1056/NEJMoa2302399)",
     ["https://www.nejm.org/doi/full/10.1056/NEJMoa2302399"]),
    ("https://clinicaltrials.gov/study/NCT04338321", ["https://clinicaltrials.gov/study/NCT04338321"]),
    ("Registered as UMIN000012345 and EudraCT 2004-000123-45.",
     ["umin:UMIN000012345", "eudract:2004-000123-45"]),
    ("Trial registration: IRCT2013052313406N1; ACTRN12615000123456.",
     ["irct:IRCT2013052313406N1", "actrn:ACTRN12615000123456"]),
    ("About 5.1 million Americans had received ketamine in their lifetime3, a number that grows.",
     ["ref:3"]),
    ("A shortage is not expected to abate in the near future1", ["ref:1"]),
    ("Ketamine acts within hours², as trials show.", ["ref:2"]),
])
def test_normal_forms(text, expected):
    assert find_citations(text) == expected


@pytest.mark.parametrize("text", [
    "In March 2013, the clinic opened.",
    "Ketamine (2019) is a drug.",
    "[Reddit Post](https://www.reddit.com/r/x/comments/1)",
    "Visit https://www.example-clinic.com today.",
    "Response was 64% [n=47].",
    "Hospital stay was 9 [8–13] vs. 11 [9–14] days.",      # medians with IQRs
    "Consumption was 1,570 [825–3,587] µg.",
    "Covid19 delayed the trial.",
    "The study lasted for18 months.",
])
def test_non_citations(text):
    assert find_citations(text) == []


def test_citable_links_given_for_a_sentence():
    assert find_citations("A landmark study showed this.",
                          ["https://jamanetwork.com/journals/x", "https://clinic.example.com"]) == [
        "https://jamanetwork.com/journals/x"]
    assert is_citable_url("https://www.fda.gov/drugs/x")
    assert not is_citable_url("https://www.example.com/fda.gov")


def test_evidence_of():
    assert evidence_of("Studies show ketamine works.") == ("vague", [])
    assert evidence_of("Studies show ketamine works (PMID: 23982301).") == ("cited", ["pmid:23982301"])
    assert evidence_of("Ketamine is a drug.") == ("none", [])


@pytest.mark.parametrize("entry,expected", [
    ("1. Murrough JW, Iosifescu DV, Chang LC, et al. Antidepressant efficacy of ketamine in "
     "treatment-resistant major depression. Am J Psychiatry. 2013;170(10):1134-1142.",
     ["author:murrough2013"]),
    ("Daly EJ, Trivedi MH, Janik A, et al. Efficacy of esketamine nasal spray. JAMA Psychiatry. "
     "2019;76(9):893-903. doi:10.1001/jamapsychiatry.2019.1189",
     ["author:daly2019", "doi:10.1001/jamapsychiatry.2019.1189"]),
    ("Zarate, C. A., Singh, J. B., & Manji, H. K. (2006). A randomized trial of an NMDA antagonist. "
     "Archives of General Psychiatry, 63(8), 856-864.", ["author:zarate2006"]),
    ("[4] Berman RM et al. (2000) Antidepressant effects of ketamine in depressed patients. "
     "Biol Psychiatry 47:351–354.", ["ref:4", "author:berman2000"]),
])
def test_reference_list_entries_are_citations(entry, expected):
    assert is_reference_entry(entry)
    assert find_citations(entry) == expected


def test_a_sentence_with_a_year_and_numbers_is_no_reference_entry():
    assert not is_reference_entry("Ketamine was approved in 2019; 170 patients: 12 of them relapsed.")
    assert not is_reference_entry("Murrough and colleagues found a 64% response in 2013.")
    assert not is_reference_entry("Ketamine IV infusions began here in 2019.")


# ---------------------------------------------------------------- round 2

from extractors.citations import find_reference_markers, has_reference_list, is_vague_appeal  # noqa: E402


def test_reference_markers():
    assert find_reference_markers("It acts within hours (1).") == ["ref:1"]
    assert find_reference_markers("Effects fade (2, 4-5).") == ["ref:2", "ref:4", "ref:5"]
    assert find_reference_markers("Relapse is common^3.") == ["ref:3"]
    assert find_reference_markers("It offers: (1) access to care and (2) support.") == []   # list items
    assert find_reference_markers("Ketamine (esketamine) is approved.") == []


def test_reference_list_detection():
    entries = ["1. Doe J, Roe R. Rapid effects of ketamine. J Psychiatr Res. 2015;12(3):45-50.",
               "2. Poe A, Loe B. Durability of ketamine. Am J Psychiatry. 2016;170:10-15."]
    assert has_reference_list(["Ketamine acts fast (1)."] + entries)
    assert has_reference_list(["Text.", "References", entries[0]])
    assert not has_reference_list(["Text (1).", "More text (2).", "Sources of funding were none."])


def test_web_only_appeals():
    text = "According to the company, the vial is stable for two years."
    assert is_vague_appeal(text) and not is_vague_appeal(text, web=False)
    assert not is_vague_appeal("Doses follow the schedule according to your weight.")


@pytest.mark.parametrize("text, expected", [
    ("The trial is registered in the Dutch Trial Register (NTR 5109).", ["ntr:NTR5109"]),
    ("Nederlands Trial Register (NTR): TC1355", ["ntr:NTR1355"]),
])
def test_netherlands_trial_register_ids(text, expected):
    assert find_citations(text) == expected


@pytest.mark.parametrize("text, vague", [
    ("The treatment is recommended by the American Psychiatric Association for depression.", True),
    ("A prominent researcher in the field states that ketamine works on glutamate.", True),
    ("Dr. Jane Roe, a renowned psychiatrist and founder of the clinic, leads the team.", False),
    ("Another pivotal discovery is that ketamine reduces suicidal thoughts.", True),
    ("Video testimonials describe the outcomes, demonstrating its efficacy.", True),
])
def test_authorities_and_discoveries_invoked_without_a_reference(text, vague):
    assert is_vague_appeal(text) is vague


@pytest.mark.parametrize("text, vague", [
    ("Inflammation has previously been shown to worsen depression.", True),
    ("Low-grade inflammation has been implicated in treatment resistance.", True),
    ("Magnesium is documented to reduce postoperative pain.", True),
    ("The response rate was similar to previously reported results.", True),
    ("According to the current literature, evidence on this question is limited.", True),
    # the sentence's own observation, in the passive, appeals to nothing
    ("Nausea was reported by 4 patients.", False),
    ("Ketamine has been given to children for decades.", False),
])
def test_earlier_work_in_the_passive_is_a_vague_appeal(text, vague):
    assert is_vague_appeal(text) is vague
