"""The evidence store's tables (SQLAlchemy Core), valid on SQLite and PostgreSQL.

A *source* is one document's stable identity ("pmid:23982301"); each content
change of it is a new row in *documents* (a version), older versions are kept.
Extraction rows (sentences, claims, studies, outcomes) hang off a version.

Values that come from outside (ids, identifiers, units, URLs) are Text: PostgreSQL
enforces VARCHAR lengths where SQLite does not, and both must accept the same
rows. A change here needs a migration in data/migrations/versions/.
"""
from sqlalchemy import (JSON, Boolean, Column, DateTime, Float, ForeignKey, Index,
                        Integer, MetaData, String, Table, Text, UniqueConstraint)

metadata = MetaData()

sources = Table(
    "sources", metadata,
    Column("id", Text, primary_key=True),
    Column("kind", String(16), nullable=False),        # web | abstract | trial
    Column("origin", String(32), nullable=False),      # pubmed, europepmc, ctgov, web, files
    Column("url", Text),
    Column("latest_version", Integer, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("source_id", Text, ForeignKey("sources.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("raw_location", Text),                       # relative to the workdir
    Column("raw_format", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("source", Text, nullable=False),             # URL or path a reader follows
    Column("published", Text),
    Column("pmid", Text),
    Column("pmcid", Text),
    Column("doi", Text),
    Column("nct_id", Text),
    Column("record", JSON, nullable=False),             # Document.to_dict()
    Column("collected_at", DateTime(timezone=True), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
    # Filled by extraction; NULL means "not extracted yet" (resumable).
    Column("extracted_at", DateTime(timezone=True)),
    Column("conditions", JSON),
    Column("scores", JSON),
    UniqueConstraint("source_id", "version", name="uq_document_version"),
)
Index("ix_documents_pmid", documents.c.pmid)
Index("ix_documents_nct", documents.c.nct_id)
Index("ix_documents_pending", documents.c.extracted_at)

sentences = Table(
    "sentences", metadata,
    Column("document_pk", Integer, ForeignKey("documents.pk"), primary_key=True),
    Column("i", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("labels", JSON, nullable=False),
    Column("hype_terms", JSON, nullable=False),
)

claims = Table(
    "claims", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("document_pk", Integer, ForeignKey("documents.pk"), nullable=False, index=True),
    Column("sentence_i", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("conditions", JSON, nullable=False),
    Column("quantity_value", Float),
    Column("quantity_unit", Text),
    Column("quantity_op", String(2)),
    Column("evidence", String(8), nullable=False),
    Column("citations", JSON, nullable=False),
)

studies = Table(
    "studies", metadata,
    Column("document_pk", Integer, ForeignKey("documents.pk"), primary_key=True),
    Column("design", String(32), nullable=False),
    Column("crossover", Boolean, nullable=False),
    Column("n_randomized", Integer),
    Column("intervention", Text),
    Column("comparator", Text),
    Column("comparator_type", String(16)),
    Column("measures", JSON, nullable=False),
    Column("significant_primary", Boolean),
)

outcomes = Table(
    "outcomes", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("document_pk", Integer, ForeignKey("documents.pk"), nullable=False, index=True),
    Column("sentence_i", Integer, nullable=False),
    Column("measure", Text),
    Column("kind", String(32), nullable=False),
    Column("arm", Text),
    Column("value", Float),
    Column("unit", Text),
    Column("ci_low", Float),
    Column("ci_high", Float),
    Column("p", Text),
    Column("timepoint", Text),
    Column("direction", String(16)),
)

verdicts = Table(
    "verdicts", metadata,
    Column("claim_pk", Integer, ForeignKey("claims.pk"), primary_key=True),
    Column("verdict", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("references", JSON, nullable=False),
    Column("basis", String(16), nullable=False),        # collected | curated | none
    Column("run_id", Integer, ForeignKey("runs.id")),
)

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("status", String(16), nullable=False),       # running | completed | failed | interrupted
    Column("parameters", JSON, nullable=False),
    Column("source_stats", JSON, nullable=False),       # per source: new/updated/unchanged/failed/requests
    Column("report_path", Text),
    Column("durations", JSON),                          # stage -> seconds
    Column("flow_run_id", String(36)),                  # the Prefect flow run, to find it in the UI
)

failures = Table(
    "failures", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), index=True),
    Column("source", String(32), nullable=False),       # files, pubmed, ...
    Column("item", Text, nullable=False),               # file name, URL, query
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Per-source memory between runs: watermarks, HTTP validators, robots.txt.
collection_state = Table(
    "collection_state", metadata,
    Column("source", String(32), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("value", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
