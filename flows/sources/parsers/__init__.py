"""Pure format parsers: bytes or streams in, `Document`s out (no network, no Prefect)."""
from flows.sources.parsers._common import ParseError, decode_text
from flows.sources.parsers.ctgov_json import iter_ctgov_studies, next_page_token
from flows.sources.parsers.europepmc_json import iter_europepmc_results, next_cursor
from flows.sources.parsers.html import parse_html
from flows.sources.parsers.jats import iter_jats_articles
from flows.sources.parsers.medline import iter_medline
from flows.sources.parsers.pubmed_xml import iter_pubmed_articles
from flows.sources.parsers.text import parse_markdown, parse_text

__all__ = ["ParseError", "decode_text", "iter_ctgov_studies", "next_page_token",
           "iter_europepmc_results", "next_cursor", "parse_html", "iter_jats_articles",
           "iter_medline", "iter_pubmed_articles", "parse_markdown", "parse_text"]
