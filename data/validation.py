"""Validate extraction records against `data/schema/extraction.schema.json`."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "extraction.schema.json"


@cache
def load_extraction_schema() -> dict[str, Any]:
    """The extraction record's JSON Schema (draft 2020-12), loaded once."""
    with SCHEMA_PATH.open(encoding="utf-8") as fh:
        schema = json.load(fh)
    Draft202012Validator.check_schema(schema)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_extraction_schema())


def _path(error: jsonschema.ValidationError) -> str:
    out = "$"
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def extraction_errors(record: dict[str, Any]) -> list[str]:
    """Every problem with `record`, as "path: message" lines (empty when valid)."""
    return [f"{_path(e)}: {e.message}"
            for e in sorted(_validator().iter_errors(record), key=lambda e: list(map(str, e.absolute_path)))]


def validate_extraction(record: dict[str, Any]) -> None:
    """Raise `jsonschema.ValidationError` (message starts with the JSON path,
    e.g. "$.sentences[3].labels[0]: 'hype' is not one of [...]") when `record`
    does not follow the schema; return None when it does."""
    error = best_match(_validator().iter_errors(record))
    if error is None:
        return
    raise jsonschema.ValidationError(
        f"{_path(error)}: {error.message}",
        validator=error.validator, path=error.absolute_path,
        schema_path=error.absolute_schema_path, instance=error.instance,
        validator_value=error.validator_value, schema=error.schema)
