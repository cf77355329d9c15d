"""Benchmark inputs built from the shared corpus: real abstracts, replicated
with distinct ids to reach larger sizes."""
from __future__ import annotations

import os
from pathlib import Path
from lxml import etree

from data.records import Document
from flows.sources.files import read_file


def corpus_dir() -> Path:
    configured = os.environ.get("KETEV_CORPUS_DIR")
    path = Path(configured) if configured else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if not path.is_dir():
        raise SystemExit(f"shared corpus not found at {path} (set KETEV_CORPUS_DIR)")
    return path


def documents(folder: str) -> list[Document]:
    """Every document of one corpus folder (seeds, press_releases, pmc_oa_jats)."""
    files = sorted(p for p in (corpus_dir() / folder).iterdir()
                   if p.suffix in (".txt", ".md", ".nxml"))
    return [doc for f in files for doc in read_file(f)]


# As efetch sends it; Biopython needs the DTD (it ships a copy) to parse.
DOCTYPE = ('<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2019//EN" '
           '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">')


def _article(doc: Document, pmid: int) -> etree._Element:
    art = etree.Element("PubmedArticle")
    cit = etree.SubElement(art, "MedlineCitation", Status="MEDLINE", Owner="NLM")
    etree.SubElement(cit, "PMID", Version="1").text = str(pmid)
    article = etree.SubElement(cit, "Article", PubModel="Print")
    journal = etree.SubElement(article, "Journal")
    issue = etree.SubElement(journal, "JournalIssue", CitedMedium="Print")
    date = etree.SubElement(issue, "PubDate")
    etree.SubElement(date, "Year").text = (doc.published or "2010")[:4]
    etree.SubElement(journal, "Title").text = doc.journal or "Journal"
    etree.SubElement(article, "ArticleTitle").text = doc.title
    abstract = etree.SubElement(article, "Abstract")
    for label, text in doc.sections or [("", doc.text)]:
        node = etree.SubElement(abstract, "AbstractText")
        if label:
            node.set("Label", label.upper())
        node.text = text
    types = etree.SubElement(article, "PublicationTypeList")
    for t in doc.publication_types or ["Randomized Controlled Trial"]:
        etree.SubElement(types, "PublicationType").text = t
    data = etree.SubElement(art, "PubmedData")
    ids = etree.SubElement(data, "ArticleIdList")
    etree.SubElement(ids, "ArticleId", IdType="pubmed").text = str(pmid)
    return art


def write_pubmed_export(path: Path, n: int, base: list[Document] | None = None,
                        first_pmid: int = 80_000_000) -> Path:
    """An efetch-shaped PubmedArticleSet of `n` real abstracts (replicated, distinct PMIDs),
    written incrementally so that the generator itself stays small."""
    base = base or documents("pmc_oa_jats")
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        xf.write_doctype(DOCTYPE)
        with xf.element("PubmedArticleSet"):
            for i in range(n):
                xf.write(_article(base[i % len(base)], first_pmid + i))
    return path

