"""Format parsers over the real API samples and JATS articles of the shared
corpus, and over small hostile documents written for these tests."""
from __future__ import annotations

import csv
import html
import io
import json
from itertools import count, islice
from pathlib import Path

import pytest

from flows.sources.parsers import (ParseError, iter_ctgov_studies, iter_europepmc_results,
                                   iter_jats_articles, iter_medline, iter_pubmed_articles,
                                   next_cursor, next_page_token, parse_html, parse_markdown,
                                   parse_text)
from flows.sources.parsers._common import norm_ws, textual_date

FIXTURES = Path(__file__).parent / "fixtures" / "files"
MIXED = FIXTURES / "mixed"
corpus = pytest.mark.corpus


def pubmed(corpus_dir, name):
    return list(iter_pubmed_articles(str(corpus_dir / "api_samples" / "pubmed" / name)))


def ctgov(corpus_dir, name):
    data = (corpus_dir / "api_samples" / "clinicaltrials" / name).read_bytes()
    return list(iter_ctgov_studies(data))


def epmc_payload(corpus_dir, name):
    return json.loads((corpus_dir / "api_samples" / "europepmc" / name).read_text())


# --- PubMed efetch XML ------------------------------------------------------

@corpus
def test_pubmed1_has_two_articles_with_ids_dates_and_doi(corpus_dir):
    docs = pubmed(corpus_dir, "pubmed1.xml")
    assert [d.pmid for d in docs] == ["12091962", "9997"]
    first, second = docs
    assert first.id == "pmid:12091962" and first.kind == "abstract"
    assert first.title.startswith("The treatment of AIDS behind the walls")
    assert first.text == ""                       # no abstract in the record
    assert first.published == "1990"             # <Year>1990</Year><Season>Spring</Season>
    assert first.keywords == ["Health Care and Public Health", "Legal Approach"]
    assert second.published == "1976-09-28"      # Month "Sep"
    assert second.doi == "10.1016/0005-2795(76)90109-4"
    assert second.source == second.url == "https://pubmed.ncbi.nlm.nih.gov/9997/"
    assert second.origin == "pubmed" and second.raw_format == "pubmed_xml"
    assert second.raw.startswith(b"<PubmedArticle>") and b"<PMID" in second.raw


@corpus
def test_pubmed_labelled_sections_nct_and_own_pmid(corpus_dir):
    doc, = pubmed(corpus_dir, "pubmed-29768149.xml")
    assert doc.pmid == "29768149"                 # not the CommentsCorrections PMIDs
    assert [label for label, _ in doc.sections] == ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert doc.text.startswith("BACKGROUND: In patients with mild asthma")
    assert "\nRESULTS: A total of 3849 patients underwent randomization" in doc.text
    assert doc.nct_id == "NCT02149199"            # DataBankList/AccessionNumber
    assert doc.doi == "10.1056/NEJMoa1715274"
    assert "Randomized Controlled Trial" in doc.publication_types
    assert "Asthma" in doc.mesh_terms
    assert doc.authors[0] == "O'Byrne PM" and len(doc.authors) == 10
    assert doc.published == "2018-05-17"


@corpus
def test_pubmed_pmcid_nlmcategory_and_collective_author(corpus_dir):
    doc, = pubmed(corpus_dir, "pubmed5.xml")
    assert doc.pmcid == "PMC5771820"
    assert doc.sections[0][0] == "OBJECTIVES"     # Label wins over NlmCategory
    doc, = pubmed(corpus_dir, "pubmed7.xml")
    assert doc.authors[-1] == "Canadian Respiratory Research Network"


def test_pubmed_medline_date_nlm_category_book_and_reference_ids():
    docs = list(iter_pubmed_articles(str(MIXED / "good_pubmed.xml")))
    assert [d.id for d in docs] == ["pmid:99000001", "pmid:99000002", "pmid:99000003"]
    art, _, book = docs
    assert art.published == "1998-12"             # <MedlineDate>1998 Dec-1999 Jan</MedlineDate>
    assert art.sections[0] == ("BACKGROUND", "Ketamine has rapid antidepressant effects.")
    assert "(P < 0.001)" in art.text and "Copyright" not in art.text
    assert art.nct_id == "NCT99000001"            # the first accession number
    assert art.doi == "10.9999/fixture.1"         # ELocationID, not the reference's DOI
    assert art.pmcid == "PMC9900001"
    assert book.title == "Ketamine" and book.published == "2021-03" and book.doi == "10.9999/book.3"


