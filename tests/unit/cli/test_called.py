"""Finding the workflows a definition calls, and the files beside it that define them."""

from __future__ import annotations

import json
from pathlib import Path

from raikoo.called import Call, called_beside, calls_in, definitions_beside


def call(workflow: str, **more: object) -> dict[str, object]:
    return {"uses": "workflow.call", "with": {"workflow": workflow, **more}}


def test_calls_are_found_at_the_top_and_in_loop_bodies() -> None:
    document = {
        "operations": {
            "a": call("alpha", version=2),
            "each": {"uses": "foreach", "do": call("beta")},
            "group": {"uses": "for", "do": {"x": call("gamma"), "y": {"uses": "noop"}}},
            "dynamic": call("{{ inputs.which }}"),
            "other": {"uses": "set", "with": {"workflow": "not-a-call"}},
        }
    }
    assert calls_in(document) == [
        Call(("operations", "a", "with", "workflow"), "alpha", 2),
        Call(("operations", "each", "do", "with", "workflow"), "beta", None),
        Call(("operations", "group", "do", "x", "with", "workflow"), "gamma", None),
    ]


def write(path: Path, name: str, *calls: str) -> Path:
    operations = {f"c{i}": call(called) for i, called in enumerate(calls)} or {
        "a": {"uses": "noop"}
    }
    path.write_text(json.dumps({"name": name, "operations": operations}))
    return path


def test_what_is_called_beside_a_file_transitively_but_not_itself(tmp_path: Path) -> None:
    parent = write(tmp_path / "parent.json", "parent", "child", "parent", "stored-elsewhere")
    write(tmp_path / "child.json", "child", "grandchild", "parent")
    write(tmp_path / "grandchild.json", "grandchild")
    write(tmp_path / "unrelated.json", "unrelated")
    (tmp_path / "data.yaml").write_text("- just\n- a list\n")
    (tmp_path / "broken.yaml").write_text("name: [unclosed\n")
    document = json.loads(parent.read_text())
    assert called_beside(parent, document) == {
        "child": tmp_path / "child.json",
        "grandchild": tmp_path / "grandchild.json",
    }


def test_where_two_files_share_a_name_the_one_named_after_it_wins(tmp_path: Path) -> None:
    write(tmp_path / "a-copy.json", "export")
    write(tmp_path / "export.json", "export")
    write(tmp_path / "z-copy.json", "export")
    assert definitions_beside(tmp_path) == {"export": tmp_path / "export.json"}
