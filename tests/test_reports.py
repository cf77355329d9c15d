"""Report writers: escaping, tables that parse, atomic swap, what changed, artifacts."""
from __future__ import annotations

import re

import pandas as pd
import pytest
import rispy

from data.records import CONDITIONS, Claim, Document, Extraction, Outcome, Quantity, Sentence, Study
from data.store import EvidenceStore
from flows.stages import judge_all_claims
from reports.builder import build_reports, md_cell, md_url, safe_href

HOSTILE = 'Ketamine cures PTSD <script>alert("x")</script> <img src=x onerror="alert(1)">'
RATE_CLAIM = "Over 90% of our patients with PTSD respond to ketamine."


def web_doc(text: str, source: str, doc_id: str | None = None) -> Document:
    return Document(id=doc_id or "url:" + source, kind="web", title="<b>Clinic</b>", text=text,
                    source=source, origin="web", raw_format="html", raw=text.encode())


def abstract(pmid: str, title: str, authors=("Feder A",)) -> Document:
    return Document(id=f"pmid:{pmid}", kind="abstract", title=title, text="t",
                    source=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", origin="pubmed",
                    raw_format="pubmed_xml", pmid=pmid, published="2014-05", authors=list(authors))


def store_extractions(store: EvidenceStore, docs: list[Document], extractions: dict[str, Extraction]) -> None:
    store.ingest(docs)
    pks = {d.id: pk for pk, d in store.pending_extraction(50)}
    store.save_extractions([(pks[i], ex) for i, ex in extractions.items()])


def page_extraction(doc: Document) -> Extraction:
    sentences = [Sentence(0, HOSTILE, ["claim", "promotional"], ["cures"]),
                 Sentence(1, RATE_CLAIM, ["claim"], [])]
    claims = [Claim(0, HOSTILE, "efficacy", ["ptsd"]),
              Claim(1, RATE_CLAIM, "efficacy", ["ptsd"], Quantity(90, "%", ">"))]
    return Extraction(doc.id, "web", doc.title, doc.source, ["ptsd"], sentences, claims,
                      scores={"promotional": 0.5, "cited_share": 0.0, "risk_disclosure": 0.0})


def seed(store: EvidenceStore, source: str = "javascript:alert(1)") -> None:
    doc = web_doc(HOSTILE, source)
    trial = abstract("1", "Ketamine for PTSD: a <i>trial</i>", authors=("<script>Evil</script> A",))
    unrelated = abstract("2", "Aspirin for PTSD")
    store_extractions(store, [doc, trial, unrelated], {
        doc.id: page_extraction(doc),
        "pmid:2": Extraction("pmid:2", "abstract", unrelated.title, unrelated.source, ["ptsd"],
                             [Sentence(0, "Response was 95% (p < 0.001).")],
                             study=Study("rct", n_randomized=500, significant_primary=True),
                             outcomes=[Outcome(0, "response_rate", value=95.0, unit="%")]),
        "pmid:1": Extraction("pmid:1", "abstract", trial.title, trial.source, ["ptsd"],
                             [Sentence(0, "Response was 40% (p = 0.02).")],
                             study=Study("rct", n_randomized=41, intervention="ketamine",
                                         significant_primary=True),
                             outcomes=[Outcome(0, "response_rate", value=40.0, unit="%", p="0.02")]),
    })


def build(store: EvidenceStore, tmp_path):
    run = store.start_run({})
    judge_all_claims(store, run)
    return build_reports(store, tmp_path / "reports", run)


@pytest.fixture
def report(tmp_path):
    store = EvidenceStore.open(tmp_path)
    seed(store)
    return build(store, tmp_path)


def test_document_text_is_escaped_and_hostile_links_neutralised(report):
    html = (report / "index.html").read_text()
    assert "<script>" not in html and "onerror=\"alert" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert "&lt;b&gt;Clinic&lt;/b&gt;" in html
    assert "&lt;i&gt;trial&lt;/i&gt;" in html                 # a study title in the evidence table
    assert "Content-Security-Policy" in html and "script-src" not in html   # no script may run


def test_chart_labels_from_documents_are_escaped(report):
    html = (report / "index.html").read_text()
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert svgs and all("<script" not in s for s in svgs)
    assert any("&lt;script&gt;Evil&lt;/script&gt; 2014" in s for s in svgs)   # author-year label


