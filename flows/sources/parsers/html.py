"""HTML page -> web Document: main text by trafilatura, metadata and links by BeautifulSoup."""
from __future__ import annotations

from urllib.parse import urldefrag, urljoin, urlsplit

import trafilatura
from bs4 import BeautifulSoup

from data.records import Document
from flows.sources.parsers._common import decode_text, norm_ws, unique

_JUNK_TAGS = ("script", "style", "noscript", "template", "svg")


def parse_html(html: bytes | str, url_or_path: str, doc_id: str | None = None,
               origin: str | None = None) -> Document:
    """A page fetched from `url_or_path` (a URL) or read from it (a file path,
    then `doc_id` names the document)."""
    raw = html if isinstance(html, bytes) else html.encode("utf-8")
    html = decode_text(raw)
    soup = BeautifulSoup(html, "lxml")
    is_url = _is_http(url_or_path)
    canonical = _canonical(soup, url_or_path if is_url else None)
    base = _base(soup, url_or_path if is_url else canonical)
    page_url = canonical or (url_or_path if is_url else None)
    links = _links(soup, base)          # before main_text, whose fallback prunes the soup
    return Document(
        id=f"url:{page_url}" if is_url else doc_id or f"file:{url_or_path}",
        kind="web", title=_title(soup), text=main_text(html, soup) or _meta(soup, "description") or "",
        source=url_or_path, origin=origin or ("web" if is_url else "files"), raw_format="html",
        url=page_url, published=_published(soup),
        authors=unique([_meta(soup, "author") or _meta(soup, "article:author")]),
        links=links, raw=raw)


def main_text(html: str, soup: BeautifulSoup) -> str:
    """trafilatura's main content; the text of <main>/<article>/<body> when it
    finds nothing (very short or unusual pages)."""
    text = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_precision=True)
    if text:
        return text.strip()
    node = soup.find("main") or soup.find("article") or soup.body or soup
    for junk in node.find_all(_JUNK_TAGS):
        junk.decompose()
    lines = (norm_ws(line) for line in node.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)


def _meta(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
    return norm_ws(tag.get("content")) or None if tag else None


def _title(soup: BeautifulSoup) -> str:
    if title := _meta(soup, "og:title"):
        return title
    for tag in (soup.title, soup.find("h1")):
        if tag and (text := norm_ws(tag.get_text())):
            return text
    return ""


def _published(soup: BeautifulSoup) -> str | None:
    """article:published_time cut to its date ("2024-03-05T10:00:00Z" -> "2024-03-05")."""
    value = _meta(soup, "article:published_time") or _meta(soup, "date")
    return value[:10] if value else None


def _canonical(soup: BeautifulSoup, url: str | None) -> str | None:
    link = soup.find("link", rel="canonical", href=True)
    if not link:
        return None
    href = urljoin(url or "", link["href"].strip())
    return href if _is_http(href) else None


def _base(soup: BeautifulSoup, url: str | None) -> str | None:
    base = soup.find("base", href=True)
    return urljoin(url or "", base["href"].strip()) if base else url


def _links(soup: BeautifulSoup, base: str | None) -> list[str]:
    """Absolute http(s) links in page order, resolved against the page URL,
    without fragments or duplicates."""
    links = (urldefrag(urljoin(base or "", a["href"].strip()))[0] for a in soup.find_all("a", href=True))
    return unique(link for link in links if _is_http(link))


def _is_http(value: str | None) -> bool:
    parts = urlsplit(value or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)
