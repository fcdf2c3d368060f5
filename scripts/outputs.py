"""Run every som command on the bundled SOM29 meeting and keep what it prints and writes.

    .venv/bin/python scripts/outputs.py /tmp/som-a     # before the change
    .venv/bin/python scripts/outputs.py /tmp/som-b     # after it (a name of the same length:
    diff -r /tmp/som-a /tmp/som-b                      # tables are padded to the widest path)

Used to prove that a change that should not change behaviour did not: run it before the
change and after, then compare the two folders byte for byte. The clock is fixed
(SOURCE_DATE_EPOCH, --today) and so is the terminal width, so two runs of the same code give
the same bytes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ROOT / "tests" / "notices"
TODAY = "2023-09-20"

# (name, arguments); an argument "{out}" is replaced by a folder inside the run's folder.
RUNS: list[tuple[str, list[str]]] = [
    ("help", ["--help"]),
    ("schedule.table", ["schedule"]),
    ("schedule.json", ["schedule", "--format", "json", "--tz", "Asia/Kathmandu"]),
    ("schedule.csv", ["schedule", "--format", "csv"]),
    ("schedule.md", ["schedule", "--format", "md", "--segment", "technical"]),
    ("convert.table", ["convert", "26 September 2023 15:00 CEST"]),
    ("convert.json", ["convert", "2024-03-12 09:00", "--from", "America/New_York", "--members",
                      "--format", "json"]),
    ("members.table", ["members"]),
    ("members.csv", ["members", "--format", "csv"]),
    ("members.json", ["members", "--format", "json"]),
    ("agenda.table", ["agenda"]),
    ("agenda.md", ["agenda", "--format", "md"]),
    ("agenda.html", ["agenda", "--format", "html"]),
    ("agenda.docx", ["agenda", "--format", "docx", "-o", "{out}/agenda.docx"]),
    ("agenda.fr.md", ["agenda", "--format", "md", "--lang", "fr"]),
    ("agenda.ar.html", ["agenda", "--format", "html", "--lang", "ar"]),
    ("agenda.ar.docx", ["agenda", "--format", "docx", "--lang", "ar", "-o", "{out}/agenda.docx"]),
    ("schedule.es.table", ["schedule", "--lang", "es", "--segment", "senior"]),
    ("checklist.table", ["checklist", "--today", TODAY]),
    ("checklist.md", ["checklist", "--today", TODAY, "--format", "md"]),
    ("checklist.csv", ["checklist", "--today", TODAY, "--format", "csv"]),
    ("checklist.json", ["checklist", "--today", TODAY, "--format", "json"]),
    ("checklist.ics", ["checklist", "--today", TODAY, "--format", "ics"]),
    ("check.table", ["check", "--today", TODAY]),
    ("check.json", ["check", "--today", TODAY, "--format", "json"]),
    ("check.md", ["check", "--today", TODAY, "--format", "md"]),
    ("suggest.table", ["suggest", "--between", "2024-09-02..2024-09-13", "--duration", "2h"]),
    ("suggest.json", ["suggest", "--between", "2024-09-02..2024-09-13", "--format", "json",
                      "--members", "unep,undp,escap,eclac"]),
    ("invite.table", ["invite", "-o", "{out}"]),
    ("invite.json", ["invite", "-o", "{out}", "--format", "json", "--cancel", "senior"]),
    ("invite.dry-run", ["invite", "-o", "{out}", "--dry-run", "--format", "json"]),
    ("build", ["build", "-o", "{out}"]),
    ("build.again", ["build", "-o", "{out}"]),
] + [(f"import-report.{p.stem}", ["import-report", f"notices/{p.name}"])
     for p in sorted(NOTICES.glob("*.txt"))]


def som() -> list[str]:
    # this checkout's package, whatever is installed: run it with the Python that has som's
    # dependencies (`.venv/bin/python scripts/outputs.py DIR`)
    return [sys.executable, "-m", "agenda"]


def main(target: str) -> int:
    out = Path(target)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(NOTICES, out / "notices")  # named relative to the run's folder in messages
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", COLUMNS="120", TERM="dumb",
               NO_COLOR="1", TZ="UTC", PYTHONPATH=str(ROOT))
    for name, args in RUNS:
        # `invite.json` re-uses `invite.table`'s folder so that it shows an update
        files = out / (name.split(".")[0] if name.startswith("invite") or name.startswith("build")
                       else name + ".files")
        args = [a.replace("{out}", str(files)) for a in args]
        done = subprocess.run(som() + args, capture_output=True, env=env, cwd=out)
        text = (done.stdout + b"\n--- stderr ---\n" + done.stderr).replace(str(out).encode(), b"OUT")
        (out / f"{name}.out").write_bytes(text + f"\n--- exit {done.returncode} ---\n".encode())
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