# Fields come from where the efetch DTD puts them and nowhere else (the first
# PMID, Article, Abstract and title; never a reference's ids), and whitespace
# and inline markup are flattened alike in every field.
HOSTILE_PUBMED = b"""<?xml version="1.0"?>
<PubmedArticleSet>
<PubmedArticle>
  <MedlineCitation>
    <PMID> 99000010 </PMID><PMID>99000011</PMID>
    <Article>
      <Journal><Title>First&#160;journal</Title><JournalIssue><PubDate><Year>2019</Year><Month>Feb</Month><Month>Mar</Month><Day>7</Day></PubDate></JournalIssue><Title>Second journal</Title></Journal>
      <ArticleTitle>
        Ketamine   and <i>esketamine</i>:&#x2009;a title
      </ArticleTitle>
      <ArticleTitle>Not this title</ArticleTitle>
      <Abstract>
        <AbstractText>Unlabelled&#160;start.</AbstractText>
        <!-- a comment -->
        <AbstractText Label="RESULTS">Response <b>64%</b>
          versus 28%.</AbstractText>
        <AbstractText Label="EMPTY">  </AbstractText>
      </Abstract>
      <Abstract><AbstractText>Second abstract, not read.</AbstractText></Abstract>
      <AuthorList><Author><ForeName>Jane</ForeName><LastName> Roe </LastName><Initials>JA</Initials><LastName>Other</LastName></Author>
        <Author><CollectiveName>The <i>K</i> Group</CollectiveName></Author><Author><LastName>Roe</LastName><Initials>JA</Initials></Author></AuthorList>
      <ELocationID EIdType="pii">S0001</ELocationID><ELocationID EIdType="doi"> 10.9999/eloc </ELocationID>
      <PublicationTypeList><PublicationType>Journal Article</PublicationType><PublicationType>Journal  Article</PublicationType></PublicationTypeList>
    </Article>
    <Article><ArticleTitle>Second article, not read</ArticleTitle></Article>
    <KeywordList><Keyword>ketamine</Keyword><Keyword/></KeywordList>
  </MedlineCitation>
  <PubmedData>
    <ArticleIdList><ArticleId IdType="pmc">PMC1</ArticleId><ArticleId IdType="pmc">PMC2</ArticleId></ArticleIdList>
    <ReferenceList><Reference><ArticleIdList><ArticleId IdType="doi">10.9999/reference</ArticleId></ArticleIdList></Reference></ReferenceList>
  </PubmedData>
</PubmedArticle>
</PubmedArticleSet>
"""


def test_pubmed_reads_first_elements_and_normalises_text_as_documented():
    doc, = iter_pubmed_articles(io.BytesIO(HOSTILE_PUBMED))
    assert doc.pmid == "99000010"                                   # the first PMID, trimmed
    assert doc.title == "Ketamine and esketamine: a title"          # thin space, markup, runs
    assert doc.journal == "First journal"                           # no-break space
    assert doc.published == "2019-02-07"                            # the first Month
    assert doc.sections == [("", "Unlabelled start."), ("RESULTS", "Response 64% versus 28%.")]
    assert doc.text == "Unlabelled start.\nRESULTS: Response 64% versus 28%."
    assert doc.authors == ["Roe JA", "The K Group"]                 # duplicates dropped
    assert doc.pmcid == "PMC2"                                      # the last of an IdType
    assert doc.doi == "10.9999/eloc"                                # not the reference's DOI
    assert doc.publication_types == ["Journal Article"] and doc.keywords == ["ketamine"]


@pytest.mark.parametrize("text", [" a  b ", "a\tb\nc\r", "a\xa0b", "a\u2009b\u3000", "a\x1cb",
                                  "\u2028a\x85", "already clean", "caf\xe9 au lait", "\n", "\xad"])
