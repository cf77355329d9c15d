"""The evaluation harness (flows/evaluation.py) and the gold files (tests/gold/)."""
from __future__ import annotations

import json
import os
import sys
import types
from pathlib import Path

import pytest

from data.records import CLAIM_TYPES, CONDITIONS, DESIGNS, LABELS
from flows import evaluation as ev

GOLD = Path(__file__).resolve().parent / "gold"


def _corpus() -> Path | None:
    env = os.environ.get("KETEV_CORPUS_DIR")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    return path if path.is_dir() else None


# ---------------------------------------------------------------- sentence matching

def test_normalize_ignores_case_quotes_dashes_and_space():
    assert ev.normalize("Ketamine\u2019s  effect \u2014 \u201cfast\u201d ") == "ketamine's effect - \"fast"
    assert ev.normalize("- Bipolar depression") == "bipolar depression"


def test_match_exact_containment_and_fuzzy():
    n = ev.normalize
    assert ev.match_score(n("Ketamine works fast."), n("ketamine works fast.")) == 1.0
    # a section label glued to the sentence by the parser
    assert ev.match_score(n("Ketamine reduced pain after surgery."),
                          n("Results: Ketamine reduced pain after surgery.")) == 0.95
    # a different splitter kept the trailing quote and dropped a comma
    assert ev.match_score(n("Ketamine, in low doses, reduced pain after surgery."),
                          n("Ketamine in low doses reduced pain after surgery.\"")) >= 0.9
    assert ev.match_score(n("Ketamine reduced pain after surgery."),
                          n("Midazolam increased sedation before surgery.")) == 0
    # very short fragments never match by containment
    assert ev.match_score(n("1."), n("1. Feder A, et al. JAMA Psychiatry.")) == 0


def test_align_handles_split_and_merged_sentences():
    gold = ["Ketamine acts on NMDA receptors. It raises glutamate.", "Call us today."]
    pred = ["Ketamine acts on NMDA receptors.", "It raises glutamate.", "Call us today."]
    assert ev.align(gold, pred) == [[0, 1], [2]]
    gold = ["Ketamine blocks NMDA receptors.", "This raises glutamate release."]
    pred = ["Ketamine blocks NMDA receptors. This raises glutamate release."]
    assert ev.align(gold, pred) == [[0], [0]]
    # a heading glued to the sentence by the splitter
    gold = ["Ketamine blocks NMDA receptors in the brain."]
    pred = ["Mechanism of action Ketamine blocks NMDA receptors in the brain."]
    assert ev.align(gold, pred) == [[0]]
    # a short heading does not stand in for a long sentence that contains its words
    gold = ["Safety and side effects: most patients feel dissociation during the infusion."]
    assert ev.align(gold, ["Side effects"]) == [[]]
    # containment only at word boundaries
    assert ev.match_score(ev.normalize("ketamine works for pain"), ev.normalize("esketamine works for pain relief")) == 0


# ---------------------------------------------------------------- label counting

def test_score_labels_counts_tp_fp_fn():
    gold = [{"text": "Ketamine is a miracle cure for depression.", "labels": ["promotional", "claim"]},
            {"text": "Studies show it works within hours.", "labels": ["evidence_vague", "claim"]},
            {"text": "Side effects include nausea.", "labels": ["risk_disclosure"]}]
    pred = [{"text": "Ketamine is a miracle cure for depression.", "labels": ["promotional"]},
            {"text": "Studies show it works within hours.", "labels": ["claim", "hedge"]},
            {"text": "Side effects include nausea.", "labels": []},
            {"text": "Our clinic is open on Saturdays.", "labels": ["call_to_action"]}]
    counts, errors, unaligned = ev.score_labels(gold, pred, document="d")
    assert (counts["promotional"].tp, counts["promotional"].fp, counts["promotional"].fn) == (1, 0, 0)
    assert (counts["claim"].tp, counts["claim"].fp, counts["claim"].fn) == (1, 0, 1)
    assert (counts["evidence_vague"].tp, counts["evidence_vague"].fn) == (0, 1)
    assert counts["hedge"].fp == 1 and counts["call_to_action"].fp == 1
    assert counts["risk_disclosure"].fn == 1
    assert unaligned == 0
    assert counts["claim"].precision == 1.0 and counts["claim"].recall == 0.5
    assert counts["claim"].f1 == pytest.approx(2 / 3)
    assert counts["claim"].support == 2
    kinds = {(e.label, e.kind) for e in errors}
    assert ("hedge", "FP") in kinds and ("risk_disclosure", "FN") in kinds


