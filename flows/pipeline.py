"""The pipeline flow: collect -> store -> extract -> judge -> report.

Only orchestration lives here; each task wraps one batch-sized call from
`flows/stages.py` so that orchestration stays a small share of the run.
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows import stages
from flows.settings import Settings
from flows.sources import SourceStats
from reports.builder import build_reports, summary_markdown

LIVE_SOURCES = ("pubmed", "europepmc", "ctgov", "web")


@task(cache_policy=NO_CACHE, retries=0)
def import_files(workdir: str, db_url: str | None, files: list[str], run_id: int) -> SourceStats:
    return stages.import_file_batch(stages.open_store(workdir, db_url), files, run_id)


@task(cache_policy=NO_CACHE)
def collect_live(name: str, settings: Settings, run_id: int, urls: list[str],
                 full_text: bool) -> SourceStats:
    store = stages.open_store(str(settings.workdir), settings.database_url)
    return stages.collect_live_source(store, settings, name, run_id, urls, full_text)


@task(cache_policy=NO_CACHE)
def extract_batch(workdir: str, db_url: str | None, batch_size: int, after_pk: int,
                  run_id: int) -> tuple[int, int, int]:
    done, last_pk, fails = stages.extract_pending_batch(
        stages.open_store(workdir, db_url), batch_size, after_pk, run_id)
    return done, last_pk, len(fails)


@task(cache_policy=NO_CACHE)
def judge_claims(workdir: str, db_url: str | None, run_id: int) -> int:
    return stages.judge_all_claims(stages.open_store(workdir, db_url), run_id)


@task(cache_policy=NO_CACHE)
def write_reports(workdir: str, db_url: str | None, run_id: int) -> str:
    store = stages.open_store(workdir, db_url)
    return str(build_reports(store, Path(workdir) / "reports", run_id))


def _collect_files(paths: list[str], wd: str, db: str | None, run_id: int) -> SourceStats:
    logger = get_run_logger()
    files = SourceStats("files")
    for batch in stages.plan_file_batches(paths):
        part = import_files(wd, db, batch, run_id)
        files.counts.add(part.counts)
        files.failures += part.failures
        logger.info("imported %d files: %s", len(batch), part.counts)
    for f in files.failures:
        logger.warning("could not import %s: %s", f.item, f.reason)
    return files


def _collect_live(settings: Settings, run_id: int, urls: list[str],
                  full_text: bool) -> dict[str, SourceStats]:
    logger = get_run_logger()
    stats = {}
    for name in LIVE_SOURCES:
        stats[name] = collect_live(name, settings, run_id, urls, full_text)
        if not stats[name].ok:
            logger.warning("could not collect from %s: %s", name,
                           "; ".join(f.reason for f in stats[name].failures[:3]))
    return stats


def _extract_pending(wd: str, db: str | None, batch_size: int, run_id: int) -> int:
    logger = get_run_logger()
    total, last_pk = 0, 0
    while True:
        done, last_pk, failed = extract_batch(wd, db, batch_size, last_pk, run_id)
        if not last_pk:
            return total
        total += done
        logger.info("extracted %d documents (%d so far; %d failed)", done, total, failed)


@flow(name="ketamine-evidence", log_prints=False)
def pipeline(paths: list[str] | None = None, live: bool = True, workdir: str = "workspace",
             conditions: list[str] | None = None, urls: list[str] | None = None,
             full_text: bool = False) -> str:
    """Collect, extract, judge and report; returns the report folder."""
    settings = Settings.from_env(workdir=Path(workdir), conditions=conditions)
    wd, db = str(settings.workdir), settings.database_url
    store = stages.open_store(wd, db)
    run_id = store.start_run({"paths": list(paths or []), "live": live, "workdir": wd,
                              "conditions": settings.conditions, "urls": list(urls or []),
                              "full_text": full_text})
    try:
        stats: dict[str, SourceStats] = {}
        if paths:
            stats["files"] = _collect_files(paths, wd, db, run_id)
        if live:
            stats.update(_collect_live(settings, run_id, list(urls or []), full_text))
        _extract_pending(wd, db, settings.extract_batch_size, run_id)
        get_run_logger().info("judged %d claims", judge_claims(wd, db, run_id))
        store.update_run(run_id, source_stats={name: s.as_json() for name, s in stats.items()})
        report_dir = write_reports(wd, db, run_id)
        store.update_run(run_id, status="completed", report_path=report_dir)
    except BaseException:
        store.update_run(run_id, status="failed")
        raise
    create_markdown_artifact(summary_markdown(store, run_id), key="ketamine-evidence-summary",
                             description="Run summary")
    create_link_artifact(key="ketamine-evidence-report", link=Path(report_dir).resolve().as_uri(),
                         link_text="Evidence report (index.html)", description="Report folder")
    return report_dir