def test_markdown_escapes_html_table_pipes_and_link_brackets():
    assert md_cell("a|b <script>") == "a\\|b &lt;script&gt;"
    assert md_cell("[x](javascript:y)") == "\\[x\\](javascript:y)"
    assert md_url("https://x.org/a (b)") == "https://x.org/a%20%28b%29"
    assert safe_href("javascript:alert(1)") == "#" and safe_href("https://x.org") == "https://x.org"


def test_tables_parse_and_keep_provenance(report):
    claims = pd.read_csv(report / "claims.csv", keep_default_na=False)
    assert len(claims) == 2 and (claims.reason != "").all() and (claims.verdict != "").all()
    rate = claims[claims.sentence == RATE_CLAIM].iloc[0]
    assert rate.conditions == "ptsd" and rate.quantity == ">90 %" and rate.judged_for == "ptsd"
    assert rate.verdict == "overstated" and "pmid:1" in rate.references.split(";")
    assert rate.basis == "both"                     # a collected trial and a curated one
    cure = claims[claims.sentence == HOSTILE].iloc[0]
    assert cure.verdict == "overstated" and cure.reason   # "cures"
    outcomes = pd.read_csv(report / "outcomes.csv", keep_default_na=False)
    assert len(outcomes) == 1    # the aspirin trial is stored but is not ketamine evidence
    assert outcomes.loc[0, "sentence"] == "Response was 40% (p = 0.02)."
    assert str(outcomes.loc[0, "p"]) == "0.02" and outcomes.loc[0, "n_randomized"] == 41
    sources = pd.read_csv(report / "sources.csv", keep_default_na=False)
    page = sources[sources.kind == "web"].iloc[0]
    assert int(page.claims) == 2 and page.off_label_stated == "False"
    entries = rispy.loads((report / "evidence.ris").read_text())
    (entry,) = [e for e in entries if "curated" not in e.get("keywords", [])]
    assert entry["accession_number"] == "1" and entry["year"] == "2014"
    cited = set(claims.references.str.split(";").explode())
    curated = [e for e in entries if "curated" in e.get("keywords", [])]
    assert all(f"pmid:{e['accession_number']}" in cited for e in curated if e.get("accession_number"))


def test_markdown_report_has_every_section_and_well_formed_tables(report):
    markdown = (report / "report.md").read_text()
    for heading in ("## Summary of verdicts", "## What changed since the last run", "## Sources",
                    "## Curated facts", *(f"## {c}\n" for c in CONDITIONS)):
        assert heading in markdown
    assert "<script>" not in markdown and "Murrough 2013" in markdown
    for table in re.findall(r"(?:^\|.*\|\n)+", markdown, re.M):
        rows = table.strip().split("\n")
        width = len(re.findall(r"(?<!\\)\|", rows[0]))
        assert all(len(re.findall(r"(?<!\\)\|", r)) == width for r in rows), rows[0]


def test_html_report_shows_both_columns_curated_facts_and_source_views(report):
    html = (report / "index.html").read_text()
    assert html.count("What the marketing says") == len(CONDITIONS)
    assert "What the studies show" in html and "Feder 2021" in html      # a curated PTSD trial
    assert "saline-controlled: effect may be inflated by unblinding" in html   # Rodriguez 2013 (OCD)
    assert 'class="l-promotional"' in html and "JAMA benchmark" in html and "not a certification" in html
    assert "FDA approved Spravato" in html or "Spravato" in html


def ketamine_trial(pmid: str, response: float) -> tuple[Document, Extraction]:
    doc = abstract(pmid, f"Ketamine for PTSD: trial {pmid}", authors=(f"Author{pmid} A",))
    return doc, Extraction(doc.id, "abstract", doc.title, doc.source, ["ptsd"],
                           [Sentence(0, f"Response was {response:g}% (p = 0.01).")],
                           study=Study("rct", n_randomized=60, intervention="ketamine"),
                           outcomes=[Outcome(0, "response_rate", value=response, unit="%", p="0.01")])