def test_score_labels_split_gold_sentence_and_ignored_title():
    gold = [{"text": "Ketamine acts fast. Relief comes within hours.", "labels": ["claim"]}]
    pred = [{"text": "Ketamine Clinic Opens", "labels": ["promotional"]},     # the title
            {"text": "Ketamine acts fast.", "labels": []},
            {"text": "Relief comes within hours.", "labels": ["claim"]}]
    counts, _, unaligned = ev.score_labels(gold, pred, ignore=["Ketamine Clinic Opens"])
    assert counts["claim"].tp == 1 and counts["claim"].fp == 0
    assert counts["promotional"].fp == 0
    assert unaligned == 0
    counts, _, unaligned = ev.score_labels(gold, [])
    assert counts["claim"].fn == 1 and unaligned == 1


def test_counts_with_no_predictions_or_no_gold():
    c = ev.Counts()
    assert c.precision is None and c.recall is None and c.f1 is None
    assert ev.Counts(tp=0, fp=3, fn=0).precision == 0.0
    assert ev.Counts(tp=0, fp=1, fn=1).f1 == 0.0


# ---------------------------------------------------------------- quantities and claims

def test_quantity_matching():
    q = {"value": 50, "unit": "%", "op": ">"}
    assert ev.quantity_equal(q, {"value": 50.0, "unit": "percent", "op": ">"})
    assert not ev.quantity_equal(q, {"value": 50.0, "unit": "%", "op": "="})
    assert ev.quantity_equal(q, {"value": 50.0, "unit": "%", "op": "="}, check_op=False)
    assert ev.quantity_value_equal(q, {"value": 50.0, "unit": "%", "op": "="})
    assert not ev.quantity_equal(q, {"value": 5.0, "unit": "%", "op": ">"})
    assert ev.quantity_equal({"value": 2, "unit": "hours", "op": ">"}, {"value": 2, "unit": "hr", "op": ">"})
    assert ev.quantity_equal({"value": 6, "unit": "infusions", "op": "="}, {"value": 6, "unit": "infusion", "op": "="})
    assert ev.quantity_equal({"value": 3.6, "unit": "fold", "op": "~"}, {"value": 3.6, "unit": "times", "op": "~"})
    assert ev.quantity_equal({"value": 16, "unit": "s", "op": "="}, {"value": 16, "unit": "seconds", "op": "="})
    assert not ev.quantity_equal({"value": 3.6, "unit": "fold", "op": "~"}, {"value": 3.6, "unit": "%", "op": "~"})
    assert ev.quantity_equal({"value": 4300000, "unit": "USD", "op": "="},
                             {"value": 4.3, "unit": "million USD", "op": "="})
    assert ev.quantity_equal({"value": -4.0, "unit": "points", "op": "="}, {"value": -4, "unit": "point", "op": "="})
    assert not ev.quantity_equal({"value": -4.0, "unit": "points", "op": "="}, {"value": 4, "unit": "points", "op": "="})
    assert not ev.quantity_equal(q, None)


def test_score_claims_types_conditions_quantities():
    gold = [{"text": "More than half of TRD patients respond after one infusion.", "type": "efficacy",
             "conditions": ["trd"], "quantity": {"value": 50, "unit": "%", "op": ">"}, "evidence": "vague"},
            {"text": "Relief comes within hours.", "type": "onset", "conditions": [], "quantity": None,
             "evidence": "none"},
            {"text": "A session costs $450.", "type": "cost", "conditions": [],
             "quantity": {"value": 450, "unit": "USD", "op": "="}, "evidence": "none"}]
    pred = [{"text": "More than half of TRD patients respond after one infusion.", "type": "efficacy",
             "conditions": ["trd"], "quantity": {"value": 50, "unit": "%", "op": ">"}, "evidence": "vague"},
            {"text": "Relief comes within hours.", "type": "efficacy", "conditions": ["depression"],
             "quantity": None, "evidence": "none"},
            {"text": "We are open daily.", "type": "procedure", "conditions": [], "quantity": None}]
    st, errors = ev.score_claims(gold, pred, document="d")
    assert (st.gold, st.pred, st.matched, st.matched_typed) == (3, 3, 2, 1)
    assert st.conditions_exact == 1 and st.evidence_same == 2
    assert (st.gold_with_quantity, st.quantity_exact, st.quantity_value) == (2, 1, 1)
    r = st.rates()
    assert r["recall"] == pytest.approx(2 / 3) and r["precision"] == pytest.approx(2 / 3)
    assert r["typed_recall"] == pytest.approx(1 / 3)
    assert r["quantity_exact"] == 0.5
    # the missed $450 claim counts against qty, not against qty among found claims
    assert st.found_with_quantity == 1 and r["quantity_found"] == 1.0
    assert {e.kind for e in errors} == {"missed", "spurious", "wrong_type", "conditions"}


