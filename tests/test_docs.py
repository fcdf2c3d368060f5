"""Tests about the documentation: docs/commands.md carries the current help of every command,
the README's examples run, and every page points only at what is in the repository."""

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
    # A name som has no command for.
    texts = dict(help_texts, **{"som minutes": "Usage: som minutes [OPTIONS]\n"})
    page = gen.update(gen.PAGE.read_text(encoding="utf-8"), texts)
    assert page.endswith("## `som minutes`\n\n" + gen.block("som minutes", "Usage: som minutes [OPTIONS]\n") + "\n")
    texts.pop("som build")
    with pytest.raises(SystemExit, match="som build"):
        gen.update(page, texts)


# --- the pages themselves ------------------------------------------------------------------

PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
FENCE = "```"


def without_generated(text: str) -> str:
    return gen.BLOCK.sub("", text)


def code_lines(path: Path) -> list[str]:
    """The lines of a page's code blocks, generated help left out, a leading `$ ` dropped."""
    blocks = without_generated(path.read_text(encoding="utf-8")).split(FENCE)[1::2]
    lines = [line.strip() for block in blocks for line in block.splitlines()[1:]]
    return [line[2:] if line.startswith("$ ") else line for line in lines]


def example_commands() -> list[tuple[str, str]]:
    """(page, command) for every `som ...` line in a code block of the README or docs/."""
    return [(p.relative_to(ROOT).as_posix(), line) for p in PAGES for line in code_lines(p) if line.startswith("som ")]


def readme_examples() -> list[str]:
    return [line for page, line in example_commands() if page == "README.md"]


@pytest.mark.parametrize("line", readme_examples())
def test_every_readme_example_runs_in_an_empty_folder(runner, line):
    """The README's examples are what a newcomer types first: each must work right after install."""
    import shlex

    args = shlex.split(line.split(" #")[0])[1:]
    result = runner(*args)
    allowed = (0, 1) if args[0] == "check" else (0,)  # `som check` exits 1 when it finds errors
    assert result.exit_code in allowed, f"`{line}`: exit {result.exit_code}\n{result.output}"


def test_the_python_example_in_architecture_runs(tmp_path, monkeypatch):
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    [code] = [b.split("\n", 1)[1] for b in text.split(FENCE)[1::2] if b.startswith("python\n")]
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "docs/architecture.md", "exec"), {})
    assert (tmp_path / "pack" / "invitations" / "som-issued.toml").exists()


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    import re

    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    lines = without_generated(path.read_text(encoding="utf-8")).split(FENCE)[0::2]
    return {github_anchor(line.lstrip("#")) for part in lines for line in part.splitlines() if line.startswith("#")}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_link_stays_in_the_repository_and_resolves(page):
    import re

    text = without_generated(page.read_text(encoding="utf-8"))
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        path = (page.parent / file).resolve() if file else page
        if ROOT not in path.parents and path != ROOT:
            broken.append(f"{target}: outside the repository")
        elif not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}: no heading with that anchor")
    assert not broken, f"{page.name}: {broken}"


# Files of the meeting pack that the pages name, which are written by `som build`, not kept here.
PACK_FILES = {"index.md", "schedule.md", "checklist.md", "pack/index.md", "attendance.md"}
PROJECT_FOLDERS = ("agenda", "bench", "calendars", "docs", "scripts", "tests")


def project_files() -> set[Path]:
    return {p.relative_to(ROOT) for folder in PROJECT_FOLDERS for p in (ROOT / folder).rglob("*")
            if "node_modules" not in p.parts and "__pycache__" not in p.parts} | {Path(p.name) for p in ROOT.glob("*")}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_file_a_page_names_is_in_the_repository(page):
    """A page names files of the project only (documents, modules, scripts), so a moved module or
    a document kept elsewhere shows up here; and no absolute path but the usual system folders."""
    import re

    text = page.read_text(encoding="utf-8")
    files = project_files()
    names = {p.name for p in files}
    missing = []
    for name in sorted(set(re.findall(r"[\w./-]*\w\.(?:md|py|sh|mjs|tsv)\b", text)) - PACK_FILES):
        if "/" not in name:
            found = name in names
        else:
            found = any((base / name).resolve().relative_to(ROOT) in files
                        for base in (ROOT, page.parent, ROOT / "agenda") if (base / name).resolve().is_relative_to(ROOT))
        if not found:
            missing.append(name)
    for path in re.findall(r"(?:^|[\s`(\"'])(/[A-Za-z][\w.-]*)/", text):
        if path not in ("/tmp", "/dev", "/usr", "/etc", "/proc"):
            missing.append(path)
    assert not missing, f"{page.name} names what is not in the repository: {missing}"
