"""The operations commands: run, runs, config, serve."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from data.store import EvidenceStore, Failure
from flows.cli import _warn_if_requests_unused, build_parser, main

FIXTURES = Path(__file__).parent / "fixtures" / "e2e"


def test_run_prints_the_report_path_and_its_own_summary(prefect_harness, tmp_path, capsys):
    workdir = tmp_path / "wd"
    assert main(["run", "--no-live", "--from", str(FIXTURES), "--workdir", str(workdir),
                 "--conditions", "trd,ocd", "--wait", "5"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == str(workdir / "reports" / "latest")
    (run,) = EvidenceStore.open(workdir).list_runs()
    assert f"# ketamine-evidence run {run.id}" in err
    assert run.parameters["conditions"] == ["trd", "ocd"] and run.parameters["sources"] == []
    assert set(run.durations) == {"collect", "extract", "judge", "report", "total"}
    assert run.flow_run_id and run.source_stats["files"]["new"] == 5


def test_runs_lists_parameters_counts_durations_failures_and_the_report(tmp_path, capsys):
    store = EvidenceStore.open(tmp_path)
    run_id = store.start_run({"paths": ["exports/"], "sources": ["pubmed", "ctgov"],
                              "conditions": ["trd"], "full_text": True}, flow_run_id="f-1")
    store.record_failures(run_id, [Failure("ctgov", "studies", "HTTP 503")])
    store.update_run(run_id, status="completed", report_path="/r/latest",
                     durations={"extract": 12.5, "total": 20.0},
                     source_stats={"pubmed": {"new": 3, "updated": 1, "unchanged": 0, "ok": True},
                                   "ctgov": {"new": 0, "updated": 0, "unchanged": 0, "ok": False}})
    store.start_run({})                                    # still running, nothing recorded yet
    assert main(["runs", "--workdir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"run {run_id}" in out and "completed" in out and "failures: 1" in out
    assert "conditions trd; sources pubmed,ctgov; full text on; files 1" in out
    assert "pubmed 3 new/1 upd/0 same" in out and "ctgov 0 new/0 upd/0 same FAILED" in out
    assert "extract 12.5" in out and "total 20.0" in out
    assert "prefect flow run: f-1" in out and "report: /r/latest" in out
    assert "running" in out


def test_config_prints_valid_toml_with_secrets_masked(tmp_path, monkeypatch, capsys):
    config = tmp_path / "ketamine-evidence.toml"
    config.write_text('contact_email = "team@example.org"\n')
    monkeypatch.setenv("KETEV_CONFIG", str(config))
    monkeypatch.setenv("NCBI_API_KEY", "key-123")
    monkeypatch.setenv("KETEV_DATABASE_URL", "postgresql+psycopg://ketev:s3cret@127.0.0.1/evidence")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert str(config) in out.splitlines()[0]
    values = tomllib.loads(out)
    assert values["contact_email"] == "team@example.org" and values["ncbi_api_key"] == "********"
    assert values["database_url"] == "postgresql+psycopg://ketev:***@127.0.0.1/evidence"
    assert "key-123" not in out and "s3cret" not in out


def test_a_bad_setting_is_reported_without_a_traceback(monkeypatch):
    monkeypatch.setenv("KETEV_CONDITIONS", "trd,migraine")
    with pytest.raises(SystemExit, match=r"(?s)invalid settings.*unknown condition\(s\) migraine"):
        main(["config"])


def test_serve_says_it_needs_a_prefect_server(capsys):
    from prefect.settings import PREFECT_API_URL, temporary_settings
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        assert main(["serve"]) == 2
    assert "prefect server start" in capsys.readouterr().err


def test_unknown_sources_are_refused_by_name(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--sources", "pubmed,scopus"])
    assert "unknown source(s) scopus" in capsys.readouterr().err


def test_pmids_come_from_every_pmid_option_and_file(tmp_path):
    listed = tmp_path / "pmids.txt"
    listed.write_text("# from the review's reference list\n38012345\n\n  PMID: 37900001\n#1\n")
    args = build_parser().parse_args(["run", "--pmid", "31", "--pmid", "PMID: 32, pmid:33",
                                      "--pmid-file", str(listed), "--pmid", "123456789"])
    assert args.pmids == ["31", "32", "33", "38012345", "37900001", "123456789"]
    assert build_parser().parse_args(["run"]).pmids == []


@pytest.mark.parametrize("value, complaint", [
    ("1234567890", "'1234567890' is not a PMID (1-9 digits"),
    ("38012345,38012345x", "'38012345x' is not a PMID"),
    ("PMC7012345", "'PMC7012345' is not a PMID"),
    (",", "no PMID in ','"),
])
def test_a_bad_pmid_is_refused_by_name(value, complaint, capsys):
    with pytest.raises(SystemExit):
        main(["run", "--pmid", value])
    assert f"argument --pmid: {complaint}" in capsys.readouterr().err


def test_a_bad_line_of_a_pmid_file_is_refused_with_its_line(tmp_path, capsys):
    listed = tmp_path / "pmids.txt"
    listed.write_text("38012345\n# ok\nPMID 37900001\n")
    with pytest.raises(SystemExit):
        main(["run", "--pmid-file", str(listed)])
    assert f"argument --pmid-file: {listed} line 3: 'PMID 37900001' is not a PMID" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["run", "--pmid-file", str(tmp_path / "missing.txt")])
    assert f"cannot read {tmp_path / 'missing.txt'}" in capsys.readouterr().err


@pytest.mark.parametrize("options, unused_because", [
    (["--sources", "europepmc,web"], "--sources europepmc,web leaves it out"),
    (["--sources", "pubmed,web"], None),
    ([], None),
])
def test_pmids_without_the_pubmed_source_are_named_as_not_fetched(options, unused_because, capsys):
    _warn_if_requests_unused(build_parser().parse_args(["run", "--pmid", "31,32", *options]))
    err = capsys.readouterr().err
    if unused_because:
        assert err == ("warning: --pmid: 2 PMID(s) will not be fetched: they need the pubmed "
                       f"source, and {unused_because}\n")
    else:
        assert err == ""


@pytest.mark.parametrize("options, warned", [
    (["--sources", "pubmed"], ["--url: 2 page(s) will not be fetched: they need the web source, "
                               "and --sources pubmed leaves it out"]),
    (["--no-live", "--pmid", "31"], ["--pmid: 1 PMID(s) will not be fetched: they need the pubmed "
                                     "source, and --no-live skips it",
                                     "--url: 2 page(s) will not be fetched: they need the web "
                                     "source, and --no-live skips it"]),
    (["--sources", "web,pubmed", "--pmid", "31"], []),
])
def test_urls_without_the_web_source_are_named_as_not_fetched(options, warned, capsys):
    urls = ["--url", "https://clinic.example/a", "--url", "https://clinic.example/b"]
    _warn_if_requests_unused(build_parser().parse_args(["run", *urls, *options]))
    assert capsys.readouterr().err.splitlines() == [f"warning: {w}" for w in warned]


def test_a_run_without_live_sources_says_its_pmids_are_not_fetched(prefect_harness, tmp_path, capsys):
    workdir = tmp_path / "wd"
    assert main(["run", "--no-live", "--workdir", str(workdir), "--pmid", "38012345", "--wait", "5"]) == 0
    err = capsys.readouterr().err
    assert "1 PMID(s) will not be fetched: they need the pubmed source, and --no-live skips it" in err
    (run,) = EvidenceStore.open(workdir).list_runs()
    assert run.parameters["pmids"] == ["38012345"] and run.status == "completed"
    assert "pubmed" not in run.source_stats