def test_score_claims_prefers_same_type_pairing():
    gold = [{"text": "Instant and lasting relief.", "type": "onset", "conditions": []},
            {"text": "Instant and lasting relief.", "type": "durability", "conditions": []}]
    pred = [{"text": "Instant and lasting relief.", "type": "durability", "conditions": []}]
    st, _ = ev.score_claims(gold, pred)
    assert st.matched == 1 and st.matched_typed == 1


# ---------------------------------------------------------------- studies

def test_score_study_fields_and_acute_as_chronic():
    gold = {"design": "rct", "n_randomized": 80, "conditions": ["acute_pain"],
            "comparator_type": "placebo", "significant_primary": True}
    good = ev.score_study(gold, {"design": "rct", "n_randomized": 80, "comparator_type": "placebo",
                                 "significant_primary": True}, ["acute_pain"])
    assert (good.design_correct, good.n_correct, good.comparator_correct, good.significance_correct) == (1, 1, 1, 1)
    assert good.acute_pain_studies == 1 and good.acute_as_chronic == 0 and good.conditions_exact == 1
    bad = ev.score_study(gold, {"design": "open_label", "n_randomized": 40, "comparator_type": None,
                                "significant_primary": None}, ["chronic_pain"])
    assert (bad.design_correct, bad.n_correct, bad.comparator_correct, bad.significance_correct) == (0, 0, 0, 0)
    assert bad.acute_as_chronic == 1
    via_claims = ev.score_study(gold, None, [], claim_conditions=["chronic_pain"])
    assert via_claims.acute_as_chronic == 1 and via_claims.design_correct == 0
    unknown = ev.score_study({"design": "rct", "n_randomized": None, "conditions": [],
                              "comparator_type": None, "significant_primary": None}, {"design": "rct"})
    assert (unknown.n_total, unknown.comparator_total, unknown.significance_total) == (0, 0, 0)


# ---------------------------------------------------------------- documents, splits, report

def _gold(split, sentences, claims=(), kind="web", study=None, document="pages/x.md"):
    g = {"document": document, "split": split, "kind": kind, "sentences": list(sentences),
         "claims": list(claims)}
    if study:
        g["study"] = study
    return g


def _extraction(sentences, claims=(), study=None, conditions=(), title="T"):
    return {"id": "x", "kind": "web", "title": title, "source": "x", "conditions": list(conditions),
            "sentences": [{"i": i, "text": t, "labels": labs, "hype_terms": []}
                          for i, (t, labs) in enumerate(sentences)],
            "claims": list(claims), "study": study, "outcomes": [], "scores": {}}


def test_per_split_separation():
    s = {"text": "Ketamine is groundbreaking.", "labels": ["promotional"]}
    tune = ev.score_document(_gold("tune", [s]), _extraction([("Ketamine is groundbreaking.", ["promotional"])]),
                             gold_file="web/page_a.json")
    hold = ev.score_document(_gold("holdout", [s]), _extraction([("Ketamine is groundbreaking.", [])]),
                             gold_file="web/page_b.json")
    report = ev.build_report([tune, hold])
    assert set(report.splits) == {"tune", "holdout", "all"}
    assert report.splits["tune"].labels["promotional"].tp == 1
    assert report.splits["tune"].labels["promotional"].fn == 0
    assert report.splits["holdout"].labels["promotional"].fn == 1
    assert report.splits["all"].labels["promotional"].support == 2
    only = ev.build_report([tune, hold], "holdout")
    assert list(only.splits) == ["holdout"] and len(only.documents) == 1