def test_verdicts_and_report_read_the_store_a_page_at_a_time(tmp_path, monkeypatch):
    """Pages of two documents give the verdicts and report files that one page of
    everything gives, and no read asks for the rows of more than a page."""
    store = EvidenceStore.open(tmp_path)
    pages = [web_doc(RATE_CLAIM, f"https://clinic{i}.example/") for i in range(3)]
    trials = [ketamine_trial(str(10 + i), 30.0 + 10 * i) for i in range(4)]
    extractions = {**{d.id: page_extraction(d) for d in pages}, **{d.id: ex for d, ex in trials}}
    # In id order, so that one page and pages of two list the rows in the same order.
    store_extractions(store, sorted([*pages, *(d for d, _ in trials)], key=lambda d: d.id), extractions)
    run = store.start_run({})
    rows_for = store.rows_for

    def verdicts_and_files() -> tuple[list, dict[str, str]]:
        judge_all_claims(store, run)
        claims = rows_for("claims", [d["pk"] for d in store.latest_documents()])
        verdicts = sorted((v["claim_pk"], v["verdict"], v["reason"], v["references"])
                          for v in store.verdicts_for([c["pk"] for c in claims]).values())
        folder = build_reports(store, tmp_path / "reports", run)
        return verdicts, {f.name: re.sub(r"generated [0-9: -]+UTC", "", f.read_text())
                          for f in folder.iterdir()}

    whole = verdicts_and_files()
    asked = []
    monkeypatch.setattr(store, "rows_for", lambda table, pks: asked.append(len(pks)) or rows_for(table, pks))
    monkeypatch.setattr("data.store.PAGE", 2)
    paged = verdicts_and_files()
    assert paged == whole and len(whole[0]) == 6 and "Author13 2014" in whole[1]["index.html"]
    assert asked and max(asked) == 2


def test_rebuilding_replaces_the_report_whole(tmp_path):
    store = EvidenceStore.open(tmp_path)
    seed(store, source="https://clinic.example/")
    run = store.start_run({})
    first = build_reports(store, tmp_path / "reports", run)
    (first / "stale.txt").write_text("left over")
    second = build_reports(store, tmp_path / "reports", run)
    assert first == second and not (second / "stale.txt").exists()
    assert [p.name for p in (tmp_path / "reports").iterdir()] == ["latest"]
    assert [p.name for p in (tmp_path / "report_history").iterdir()] == [f"run-{run:06d}.json"]


def test_what_changed_since_the_last_run(tmp_path):
    store = EvidenceStore.open(tmp_path)
    seed(store)
    first = build(store, tmp_path)
    assert "first report in this workdir" in (first / "report.md").read_text()
    # A second run brings a new page and a PTSD trial whose 95% response rate
    # makes the 90% claim no longer exceed the evidence.
    page = web_doc("Ketamine helps.", "https://other.example/")
    trial = abstract("3", "Ketamine for PTSD: a large trial", authors=("Big B",))
    store_extractions(store, [page, trial], {
        page.id: Extraction(page.id, "web", page.title, page.source, [], [Sentence(0, "Ketamine helps.")]),
        trial.id: Extraction(trial.id, "abstract", trial.title, trial.source, ["ptsd"],
                             [Sentence(0, "Response was 95%.")],
                             study=Study("rct", n_randomized=300, intervention="ketamine",
                                         significant_primary=True),
                             outcomes=[Outcome(0, "response_rate", arm="ketamine", value=95.0, unit="%")]),
    })
    second = build(store, tmp_path)
    markdown = (second / "report.md").read_text()
    assert "Compared with run 1: 2 new sources, 1 new studies" in markdown
    assert "new study: pmid:3" in markdown and "new source: url:https://other.example/" in markdown
    changed = re.search(r"\| (Over 90%.*?) \| .*? \| overstated \| (\w+) \|", markdown)
    assert changed and changed.group(2) != "overstated"
    assert "claims whose verdict changed" in (second / "index.html").read_text()


def test_run_artifacts_are_published(tmp_path, prefect_harness):
    from prefect import flow
    from prefect.artifacts import Artifact

    from reports.artifacts import REPORT_KEY, SUMMARY_KEY, VERDICTS_KEY, publish_run_artifacts, verdict_table
    store = EvidenceStore.open(tmp_path)
    seed(store)
    report = build(store, tmp_path)
    flow(publish_run_artifacts)(store, store.list_runs()[-1].id, report)   # as the pipeline calls it
    assert verdict_table(store) == [{"verdict": "overstated", "claims": 2, "curated": 1,
                                     "collected": 0, "both": 1}]
    assert "| overstated | 2 |" in Artifact.get(SUMMARY_KEY).data
    assert Artifact.get(VERDICTS_KEY).type == "table"
    assert f"({(report / 'index.html').as_uri()})" in Artifact.get(REPORT_KEY).data