def test_norm_ws_shortcut_matches_split_and_join(text):
    assert norm_ws(text) == " ".join(text.split())


@pytest.mark.parametrize("text, iso", [("1998 Dec-1999 Jan", "1998-12"), ("2000 Spring", "2000"),
                                       ("2006 Mar 1", "2006-03-01"), ("1976-1977", "1976"),
                                       ("2013 Oct-Dec", "2013-10"), ("", None)])
def test_textual_dates(text, iso):
    assert textual_date(text) == iso


def test_truncated_pubmed_yields_complete_articles_then_fails():
    docs = []
    with pytest.raises(ParseError, match="truncated XML: Premature end of data"):
        for doc in iter_pubmed_articles(str(MIXED / "truncated_pubmed.xml")):
            docs.append(doc)
    assert [d.pmid for d in docs] == ["99000001", "99000002"]


class GuardedStream(io.RawIOBase):
    """A file over an endless generator of articles that fails the test when
    more than `limit` bytes are read: only a streaming parser gets past it."""

    def __init__(self, chunks, limit):
        self.chunks, self.limit, self.served, self.buffer = chunks, limit, 0, b""

    def readable(self):
        return True

    def read(self, size=-1):
        if self.served > self.limit:
            raise AssertionError(f"read {self.served} bytes: the parser is not streaming")
        while len(self.buffer) < max(size, 1):
            self.buffer += next(self.chunks)
        size = len(self.buffer) if size < 0 else size
        out, self.buffer = self.buffer[:size], self.buffer[size:]
        self.served += len(out)
        return out


def endless_export():
    yield b'<?xml version="1.0"?>\n<PubmedArticleSet>\n'
    for pmid in count(1):
        yield (f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article>"
               f"<ArticleTitle>Article {pmid}</ArticleTitle><Abstract><AbstractText>"
               f"{'Ketamine text. ' * 40}</AbstractText></Abstract></Article></MedlineCitation>"
               f"</PubmedArticle>\n").encode()


def test_pubmed_parser_streams():
    stream = GuardedStream(endless_export(), limit=512 * 1024)
    docs = iter_pubmed_articles(stream)
    assert next(docs).pmid == "1"                 # before the (endless) stream ends
    assert [d.pmid for d in islice(docs, 99)][-1] == "100"
    assert stream.served < 512 * 1024


def test_xxe_entity_is_not_expanded():
    doc, = iter_pubmed_articles(str(FIXTURES / "xxe_pubmed.xml"))
    assert "root:" not in doc.title + doc.text and b"root:" not in doc.raw
    assert doc.title.startswith("Entity test") and doc.text.endswith("after.")
    doc, = iter_jats_articles(str(FIXTURES / "xxe_jats.nxml"))
    assert "root:" not in doc.title + doc.text


def test_billion_laughs_does_not_blow_up():
    try:
        docs = list(iter_pubmed_articles(str(FIXTURES / "billion_laughs.xml")))
    except ParseError as e:                        # libxml2 refuses the amplification
        assert "entity" in str(e).lower()
    else:                                          # or leaves the entity unexpanded
        assert all(len(d.title) < 100 for d in docs)


# --- MEDLINE text -----------------------------------------------------------

@corpus
def test_medline_export_records(corpus_dir):
    docs = list(iter_medline(corpus_dir / "api_samples" / "pubmed" / "pubmed_result2.txt"))
    assert [d.pmid for d in docs] == ["16403221", "16377612", "14871861", "14630660"]
    doc = docs[0]
    assert doc.title == "A high level interface to SCOP and ASTRAL implemented in python."
    assert doc.authors == ["Casbon JA", "Crooks GE", "Saqi MA"]
    assert doc.pmcid == "PMC1373603" and doc.doi == "10.1186/1471-2105-7-10"
    assert [label for label, _ in doc.sections] == ["BACKGROUND", "RESULTS", "CONCLUSION"]
    assert doc.published == "2006" and doc.journal == "BMC bioinformatics"
    assert "Sequence Alignment" in doc.mesh_terms  # "Sequence Alignment/*methods"
    assert doc.raw_format == "medline" and doc.raw.startswith(b"PMID- 16403221")
    assert docs[1].published == "2006-03-01"


