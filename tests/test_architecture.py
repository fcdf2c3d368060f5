"""The layers of the package hold: imports run one way, and every module sits in a layer.

The contract itself is import-linter's (`[tool.importlinter]` in pyproject.toml). These tests
run it, and make sure it cannot pass by accident: every sub-package of `agenda` is one of its
layers, no module sits outside them, and a forbidden import is in fact reported.
"""

from __future__ import annotations

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
