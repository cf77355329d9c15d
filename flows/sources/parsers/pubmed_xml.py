"""PubMed efetch XML (PubmedArticleSet) -> Documents, streamed article by article.

Speed matters (exports run to millions of records), so each article is
walked once, down only the branches that hold a field: a `find` on a path
costs lxml 1-3 us and a record needed a dozen (benchmarks/pubmed_parsing).
"""
from __future__ import annotations

from typing import BinaryIO, Iterator

from lxml import etree

from data.records import Document
from flows.sources.parsers._common import (PUBMED_URL, iso_date, norm_ws, text_of,
                                           textual_date, unique, xml_error)

_TAGS = ("PubmedArticle", "PubmedBookArticle")

# Where each field is read: {tag: field, or {tag: ...} one level down}, below
# the element that plays the Article (a MedlineCitation's first Article, or a
# book's BookDocument), below the citation, and below the article itself.
_ARTICLE_FIELDS = {
    "ArticleTitle": "title", "Book": {"BookTitle": "book_title", "PubDate": "book_date"},
    "Abstract": "abstracts", "Journal": {"JournalIssue": {"PubDate": "pub_date"}, "Title": "journal"},
    "AuthorList": {"Author": "authors"}, "ELocationID": "locations",
    "DataBankList": {"DataBank": "banks"}, "PublicationType": "book_types",
    "PublicationTypeList": {"PublicationType": "types"},
}
_CITATION_FIELDS = {"PMID": "pmid", "KeywordList": {"Keyword": "keywords"},
                    "MeshHeadingList": {"MeshHeading": {"DescriptorName": "mesh"}}}
_JOURNAL_CITATION_FIELDS = {**_CITATION_FIELDS, "Article": "articles"}
_BOOK_FIELDS = {**_CITATION_FIELDS, **_ARTICLE_FIELDS}
# The article's own ids, not those of its references (PubmedData/ReferenceList).
_ID_FIELDS = {"PubmedData": {"ArticleIdList": {"ArticleId": "ids"}},
              "PubmedBookData": {"ArticleIdList": {"ArticleId": "book_ids"}}}


def iter_pubmed_articles(source: str | BinaryIO) -> Iterator[Document]:
    """Yield one Document per article of a path or binary file object.

    Memory stays flat on multi-GB exports; a truncated file yields every
    complete article, then raises ParseError."""
    for elem in iter_article_elements(source):
        doc = parse_article(elem)
        if doc is not None:
            yield doc


def iter_article_elements(source: str | BinaryIO) -> Iterator[etree._Element]:
    """Each PubmedArticle and PubmedBookArticle element, cleared (with what
    came before it) once the caller is done with it."""
    events = etree.iterparse(source, events=("end",), tag=_TAGS, resolve_entities=False,
                             no_network=True, huge_tree=False, load_dtd=False)
    try:
        for _, elem in events:
            yield elem
            elem.clear()
            while elem.getprevious() is not None:
                del elem.getparent()[0]
    except etree.XMLSyntaxError as e:
        raise xml_error(e) from None


def parse_article(elem) -> Document | None:
    """One PubmedArticle (or PubmedBookArticle, whose BookDocument plays the part
    of the Article); None when it has no PMID."""
    found = _fields(elem)
    pmid = norm_ws(found["pmid"][0].text) if "pmid" in found else ""
    if not pmid:
        return None
    sections, text = _sections(found.get("abstracts"))
    ids = _article_ids(found)
    url = PUBMED_URL.format(pmid)
    return Document(
        id=f"pmid:{pmid}", kind="abstract",
        title=_first_text(found, "title") or _first_text(found, "book_title"),
        text=text, source=url, origin="pubmed", raw_format="pubmed_xml",
        sections=sections, url=url,
        published=_pub_date(found.get("pub_date") or found.get("book_date")),
        authors=_authors(found.get("authors", ())),
        journal=_first_text(found, "journal") or None, pmid=pmid,
        pmcid=ids.get("pmc"), doi=ids.get("doi"), nct_id=_nct_id(found.get("banks", ())),
        publication_types=_texts(found, "types", "book_types"),
        mesh_terms=_texts(found, "mesh"), keywords=_texts(found, "keywords"),
        raw=etree.tostring(elem, encoding="utf-8"))