def test_score_document_uses_sentence_index_for_claims_and_scores_study():
    gold = _gold("tune", [{"text": "Ketamine reduced pain scores.", "labels": ["claim"]}],
                 [{"text": "Ketamine reduced pain scores.", "type": "efficacy", "conditions": ["acute_pain"],
                   "quantity": None, "evidence": "none"}], kind="abstract",
                 study={"design": "rct", "n_randomized": 60, "conditions": ["acute_pain"],
                        "comparator_type": "placebo", "significant_primary": True},
                 document="pmc_oa_jats/PMC1.nxml")
    ex = _extraction([("Background: trials differ.", []), ("Ketamine reduced pain scores.", ["claim"])],
                     claims=[{"sentence": 1, "text": "", "type": "efficacy", "conditions": ["acute_pain"],
                              "quantity": None, "evidence": "none", "citations": []}],
                     study={"design": "rct", "n_randomized": 60, "comparator_type": "placebo",
                            "significant_primary": True}, conditions=["acute_pain"])
    r = ev.score_document(gold, ex, gold_file="abstracts/PMC1.json")
    assert r.group == "abstract"
    assert r.claims.matched_typed == 1 and r.claims.conditions_exact == 1
    assert r.study.design_correct == 1 and r.study.acute_as_chronic == 0
    failed = ev.score_document(gold, None, gold_file="abstracts/PMC1.json", failure="boom")
    assert failed.labels["claim"].fn == 1 and failed.study.design_correct == 0


def test_format_report_prints_tables_and_errors():
    s = {"text": "Ketamine is groundbreaking.", "labels": ["promotional"]}
    r = ev.score_document(_gold("tune", [s]), _extraction([("Ketamine is groundbreaking.", []),
                                                          ("Call now.", ["call_to_action"])]),
                          gold_file="web/page_a.json")
    text = ev.format_report(ev.build_report([r]), errors=5)
    for word in ("== tune", "== holdout", "== all", "promotional", "micro", "typed F1",
                 "quantity exact", "promotional FN", "call_to_action FP", "Call now."):
        assert word in text
    data = ev.report_json(ev.build_report([r]))
    assert data["all"]["labels"]["promotional"]["fn"] == 1


def test_evaluate_loads_gold_pages_and_runs_the_extractor(tmp_path, monkeypatch):
    (tmp_path / "pages").mkdir()
    (tmp_path / "web").mkdir()
    (tmp_path / "pages" / "p.md").write_text(
        "# A Clinic\n\nKetamine is a groundbreaking cure. Call us today.\n", encoding="utf-8")
    for split in ("tune", "holdout"):
        (tmp_path / "web" / f"page_{split}.json").write_text(json.dumps(_gold(
            split, [{"text": "Ketamine is a groundbreaking cure.", "labels": ["promotional"]}],
            document="pages/p.md")), encoding="utf-8")

    def fake_extract(doc):
        parts = [p for p in doc.text.replace("\n", " ").split(". ") if p.strip()]
        return _extraction([(p.strip().rstrip(".") + ".", ["promotional"] if "ground" in p else [])
                            for p in parts], title=doc.title)

    fake = types.ModuleType("extractors.record")
    fake.extract_document = fake_extract
    monkeypatch.setitem(sys.modules, "extractors.record", fake)
    report = ev.evaluate(tmp_path, tmp_path / "no-corpus")
    assert report.splits["all"].documents == 2
    assert report.splits["all"].labels["promotional"].tp == 2
    assert report.splits["all"].failures == 0
    held = ev.evaluate(tmp_path, tmp_path / "no-corpus", split="holdout")
    assert list(held.splits) == ["holdout"] and held.splits["holdout"].documents == 1