@corpus
def test_medline_continuation_lines(corpus_dir):
    doc, = iter_medline(corpus_dir / "api_samples" / "pubmed" / "pubmed_result3.txt")
    assert doc.title == "Effects of different parameters in the fast scanning method for HIFU treatment."
    assert doc.published == "2012-10" and doc.doi == "10.1118/1.4748329"
    assert "High-Intensity Focused Ultrasound Ablation" in doc.mesh_terms
    assert "\nMETHODS: Two transducers, six scanning paths" in doc.text


def test_medline_si_nct_and_same_text_shape_as_xml():
    doc, _ = iter_medline(MIXED / "good_medline.txt")
    assert doc.nct_id == "NCT99000011" and doc.authors == ["Roe JA", "Fixture Esketamine Group"]
    assert doc.sections[2] == ("RESULTS", "MADRS change was -21.4 with esketamine and -17.0 with placebo.")
    assert doc.text.splitlines()[0] == "BACKGROUND: Esketamine was added to an oral antidepressant."


def test_medline_malformed_line():
    with pytest.raises(ParseError, match="line 2"):
        list(iter_medline(io.StringIO("PMID- 1\nthis is not a tag line\n")))


# --- JATS -------------------------------------------------------------------

@corpus
def test_jats_structured_abstract(corpus_dir):
    doc, = iter_jats_articles(str(corpus_dir / "pmc_oa_jats" / "PMC1065070.nxml"))
    assert doc.id == "pmid:15566591" and doc.pmcid == "PMC1065070" and doc.doi == "10.1186/cc2974"
    assert doc.title.startswith("Extravascular lung water assessed by transpulmonary")
    assert [label for label, _ in doc.sections] == ["Introduction", "Methods", "Results", "Conclusion"]
    assert doc.text.startswith("Introduction: Acute lung injury is associated")
    assert doc.authors[0] == "Kirov MY" and doc.journal == "Critical Care"
    assert doc.published == "2004-10-19" and "sheep" in doc.keywords
    assert doc.source == "https://pubmed.ncbi.nlm.nih.gov/15566591/" and doc.origin == "files"


def _jats(abstract: str) -> bytes:
    return (f"<article><front><article-meta><article-id pub-id-type='pmid'>1</article-id>"
            f"<title-group><article-title>A trial</article-title></title-group>{abstract}"
            f"</article-meta></front></article>").encode()


def test_jats_run_in_section_labels_and_paragraphs_beside_sections():
    doc, = iter_jats_articles(_jats(
        "<abstract><p><italic>Background</italic> Pain is common. <italic>Methods</italic> We randomised "
        "60 adults. <bold>Results:</bold> Pain fell. <italic>placebo</italic> arms did not.</p>"
        "<sec><title>Electronic supplementary material</title><p>See online.</p></sec></abstract>"))
    assert doc.sections == [("Background", "Pain is common."), ("Methods", "We randomised 60 adults."),
                            ("Results", "Pain fell. placebo arms did not."),
                            ("Electronic supplementary material", "See online.")]
    assert doc.text.startswith("Background: Pain is common.\nMethods: We randomised")
    # paragraphs with no label anywhere stay plain text
    doc, = iter_jats_articles(_jats("<abstract><p>One.</p><p>Two <italic>in vitro</italic>.</p></abstract>"))
    assert doc.sections == [] and doc.text == "One.\nTwo in vitro."


def test_jats_key_words_paragraph_is_keywords_not_text():
    doc, = iter_jats_articles(_jats(
        "<abstract><sec><title>Conclusions</title><p>Saline rinsed best.</p>"
        "<p><bold> Key words:</bold>Smear layer, EDTA; saline.</p></sec>"
        "<p>Keywords: apical third</p></abstract>"
        "<kwd-group><kwd>irrigation</kwd></kwd-group>"))
    assert doc.text == "Conclusions: Saline rinsed best."
    assert doc.keywords == ["irrigation", "Smear layer", "EDTA", "saline", "apical third"]


