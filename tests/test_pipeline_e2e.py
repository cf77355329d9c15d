"""End to end: the Prefect flow over a small folder of documents written for the test."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import rispy

from data.records import CONDITIONS
from flows.pipeline import pipeline
from flows.stages import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "e2e"
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def first_run(prefect_harness, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("workdir")
    inputs = tmp_path_factory.mktemp("inputs")
    for f in FIXTURES.iterdir():
        shutil.copy(f, inputs / f.name)
    report = Path(pipeline(paths=[str(inputs)], live=False, workdir=str(workdir)))
    return workdir, inputs, report


def read_csv(report: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(report / name, keep_default_na=False)


def test_report_folder_is_written_where_the_design_says(first_run):
    workdir, _, report = first_run
    assert report == workdir / "reports" / "latest"
    assert sorted(p.name for p in report.iterdir()) == sorted(
        ["index.html", "report.md", "claims.csv", "outcomes.csv", "sources.csv", "evidence.ris"])


def test_every_good_file_is_stored_and_every_bad_one_is_named(first_run):
    workdir, _, _ = first_run
    store = open_store(str(workdir))
    ids = {d["source_id"] for d in store.latest_documents()}
    assert {"pmid:90000001", "pmid:90000002", "nct:NCT09000001"} <= ids
    assert len(ids) == 5
    run = store.list_runs()[-1]
    failed = {Path(f.item).name: f.reason for f in run.failures}
    assert set(failed) == {"corrupt_truncated.xml", "corrupt.json", "junk.txt"}
    assert all(reason for reason in failed.values())
    assert run.status == "completed" and run.source_stats["files"]["new"] == 5


def test_claims_table_keeps_sentences_and_verdicts(first_run):
    claims = read_csv(first_run[2], "claims.csv")
    for column in ("source_id", "source", "sentence", "claim_type", "conditions", "quantity",
                   "evidence", "citations", "verdict", "reason", "references"):
        assert column in claims.columns
    remission = claims[claims.sentence.str.contains("Over 80% of our patients")]
    assert len(remission) == 1
    row = remission.iloc[0]
    assert "trd" in row.conditions.split(";")
    assert row.quantity.startswith(">80")
    assert row.verdict == "overstated" and "pmid:90000001" in row.references
    assert (claims.verdict != "").all() and (claims.reason != "").all()
    assert set(claims.source_id) <= {"file:" + first_run[1].name + "/clinic_page.html",
                                     "file:" + first_run[1].name + "/explainer.md"}


def test_outcomes_keep_their_source_sentence(first_run):
    outcomes = read_csv(first_run[2], "outcomes.csv")
    trial = outcomes[outcomes.pmid.astype(str) == "90000001"]
    assert not trial.empty
    with_p = trial[trial.p.astype(str).str.contains("0.006")]
    assert not with_p.empty and with_p.sentence.str.contains("Response rates at 24 hours").all()
    assert (trial.design == "rct").all() and (trial.n_randomized.astype(int) == 80).all()


def test_perioperative_pain_study_is_acute_not_chronic(first_run):
    outcomes = read_csv(first_run[2], "outcomes.csv")
    knee = outcomes[outcomes.pmid.astype(str) == "90000002"]
    assert not knee.empty
    assert all("acute_pain" in c.split(";") and "chronic_pain" not in c.split(";")
               for c in knee.conditions)


def test_reports_name_every_condition(first_run):
    report = first_run[2]
    markdown = (report / "report.md").read_text()
    html = (report / "index.html").read_text()
    for condition in CONDITIONS:
        assert f"## {condition}\n" in markdown
        assert f'<section id="{condition}">' in html
    assert "corrupt_truncated.xml" in markdown and "corrupt_truncated.xml" in html


def test_sources_table_and_ris(first_run):
    report = first_run[2]
    sources = read_csv(report, "sources.csv")
    assert len(sources) == 5 and set(sources.status) == {"new"}
    clinic = sources[sources.source_id.str.endswith("clinic_page.html")].iloc[0]
    assert clinic.kind == "web" and float(clinic.promotional_share) > 0
    entries = rispy.loads((report / "evidence.ris").read_text())
    collected = [e for e in entries if "curated" not in e.get("keywords", [])]
    assert sorted(e.get("accession_number") for e in collected) == ["90000001", "90000002", "NCT09000001"]
    # Curated trials enter only when a verdict cites them, marked as curated.
    claims = read_csv(report, "claims.csv")
    cited = {r for refs in claims.references for r in refs.split(";") if r}
    for e in entries:
        if "curated" in e.get("keywords", []):
            assert e["id"].startswith("curated:") and e["notes"] and e["urls"]
            assert not e.get("accession_number") or {f"pmid:{e['accession_number']}",
                                                     f"nct:{e['accession_number']}"} & cited


def test_second_run_changes_nothing(first_run):
    workdir, inputs, _ = first_run
    store = open_store(str(workdir))
    before = store.counts()
    report = Path(pipeline(paths=[str(inputs)], live=False, workdir=str(workdir)))
    assert store.counts() == before
    sources = read_csv(report, "sources.csv")
    assert set(sources.status) == {"unchanged"}
    assert store.list_runs()[-1].source_stats["files"]["unchanged"] == 5
