"""Shared by the hostile suite: a meeting with members that have addresses, and `som` run in
process (CliRunner) or as a real process (for races and kills)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from agenda.cli import som
from tests.invite_scenarios import SCENARIOS, Seg

EPOCH = "1693569600"  # 2023-09-01T12:00:00Z
SCENARIO = next(s for s in SCENARIOS if s.name == "divergence")
MEMBER_WITH_MAIL = "geneva"
LINE_LIMIT = 400  # "one short line": the longest error som may print for hostile input


def meeting(folder: Path, **changes) -> Path:
    """The scenario's meeting file; `changes` apply to its first segment (title=..., start=...)."""
    first, *rest = SCENARIO.segments
    return SCENARIO.write(folder, (Seg(**{**first.__dict__, **changes}), *rest))


def first_segment() -> str:
    return SCENARIO.segments[0].id


def som_run(*args, env: dict | None = None, input: str | None = None):
    """`som ARGS` in process; click's Result."""
    return CliRunner().invoke(som, [str(a) for a in args], env={"SOURCE_DATE_EPOCH": EPOCH, **(env or {})},
                              input=input)


def som_process(*args, env: dict | None = None, cwd: Path | None = None, **popen) -> subprocess.Popen:
    """`som ARGS` as a process of its own."""
    full = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "agenda", *map(str, args)], env=full, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def refused(result, *words: str) -> str:
    """Exit 2, one short line, no traceback, and the words said."""
    text = result.output
    assert result.exit_code == 2, text
    assert "Traceback" not in text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("som: error: "), text[:2000]
    assert len(lines[0]) <= LINE_LIMIT, lines[0][:2000]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (links not followed), by relative path."""
    out = {}
    for base, dirs, names in os.walk(folder):
        for name in names:
            path = Path(base, name)
            if path.is_symlink() or not path.is_file():
                continue
            out[str(path.relative_to(folder))] = path.read_bytes()
    return out
