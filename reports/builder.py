"""Write the report folder: index.html, report.md, claims/outcomes/sources CSV, evidence.ris.

The folder is built under a temporary name and swapped in, so readers never
see a half-written report; a snapshot of the run is kept in
`WORKDIR/report_history/` (beside `reports/`, which holds only `latest`) for
the next report's "what changed" section.
"""
from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import rispy
from jinja2 import Environment, PackageLoader, select_autoescape

from data.facts import load_facts
from data.store import EvidenceStore
from extractors.verdicts import trial_reference
from reports import history
from reports.model import ReportData, load_report_data
from reports.sources_view import HIGHLIGHTS, anchor, scorecard

CLAIM_COLUMNS = ["source_id", "source", "sentence", "claim_type", "conditions", "quantity",
                 "evidence", "citations", "verdict", "reason", "references", "basis",
                 "sentence_i", "title", "judged_for", "conditions_inferred"]
OUTCOME_COLUMNS = ["document_id", "pmid", "nct_id", "design", "n_randomized", "conditions",
                   "measure", "kind", "arm", "value", "unit", "ci_low", "ci_high", "p",
                   "timepoint", "direction", "sentence", "sentence_i"]
SOURCE_COLUMNS = ["source_id", "kind", "source", "title", "sentences", "promotional_share",
                  "cited_share", "risk_disclosure", "status", "claims", "claims_cited",
                  "calls_to_action", "off_label_stated", "authorship_shown", "date_shown",
                  "disclosure_shown"]
LIST_COLUMNS = ("conditions", "citations", "references", "judged_for")
# Counts that are empty for some rows (scientific records have no claims): keep them integers.
COUNT_COLUMNS = ("claims", "claims_cited", "calls_to_action", "n_randomized")


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html.j2", "html")),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_href"] = safe_href
    env.filters["pct"] = lambda v: "" if v is None else f"{100 * v:.0f}%"
    env.filters["mdcell"] = md_cell
    env.filters["mdurl"] = md_url
    env.filters["anchor"] = anchor
    env.globals.update(highlights=HIGHLIGHTS, scorecard=scorecard)
    return env


def safe_href(url: str | None) -> str:
    """Only http(s) and file links reach the page; javascript: and friends become '#'."""
    if url and url.split(":", 1)[0].lower() in ("http", "https", "file"):
        return url
    return "#"


def md_cell(value) -> str:
    """Text safe inside a Markdown table cell (no pipes, no line breaks, no raw HTML)."""
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    text = text.replace("[", "\\[").replace("]", "\\]")
    return text.replace("<", "&lt;").replace(">", "&gt;")


