"""JATS/NLM article XML (PMC .nxml, efetch pmc-articleset) -> Documents."""
from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from typing import BinaryIO, Iterator

from lxml import etree

from data import lexicons
from data.records import Document
from flows.sources.parsers._common import (PMC_URL, PUBMED_URL, ParseError, iso_date,
                                           norm_ws, text_of, unique, xml_error, xml_parser)

BODY_CHARS = 3000
# The article's abstract first, summaries next; teasers (toc, graphical,
# highlights, web-summary) only when there is nothing else.
_ABSTRACT_RANK = {None: 0, "main": 0, "normal": 0, "structured": 0,
                  "summary": 1, "executive-summary": 1, "short": 1}
# "Key words: smear layer, EDTA" closing an abstract is its keyword list, not a sentence
_KEYWORDS_LINE = re.compile(r"\s*key\s*-?\s*words?\s*:\s*", re.I)
_DATE_TYPES = ("epub", "ppub", "epub-ppub", "pub", "collection")


def iter_jats_articles(source: str | Path | bytes | BinaryIO, origin: str = "files",
                       fallback_id: str | None = None) -> Iterator[Document]:
    """One Document per <article> (the root, or each child of a pmc-articleset).
    `fallback_id` names an article that has neither PMID nor PMCID."""
    root = _parse(source)
    articles = [root] if root.tag == "article" else root.findall("article")
    if not articles:
        raise ParseError(f"not a JATS article: root element <{root.tag}>")
    for article in articles:
        yield parse_article(article, origin, fallback_id)


def _parse(source):
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        return etree.parse(source, xml_parser(remove_comments=True, remove_pis=True)).getroot()
    except etree.XMLSyntaxError as e:
        raise xml_error(e) from None


def parse_article(article, origin: str = "files", fallback_id: str | None = None) -> Document:
    meta = article.find("front/article-meta")
    if meta is None:
        raise ParseError("JATS article without front/article-meta")
    ids = {i.get("pub-id-type"): norm_ws(i.text) for i in meta.iterfind("article-id") if i.text}
    pmid = ids.get("pmid")
    pmcid = _pmcid(ids.get("pmc") or ids.get("pmcid"))
    doc_id = f"pmid:{pmid}" if pmid else f"pmc:{pmcid}" if pmcid else fallback_id
    if not doc_id:
        raise ParseError("JATS article without PMID or PMCID")
    url = PUBMED_URL.format(pmid) if pmid else PMC_URL.format(pmcid) if pmcid else None
    title = text_of(meta.find("title-group/article-title"))
    sections, text, listed = _abstract(meta)
    return Document(
        id=doc_id, kind="abstract", title=title,
        text=text or _body_start(article.find("body")) or title,
        source=url or doc_id, origin=origin, raw_format="jats", sections=sections, url=url,
        published=_pub_date(meta), authors=_authors(meta),
        journal=text_of(article.find("front/journal-meta//journal-title")) or None,
        pmid=pmid, pmcid=pmcid, doi=ids.get("doi"),
        publication_types=unique([article.get("article-type")]),
        keywords=unique([text_of(k) for k in meta.iterfind("kwd-group/kwd")] + listed),
        raw=etree.tostring(article, encoding="utf-8"))


def _pmcid(value: str | None) -> str | None:
    if not value:
        return None
    return value if value.upper().startswith("PMC") else f"PMC{value}"