@corpus
def test_jats_ids_and_fallback_text(corpus_dir):
    jats = corpus_dir / "pmc_oa_jats"
    doc, = iter_jats_articles(str(jats / "PMC2743355.nxml"))      # no PMID
    assert doc.id == "pmc:PMC2743355" and doc.url == "https://pmc.ncbi.nlm.nih.gov/articles/PMC2743355/"
    doc, = iter_jats_articles(str(jats / "PMC2376383.nxml"))      # no abstract: body start
    assert doc.text.startswith("Radiotherapy in head and neck cancer patients can induce oral mucositis")
    assert len(doc.text) < 3000 + 2000
    doc, = iter_jats_articles(str(jats / "PMC2423497.nxml"))      # neither: the title
    assert doc.text == doc.title.strip() != ""
    doc, = iter_jats_articles((jats / "PMC1084341.nxml").read_bytes())
    assert "ketamine" in doc.title


@corpus
def test_jats_article_set(corpus_dir):
    doc, = iter_jats_articles(str(corpus_dir / "api_samples" / "pubmed" / "efetch_pmc.xml"))
    assert doc.pmid == "34527728" and doc.publication_types == ["correction"]


@corpus
def test_all_jats_files_parse_with_unique_ids(corpus_dir):
    files = sorted((corpus_dir / "pmc_oa_jats").glob("*.nxml"))
    docs = [d for f in files for d in iter_jats_articles(str(f))]
    assert len(docs) == 1000 and len({d.id for d in docs}) == 1000
    assert all(d.title and d.text for d in docs)


def test_jats_abstract_choice_authors_and_date():
    doc, = iter_jats_articles(str(MIXED / "jats_article.nxml"))
    assert doc.text == "Ketamine reduced opioid use after surgery.\nSecond paragraph."   # not the toc teaser
    assert doc.authors == ["Roe JA"]                                 # editors left out
    assert doc.published == "2015-07"                                # ppub, not pmc-release


# --- Europe PMC -------------------------------------------------------------

@corpus
def test_europepmc_core_page(corpus_dir):
    payload = epmc_payload(corpus_dir, "search_cancer_core.json")
    docs = list(iter_europepmc_results(payload))
    assert len(docs) == 25 and next_cursor(payload) == "AoIIP4ZawSg1MzEyODI1MA=="
    assert docs[0].id == "pmid:39709209" and docs[0].doi == "10.1016/s0140-6736(24)02600-x"
    assert docs[0].authors == ["Schoenfeld JD", "Haas-Kogan DA", "O'Neill AF"]
    assert docs[0].journal == "Lancet (London, England)" and docs[0].published == "2025-12-01"
    assert docs[1].pmcid == "PMC12124214"
    doc = next(d for d in docs if d.pmid == "40468710")
    assert [label for label, _ in doc.sections] == [
        "Objective", "Design", "Methods", "Results", "Conclusions"]
    assert "<h4>" not in doc.text and "(at p < .001)" in doc.text
    assert "Neoplasms" in doc.mesh_terms and "Psychological Flexibility" in doc.keywords
    assert "H2S" in next(d for d in docs if d.pmid == "40511629").text
    assert json.loads(doc.raw)["pmid"] == "40468710"


@corpus
def test_europepmc_lite_idlist_and_empty(corpus_dir):
    lite = list(iter_europepmc_results(epmc_payload(corpus_dir, "search_cancer.json")))
    assert len(lite) == 25 and lite[0].text == "" and lite[0].journal == "Lancet"
    assert lite[0].authors == ["Schoenfeld JD", "Haas-Kogan DA", "O'Neill AF"]
    assert "review" in next(d for d in lite if d.pmid == "40464630").publication_types
    assert len(list(iter_europepmc_results(epmc_payload(corpus_dir, "search_cancer_idlist.json")))) == 25
    assert len(list(iter_europepmc_results(epmc_payload(corpus_dir, "search_cancer_page2.json")))) == 5
    empty = epmc_payload(corpus_dir, "search_no_results.json")
    assert list(iter_europepmc_results(empty)) == [] and next_cursor(empty) is None