def test_load_gold_reads_web_extra_as_its_own_group(tmp_path):
    for sub, name, split in (("web", "press_a.json", "holdout"), ("web_extra", "press_extra_b.json", "tune"),
                             ("abstracts", "PMC1.json", "tune"), ("abstracts_extra", "PMC2.json", "tune")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / name).write_text(json.dumps(_gold(split, [])), encoding="utf-8")
    names = [n for n, _ in ev.load_gold(tmp_path)]
    assert names == ["web/press_a.json", "web_extra/press_extra_b.json", "abstracts/PMC1.json",
                     "abstracts_extra/PMC2.json"]
    assert [ev.gold_group(n) for n in names] == ["press", "press_extra", "abstract", "abstract_extra"]
    assert ev.gold_group("press_releases/x.md") == "press"
    r = ev.score_document(_gold("tune", []), _extraction([]), gold_file="web_extra/press_extra_b.json")
    assert r.group == "press_extra"


# ---------------------------------------------------------------- the gold files

SPLIT_RULE_FILES = sorted((GOLD / "web").glob("*.json")) + sorted((GOLD / "abstracts").glob("*.json"))
EXTRA_FILES = sorted((GOLD / "web_extra").glob("*.json"))   # extra tune press releases (README)
EXTRA_ABSTRACTS = sorted((GOLD / "abstracts_extra").glob("*.json"))   # extra tune abstracts (README)
GOLD_FILES = SPLIT_RULE_FILES + EXTRA_FILES + EXTRA_ABSTRACTS


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_gold_counts_and_split_rule():
    groups: dict[str, list[Path]] = {}
    for f in SPLIT_RULE_FILES:
        groups.setdefault(ev.gold_group(f.name), []).append(f)
    assert len(groups.get("seed", [])) == 5
    assert len(groups.get("press", [])) >= 30
    assert len(groups.get("abstract", [])) >= 40
    assert len(groups.get("page", [])) >= 10
    assert "press_extra" not in groups, "press_extra_* files belong in web_extra/, not web/"
    for group, files in groups.items():
        for i, f in enumerate(sorted(files, key=lambda p: p.name)):
            expected = "holdout" if i % 5 in (1, 3) else "tune"
            assert _load(f)["split"] == expected, f"{f.name}: split should be {expected} (README rule)"
        holdout = sum(_load(f)["split"] == "holdout" for f in files)
        assert 0.3 <= holdout / len(files) <= 0.45, group
    # the extra press releases sit outside the positional rule and are always tune
    assert len(EXTRA_FILES) >= 20
    for f in EXTRA_FILES:      # extra press releases, and extra pages written for the tune set
        g = _load(f)
        kind = "press" if f.name.startswith("press_extra_") else "page"
        assert f.name.startswith(f"{kind}_extra_") and ev.gold_group(f"web_extra/{f.name}") == f"{kind}_extra"
        assert g["split"] == "tune", f"{f.name}: web_extra files are always tune (README)"
        assert g["document"].startswith("press_releases/" if kind == "press" else "pages/"), f.name
    for f in EXTRA_ABSTRACTS:
        g = _load(f)
        assert ev.gold_group(f"abstracts_extra/{f.name}") == "abstract_extra"
        assert g["split"] == "tune", f"{f.name}: abstracts_extra files are always tune (README)"
        assert g["document"].startswith("pmc_oa_jats/"), f.name
    docs = [_load(f)["document"] for f in GOLD_FILES]
    assert len(docs) == len(set(docs)), "a document is annotated twice"
    pages = {p.name for p in (GOLD / "pages").iterdir()}
    assert {d[len("pages/"):] for d in docs if d.startswith("pages/")} == pages


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_file_is_well_formed(path):
    g = _load(path)
    assert set(g) <= {"document", "split", "kind", "sentences", "claims", "study", "notes"}
    assert g["split"] in ("tune", "holdout")
    assert g["kind"] == ("abstract" if path.parent.name.startswith("abstracts") else "web")
    texts = [s["text"] for s in g["sentences"]]
    assert len(texts) == len(set(texts)), "duplicate sentence"
    for s in g["sentences"]:
        assert s["text"] == " ".join(s["text"].split()), "sentence text must be whitespace-normalised"
        assert s["labels"], f"unlabelled sentence listed: {s['text']}"
        assert set(s["labels"]) <= set(LABELS), s
    claim_sentences = {s["text"] for s in g["sentences"] if "claim" in s["labels"]}
    for c in g["claims"]:
        assert c["text"] in claim_sentences, f"claim sentence not labelled claim: {c['text']}"
        assert c["type"] in CLAIM_TYPES, c
        assert set(c["conditions"]) <= set(CONDITIONS), c
        assert c["evidence"] in ("cited", "vague", "none"), c
        assert isinstance(c["citations"], list)
        if c["evidence"] == "cited":
            assert c["citations"], c
        q = c["quantity"]
        if q is not None:
            assert isinstance(q["value"], (int, float)) and q["unit"] and q["op"] in ("=", ">", "<", "~"), c
    assert claim_sentences <= {c["text"] for c in g["claims"]}, "claim label without a claim record"
    if g["kind"] == "abstract":
        st = g["study"]
        assert st["design"] in DESIGNS
        assert st["n_randomized"] is None or (isinstance(st["n_randomized"], int) and st["n_randomized"] > 0)
        assert set(st["conditions"]) <= set(CONDITIONS)
        assert st["comparator_type"] in ("placebo", "active_placebo", "active", "none", None)
        assert st["significant_primary"] in (True, False, None)
        assert isinstance(st["measures"], list)
        assert not {"acute_pain", "chronic_pain"} <= set(st["conditions"])
    else:
        assert "study" not in g


