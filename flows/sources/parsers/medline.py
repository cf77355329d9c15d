"""MEDLINE/PubMed text export ("PMID- ", "TI  - ", 6-space continuations) -> Documents."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from data.records import Document
from flows.sources.parsers._common import PUBMED_URL, ParseError, norm_ws, textual_date, unique

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *- ?(.*)$")
# "RESULTS: ..." labels of a structured abstract, flattened into AB by PubMed
_LABEL = re.compile(r"(?:^|(?<=[.?!)\]] ))([A-Z][A-Z0-9 ,/&'()-]*[A-Z)]): ")
_NCT = re.compile(r"NCT\d{8}", re.I)


def iter_medline(source: str | Path | TextIO | Iterable[str]) -> Iterator[Document]:
    """Yield one Document per record, reading line by line."""
    if isinstance(source, (str, Path)):
        with open(source, encoding="utf-8", errors="replace") as f:
            yield from iter_medline(f)
        return
    for fields, lines in _records(source):
        yield medline_document(fields, "".join(lines))


def _records(lines: Iterable[str]) -> Iterator[tuple[dict[str, list[str]], list[str]]]:
    fields: dict[str, list[str]] = {}
    raw: list[str] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            if fields:
                yield fields, raw
            fields, raw = {}, []
            continue
        raw.append(line)
        if line[:1].isspace():
            if not fields:
                raise ParseError(f"malformed MEDLINE: continuation without a tag at line {n}")
            fields[tag][-1] += " " + line.strip()
            continue
        m = _TAG.match(line.rstrip("\r\n"))
        if not m:
            raise ParseError(f"malformed MEDLINE: no tag at line {n}: {line.strip()[:60]!r}")
        tag = m.group(1)
        fields.setdefault(tag, []).append(m.group(2).strip())
    if fields:
        yield fields, raw


def medline_document(fields: dict[str, list[str]], raw: str) -> Document:
    def first(tag: str) -> str | None:
        return norm_ws(fields.get(tag, [""])[0]) or None

    pmid = first("PMID")
    if not pmid:
        raise ParseError(f"MEDLINE record without PMID: {raw[:60]!r}")
    sections, text = abstract_sections(first("AB") or "")
    url = PUBMED_URL.format(pmid)
    return Document(
        id=f"pmid:{pmid}", kind="abstract", title=first("TI") or first("BTI") or "",
        text=text, source=url, origin="pubmed", raw_format="medline", sections=sections,
        url=url, published=textual_date(first("DP")),
        authors=unique(norm_ws(a) for a in fields.get("AU", []) + fields.get("CN", [])),
        journal=first("JT") or first("TA"), pmid=pmid, pmcid=first("PMC"),
        doi=_id_of(fields.get("AID", []) + fields.get("LID", []), "doi"),
        nct_id=_nct_id(fields.get("SI", [])),
        publication_types=unique(norm_ws(p) for p in fields.get("PT", [])),
        mesh_terms=unique(_descriptor(m) for m in fields.get("MH", [])),
        keywords=unique(norm_ws(k) for k in fields.get("OT", [])),
        raw=raw.encode("utf-8"))


def abstract_sections(abstract: str) -> tuple[list[tuple[str, str]], str]:
    """Split "BACKGROUND: ... RESULTS: ..." into sections; the text keeps one
    "LABEL: text" line per section, as the XML parser writes it."""
    marks = list(_LABEL.finditer(abstract))
    if len(marks) < 2 or marks[0].start() != 0:
        return [], abstract
    ends = [m.start() for m in marks[1:]] + [len(abstract)]
    sections = [(m.group(1), abstract[m.end():end].strip()) for m, end in zip(marks, ends)]
    return sections, "\n".join(f"{label}: {text}" for label, text in sections)


def _id_of(values: list[str], kind: str) -> str | None:
    """"10.1186/1471-2105-7-10 [doi]" -> "10.1186/1471-2105-7-10"."""
    suffix = f"[{kind}]"
    return next((norm_ws(v[: -len(suffix)]) for v in values if v.endswith(suffix)), None)


def _nct_id(values: list[str]) -> str | None:
    for v in values:
        if v.lower().startswith("clinicaltrials.gov") and (m := _NCT.search(v)):
            return m.group(0).upper()
    return None


def _descriptor(heading: str) -> str:
    """"Sequence Alignment/*methods" -> "Sequence Alignment"."""
    return norm_ws(heading.split("/")[0].lstrip("*"))
