"""Tests about the documentation: docs/commands.md carries the current help of every command."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _generator():
    spec = importlib.util.spec_from_file_location("commands_doc", ROOT / "scripts" / "commands_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _generator()


@pytest.fixture(scope="module")
def help_texts():
    return gen.help_texts()


def test_commands_page_has_the_current_help_of_every_command(help_texts):
    page = gen.PAGE.read_text(encoding="utf-8")
    stale = gen.stale_blocks(page, help_texts)
    assert not stale, (f"docs/commands.md is out of date for {', '.join(stale)}: "
                       f"run `{gen.REGENERATE}` and commit the result")


def test_help_is_the_same_at_any_terminal_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    wide = gen.help_text(["invite"])
    monkeypatch.setenv("COLUMNS", "40")
    assert gen.help_text(["invite"]) == wide
    assert max(len(line) for line in wide.splitlines()) <= gen.WIDTH


def test_update_rewrites_only_the_generated_blocks(help_texts):
    page = gen.PAGE.read_text(encoding="utf-8")
    edited = page.replace("Usage: som convert [OPTIONS] WHEN", "Usage: som convert [OPTIONS] WHEN LATER", 1)
    edited = edited.replace("## `som convert`", "## `som convert`\n\nA hand-written line.", 1)
    assert gen.stale_blocks(edited, help_texts) == ["som convert"]
    fixed = gen.update(edited, help_texts)
    assert gen.stale_blocks(fixed, help_texts) == []
    assert "A hand-written line." in fixed
    assert fixed == page.replace("## `som convert`", "## `som convert`\n\nA hand-written line.", 1)


def test_update_adds_a_section_for_a_new_command_and_refuses_a_gone_one(help_texts):
    texts = dict(help_texts, **{"som holidays": "Usage: som holidays [OPTIONS]\n"})
    page = gen.update(gen.PAGE.read_text(encoding="utf-8"), texts)
    assert page.endswith("## `som holidays`\n\n" + gen.block("som holidays", "Usage: som holidays [OPTIONS]\n") + "\n")
    texts.pop("som build")
    with pytest.raises(SystemExit, match="som build"):
        gen.update(page, texts)
