"""Tests about the project itself: help, README and docs, imports, start-up cost, installation."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import agenda
from agenda.cli import COMMANDS
from tests import som29

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS_PAGE = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_help_a_section_in_the_docs_and_an_example(runner, name):
    from tests.test_docs import example_commands

    result = runner(name, "--help")
    assert result.exit_code == 0 and "Usage: som" in result.stdout
    assert f"\n## `som {name}`\n" in COMMANDS_PAGE, f"docs/commands.md has no section for `som {name}`"
    # An example written for people, not the one in the command's own help.
    examples = [line for _, line in example_commands()]
    assert any(line == f"som {name}" or line.startswith(f"som {name} ") for line in examples), \
        f"neither the README nor docs/ has an example of `som {name}`"


def test_readme_starts_with_the_two_commands():
    fenced = README.split("```")[1].strip().splitlines()
    assert fenced == ["make run", "make test"]


def test_readme_fits_on_a_page_and_the_commands_are_on_its_first_screen():
    lines = README.splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; move the details to docs/"
    first_fence = next(n for n, line in enumerate(lines) if line.startswith("```"))
    assert first_fence < 24, "`make run` and `make test` must show on the README's first screen"


def test_help_lists_each_command_with_its_own_summary_without_importing_it():
    import click

    from agenda.cli import SUMMARIES, som

    ctx = click.Context(som)
    assert list(SUMMARIES) == list(COMMANDS)
    for name in COMMANDS:
        assert SUMMARIES[name] == som.get_command(ctx, name).get_short_help_str(limit=200), name
    code = ("import sys; from agenda.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('COMMANDS:' + ','.join(m for m in sys.modules if m.startswith('agenda.cli.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "COMMANDS:"
    assert all(SUMMARIES[name] in out.stdout for name in COMMANDS)


def test_help_imports_nothing_heavy():
    code = ("import sys; from agenda.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('icalendar', 'holidays', 'rich', 'docx', 'dateutil') if m in sys.modules]\n"
            "print('HEAVY:' + ','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_a_command_skips_full_garbage_collections_and_gives_the_thresholds_back(runner, monkeypatch):
    # with thresholds of 1, any command would run full collections (they walk every object
    # alive: at 40,000 members, a third of `som schedule`); young collections still run
    import gc

    import agenda.plan.schedule

    before = gc.get_threshold()
    runs = {0: 0, 1: 0, 2: 0}
    during: dict[str, dict[int, int]] = {}
    build = agenda.plan.schedule.build_schedule

    def counted(*args, **kwargs):  # inside the command: what collections run while it works
        start = dict(runs)
        kept = [[n] for n in range(100_000)]  # as a large directory's objects: alive, many
        plan = build(*args, **kwargs)
        assert len(kept) == 100_000
        during.update(start=start, end=dict(runs))
        return plan

    def count(phase, info):
        if phase == "start":
            runs[info["generation"]] += 1

    monkeypatch.setattr(agenda.plan.schedule, "build_schedule", counted)
    gc.set_threshold(1, 1, 1)
    gc.callbacks.append(count)
    try:
        result = runner("schedule")
        after = gc.get_threshold()
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*before)
    assert result.exit_code == 0
    assert during["end"][2] == during["start"][2] and during["end"][0] > during["start"][0]
    assert after == (1, 1, 1)


@pytest.mark.parametrize("module", sorted(m.name for m in pkgutil.walk_packages(agenda.__path__, "agenda.")
                                           if m.name != "agenda.__main__"))
def test_every_module_imports_on_its_own(module):
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, cwd=ROOT)


def test_python_dash_m(tmp_path):
    out = subprocess.run([sys.executable, "-m", "agenda", "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0 and agenda.__version__ in out.stdout


def test_a_bug_is_one_line_with_where_to_report(runner, monkeypatch):
    import agenda.plan.schedule

    def broken(*a, **k):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(agenda.plan.schedule, "build_schedule", broken)
    result = runner("schedule")
    assert result.exit_code == 3
    assert "internal error: ZeroDivisionError: boom" in result.stderr and "report it" in result.stderr
    assert "Traceback" not in result.output


def test_plain_pip_install_works_in_an_empty_folder(tmp_path):
    """A wheel (not editable) carries the bundled meeting and directory, and the compiled catalogs."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    [wheel] = wheels.glob("som-*.whl")
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-I", "-c",
                          f"import sys; sys.path.insert(0, {str(target)!r}); "
                          "import agenda, agenda.cli; assert agenda.__file__.startswith(sys.path[0]), agenda.__file__; "
                          "from agenda.render.language import catalog; "  # the compiled catalogs travel too
                          "assert catalog('fr').gettext('Agenda') == 'Ordre du jour'; "
                          "agenda.cli.main(['schedule', '--format', 'csv', '--segment', 'senior'])"],
                         capture_output=True, text=True, cwd=empty, env=env)
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.strip().splitlines()) == 1 + len(som29.MEMBERS)  # the header, a row per member


@pytest.mark.parametrize("args", [["schedule"], ["members", "--format", "csv"]])
def test_a_closed_pipe_ends_quietly(args, tmp_path):
    som = Path(sys.executable).parent / "som"
    out = subprocess.run(["bash", "-c", f"'{som}' {' '.join(args)} | head -n 1 > /dev/null; echo ${{PIPESTATUS[0]}}"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.stdout.strip() == "0" and "Traceback" not in out.stderr and out.stderr == ""


def test_verbose_shows_the_traceback_of_a_bug(runner, monkeypatch):
    import agenda.plan.schedule

    def broken(*a, **k):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(agenda.plan.schedule, "build_schedule", broken)
    with pytest.raises(ZeroDivisionError):
        runner("--verbose", "schedule")
