"""The layers of the package hold: imports run one way, and every module sits in a layer.

The contract itself is import-linter's (`[tool.importlinter]` in pyproject.toml). These tests
run it, and make sure it cannot pass by accident: every sub-package of `agenda` is one of its
layers, no module sits outside them, and a forbidden import is in fact reported.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path



if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "agenda"
CONTRACT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
LAYERS = CONTRACT["contracts"][0]["layers"]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    lint = Path(sys.executable).parent / "lint-imports"
    assert lint.exists(), "import-linter is not installed: run `make test` (it installs the test extras)"
    return subprocess.run([str(lint), "--no-cache"], cwd=root, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)})


def test_imports_run_one_way():
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 kept, 0 broken" in done.stdout


def test_every_sub_package_is_a_layer_and_every_module_is_in_one():
    packages = {f"agenda.{p.name}" for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages - {"agenda.calendars"} == set(LAYERS)
    top_level = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top_level == ["__init__.py", "__main__.py"], "a module outside the layers escapes the contract"


def test_the_contract_catches_a_backward_import(tmp_path):
    # A copy of the package where the model imports the command line: the linter must refuse it.
    shutil.copytree(PACKAGE, tmp_path / "agenda", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    ids = tmp_path / "agenda" / "model" / "ids.py"
    ids.write_text(ids.read_text(encoding="utf-8") + "\nimport agenda.cli.options  # backwards\n", encoding="utf-8")
    done = lint_imports(tmp_path)
    assert done.returncode != 0
    assert "agenda.model is not allowed to import agenda.cli" in done.stdout


def test_no_text_points_outside_the_repository():
    # The design rules the code relies on are written in docs/; nothing cites documents that
    # live elsewhere, or a path of the machine the project was written on.
    outside = ("ICS-RULES", "PRODUCT.md", "STYLE.md", "../shared", "/work/")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in tracked:
        path = ROOT / name
        if path.suffix not in {".py", ".md", ".toml", ".sh", ".mjs", ".txt", ".cfg", ""} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{name}: {word}" for word in outside if word in text and name != "tests/test_architecture.py"]
    assert not found


# --- the library speaks the domain, the command line speaks options -----------------------------

FLAG = re.compile(r"(?<![\w-])--[a-z]")

# String literals outside agenda/cli that may name an option, and why each must.
FLAGS_ALLOWED = {
    # the pack's index.md is a document for its reader, who sends the invitations with a command
    ("agenda/app/build.py", "`som invite --send`"),
    # the secretariat's page (som build's internal one) is a document too: it tells its reader
    # which command makes the page to publish (the option is a value of the translated phrase)
    ("agenda/render/page.py", "<code>--internal</code>"),
    # an option of git, not of som: how to get a Unix time for SOURCE_DATE_EPOCH
    ("agenda/effects/clock.py", "`git log -1 --format=%ct`"),
    # a meeting-file error points its author to where the template titles are documented
    ("agenda/plan/checklist.py", "`som checklist --help`"),
}


def _string_literals(path: Path):
    """Every str constant in a module: docstrings, plain strings, the text of f-strings."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_option_is_named_outside_the_command_line():
    # The library says what is wrong in its own words (agenda.model.errors); agenda/cli/errors.py
    # puts the options in the parameters' place.
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name.startswith("agenda/cli/"):
            continue
        for line, text in _string_literals(path):
            if FLAG.search(text) and not any(name == f and allowed in text for f, allowed in FLAGS_ALLOWED):
                found.append(f"{name}:{line}: {text[:100]!r}")
    assert not found, "\n".join(found)


def test_the_flag_check_sees_f_strings_and_docstrings(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""Pass --today."""\nx = f"{1} --between {2}"\ny = "T-14 weeks, e-mail, a --> b"\n')
    assert [line for line, text in _string_literals(module) if FLAG.search(text)] == [1, 2]


# --- the clock, the environment and the terminal are read at the top, and passed down ----------

PURE_LAYERS = ("model", "read", "plan", "render")
READS = {"date.today", "datetime.now", "datetime.utcnow", "datetime.today", "os.environ", "os.getenv", "time.time",
         "os.get_terminal_size", "shutil.get_terminal_size"}


def _reads(path: Path):
    """Where a module reads the clock, the environment or the terminal: (line, what)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute):
            if node.attr == "isatty":
                yield node.lineno, "isatty"
            elif isinstance(node.value, ast.Name) and f"{node.value.id}.{node.attr}" in READS:
                yield node.lineno, f"{node.value.id}.{node.attr}"
        elif isinstance(node, ast.ImportFrom) and node.module in ("os", "time", "shutil"):
            for alias in node.names:
                if f"{node.module}.{alias.name}" in READS:
                    yield node.lineno, f"from {node.module} import {alias.name}"


def test_the_clock_environment_and_terminal_are_not_read_below_effects():
    # agenda.effects.clock reads the clock (today, now, SOURCE_DATE_EPOCH), agenda/cli the terminal;
    # the layers below take what they need as arguments.
    found = [f"{path.relative_to(ROOT).as_posix()}:{line}: {what}"
             for layer in PURE_LAYERS for path in sorted((PACKAGE / layer).rglob("*.py"))
             for line, what in _reads(path)]
    assert not found, "\n".join(found)


def test_the_read_check_sees_each_kind_of_read(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os, sys\nfrom datetime import date\nfrom os import environ\n"
                      "a = date.today()\nb = os.environ['X']\nc = sys.stdout.isatty()\nd = date(2024, 1, 1)\n")
    assert sorted(what for _, what in _reads(module)) == ["date.today", "from os import environ", "isatty", "os.environ"]


# --- the types check ---------------------------------------------------------------------------

def test_mypy_finds_no_errors():
    # `[tool.mypy]` in pyproject.toml says what is checked and how; mypy is in the test extras.
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert "No module named mypy" not in done.stderr, "mypy is not installed: run `make test` (it installs the test extras)"
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
