"""The `ketamine-evidence` command.

    ketamine-evidence run --from ./exports --no-live     # build the report from local files
    ketamine-evidence run --pmid 38012345,37900001       # also fetch these PubMed records
    ketamine-evidence extract page.html                  # one document's extraction record
    ketamine-evidence runs                               # what earlier runs did
    ketamine-evidence serve                              # the weekly deployment (needs a Prefect server)
    ketamine-evidence config                             # the effective settings, secrets masked
    ketamine-evidence evaluate --split holdout           # extraction quality against the gold
"""
from __future__ import annotations

import argparse
import atexit
import gc
import json
import logging
import os
import re
import sys
from pathlib import Path

from data.records import CONDITIONS
from flows.settings import LIVE_SOURCES   # light: `run` starts its Prefect server before the heavy imports
EXIT_STORE_BUSY = 3


def _choices(known: tuple[str, ...], what: str):
    def parse(value: str) -> list[str]:
        items = [c.strip() for c in value.split(",") if c.strip()]
        unknown = [c for c in items if c not in known]
        if unknown:
            raise argparse.ArgumentTypeError(
                f"unknown {what} {', '.join(unknown)}; choose from {', '.join(known)}")
        return items
    return parse


_conditions = _choices(CONDITIONS, "condition(s)")
_sources = _choices(LIVE_SOURCES, "source(s)")
_PMID = re.compile(r"(?:pmid:\s*)?(\d{1,9})", re.IGNORECASE)


