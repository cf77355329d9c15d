"""Shared fixtures: the shared corpus folder, one Prefect test harness per session,
and the store's database (SQLite, and PostgreSQL when KETEV_TEST_POSTGRES_URL is set)."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

POSTGRES_URL = os.environ.get("KETEV_TEST_POSTGRES_URL")
NO_POSTGRES = ("PostgreSQL variant skipped: set KETEV_TEST_POSTGRES_URL="
               "postgresql+psycopg://USER:PASSWORD@127.0.0.1:5432/DB (.ci/run starts a server)")


def _corpus_dir() -> Path | None:
    configured = os.environ.get("KETEV_CORPUS_DIR")
    path = Path(configured) if configured else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus beside the checkout (or KETEV_CORPUS_DIR); skips when absent."""
    path = _corpus_dir()
    if path is None:
        pytest.skip("shared corpus not found beside the checkout (set KETEV_CORPUS_DIR)")
    return path


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for the whole session: starting one costs seconds."""
    from prefect.testing.utilities import prefect_test_harness
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def prefect_api_url(prefect_harness) -> str:
    """The harness's API, for subprocesses (each would otherwise start its own server)."""
    from prefect.settings import PREFECT_API_URL
    return PREFECT_API_URL.value()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request) -> str | None:
    """The store's database: None means SQLite in the workdir; for PostgreSQL, a
    URL whose search_path is a fresh schema, dropped after the test."""
    if request.param == "sqlite":
        yield None
        return
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


# Every stored row by what it means, not by its surrogate keys (claims and
# outcomes get their keys in whichever order batches finish): two stores that
# hold the same evidence have equal snapshots.
SNAPSHOT = {
    "documents": "SELECT d.source_id, d.version, d.content_hash, d.conditions, d.scores, "
                 "d.extracted_at IS NOT NULL AS extracted FROM documents d",
    "sentences": "SELECT d.source_id, x.i, x.text, x.labels, x.hype_terms "
                 "FROM sentences x JOIN documents d ON d.pk = x.document_pk",
    "claims": "SELECT d.source_id, x.sentence_i, x.text, x.type, x.conditions, x.quantity_value, "
              "x.quantity_unit, x.quantity_op, x.evidence, x.citations "
              "FROM claims x JOIN documents d ON d.pk = x.document_pk",
    "studies": "SELECT d.source_id, x.design, x.crossover, x.n_randomized, x.intervention, "
               "x.comparator, x.comparator_type, x.measures, x.significant_primary "
               "FROM studies x JOIN documents d ON d.pk = x.document_pk",
    "outcomes": "SELECT d.source_id, x.sentence_i, x.measure, x.kind, x.arm, x.value, x.unit, "
                "x.ci_low, x.ci_high, x.p, x.timepoint, x.direction "
                "FROM outcomes x JOIN documents d ON d.pk = x.document_pk",
    "verdicts": "SELECT d.source_id, c.sentence_i, c.text, v.verdict, v.reason, v.\"references\", "
                "v.basis FROM verdicts v JOIN claims c ON c.pk = v.claim_pk "
                "JOIN documents d ON d.pk = c.document_pk",
}


@pytest.fixture(scope="session")
def store_snapshot():
    """snapshot(store) -> {table: sorted rows as JSON}, duplicates included."""
    import json

    from sqlalchemy import text

    def snapshot(store) -> dict[str, list[str]]:
        with store.engine.connect() as conn:
            return {table: sorted(json.dumps(list(row), default=str) for row in conn.execute(text(sql)))
                    for table, sql in SNAPSHOT.items()}
    return snapshot


@pytest.fixture(scope="session")
def abstracts_folder(tmp_path_factory) -> Path:
    """tests/fixtures/e2e plus 40 more abstracts (its two articles under new
    PMIDs): enough documents for several extraction batches."""
    import re
    import shutil
    fixtures = Path(__file__).parent / "fixtures" / "e2e"
    folder = tmp_path_factory.mktemp("abstracts")
    for f in fixtures.iterdir():
        shutil.copy(f, folder / f.name)
    articles = re.findall(r"<PubmedArticle>.*?</PubmedArticle>",
                          (fixtures / "pubmed_ketamine.xml").read_text(), re.S)
    body = "".join(re.sub(r"9000000\d", str(71_000_000 + i), articles[i % len(articles)])
                   for i in range(40))
    (folder / "more.xml").write_text(f'<?xml version="1.0"?>\n<PubmedArticleSet>{body}</PubmedArticleSet>\n')
    return folder
