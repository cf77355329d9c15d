"""Local file import: format detection, folder walking, decoding and failure
reporting, over the fixtures in tests/fixtures/files and the shared corpus."""
from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest

from flows.sources.files import (ImportFailure, detect_format, file_document_id, import_paths,
                                 list_input_files, read_file)
from flows.sources.parsers import ParseError

FIXTURES = Path(__file__).parent / "fixtures" / "files"
MIXED = FIXTURES / "mixed"
corpus = pytest.mark.corpus


def head(path):
    return path.read_bytes()[:65536]


@corpus
@pytest.mark.parametrize("relative, fmt", [
    ("api_samples/pubmed/pubmed1.xml", "pubmed_xml"),
    ("api_samples/pubmed/pubmed_result1.txt", "medline"),      # .txt, sniffed by "PMID- "
    ("api_samples/pubmed/pone.0046493.nxml", "jats"),
    ("api_samples/pubmed/efetch_pmc.xml", "jats"),
    ("api_samples/europepmc/search_cancer_core.json", "europepmc_json"),
    ("api_samples/europepmc/search_no_results.json", "europepmc_json"),
    ("api_samples/clinicaltrials/NCT02210780.json", "ctgov_json"),
    ("api_samples/clinicaltrials/results_2.json", "ctgov_json"),
    ("seeds/000_f69c5a57f3fae99f.txt", "text"),
    ("pmc_oa_jats/PMC1065070.nxml", "jats"),
])
def test_detect_format_on_real_files(corpus_dir, relative, fmt):
    path = corpus_dir / relative
    assert detect_format(path, head(path)) == fmt


@pytest.mark.parametrize("name, fmt", [
    ("good_pubmed.xml", "pubmed_xml"), ("good_medline.txt", "medline"), ("jats_article.nxml", "jats"),
    ("europepmc_page.json", "europepmc_json"), ("ctgov_study.json", "ctgov_json"),
    ("clinic_page.html", "html"), ("press_note.md", "markdown"), ("notes.txt", "text"),
])
def test_detect_format_on_fixtures(name, fmt):
    assert detect_format(MIXED / name, head(MIXED / name)) == fmt


def test_content_wins_over_extension():
    assert detect_format("export.txt", b"\nPMID- 99000011\nTI  - x\n") == "medline"
    assert detect_format("page.xml", b"<!DOCTYPE html><html><body>x</body></html>") == "html"
    assert detect_format("data", b'{"studies": [], "nextPageToken": null}') == "ctgov_json"
    assert detect_format("notes", b"Plain words.") == "text"
    assert detect_format("links.md", b"[Home](https://a.example/) | [Blog](/blog)") == "markdown"
    assert detect_format("braces.txt", b"{not json} but notes") == "text"


@pytest.mark.parametrize("name, data, reason", [
    ("bad.txt", b"PK\x03\x04\x00\x00\x08\x00binary", "binary or unknown format"),
    ("bad.txt", bytes(range(256)), "binary or unknown format"),
    ("bad.md", b"   \n", "empty file"),
    ("bad.json", b'{"foo": 1}', "unrecognised JSON"),
    ("bad.xml", b"<eSearchResult><Count>1</Count></eSearchResult>",
     "unsupported XML document: root element <eSearchResult>"),
    ("bad.xml", b"just words", "not XML"),
])
def test_detect_format_rejects(name, data, reason):
    with pytest.raises(ParseError, match=reason):
        detect_format(name, data)


def test_file_document_id():
    assert file_document_id(MIXED / "notes.txt") == "file:mixed/notes.txt"
    assert file_document_id("seeds/000_f69c5a57f3fae99f.txt") == "file:seeds/000_f69c5a57f3fae99f.txt"


def test_list_input_files_skips_hidden_readme_and_other_extensions(tmp_path):
    missing = tmp_path / "missing.xml"
    files = list_input_files([MIXED, MIXED / "notes.txt", missing])
    names = [p.name for p in files]
    assert names[:-1] == sorted(names[:-1])
    assert not {"README.md", "INDEX.csv", ".hidden.txt"} & set(names)
    assert names.count("notes.txt") == 1 and files[-1] == missing   # kept, so reading reports it
    assert "junk.txt" in names and "ctgov_study.json" in names


