"""The extraction record's JSON Schema: records validate, wrong vocabulary is rejected."""
import copy
import os
from pathlib import Path

import jsonschema
import pytest

from data.records import CLAIM_TYPES, CONDITIONS, DESIGNS, LABELS, OUTCOME_KINDS, Document
from data.validation import extraction_errors, load_extraction_schema, validate_extraction
from extractors.record import extract_document


def _corpus_dir() -> Path:
    env = os.environ.get("KETEV_CORPUS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "corpus"


CORPUS = _corpus_dir()


def web():
    return Document(
        id="url:https://clinic.example/k", kind="web", title="Ketamine clinic", source="https://clinic.example/k",
        origin="web", raw_format="html",
        text=("Ketamine is a groundbreaking cure for depression.\nStudies show it works within hours.\n"
              "Infusions cost $400 (PMID: 23982301).\nSide effects include nausea.\nCall us today!\n"),
        links=["https://pubmed.ncbi.nlm.nih.gov/23982301/"])


def abstract():
    return Document(
        id="pmid:1", kind="abstract", title="Ketamine for TRD: a randomized trial", source="pubmed", origin="pubmed",
        raw_format="pubmed_xml", text="",
        sections=[("METHODS", "N = 73 patients were randomized to ketamine or midazolam."),
                  ("RESULTS", "Response was 64% vs 28% (OR 2.18, 95% CI 1.21-4.14; p < 0.001). "
                              "MD 24.0 (27.31, 20.64).")],
        publication_types=["Randomized Controlled Trial"])


def trial():
    return Document(
        id="nct:NCT01920555", kind="trial", title="Ketamine dose-ranging in TRD", source="ctgov", origin="ctgov",
        raw_format="ctgov_json", nct_id="NCT01920555", text="Participants receive a single ketamine infusion.",
        trial={"protocolSection": {
            "designModule": {"studyType": "INTERVENTIONAL",
                             "designInfo": {"allocation": "RANDOMIZED", "interventionModel": "PARALLEL"},
                             "enrollmentInfo": {"count": 99, "type": "ACTUAL"}},
            "armsInterventionsModule": {"armGroups": [
                {"label": "Ketamine 0.5 mg/kg", "type": "EXPERIMENTAL", "interventionNames": ["Drug: Ketamine"]},
                {"label": "Midazolam", "type": "ACTIVE_COMPARATOR", "interventionNames": ["Drug: Midazolam"]}]}}})


def test_schema_is_draft_2020_12_with_the_vocabularies():
    schema = load_extraction_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    d = schema["$defs"]
    assert tuple(d["condition"]["enum"]) == CONDITIONS
    assert tuple(d["label"]["enum"]) == LABELS
    assert tuple(d["claim_type"]["enum"]) == CLAIM_TYPES
    assert tuple(d["design"]["enum"]) == DESIGNS
    assert tuple(d["outcome_kind"]["enum"]) == OUTCOME_KINDS
    for name in ("sentence", "claim", "study", "outcome", "quantity"):
        assert d[name]["additionalProperties"] is False
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("make", [web, abstract, trial])
def test_extracted_records_validate(make):
    rec = extract_document(make()).to_dict()
    validate_extraction(rec)
    assert extraction_errors(rec) == []


def test_records_carry_what_they_should():
    w = extract_document(web()).to_dict()
    assert w["claims"] and w["study"] is None
    assert any("evidence_cited" in s["labels"] for s in w["sentences"])
    a = extract_document(abstract()).to_dict()
    assert a["study"]["n_randomized"] == 73 and a["scores"]["suspect_numbers"] == 1.0
    assert any(o["ci"] == [1.21, 4.14] for o in a["outcomes"])
    t = extract_document(trial()).to_dict()
    assert t["study"]["comparator_type"] == "active_placebo" and t["study"]["n_randomized"] == 99


@pytest.mark.parametrize("path,bad", [
    (("sentences", 0, "labels"), ["hype"]),
    (("conditions",), ["depresion"]),
    (("claims", 0, "type"), "price"),
    (("claims", 0, "quantity"), {"value": 1, "unit": "%", "op": ">="}),
    (("kind",), "webpage"),
])
def test_wrong_vocabulary_is_rejected_with_its_path(path, bad):
    rec = extract_document(web()).to_dict()
    target = rec
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = bad
    with pytest.raises(jsonschema.ValidationError) as err:
        validate_extraction(rec)
    where = "$" + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path)
    assert str(err.value.message).startswith(where), err.value.message


def test_schema_rejects_wrong_design_outcome_kind_and_extra_keys():
    rec = extract_document(abstract()).to_dict()
    for mutate in (lambda r: r["study"].__setitem__("design", "cohort"),
                   lambda r: r["outcomes"][0].__setitem__("kind", "rate"),
                   lambda r: r["outcomes"][0].__setitem__("direction", "up"),
                   lambda r: r.__setitem__("extra", 1),
                   lambda r: r["study"].__setitem__("sample", 5),
                   lambda r: r["scores"].__setitem__("other", "high"),
                   lambda r: r["scores"].pop("promotional")):
        bad = copy.deepcopy(rec)
        mutate(bad)
        with pytest.raises(jsonschema.ValidationError):
            validate_extraction(bad)
    ok = copy.deepcopy(rec)
    ok["scores"]["another_number"] = 0.5            # extra numeric scores are allowed
    validate_extraction(ok)


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPUS / "seeds").is_dir(), reason=f"corpus seeds not found at {CORPUS / 'seeds'}")
def test_seed_pages_validate_with_claims_and_promotion():
    files = sorted(p for p in (CORPUS / "seeds").iterdir() if p.is_file())
    assert files
    promotional = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        doc = Document(id=f"file:seeds/{path.name}", kind="web", title=text.strip().splitlines()[0][:200],
                       text=text, source=str(path), origin="files", raw_format="text")
        rec = extract_document(doc).to_dict()
        validate_extraction(rec)
        assert rec["claims"], path.name
        # not every seed page promotes (one of the five has no promotional sentence in the gold)
        promotional.append(rec["scores"]["promotional"])
        assert (rec["scores"]["promotional"] > 0) == any("promotional" in s["labels"] for s in rec["sentences"])
        texts = [s["text"] for s in rec["sentences"]]
        assert not any(t.startswith("![") or t == "Leave a Reply" or "will not be published" in t
                       for t in texts), path.name
    assert sum(share > 0 for share in promotional) >= len(files) - 1
