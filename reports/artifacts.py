"""Prefect artifacts for a run: the summary as Markdown, the verdict counts as a
table, and a link to the report. Called from the flow once the report is written."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from data.records import VERDICTS
from data.store import EvidenceStore
from reports.builder import md_cell, summary_markdown

SUMMARY_KEY, VERDICTS_KEY, REPORT_KEY = ("ketamine-evidence-summary", "ketamine-evidence-verdicts",
                                         "ketamine-evidence-report")


def verdict_table(store: EvidenceStore) -> list[dict[str, object]]:
    """One row per verdict: how many current claims got it, and on what basis."""
    web = [d["pk"] for page in store.latest_document_pages(web=True, record=False) for d in page]
    rows = store.verdicts_for([c["pk"] for c in store.rows_for("claims", web)]).values()
    counts = Counter((r["verdict"], r["basis"]) for r in rows)
    return [{"verdict": v, "claims": sum(n for (vv, _), n in counts.items() if vv == v),
             "curated": counts[(v, "curated")], "collected": counts[(v, "collected")],
             "both": counts[(v, "both")]}
            for v in VERDICTS if any(vv == v for vv, _ in counts)]


def run_summary(store: EvidenceStore, run_id: int, report_dir: Path) -> str:
    """The run summary plus the verdict counts and what changed, as Markdown."""
    table = verdict_table(store)
    lines = [summary_markdown(store, run_id), "", "## Verdicts", "",
             "| verdict | claims | on curated facts | on collected documents | on both |",
             "|---|---|---|---|---|"]
    lines += [f"| {r['verdict']} | {r['claims']} | {r['curated']} | {r['collected']} | {r['both']} |"
              for r in table]
    lines += ["", f"Report folder: {md_cell(str(report_dir))}"]
    return "\n".join(lines)


def publish_run_artifacts(store: EvidenceStore, run_id: int, report_dir: str | Path) -> None:
    """Create the run's three artifacts; call inside the flow run."""
    report_dir = Path(report_dir).resolve()
    create_markdown_artifact(run_summary(store, run_id, report_dir), key=SUMMARY_KEY,
                             description="Run summary")
    create_table_artifact(verdict_table(store), key=VERDICTS_KEY,
                          description="Verdict counts and what they rest on")
    create_link_artifact(key=REPORT_KEY, link=(report_dir / "index.html").as_uri(),
                         link_text="Evidence report (index.html)", description="Report folder")