def test_europepmc_preprint_id_and_invalid_json():
    docs = list(iter_europepmc_results((MIXED / "europepmc_page.json").read_bytes()))
    assert [d.id for d in docs] == ["pmid:99000021", "epmc:PPR:PPR990022"]
    assert docs[0].title == "Fixture: ketamine and suicidal ideation."
    with pytest.raises(ParseError, match="invalid JSON"):
        list(iter_europepmc_results((MIXED / "invalid.json").read_bytes()))


# --- ClinicalTrials.gov -----------------------------------------------------

@corpus
def test_ctgov_study_with_results(corpus_dir):
    doc, = ctgov(corpus_dir, "NCT02210780.json")
    assert doc.id == "nct:NCT02210780" and doc.kind == "trial" and doc.nct_id == "NCT02210780"
    assert doc.title.startswith("A Randomized, Double-Blind, Placebo-Controlled, Study Investigating")
    assert doc.url == "https://clinicaltrials.gov/study/NCT02210780" and doc.published == "2014-08-07"
    assert doc.text.startswith("This was a 32-week, randomized, double-blind")
    assert "Primary outcome: Percentage of Participants With a Positive Response" in doc.text
    t = doc.trial
    assert t["phase"] == ["PHASE2"] and t["allocation"] == "RANDOMIZED" and t["masking"] == "TRIPLE"
    assert t["enrollment"] == 194 and t["enrollment_type"] == "ACTUAL"
    assert t["conditions"] == ["Atopic Dermatitis"] and t["has_results"] is True
    assert {"type": "DRUG", "name": "Dupilumab"} in t["interventions"]
    measures = t["results"]["outcome_measures"]
    assert len(measures) == 11 and measures[0]["values"][0]["value"] == 83.7
    analysis = measures[3]["analyses"][0]
    assert analysis["p_value"] == "<0.0001"      # kept as the registry's string
    assert (analysis["param_value"], analysis["ci_lower"], analysis["ci_upper"]) == (34.0, 24.29, 43.75)
    ae = t["results"]["adverse_events"]
    assert len(ae["serious"]) == 6 and len({e["term"] for e in ae["serious"]}) == 3
    assert len(ae["other"]) == 12
    assert {"term": "Serum sickness-like reaction", "group": "Dupilumab 300 mg qw",
            "affected": 1, "at_risk": 97} in ae["serious"]


@corpus
def test_ctgov_na_values_and_no_results(corpus_dir):
    doc, = ctgov(corpus_dir, "NCT02552212.json")
    values = [v["value"] for m in doc.trial["results"]["outcome_measures"] for v in m["values"]]
    assert "NA" in values
    assert "=0.247" in [a["p_value"] for m in doc.trial["results"]["outcome_measures"] for a in m["analyses"]]
    doc, = ctgov(corpus_dir, "NCT00973089.json")
    assert doc.trial["results"] is None and doc.trial["has_results"] is False
    # an observational record describes its population in words of its own
    doc, = ctgov(corpus_dir, "NCT05594173.json")
    assert doc.trial["study_population"].startswith("Healthy adult volunteers")


@corpus
def test_ctgov_studies_page_and_v1(corpus_dir):
    folder = corpus_dir / "api_samples" / "clinicaltrials"
    studies = [json.loads((folder / n).read_text()) for n in ("NCT03418623.json", "NCT05594173.json")]
    page = {"studies": studies, "nextPageToken": "NF0g5JGBlPMu"}
    assert [d.nct_id for d in iter_ctgov_studies(page)] == ["NCT03418623", "NCT05594173"]
    assert next_page_token(page) == "NF0g5JGBlPMu" and next_page_token({"studies": []}) is None
    with pytest.raises(ParseError, match="v1 FullStudiesResponse"):
        ctgov(corpus_dir, "results_2.json")


def test_ctgov_missing_counts_do_not_crash():
    doc, = iter_ctgov_studies((MIXED / "ctgov_study.json").read_bytes())
    serious = doc.trial["results"]["adverse_events"]["serious"]
    assert serious[1] == {"term": "Hypertension", "group": "Midazolam", "affected": None, "at_risk": None}
    measure = doc.trial["results"]["outcome_measures"][0]
    assert measure["groups"][0] == {"id": "OG000", "title": "Ketamine", "n": 47}
    assert measure["values"][1]["value"] == "NA"


