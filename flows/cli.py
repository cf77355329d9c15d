"""The `ketamine-evidence` command.

    ketamine-evidence run --from ./exports --no-live     # build the report from local files
    ketamine-evidence extract page.html                  # one document's extraction record
    ketamine-evidence runs                               # what earlier runs did
    ketamine-evidence evaluate --split holdout           # extraction quality against the gold
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from data.records import CONDITIONS

DEFAULT_CONDITIONS = "trd,ptsd,ocd,chronic_pain"


def _conditions(value: str) -> list[str]:
    items = [c.strip() for c in value.split(",") if c.strip()]
    unknown = [c for c in items if c not in CONDITIONS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown condition(s) {', '.join(unknown)}; choose from {', '.join(CONDITIONS)}")
    return items


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
    run.add_argument("--workdir", default=os.environ.get("KETEV_WORKDIR", "workspace"),
                     help="where the store, archives and reports live (default: ./workspace)")
    run.add_argument("--conditions", type=_conditions, default=_conditions(DEFAULT_CONDITIONS),
                     help=f"comma-separated topics to collect (default: {DEFAULT_CONDITIONS})")
    run.add_argument("--url", dest="urls", action="append", default=[], metavar="URL",
                     help="a web page to fetch in addition to data/watchlist.toml; repeatable")
    run.add_argument("--full-text", action="store_true",
                     help="also fetch open-access full text (JATS) from Europe PMC")

    ext = sub.add_parser("extract", help="print the extraction record of one document as JSON",
                         description="Read a file or fetch a URL and print its extraction record "
                         "(one JSON object per document; a multi-record file prints one per line).")
    ext.add_argument("target", metavar="PATH_OR_URL")
    ext.add_argument("--kind", choices=["auto", "web", "abstract", "trial"], default="auto",
                     help="treat the document as this kind instead of guessing from its format")

    runs = sub.add_parser("runs", help="list earlier runs with their counts and failures")
    runs.add_argument("--workdir", default=os.environ.get("KETEV_WORKDIR", "workspace"))

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
    return {"run": cmd_run, "extract": cmd_extract, "runs": cmd_runs,
            "evaluate": cmd_evaluate}[args.command](args)


def cmd_run(args) -> int:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(f"warning: --from {p}: no such file or folder", file=sys.stderr)
    from flows.pipeline import pipeline
    report = pipeline(paths=args.paths, live=not args.no_live, workdir=args.workdir,
                      conditions=args.conditions, urls=args.urls, full_text=args.full_text)
    from flows.stages import open_store
    from reports.builder import summary_markdown
    store = open_store(str(Path(args.workdir)))
    print(summary_markdown(store, store.list_runs()[-1].id), file=sys.stderr)
    print(report)
    return 0


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
    from flows.stages import open_store
    store = open_store(str(Path(args.workdir)))
    for run in store.list_runs():
        took = (run.finished_at - run.started_at).total_seconds() if run.finished_at else None
        sources = ", ".join(f"{k}: {v['new']} new/{v['updated']} upd/{v['unchanged']} same"
                            f"{'' if v['ok'] else ' FAILED'}" for k, v in run.source_stats.items())
        print(f"run {run.id}  {run.started_at:%Y-%m-%d %H:%M}  {run.status:<9} "
              f"{'' if took is None else f'{took:.0f}s':>6}  failures: {len(run.failures)}  {sources}")
        if run.report_path:
            print(f"       report: {run.report_path}")
    return 0


def cmd_evaluate(args) -> int:
    from flows.evaluation import main as evaluate_main
    return evaluate_main(args.args)


if __name__ == "__main__":
    sys.exit(main())
