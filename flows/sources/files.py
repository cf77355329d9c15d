"""Local file import: walk files and folders, detect each file's format, parse it.

A bad file never stops an import: `import_paths` reports it as an
`ImportFailure` and goes on with the next one."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from data.records import Document
from flows.sources.parsers import (ParseError, decode_text, iter_ctgov_studies,
                                   iter_europepmc_results, iter_jats_articles, iter_medline,
                                   iter_pubmed_articles, parse_html, parse_markdown, parse_text)

FORMATS = ("pubmed_xml", "medline", "jats", "europepmc_json", "ctgov_json", "html",
           "markdown", "text")
INPUT_SUFFIXES = {".xml", ".nxml", ".txt", ".md", ".markdown", ".html", ".htm", ".json",
                  ".medline", ".nbib"}
HEAD_BYTES = 64 * 1024

# Extensions that decide when the content does not (.xml, .nxml, .json must sniff)
_SUFFIX_FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
                   ".htm": "html", ".medline": "medline", ".nbib": "medline"}
_XML_ROOTS = {"PubmedArticleSet": "pubmed_xml", "PubmedArticle": "pubmed_xml",
              "PubmedBookArticle": "pubmed_xml", "article": "jats", "pmc-articleset": "jats",
              "html": "html", "head": "html", "body": "html"}
_XML_PROLOG = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.S | re.I)
_ROOT = re.compile(r"\s*<([A-Za-z_][\w:.-]*)")
_JSON_KEY = re.compile(r'"(resultList|hitCount|protocolSection|studies|FullStudiesResponse)"\s*:')
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")


@dataclass
class ImportFailure:
    path: str
    reason: str


def detect_format(path: str | Path, head: bytes) -> str:
    """One of FORMATS, from the content first (root element, JSON keys,
    "PMID- "), the file extension second."""
    if not head.strip():
        raise ParseError("empty file")
    if _is_binary(head):
        raise ParseError("binary or unknown format")
    text = decode_text(head).lstrip("\ufeff \t\r\n")
    suffix = Path(path).suffix.lower()
    fmt = _sniff(text) or _SUFFIX_FORMATS.get(suffix)
    if fmt:
        return fmt
    if text.startswith(("{", "[")):
        raise ParseError("unrecognised JSON: not a Europe PMC search or "
                         "ClinicalTrials.gov v2 response")
    if text.startswith("<"):
        raise ParseError(f"unsupported XML document: root element <{_root(text)}>")
    if suffix in (".xml", ".nxml", ".json"):
        raise ParseError(f"not {suffix[1:].upper()}: content does not start with a tag or brace")
    return "text"


def _sniff(text: str) -> str | None:
    if text.startswith("PMID-"):
        return "medline"
    if text.startswith(("{", "[")) and (m := _JSON_KEY.search(text)):
        return "europepmc_json" if m.group(1) in ("resultList", "hitCount") else "ctgov_json"
    if re.match(r"<!DOCTYPE\s+html", text, re.I):
        return "html"
    return _XML_ROOTS.get(_root(text) or "") if text.startswith("<") else None


def _is_binary(head: bytes) -> bool:
    if head.startswith(_UTF16_BOMS):
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return b"\x00" in head or controls > len(head) * 0.05


def _root(text: str) -> str | None:
    m = _ROOT.match(_XML_PROLOG.sub("", text))
    return m.group(1).split(":")[-1] if m else None


def file_document_id(path: str | Path) -> str:
    """"file:<folder>/<name>": stable across runs and readable in reports."""
    p = Path(path).absolute()
    return f"file:{p.parent.name}/{p.name}" if p.parent.name else f"file:{p.name}"


def list_input_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given (even missing ones, so that reading reports them) and the
    importable files under each folder, recursively, sorted; hidden files,
    README.md and other extensions (INDEX.csv) are left out of folders."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if _importable(p, path))
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def _importable(p: Path, root: Path) -> bool:
    hidden = any(part.startswith(".") for part in p.relative_to(root).parts)
    return (p.is_file() and not hidden and p.name != "README.md"
            and p.suffix.lower() in INPUT_SUFFIXES)


def read_file(path: str | Path) -> Iterator[Document]:
    """Documents of one file. Raises ParseError for a bad file; a multi-record
    file that breaks in the middle yields its good records first."""
    path = Path(path)
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    for doc in _READERS[detect_format(path, head)](path):
        doc.origin = "files"
        yield doc


def import_paths(paths: Iterable[str | Path]) -> Iterator[Document | ImportFailure]:
    """Every document under `paths`, and one ImportFailure per bad file."""
    for path in list_input_files(paths):
        try:
            yield from read_file(path)
        except ParseError as e:
            yield ImportFailure(str(path), str(e))
        except OSError as e:
            yield ImportFailure(str(path), (e.strerror or str(e)).lower())
        except Exception as e:  # noqa: BLE001 - a parser bug on odd input must not stop the import
            yield ImportFailure(str(path), f"unexpected {type(e).__name__}: {e}")


def _read_pubmed_xml(path: Path) -> Iterator[Document]:
    with path.open("rb") as f:
        yield from iter_pubmed_articles(f)


def _read_jats(path: Path) -> Iterator[Document]:
    return iter_jats_articles(str(path), fallback_id=file_document_id(path))


def _read_html(path: Path) -> Iterator[Document]:
    yield parse_html(path.read_bytes(), str(path), file_document_id(path), origin="files")


def _read_markdown(path: Path) -> Iterator[Document]:
    yield parse_markdown(path.read_bytes(), str(path), file_document_id(path))


def _read_text(path: Path) -> Iterator[Document]:
    yield parse_text(path.read_bytes(), str(path), file_document_id(path))


_READERS: dict[str, Callable[[Path], Iterator[Document]]] = {
    "pubmed_xml": _read_pubmed_xml,
    "medline": iter_medline,
    "jats": _read_jats,
    "europepmc_json": lambda path: iter_europepmc_results(path.read_bytes()),
    "ctgov_json": lambda path: iter_ctgov_studies(path.read_bytes()),
    "html": _read_html,
    "markdown": _read_markdown,
    "text": _read_text,
}
