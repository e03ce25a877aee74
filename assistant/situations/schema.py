"""The JSON Schema of the situation catalogue, for editors (generated from the pydantic models).

Regenerate after changing the models: `.venv/bin/python -m assistant.situations.schema`.
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.situations.catalogue import Catalogue

SCHEMA_PATH = Path(__file__).resolve().parent / "situations.schema.json"


def catalogue_json_schema() -> dict:
    schema = Catalogue.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Situation catalogue"
    return schema


def schema_text() -> str:
    return json.dumps(catalogue_json_schema(), ensure_ascii=False, indent=2) + "\n"


def write_json_schema(path: Path = SCHEMA_PATH) -> Path:
    path.write_text(schema_text(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_json_schema())