def _document_text(g: dict) -> str:
    from flows.sources.files import read_file
    if g["document"].startswith("pages/"):
        path = GOLD / g["document"]
    else:
        corpus = _corpus()
        if corpus is None:
            pytest.skip("shared corpus not found beside the checkout (set KETEV_CORPUS_DIR); "
                        "corpus-based gold files cannot be checked against their documents")
        path = corpus / g["document"]
    assert path.is_file(), f"document missing: {path}"
    return " ".join(next(iter(read_file(path))).text.split())


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_sentences_are_in_their_documents(path):
    g = _load(path)
    text = _document_text(g)
    missing = [s["text"] for s in g["sentences"] if s["text"] not in text]
    assert not missing, f"{len(missing)} gold sentence(s) not in the document's main text: {missing[:3]}"


def test_agreement_scores_a_second_annotation_against_the_gold(tmp_path):
    gold_dir, second = tmp_path / "gold", tmp_path / "second"
    (gold_dir / "web").mkdir(parents=True)
    (second / "web").mkdir(parents=True)
    gold = {"sentences": [{"text": "Ketamine is a miracle.", "labels": ["promotional", "claim"]},
                          {"text": "Call us today.", "labels": ["call_to_action"]}],
            "claims": [{"text": "Ketamine is a miracle.", "type": "efficacy", "conditions": []}]}
    other = {"sentences": [{"text": "Ketamine is a miracle.", "labels": ["claim"]},
                           {"text": "Call us today.", "labels": ["call_to_action", "promotional"]}],
             "claims": [{"text": "Ketamine is a miracle.", "type": "safety", "conditions": []}]}
    (gold_dir / "web" / "a.json").write_text(json.dumps(gold), encoding="utf-8")
    (second / "web" / "a.json").write_text(json.dumps(other), encoding="utf-8")
    a = ev.agreement(gold_dir, second)
    assert a.documents == 1
    promo = a.labels["promotional"]
    assert (promo.tp, promo.fp, promo.fn) == (0, 1, 1)
    assert a.labels["call_to_action"].f1 == 1.0
    assert (a.claims.matched, a.claims.matched_typed) == (1, 0)
    assert "1 documents annotated twice" in ev.format_agreement(a)


def test_the_stored_second_annotations_have_gold_twins():
    files = sorted((GOLD / "agreement").rglob("*.json"))
    assert len(files) >= 14
    for f in files:
        twin = GOLD / f.relative_to(GOLD / "agreement")
        assert twin.is_file(), f"{f.name}: no gold file of the same name"
        assert _load(twin)["split"] == "tune", "agreement is measured on tune documents only"


def test_every_holdout_document_has_a_second_annotation_and_an_adjudication_log():
    holdout = {name for name, g in ev.load_gold(GOLD) if g["split"] == "holdout"}
    second = GOLD / "agreement_holdout"
    assert {str(f.relative_to(second)) for f in second.glob("*/*.json")} == holdout
    logs = {f.name.removesuffix(".log.md") for f in (second / "adjudication").glob("*.log.md")}
    assert logs == {name.split("/")[1].removesuffix(".json") for name in holdout}