# --- HTML, Markdown, text ---------------------------------------------------

def test_html_main_text_metadata_and_links():
    html = (MIXED / "clinic_page.html").read_bytes()
    doc = parse_html(html, "https://brightclinic.example/blog/ketamine?utm=1")
    assert doc.id == "url:https://brightclinic.example/ketamine-therapy/"   # canonical
    assert doc.title == "Ketamine Therapy for Treatment-Resistant Depression"     # og:title
    assert "response rates at 24 hours were higher with ketamine" in doc.text
    assert "cookies" not in doc.text and "tracking" not in doc.text and "All rights reserved" not in doc.text
    assert doc.published == "2024-03-05" and doc.authors == ["Dr. Jane Roe"]
    assert doc.links[:3] == ["https://brightclinic.example/", "https://brightclinic.example/about",
                             "https://brightclinic.example/contact"]
    assert "https://pubmed.ncbi.nlm.nih.gov/23982301/" in doc.links
    assert len(doc.links) == len(set(doc.links)) and not any("mailto" in u for u in doc.links)
    assert doc.kind == "web" and doc.raw_format == "html" and doc.origin == "web"


def test_html_file_and_fallback_text():
    doc = parse_html((MIXED / "clinic_page.html").read_bytes(), "saved/page.html", "file:saved/page.html")
    assert doc.id == "file:saved/page.html" and doc.source == "saved/page.html"
    assert doc.links[0] == "https://pubmed.ncbi.nlm.nih.gov/23982301/"      # relative links unresolvable
    doc = parse_html("<html><body><p>Too short.</p><a href='/x'>x</a></body></html>", "https://a.example/p")
    assert doc.text.startswith("Too short.") and doc.links == ["https://a.example/x"]


def test_markdown_links_and_markup():
    doc = parse_markdown((MIXED / "press_note.md").read_text(), "press_note.md", "file:mixed/press_note.md")
    assert doc.title == "Fixture Clinic Opens Ketamine Program"
    assert doc.links == ["https://www.accessdata.fda.gov/fixture-label.pdf",
                         "https://psychiatryonline.org/doi/fixture",
                         "https://pubmed.ncbi.nlm.nih.gov/99000001/",
                         "https://fixture-clinic.example/contact"]
    assert "Infusions for treatment-resistant depression, see the FDA label." in doc.text
    assert not any(mark in doc.text for mark in ("**", "](", "![", "# ", "---", "\\*"))
    assert "*limited spots*" in doc.text
    assert "\n\n" in doc.text and "\n\n\n" not in doc.text


def test_markdown_character_references_become_characters():
    doc = parse_markdown("# GBK &amp; Sydenham Host a Lounge\n\nKetamine &ndash; and TMS &#8212; on show.",
                         "p.md", "file:p.md")
    assert doc.title == "GBK & Sydenham Host a Lounge"
    assert doc.text.endswith("Ketamine \u2013 and TMS \u2014 on show.")


def test_plain_text_title_rules():
    doc = parse_text((MIXED / "notes.txt").read_text(), "mixed/notes.txt", "file:mixed/notes.txt")
    assert doc.title == "Ketamine clinic notes" and doc.raw_format == "text"
    assert doc.links == ["https://fixture-clinic.example/faq", "https://pubmed.ncbi.nlm.nih.gov/99000001/",
                         "https://clinicaltrials.gov/study/NCT99000011"]
    doc = parse_text("A first line that is a sentence.\nMore.", "x/long_name.txt", "file:x/long_name.txt")
    assert doc.title == "long_name"


@corpus
def test_press_release_titles_match_index(corpus_dir):
    folder = corpus_dir / "press_releases"
    rows = list(csv.DictReader((folder / "INDEX.csv").open(encoding="utf-8")))
    for row in rows:
        doc = parse_markdown((folder / row["file"]).read_text(encoding="utf-8"), row["file"], "x")
        assert doc.title == html.unescape(row["title"])     # the index keeps "&amp;" as written
        assert "](" not in doc.text