def test_read_file_yields_good_records_before_a_truncation():
    docs = []
    with pytest.raises(ParseError, match="truncated XML"):
        for doc in read_file(MIXED / "truncated_pubmed.xml"):
            docs.append(doc)
    assert [d.id for d in docs] == ["pmid:99000001", "pmid:99000002"]


def test_import_mixed_folder_reports_each_bad_file():
    results = list(import_paths([MIXED, MIXED / "does_not_exist.md"]))
    docs = [r for r in results if not isinstance(r, ImportFailure)]
    failures = {r.path.rsplit("/", 1)[-1]: r.reason for r in results if isinstance(r, ImportFailure)}
    assert failures == {
        "esearch.xml": "unsupported XML document: root element <eSearchResult>",
        "invalid.json": failures["invalid.json"],
        "junk.txt": "binary or unknown format",
        "truncated_pubmed.xml": failures["truncated_pubmed.xml"],
        "does_not_exist.md": "no such file or directory",
    }
    assert failures["invalid.json"].startswith("invalid JSON")
    assert failures["truncated_pubmed.xml"].startswith("truncated XML: Premature end of data")
    ids = [d.id for d in docs]
    assert ids == ["file:mixed/clinic_page.html", "nct:NCT99000031", "pmid:99000021",
                   "epmc:PPR:PPR990022", "pmid:99000011", "pmid:99000012", "pmid:99000001",
                   "pmid:99000002", "pmid:99000003", "pmc:PMC9900041", "file:mixed/notes.txt",
                   "file:mixed/press_note.md",
                   "pmid:99000001", "pmid:99000002"]      # the truncated file's complete articles
    assert all(d.origin == "files" for d in docs)
    by_id = {d.id: d for d in docs}
    assert by_id["pmid:99000011"].source == "https://pubmed.ncbi.nlm.nih.gov/99000011/"
    assert by_id["nct:NCT99000031"].url == "https://clinicaltrials.gov/study/NCT99000031"
    assert by_id["file:mixed/notes.txt"].source == str(MIXED / "notes.txt")   # path as given
    assert by_id["file:mixed/clinic_page.html"].raw_format == "html"


def test_text_decoding(tmp_path):
    doc, = read_file(FIXTURES / "cp1252.txt")
    assert doc.title == "Café clinic notes" and "\u201cketamine works\u201d \u2013 maybe." in doc.text
    assert doc.raw == (FIXTURES / "cp1252.txt").read_bytes()          # archived as found
    (tmp_path / "bom.md").write_bytes(codecs.BOM_UTF8 + "# Título\n\nTexto.".encode())
    assert next(read_file(tmp_path / "bom.md")).title == "Título"
    (tmp_path / "utf16.txt").write_bytes("Ketamine notes\n\nText.".encode("utf-16"))
    assert next(read_file(tmp_path / "utf16.txt")).title == "Ketamine notes"
    (tmp_path / "broken.txt").write_bytes(b"Title line\n\nbad byte \x81 here")    # not UTF-8 nor cp1252
    assert "bad byte \ufffd here" in next(read_file(tmp_path / "broken.txt")).text


def test_import_copes_with_unexpected_payload(tmp_path):
    (tmp_path / "odd.json").write_text('{"resultList": {"result": [42]}}')
    failure, = import_paths([tmp_path])
    assert isinstance(failure, ImportFailure) and failure.reason.startswith("unexpected")


@corpus
def test_import_corpus_folders(corpus_dir):
    folders = [corpus_dir / name for name in ("seeds", "press_releases", "pmc_oa_jats")]
    started = time.perf_counter()
    results = list(import_paths(folders))
    elapsed = time.perf_counter() - started
    failures = [r for r in results if isinstance(r, ImportFailure)]
    assert failures == []
    assert len(results) == 5 + 153 + 1000                    # INDEX.csv left out
    assert len({d.id for d in results}) == len(results)
    print(f"imported {len(results)} documents in {elapsed:.2f} s")
