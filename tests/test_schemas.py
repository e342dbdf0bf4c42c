"""JSON Schemas for editors: committed, current, and named by every content file's first line."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from bot.content.loader import KINDS, content_files, detect_kind, schema_header
from bot.settings import PROJECT_ROOT

SCHEMAS = PROJECT_ROOT / "schemas"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_schemas", PROJECT_ROOT / "scripts" / "gen_schemas.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestSchemasAreCurrent:
    def test_one_schema_per_content_type(self) -> None:
        """There is a committed schema file for every content type, and no stray ones."""
        names = {p.name for p in SCHEMAS.glob("*.schema.json")}
        assert names == {f"{kind}.schema.json" for kind in KINDS}

    @pytest.mark.parametrize("kind", sorted(KINDS))
    def test_committed_schema_matches_the_models(self, kind: str) -> None:
        """The committed schema is exactly what the script writes from the models now."""
        name = f"{kind}.schema.json"
        expected = _generator().schemas()[name]
        committed = (SCHEMAS / name).read_text(encoding="utf-8")
        assert committed == expected, (
            f"schemas/{name} is out of date with bot/content/models.py: "
            "run `.venv/bin/python scripts/gen_schemas.py` and commit the result"
        )

    def test_schemas_forbid_unknown_keys_and_describe_fields(self) -> None:
        """An editor flags a typo'd key and shows a description for each quiz field."""
        schema = json.loads((SCHEMAS / "quiz.schema.json").read_text(encoding="utf-8"))
        assert schema["additionalProperties"] is False
        question = schema["$defs"]["Question"]
        assert question["additionalProperties"] is False
        assert question["properties"]["answer"]["enum"] == ["A", "B", "C", "D"]
        assert all("description" in f for f in question["properties"].values())


def _shipped() -> list[Path]:
    return content_files(PROJECT_ROOT)


@pytest.mark.parametrize("path", _shipped(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_every_content_file_names_its_schema_on_line_one(path: Path) -> None:
    """Each shipped YAML file starts with the modeline pointing at its type's schema."""
    text = path.read_text(encoding="utf-8")
    kind = detect_kind(yaml.safe_load(text))
    assert kind is not None, f"{path}: cannot tell its content type"
    expected = schema_header(kind, path, PROJECT_ROOT)
    first = text.splitlines()[0] if text else ""
    assert first == expected, f"{path}: line 1 should be `{expected}`"
    target = (path.parent / expected.split("$schema=", 1)[1]).resolve()
    assert target.is_file(), f"{path}: the schema it names does not exist"


def test_shipped_patterns_header_is_two_folders_up() -> None:
    """Pattern files sit one folder deeper, so their schema path starts with ../../."""
    path = PROJECT_ROOT / "content" / "patterns" / "loan.yaml"
    assert (
        schema_header("pattern", path, PROJECT_ROOT)
        == "# yaml-language-server: $schema=../../schemas/pattern.schema.json"
    )