def _abstract(meta) -> tuple[list[tuple[str, str]], str, list[str]]:
    """(sections, text, keywords) of the main abstract. Sections are its
    <sec>s and the run-in sections of its paragraphs ("<italic>Background</italic>
    ..."), in order; paragraphs outside any section are kept as unlabelled
    ones. An abstract with no label at all is plain text (no sections). A
    "Key words:" paragraph gives keywords, not text."""
    main = min(meta.iterfind("abstract"), default=None,
               key=lambda a: _ABSTRACT_RANK.get(a.get("abstract-type"), 2))
    if main is None:
        return [], "", []
    listed: list[str] = []
    parts: list[tuple[str, str]] = []
    for child in main:
        if child.tag == "sec":
            parts.append((text_of(child.find("title")), _paragraphs(child, listed)))
        elif child.tag not in ("title", "label"):
            if (words := _keyword_list(text_of(child))) is not None:
                listed += words
                continue
            parts.extend(_run_in_sections(child))
    parts = [(label, text) for label, text in parts if text]
    if any(label for label, _ in parts):
        return parts, "\n".join(f"{label}: {text}" if label else text for label, text in parts), listed
    return [], "\n".join(text for _, text in parts), listed


def _keyword_list(text: str) -> list[str] | None:
    """"Key words: a, b, c." -> ["a", "b", "c"]; None for any other paragraph."""
    m = _KEYWORDS_LINE.match(text)
    if m is None:
        return None
    return [w.strip() for w in re.split(r"[,;]", text[m.end():].rstrip(". ")) if w.strip()]


def _run_in_sections(p) -> list[tuple[str, str]]:
    """A paragraph cut at the section names set in bold or italics at its top
    level ("<italic>Methods</italic> Patients were ..."): (label, text) each;
    ("", text) for a paragraph without them."""
    text = text_of(p)
    known = _section_names()
    labels = [lab for e in p if e.tag in ("italic", "bold") and e.tail is not None
              and (lab := text_of(e).strip().rstrip(":.").strip()) and lab.lower() in known]
    out, pos, current = [], 0, ""
    for label in labels:
        at = text.find(label, pos)
        if at < 0:
            continue
        out.append((current, text[pos:at].strip()))
        current, pos = label, at + len(label)
        while text[pos:pos + 1] in (":", ".", " "):      # "Methods: ", "Results. "
            pos += 1
    out.append((current, text[pos:].strip()))
    return [(label, body) for label, body in out if body]


@cache
def _section_names() -> frozenset[str]:
    """Every structured-abstract section name the design lexicon knows."""
    return frozenset(n for names in lexicons.design().sections.values() for n in names)


def _paragraphs(elem, keywords: list[str]) -> str:
    """Text of an element without its <title>, one line per paragraph; a
    "Key words:" paragraph goes to `keywords` instead."""
    parts = []
    for c in elem:
        if c.tag in ("title", "label"):
            continue
        text = text_of(c)
        if (words := _keyword_list(text)) is not None:
            keywords += words
        elif text:
            parts.append(text)
    return "\n".join(parts)


def _body_start(body) -> str:
    """First body paragraphs (no figure or table captions), so that an article
    without an abstract still has something to extract from."""
    if body is None:
        return ""
    out, size = [], 0
    for p in body.xpath(".//p[not(ancestor::fig or ancestor::table-wrap)]"):
        text = text_of(p)
        if text:
            out.append(text)
            size += len(text)
        if size >= BODY_CHARS:
            break
    return "\n".join(out)


def _pub_date(meta) -> str | None:
    dates = {d.get("pub-type") or d.get("date-type"): d for d in meta.iterfind("pub-date")}
    for kind in _DATE_TYPES:
        d = dates.get(kind)
        if d is not None and (iso := d.get("iso-8601-date") or iso_date(
                d.findtext("year"), d.findtext("month"), d.findtext("day"))):
            return iso
    return None


def _authors(meta) -> list[str]:
    names = []
    for contrib in meta.iterfind("contrib-group/contrib"):
        if contrib.get("contrib-type", "author") != "author":
            continue
        name = contrib.find("name")
        if name is not None:
            given = norm_ws(name.findtext("given-names")).replace("-", " ").replace(".", " ")
            initials = "".join(part[0] for part in given.split())
            names.append(f"{norm_ws(name.findtext('surname'))} {initials}".strip())
        else:
            names.append(text_of(contrib.find("collab")))
    return unique(names)
