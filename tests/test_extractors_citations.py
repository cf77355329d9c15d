"""Citations normalised: pmid:, doi:, nct:, author:, ref:, journal URLs."""
import pytest

from extractors.citations import evidence_of, find_citations, is_citable_url


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
])
def test_normal_forms(text, expected):
    assert find_citations(text) == expected


@pytest.mark.parametrize("text", [
    "In March 2013, the clinic opened.",
    "Ketamine (2019) is a drug.",
    "[Reddit Post](https://www.reddit.com/r/x/comments/1)",
    "Visit https://www.example-clinic.com today.",
    "Response was 64% [n=47].",
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
