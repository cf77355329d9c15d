"""PubMed efetch XML (PubmedArticleSet) -> Documents, streamed article by article."""
from __future__ import annotations

from typing import BinaryIO, Iterator

from lxml import etree

from data.records import Document
from flows.sources.parsers._common import (PUBMED_URL, iso_date, norm_ws, text_of,
                                           textual_date, unique, xml_error)

_TAGS = ("PubmedArticle", "PubmedBookArticle")


def iter_pubmed_articles(source: str | BinaryIO) -> Iterator[Document]:
    """Yield one Document per article of a path or binary file object.

    Elements are cleared once used so memory stays flat on multi-GB exports;
    a truncated file yields every complete article, then raises ParseError."""
    events = etree.iterparse(source, events=("end",), tag=_TAGS, resolve_entities=False,
                             no_network=True, huge_tree=False, load_dtd=False)
    try:
        for _, elem in events:
            doc = parse_article(elem)
            if doc is not None:
                yield doc
            elem.clear()
            while elem.getprevious() is not None:
                del elem.getparent()[0]
    except etree.XMLSyntaxError as e:
        raise xml_error(e) from None


def parse_article(elem) -> Document | None:
    """One PubmedArticle (or PubmedBookArticle, whose BookDocument plays the part
    of the Article); None when it has no PMID."""
    book = elem.find("BookDocument")
    cit = book if book is not None else elem.find("MedlineCitation")
    pmid = norm_ws(cit.findtext("PMID")) if cit is not None else ""
    if not pmid:
        return None
    art = book if book is not None else cit.find("Article")
    if art is None:                     # a citation without Article: an empty one
        art = etree.Element("Article")
    sections, text = abstract_sections(art.find("Abstract"))
    ids = _article_ids(elem, art)
    url = PUBMED_URL.format(pmid)
    return Document(
        id=f"pmid:{pmid}", kind="abstract",
        title=text_of(art.find("ArticleTitle")) or text_of(art.find("Book/BookTitle")),
        text=text, source=url, origin="pubmed", raw_format="pubmed_xml",
        sections=sections, url=url,
        published=_pub_date(_first(art, "Journal/JournalIssue/PubDate", "Book/PubDate")),
        authors=_authors(art), journal=text_of(art.find("Journal/Title")) or None, pmid=pmid,
        pmcid=ids.get("pmc"), doi=ids.get("doi"), nct_id=_nct_id(art),
        publication_types=unique(text_of(p) for p in _all(
            art, "PublicationTypeList/PublicationType", "PublicationType")),
        mesh_terms=unique(text_of(d) for d in cit.iterfind(
            "MeshHeadingList/MeshHeading/DescriptorName")),
        keywords=unique(text_of(k) for k in cit.iterfind("KeywordList/Keyword")),
        raw=etree.tostring(elem, encoding="utf-8"))


def _first(elem, *paths):
    return next((e for p in paths if (e := elem.find(p)) is not None), None)


def _all(elem, *paths) -> list:
    return [e for p in paths for e in elem.iterfind(p)]


def abstract_sections(abstract) -> tuple[list[tuple[str, str]], str]:
    """(labelled sections, text); labelled sections read "LABEL: text" in the text."""
    if abstract is None:
        return [], ""
    parts = [(p.get("Label") or p.get("NlmCategory") or "", text_of(p))
             for p in abstract.iterfind("AbstractText")]
    parts = [(label, text) for label, text in parts if text]
    if not any(label for label, _ in parts):
        return [], "\n".join(text for _, text in parts)
    return parts, "\n".join(f"{label}: {text}" if label else text for label, text in parts)


def _pub_date(pub_date) -> str | None:
    if pub_date is None:
        return None
    medline = pub_date.findtext("MedlineDate")
    if medline:
        return textual_date(medline)
    return iso_date(pub_date.findtext("Year"), pub_date.findtext("Month"), pub_date.findtext("Day"))


def _authors(art) -> list[str]:
    names = []
    for a in art.iterfind("AuthorList/Author"):
        last = norm_ws(a.findtext("LastName"))
        names.append(f"{last} {norm_ws(a.findtext('Initials'))}".strip() if last
                     else text_of(a.find("CollectiveName")))
    return unique(names)


def _article_ids(elem, art) -> dict[str, str]:
    """DOI and PMCID from the article's own ArticleIdList (not its references),
    falling back to ELocationID for the DOI."""
    ids = {i.get("IdType"): norm_ws(i.text) for i in _all(
        elem, "PubmedData/ArticleIdList/ArticleId", "PubmedBookData/ArticleIdList/ArticleId")
        if i.text}
    if "doi" not in ids:
        for loc in art.iterfind("ELocationID"):
            if loc.get("EIdType") == "doi" and loc.text:
                ids["doi"] = norm_ws(loc.text)
                break
    return ids


def _nct_id(art) -> str | None:
    for bank in art.iterfind("DataBankList/DataBank"):
        if norm_ws(bank.findtext("DataBankName")).lower() == "clinicaltrials.gov":
            number = bank.findtext("AccessionNumberList/AccessionNumber")
            if number:
                return norm_ws(number).upper()
    return None