def _fields(elem) -> dict[str, list]:
    """field -> the elements it is read from, in document order (fields with
    none are left out)."""
    found: dict[str, list] = {}
    citation = book = None
    for child in elem:                  # the first of each, as find() gives it
        tag = child.tag
        if tag == "BookDocument":
            book = child if book is None else book
        elif tag == "MedlineCitation":
            citation = child if citation is None else citation
        elif tag in _ID_FIELDS:
            _collect(child, _ID_FIELDS[tag], found)
    if book is not None:
        _collect(book, _BOOK_FIELDS, found)
    elif citation is not None:
        _collect(citation, _JOURNAL_CITATION_FIELDS, found)
        if "articles" in found:
            _collect(found["articles"][0], _ARTICLE_FIELDS, found)
    return found


def _collect(elem, wanted: dict, found: dict[str, list]) -> None:
    for child in elem:
        field = wanted.get(child.tag)
        if field is None:
            continue
        if isinstance(field, str):
            found.setdefault(field, []).append(child)
        else:
            _collect(child, field, found)


def _first_children(elem) -> dict:
    """tag -> first child with it, as find(tag) would return it."""
    children = {}
    for child in elem:
        children.setdefault(child.tag, child)
    return children


def _own_text(elem) -> str | None:
    """findtext: the element's own text, "" when empty, None when absent."""
    return None if elem is None else elem.text or ""


def _first_text(found: dict[str, list], field: str) -> str:
    return text_of(found[field][0]) if field in found else ""


def _texts(found: dict[str, list], *fields: str) -> list[str]:
    elements = [e for field in fields for e in found.get(field, ())]
    return unique(map(text_of, elements)) if elements else []


def _sections(abstracts) -> tuple[list[tuple[str, str]], str]:
    """(labelled sections, text) of the first Abstract; labelled sections read
    "LABEL: text" in the text."""
    if not abstracts:
        return [], ""
    parts = []
    for p in abstracts[0]:
        if p.tag == "AbstractText" and (text := text_of(p)):
            parts.append((p.get("Label") or p.get("NlmCategory") or "", text))
    if not any(label for label, _ in parts):
        return [], "\n".join(text for _, text in parts)
    return parts, "\n".join(f"{label}: {text}" if label else text for label, text in parts)


def _pub_date(pub_dates) -> str | None:
    if not pub_dates:
        return None
    parts = _first_children(pub_dates[0])
    medline = _own_text(parts.get("MedlineDate"))
    if medline:
        return textual_date(medline)
    return iso_date(*(_own_text(parts.get(tag)) for tag in ("Year", "Month", "Day")))


def _authors(authors) -> list[str]:
    names = []
    for author in authors:
        parts = _first_children(author)
        last = norm_ws(_own_text(parts.get("LastName")))
        names.append(f"{last} {norm_ws(_own_text(parts.get('Initials')))}".strip() if last
                     else text_of(parts.get("CollectiveName")))
    return unique(names)


def _article_ids(found: dict[str, list]) -> dict[str, str]:
    """DOI and PMCID from the article's own ArticleIdList (PubmedData's, then
    PubmedBookData's), falling back to ELocationID for the DOI."""
    ids = {i.get("IdType"): norm_ws(i.text)
           for i in found.get("ids", []) + found.get("book_ids", []) if i.text}
    if "doi" not in ids:
        for loc in found.get("locations", ()):
            if loc.get("EIdType") == "doi" and loc.text:
                ids["doi"] = norm_ws(loc.text)
                break
    return ids


def _nct_id(banks) -> str | None:
    for bank in banks:
        if norm_ws(bank.findtext("DataBankName")).lower() == "clinicaltrials.gov":
            number = bank.findtext("AccessionNumberList/AccessionNumber")
            if number:
                return norm_ws(number).upper()
    return None
