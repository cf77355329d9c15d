"""Europe PMC REST `search` JSON (resultType lite, core or idlist) -> Documents."""
from __future__ import annotations

import html
import json
import re
from typing import Any, Iterator

from data.records import Document
from flows.sources.parsers._common import ParseError, norm_ws, unique

_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.I | re.S)
# Only tag-shaped markup: "p < .001" must survive.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def load_payload(data: bytes | str) -> dict[str, Any]:
    try:
        payload = json.loads(data)
    except ValueError as e:
        raise ParseError(f"invalid JSON: {e}") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("resultList"), dict):
        raise ParseError("not a Europe PMC search response: no resultList")
    return payload


def iter_europepmc_results(payload: dict[str, Any] | bytes | str) -> Iterator[Document]:
    if not isinstance(payload, dict):
        payload = load_payload(payload)
    for result in (payload.get("resultList") or {}).get("result") or []:
        yield parse_result(result)


def next_cursor(payload: dict[str, Any]) -> str | None:
    """The cursorMark of the next page; None on the last page (Europe PMC
    repeats the current cursor there, and a search without hits has no
    results). An empty page of a search with hits, whose cursor still moves,
    is not the end: stopping there would drop every later page."""
    cursor = payload.get("nextCursorMark")
    current = (payload.get("request") or {}).get("cursorMark")
    if not cursor or cursor == current or not payload.get("hitCount"):
        return None
    return cursor


def parse_result(r: dict[str, Any]) -> Document:
    pmid = str(r.get("pmid") or "") or None
    src, rid = r.get("source") or "", str(r.get("id") or "")
    if not (pmid or rid):
        raise ParseError("Europe PMC result without id or pmid")
    sections, text = abstract_sections(r.get("abstractText") or "")
    url = f"https://europepmc.org/article/{src or 'MED'}/{rid or pmid}"
    journal = ((r.get("journalInfo") or {}).get("journal") or {}).get("title") or r.get("journalTitle")
    return Document(
        id=f"pmid:{pmid}" if pmid else f"epmc:{src}:{rid}", kind="abstract",
        title=clean_html(r.get("title") or ""), text=text, source=url, origin="europepmc",
        raw_format="europepmc_json", sections=sections, url=url,
        published=r.get("firstPublicationDate") or r.get("pubYear"), authors=_authors(r),
        journal=journal, pmid=pmid, pmcid=r.get("pmcid"), doi=r.get("doi"),
        publication_types=_pub_types(r),
        mesh_terms=unique(norm_ws(m.get("descriptorName"))
                          for m in (r.get("meshHeadingList") or {}).get("meshHeading") or []),
        keywords=unique(norm_ws(k) for k in (r.get("keywordList") or {}).get("keyword") or []),
        raw=json.dumps(r, ensure_ascii=False).encode("utf-8"))


def abstract_sections(abstract: str) -> tuple[list[tuple[str, str]], str]:
    """"<h4>Objective</h4>text<h4>Design</h4>..." -> sections and "Label: text" lines."""
    parts = _HEADING.split(abstract)
    if len(parts) < 3:
        return [], clean_html(abstract)
    lead = clean_html(parts[0])
    sections = [(clean_html(label), clean_html(body)) for label, body in zip(parts[1::2], parts[2::2])]
    sections = [(label, body) for label, body in sections if body]
    lines = [lead] if lead else []
    lines += [f"{label}: {body}" if label else body for label, body in sections]
    return sections, "\n".join(lines)


def clean_html(text: str) -> str:
    return norm_ws(_TAG.sub("", html.unescape(text)))


def _authors(r: dict[str, Any]) -> list[str]:
    authors = (r.get("authorList") or {}).get("author") or []
    names = [f"{a['lastName']} {a.get('initials', '')}".strip() if a.get("lastName")
             else a.get("fullName") or a.get("collectiveName") for a in authors]
    if not names and r.get("authorString"):
        names = r["authorString"].rstrip(".").split(", ")
    return unique(norm_ws(n) for n in names)


def _pub_types(r: dict[str, Any]) -> list[str]:
    types = (r.get("pubTypeList") or {}).get("pubType")
    if types is None and r.get("pubType"):          # lite results: "review; journal article"
        types = r["pubType"].split(";")
    if isinstance(types, str):
        types = [types]
    return unique(norm_ws(t) for t in types or [])
