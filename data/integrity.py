"""Integrity check of an evidence store: what a crash must never leave behind.

Each check is one query that should return nothing; `check_integrity`
returns a line per problem found (empty when the store is sound).
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

CHECKS = {
    "source whose latest version has no document":
        "SELECT s.id FROM sources s LEFT JOIN documents d "
        "ON d.source_id = s.id AND d.version = s.latest_version WHERE d.pk IS NULL",
    "document version beyond its source's latest":
        "SELECT d.pk FROM documents d JOIN sources s ON s.id = d.source_id "
        "WHERE d.version > s.latest_version",
    "duplicate document version":
        "SELECT source_id, version FROM documents GROUP BY source_id, version HAVING COUNT(*) > 1",
    "two versions with the same content in a row":
        "SELECT a.pk FROM documents a JOIN documents b ON b.source_id = a.source_id "
        "AND b.version = a.version + 1 AND b.content_hash = a.content_hash",
    "sentence of a missing document":
        "SELECT x.document_pk FROM sentences x LEFT JOIN documents d ON d.pk = x.document_pk "
        "WHERE d.pk IS NULL",
    "claim of a missing document":
        "SELECT x.pk FROM claims x LEFT JOIN documents d ON d.pk = x.document_pk WHERE d.pk IS NULL",
    "study of a missing document":
        "SELECT x.document_pk FROM studies x LEFT JOIN documents d ON d.pk = x.document_pk "
        "WHERE d.pk IS NULL",
    "outcome of a missing document":
        "SELECT x.pk FROM outcomes x LEFT JOIN documents d ON d.pk = x.document_pk WHERE d.pk IS NULL",
    "verdict of a missing claim":
        "SELECT v.claim_pk FROM verdicts v LEFT JOIN claims c ON c.pk = v.claim_pk WHERE c.pk IS NULL",
    "extraction rows on a document marked not extracted":
        "SELECT DISTINCT x.document_pk FROM sentences x JOIN documents d ON d.pk = x.document_pk "
        "WHERE d.extracted_at IS NULL",
    "duplicate claim (same document, sentence and type)":
        "SELECT document_pk, sentence_i, type, text FROM claims "
        "GROUP BY document_pk, sentence_i, type, text HAVING COUNT(*) > 1",
}


def check_integrity(engine: Engine) -> list[str]:
    problems = []
    with engine.connect() as conn:
        for name, query in CHECKS.items():
            rows = conn.execute(text(query)).fetchmany(5)
            if rows:
                problems.append(f"{name}: {', '.join(str(tuple(r)) for r in rows)}")
    return problems