def md_url(url: str) -> str:
    """A URL that cannot end a Markdown link early."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def build_reports(store: EvidenceStore, reports_dir: Path, run_id: int) -> Path:
    """Write WORKDIR/reports/latest/ for a run and return its path."""
    workdir = reports_dir.parent
    data = load_report_data(store, run_id, workdir)
    snap = history.snapshot(run_id, data.sources, data.studies, data.claims)
    data.changes = history.changes(history.previous_snapshot(workdir / history.FOLDER, run_id), snap)
    reports_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(reports_dir)
    tmp = reports_dir / f".building-{run_id}"
    tmp.mkdir()
    _write_tables(data, tmp)
    (tmp / "evidence.ris").write_text(rispy.dumps(_ris_entries(data)), encoding="utf-8")
    env = _environment()
    context = {"data": data, "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    for template, name in (("index.html.j2", "index.html"), ("report.md.j2", "report.md")):
        # Streamed to the file: the pages' texts and the sources table are read as they are written.
        with open(tmp / name, "w", encoding="utf-8") as out:
            out.writelines(env.get_template(template).generate(**context))
    latest = _swap_in(tmp, reports_dir / "latest")
    history.save_snapshot(workdir / history.FOLDER, snap)
    return latest


def _remove_leftovers(reports_dir: Path) -> None:
    """Half-built folders of runs that were killed; the run lock means no
    other run is building one now."""
    for stale in [*reports_dir.glob(".building-*"), *reports_dir.glob(".old-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def _swap_in(new: Path, target: Path) -> Path:
    old = target.with_name(f".old-{new.name}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for col in LIST_COLUMNS:
        if col in frame:
            frame[col] = frame[col].map(lambda v: ";".join(v) if isinstance(v, list) else v)
    for col in COUNT_COLUMNS:
        if col in frame:
            frame[col] = frame[col].astype("Int64")
    return frame


def _write_tables(data: ReportData, folder: Path) -> None:
    _frame(data.claims, CLAIM_COLUMNS).to_csv(folder / "claims.csv", index=False)
    _frame(data.outcomes, OUTCOME_COLUMNS).to_csv(folder / "outcomes.csv", index=False)
    with open(folder / "sources.csv", "w", encoding="utf-8", newline="") as out:
        _frame([], SOURCE_COLUMNS).to_csv(out, index=False)          # the header
        for page in data.sources.pages():
            _frame(page, SOURCE_COLUMNS).to_csv(out, index=False, header=False)


def _ris_entries(data: ReportData) -> list[dict]:
    """Every cited study: the collected ones with their abstracts, then the curated
    trials that a verdict cites. Curated entries carry their label as title (titles
    were not verified) and say so, with the PMID/DOI a reference manager can resolve."""
    entries = []
    for s in sorted(data.studies, key=lambda s: s["source_id"]):
        entry = {"type_of_reference": "JOUR" if s["kind"] == "abstract" else "DBASE",
                 "id": s["source_id"], "title": s["title"], "authors": s["authors"],
                 "year": s["year"], "journal_name": s["journal"], "doi": s["doi"],
                 "accession_number": s["pmid"] or s["nct_id"], "urls": [s["link"]] if s["link"] else [],
                 "keywords": [s["design"], *s["conditions"]], "abstract": s["abstract"]}
        entries.append({k: v for k, v in entry.items() if v})
    collected = {e.get("accession_number") for e in entries}
    cited = {ref for c in data.claims for ref in c["references"]}
    for trial in load_facts().trials:
        if trial_reference(trial) not in cited or (trial.pmid or trial.nct_id) in collected:
            continue
        entry = {"type_of_reference": "JOUR", "id": f"curated:{trial.id}", "title": trial.label,
                 "year": str(trial.year) if trial.year else None, "journal_name": trial.journal,
                 "doi": trial.doi, "accession_number": trial.pmid or trial.nct_id,
                 "urls": list(trial.sources), "keywords": ["curated", trial.design, *trial.conditions],
                 "notes": ["Curated by ketamine-evidence from shared reference facts; the title is "
                           "the study label, resolve the PMID or DOI for the full record."],
                 "abstract": trial.result}
        entries.append({k: v for k, v in entry.items() if v})
    return entries


def summary_markdown(store: EvidenceStore, run_id: int) -> str:
    """The run summary for the Prefect artifact and the terminal."""
    run = store.get_run(run_id)
    counts = store.counts()
    lines = [f"# ketamine-evidence run {run_id}", "",
             "| source | ok | requests | new | updated | unchanged | failures |",
             "|---|---|---|---|---|---|---|"]
    for name, s in run.source_stats.items():
        lines.append(f"| {name} | {'yes' if s['ok'] else '**no**'} | {s['requests']} | {s['new']} "
                     f"| {s['updated']} | {s['unchanged']} | {s['failures']} |")
    lines += ["", f"Store: {counts['sources']} sources, {counts['documents']} document versions, "
              f"{counts['web_claims']} claims on web pages, {counts['studies']} studies with "
              f"{counts['claims'] - counts['web_claims']} findings and {counts['outcomes']} outcomes."]
    if run.failures:
        lines += ["", "## Failures", ""]
        lines += [f"- {md_cell(f.source)}: {md_cell(f.item)}: {md_cell(f.reason)}" for f in run.failures[:50]]
        if len(run.failures) > 50:
            lines.append(f"- ... and {len(run.failures) - 50} more")
    if run.report_path:
        lines += ["", f"Report: {run.report_path}"]
    return "\n".join(lines)
