"""The JSON Schemas of the situation catalogue and the lexicon, for editors (generated from the models).

Regenerate after changing the models: `.venv/bin/python -m assistant.situations.schema`.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from assistant.situations.catalogue import Catalogue
from assistant.situations.lexicon import Lexicon

SCHEMA_PATH = Path(__file__).resolve().parent / "situations.schema.json"
LEXICON_SCHEMA_PATH = Path(__file__).resolve().parent / "lexicon.schema.json"


def json_schema(model: type[BaseModel] = Catalogue, title: str = "Situation catalogue") -> dict:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema


def catalogue_json_schema() -> dict:
    return json_schema(Catalogue, "Situation catalogue")


def schema_text() -> str:
    return _dump(catalogue_json_schema())


def lexicon_schema_text() -> str:
    return _dump(json_schema(Lexicon, "Customer-to-manual lexicon"))


def _dump(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_json_schema(path: Path = SCHEMA_PATH) -> Path:
    path.write_text(schema_text(), encoding="utf-8")
    return path


def write_json_schemas() -> list[Path]:
    LEXICON_SCHEMA_PATH.write_text(lexicon_schema_text(), encoding="utf-8")
    return [write_json_schema(), LEXICON_SCHEMA_PATH]


if __name__ == "__main__":
    for written in write_json_schemas():
        print(written)