def _pmid(text: str, where: str = "") -> str:
    """'38012345', 'PMID: 38012345' or 'pmid:38012345' -> '38012345'."""
    match = _PMID.fullmatch(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(
            f"{where}{text.strip()!r} is not a PMID (1-9 digits, optionally written 'PMID: 123')")
    return match.group(1)


def _pmid_list(value: str) -> list[str]:
    """--pmid: one PMID or a comma-separated list."""
    items = [item for item in value.split(",") if item.strip()]
    if not items:
        raise argparse.ArgumentTypeError(f"no PMID in {value!r}")
    return [_pmid(item) for item in items]


def _pmid_file(path: str) -> list[str]:
    """--pmid-file: one PMID per line; blank lines and lines starting with # skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise argparse.ArgumentTypeError(f"cannot read {path}: {e}") from None
    return [_pmid(line, where=f"{path} line {n}: ") for n, line in enumerate(lines, 1)
            if line.strip() and not line.lstrip().startswith("#")]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ketamine-evidence",
        description="Collect ketamine and esketamine evidence and marketing, extract claims and "
                    "outcomes, check each claim against the studies, and write reports.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the pipeline and write WORKDIR/reports/latest/",
                         description="Collect (local files with --from, live services unless "
                         "--no-live), extract, judge claims and write the report folder. "
                         "Prints the report path.")
    run.add_argument("--from", dest="paths", action="append", default=[], metavar="PATH",
                     help="a file or folder to import (PubMed XML, MEDLINE, JATS, Europe PMC JSON, "
                          "ClinicalTrials.gov v2 JSON, HTML, Markdown, text); repeatable")
    run.add_argument("--no-live", action="store_true",
                     help="skip the network sources (PubMed, Europe PMC, ClinicalTrials.gov, web pages)")
    _workdir_option(run)
    run.add_argument("--conditions", type=_conditions, default=None,
                     help="comma-separated topics to collect (default: the settings' conditions, "
                          "trd,ptsd,ocd,chronic_pain)")
    run.add_argument("--sources", type=_sources, default=None,
                     help=f"comma-separated live sources (default: {','.join(LIVE_SOURCES)})")
    run.add_argument("--url", dest="urls", action="append", default=[], metavar="URL",
                     help="a web page to fetch in addition to data/watchlist.toml; repeatable. "
                          "Needs the web source")
    run.add_argument("--pmid", dest="pmids", type=_pmid_list, action="extend", default=[],
                     metavar="PMID",
                     help="a PubMed record to fetch by its PMID in addition to the topic searches "
                          "(38012345 or 'PMID: 38012345'); repeatable, or comma-separated: "
                          "--pmid 38012345,37900001. Needs the pubmed source")
    run.add_argument("--pmid-file", dest="pmids", type=_pmid_file, action="extend", default=[],
                     metavar="PATH",
                     help="a text file of PMIDs to fetch like --pmid, one per line "
                          "(blank lines and lines starting with # are skipped); repeatable")
    run.add_argument("--full-text", action="store_true",
                     help="also fetch open-access full text (JATS) from Europe PMC")
    run.add_argument("--task-runner", choices=["threads", "dask"], default=None,
                     help="where extraction batches run: a thread pool (default) or a Dask cluster")
    run.add_argument("--dask-address", default=None, metavar="tcp://HOST:8786",
                     help="a running Dask scheduler (implies --task-runner dask); "
                          "without it Dask starts a local cluster")
    run.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                     help="how long to wait while another run writes to the same store "
                          "(default: the settings' lock_wait, 600)")

    ext = sub.add_parser("extract", help="print the extraction record of one document as JSON",
                         description="Read a file or fetch a URL and print its extraction record "
                         "(one JSON object per document; a multi-record file prints one per line).")
    ext.add_argument("target", metavar="PATH_OR_URL")
    ext.add_argument("--kind", choices=["auto", "web", "abstract", "trial"], default="auto",
                     help="treat the document as this kind instead of guessing from its format")

    runs = sub.add_parser("runs", help="list earlier runs: parameters, counts, durations, failures, report")
    _workdir_option(runs)

    serve = sub.add_parser("serve", help="serve the weekly deployment from this process",
                           description="Register the weekly deployment with the Prefect server "
                           "(PREFECT_API_URL) and run its scheduled and manual runs from this "
                           "process until stopped.")
    serve.add_argument("--cron", default=None, metavar='"0 6 * * 1"',
                       help="when to run, as a cron expression in UTC (default: Mondays 06:00)")

    sub.add_parser("config", help="print the effective settings, secrets masked",
                   description="Print the settings in force (defaults, the TOML file, the "
                   "environment) as TOML, with secrets masked.")

    # The evaluation parses its own options (--split, --errors, --json ...).
    sub.add_parser("evaluate", add_help=False,
                   help="measure extraction against the gold annotations (evaluate --help)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "evaluate":
        args.args = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    # urllib3 logs each retry as a warning with the whole query URL; the
    # clients retry on purpose and the run names the source that failed
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
    return {"run": cmd_run, "extract": cmd_extract, "runs": cmd_runs, "serve": cmd_serve,
            "config": cmd_config, "evaluate": cmd_evaluate}[args.command](args)


def _workdir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workdir", default=None,
                        help="where the store, archives and reports live "
                             "(default: KETEV_WORKDIR or the config file, else ./workspace)")


def _settings(**overrides):
    """The settings in force; a bad value in the environment or TOML file is a usage error."""
    from pydantic import ValidationError

    from flows.settings import Settings, config_file
    try:
        return Settings.from_env(**overrides)
    except ValidationError as exc:
        source = f"environment or {config_file()}" if config_file() else "environment"
        raise SystemExit(f"ketamine-evidence: invalid settings ({source}):\n{exc}") from None


def cmd_run(args) -> int:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Last thing at exit: Python's finalization collects every object it holds,
    # half a second's work after a run, freeing nothing the OS would not.
    atexit.register(gc.freeze)
    settings = _settings(workdir=args.workdir, dask_address=args.dask_address,
                         task_runner=args.task_runner or ("dask" if args.dask_address else None))
    from flows import temporary_api
    # Started now, it boots while the pipeline's modules load. Not for a Dask
    # cluster of one's own: its workers, maybe elsewhere, could not reach it.
    api = None if settings.dask_address else temporary_api.start_if_needed()
    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(f"warning: --from {p}: no such file or folder", file=sys.stderr)
    _warn_if_requests_unused(args)
    from data.store import StoreBusy
    from flows.pipeline import pipeline, task_runner
    if api and settings.task_runner == "threads" and settings.workers > 1:
        from flows.stages import warm_pool
        warm_pool(settings.workers)            # while the server boots, this process is idle
    with temporary_api.use(api):
        state = pipeline.with_options(task_runner=task_runner(settings))(
            paths=args.paths, live=not args.no_live, sources=args.sources,
            workdir=str(settings.workdir), conditions=args.conditions, urls=args.urls,
            pmids=args.pmids, full_text=args.full_text, wait=args.wait, return_state=True)
    outcome = state.result(raise_on_failure=False)
    if isinstance(outcome, StoreBusy):
        print(f"ketamine-evidence: {outcome}", file=sys.stderr)
        return EXIT_STORE_BUSY
    if isinstance(outcome, BaseException):
        raise outcome
    _print_summary(settings, str(state.state_details.flow_run_id))
    print(outcome)
    return 0


def _warn_if_requests_unused(args) -> None:
    """--pmid needs the pubmed source and --url the web source; without it the
    run goes on and says what it will not fetch."""
    for option, wanted, noun, source in (("--pmid", args.pmids, "PMID(s)", "pubmed"),
                                         ("--url", args.urls, "page(s)", "web")):
        if not wanted:
            continue
        if args.no_live:
            why = "--no-live skips it"
        elif args.sources is not None and source not in args.sources:
            why = f"--sources {','.join(args.sources) or '(none)'} leaves it out"
        else:
            continue
        print(f"warning: {option}: {len(wanted)} {noun} will not be fetched: they need the "
              f"{source} source, and {why}", file=sys.stderr)


def _print_summary(settings, flow_run_id: str) -> None:
    """This run's summary: found by its flow run, since another run may have finished since."""
    from data.store import EvidenceStore
    from reports.builder import summary_markdown
    store = EvidenceStore.open(settings.workdir, settings.database_url)
    run = next(r for r in reversed(store.list_runs()) if r.flow_run_id == flow_run_id)
    print(summary_markdown(store, run.id), file=sys.stderr)


def cmd_extract(args) -> int:
    from data.validation import validate_extraction
    from extractors.record import extract_document
    from flows.sources.files import read_file
    from flows.sources.parsers import ParseError
    from flows.sources.web import PageError

    try:
        docs = list(_fetch_url(args.target) if _is_url(args.target) else read_file(Path(args.target)))
    except (ParseError, PageError, OSError) as exc:
        print(f"error: {args.target}: {exc}", file=sys.stderr)
        return 2
    for doc in docs:
        if args.kind != "auto":
            doc.kind = args.kind
        record = extract_document(doc).to_dict()
        validate_extraction(record)
        print(json.dumps(record, ensure_ascii=False))
    return 0


def _is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def _fetch_url(url: str):
    from flows.settings import Settings
    from flows.sources.web import fetch_document
    yield fetch_document(url, Settings.from_env())


def cmd_runs(args) -> int:
    from data.store import EvidenceStore
    settings = _settings(workdir=args.workdir)
    store = EvidenceStore.open(settings.workdir, settings.database_url)
    for run in store.list_runs():
        took = (run.finished_at - run.started_at).total_seconds() if run.finished_at else None
        print(f"run {run.id}  {run.started_at:%Y-%m-%d %H:%M}  {run.status:<11} "
              f"{'' if took is None else f'{took:.0f}s':>6}  failures: {len(run.failures)}")
        for line in _run_details(run):
            print(f"       {line}")
    return 0


def _run_details(run) -> list[str]:
    p = run.parameters
    lines = [f"parameters: conditions {','.join(p.get('conditions', [])) or '-'}; "
             f"sources {','.join(p.get('sources', [])) or 'none'}; "
             f"full text {'on' if p.get('full_text') else 'off'}; files {len(p.get('paths', []))}"]
    if run.source_stats:
        lines.append("sources: " + ", ".join(
            f"{k} {v['new']} new/{v['updated']} upd/{v['unchanged']} same"
            f"{'' if v['ok'] else ' FAILED'}" for k, v in run.source_stats.items()))
    if run.durations:
        lines.append("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in run.durations.items()))
    if run.flow_run_id:
        lines.append(f"prefect flow run: {run.flow_run_id}")
    if run.report_path:
        lines.append(f"report: {run.report_path}")
    return lines


def cmd_serve(args) -> int:
    from prefect import serve
    from prefect.settings import PREFECT_API_URL

    from flows.pipeline import WEEKLY_CRON, weekly_deployment
    if not PREFECT_API_URL.value():
        print("ketamine-evidence: serve needs a Prefect server: start one with `prefect server start` "
              "and point this shell at it with "
              "`prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api`", file=sys.stderr)
        return 2
    _settings()                 # fail here, not in the first scheduled run, on a bad config
    serve(weekly_deployment(args.cron or WEEKLY_CRON))
    return 0


def cmd_config(args) -> int:
    from flows.settings import config_file
    settings = _settings()
    print(f"# effective settings: {config_file() or 'no config file'}, then the environment; "
          "secrets masked")
    for name, value in settings.masked().items():
        print(f"# {name} is unset" if value is None else f"{name} = {json.dumps(value)}")
    return 0


def cmd_evaluate(args) -> int:
    from flows.evaluation import main as evaluate_main
    return evaluate_main(args.args)


if __name__ == "__main__":
    sys.exit(main())
