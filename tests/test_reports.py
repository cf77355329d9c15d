"""Report writers: escaping, tables that parse, atomic swap, verdict linking."""
from __future__ import annotations

import pandas as pd
import pytest
import rispy

from data.records import Claim, Document, Extraction, Outcome, Quantity, Sentence, Study
from data.store import EvidenceStore
from extractors.verdicts import judge_claim
from flows.stages import judge_all_claims
from reports.builder import build_reports, md_cell, safe_href

HOSTILE = 'Ketamine cures PTSD <script>alert("x")</script> <img src=x onerror="alert(1)">'


def web_doc(text: str, source: str) -> Document:
    return Document(id="url:" + source, kind="web", title="<b>Clinic</b>", text=text,
                    source=source, origin="web", raw_format="html", raw=text.encode())


def seed(store: EvidenceStore, source: str = "javascript:alert(1)") -> None:
    doc = web_doc(HOSTILE, source)
    abstract = Document(id="pmid:1", kind="abstract", title="Ketamine for PTSD: a trial", text="t",
                        source="https://pubmed.ncbi.nlm.nih.gov/1/", origin="pubmed",
                        raw_format="pubmed_xml", pmid="1", published="2014-05")
    unrelated = Document(id="pmid:2", kind="abstract", title="Aspirin for PTSD", text="t",
                         source="https://pubmed.ncbi.nlm.nih.gov/2/", origin="pubmed",
                         raw_format="pubmed_xml", pmid="2")
    store.ingest([doc, abstract, unrelated])
    rows = dict((d.id, pk) for pk, d in store.pending_extraction(10))
    store.save_extractions([
        (rows[doc.id], Extraction(doc.id, "web", doc.title, doc.source, ["ptsd"],
                                  [Sentence(0, HOSTILE, ["claim"], [])],
                                  [Claim(0, HOSTILE, "efficacy", ["ptsd"], Quantity(90, "%", ">"))],
                                  scores={"promotional": 0.0})),
        (rows["pmid:2"], Extraction("pmid:2", "abstract", unrelated.title, unrelated.source, ["ptsd"],
                                    [Sentence(0, "Response was 95% (p < 0.001).")],
                                    study=Study("rct", n_randomized=500, significant_primary=True),
                                    outcomes=[Outcome(0, "response_rate", value=95.0, unit="%")])),
        (rows["pmid:1"], Extraction("pmid:1", "abstract", abstract.title, abstract.source, ["ptsd"],
                                    [Sentence(0, "Response was 40% (p = 0.02).")],
                                    study=Study("rct", n_randomized=41, significant_primary=True),
                                    outcomes=[Outcome(0, "response_rate", value=40.0, unit="%",
                                                      p="0.02")])),
    ])


@pytest.fixture
def report(tmp_path):
    store = EvidenceStore.open(tmp_path)
    seed(store)
    run = store.start_run({})
    judge_all_claims(store, run)
    return build_reports(store, tmp_path / "reports", run)


def test_document_text_is_escaped_and_hostile_links_neutralised(report):
    html = (report / "index.html").read_text()
    assert "<script>" not in html and "onerror=\"alert" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert "&lt;b&gt;Clinic&lt;/b&gt;" in html
    assert "Content-Security-Policy" in html   # no script can run even if one slipped in


def test_markdown_escapes_html_and_table_pipes():
    assert md_cell("a|b <script>") == "a\\|b &lt;script&gt;"
    assert safe_href("javascript:alert(1)") == "#" and safe_href("https://x.org") == "https://x.org"


def test_tables_parse_and_keep_provenance(report):
    claims = pd.read_csv(report / "claims.csv", keep_default_na=False)
    (row,) = claims.itertuples()
    assert row.sentence == HOSTILE and row.conditions == "ptsd" and row.quantity == ">90 %"
    assert row.verdict == "overstated" and row.references.split(";")[0] == "pmid:1"
    outcomes = pd.read_csv(report / "outcomes.csv", keep_default_na=False)
    assert len(outcomes) == 1    # the aspirin trial is stored but is not ketamine evidence
    assert outcomes.loc[0, "sentence"] == "Response was 40% (p = 0.02)."
    assert str(outcomes.loc[0, "p"]) == "0.02" and outcomes.loc[0, "n_randomized"] == 41
    (entry,) = rispy.loads((report / "evidence.ris").read_text())
    assert entry["accession_number"] == "1" and entry["year"] == "2014"


def test_rebuilding_replaces_the_report_whole(tmp_path):
    store = EvidenceStore.open(tmp_path)
    seed(store, source="https://clinic.example/")
    run = store.start_run({})
    first = build_reports(store, tmp_path / "reports", run)
    (first / "stale.txt").write_text("left over")
    second = build_reports(store, tmp_path / "reports", run)
    assert first == second and not (second / "stale.txt").exists()
    assert [p.name for p in (tmp_path / "reports").iterdir()] == ["latest"]


def test_verdict_weighs_design_not_votes():
    claim = {"pk": 1, "type": "efficacy", "conditions": ["ocd"], "quantity_unit": None}
    big_null = {"design": "rct", "n_randomized": 200, "significant_primary": False,
                "conditions": ["ocd"], "pmid": "2", "source_id": "pmid:2", "outcomes": []}
    small_positive = [{"design": "case_report", "n_randomized": None, "significant_primary": True,
                       "conditions": ["ocd"], "pmid": str(i), "source_id": f"pmid:{i}",
                       "outcomes": []} for i in range(10, 14)]
    verdict = judge_claim(claim, [big_null, *small_positive])
    assert verdict["verdict"] == "contradicted" and verdict["references"][0] == "pmid:2"
    only_small = judge_claim(claim, small_positive)
    assert only_small["verdict"] == "preliminary"
    assert judge_claim(claim, [])["verdict"] == "unsupported"
