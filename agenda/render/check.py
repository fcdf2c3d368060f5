"""som check's findings as a table, JSON, CSV or Markdown."""

from __future__ import annotations

from agenda.plan.check import SEVERITIES, CheckResult, _members_cell, _plural
from agenda.render.output import Report, Table


def check_json(result: CheckResult) -> dict:
    return {
        "meeting": result.meeting.id,
        "today": result.today.isoformat(),
        "summary": {s: result.count(s) for s in SEVERITIES},
        "findings": [{
            "severity": f.severity,
            "code": f.code,
            "segment": f.segment,
            "date": f.date.isoformat() if f.date else None,
            "members": [m.id for m in f.members],
            "message": f.message,
        } for f in result.findings],
    }


def check_report(result: CheckResult):

    # A finding without members concerns the meeting as a whole: the column says so.
    rows = [[f.severity, f.code, f.segment or "", f.date.isoformat() if f.date else "",
             _members_cell(f.members) if f.members else "all", f.message] for f in result.findings]
    summary = ", ".join(_plural(result.count(s), word) for s, word in
                        (("error", "error"), ("warning", "warning"), ("info", "note"))) if result.findings else "no findings"
    table = Table(("Severity", "Code", "Segment", "Date", "Members", "Message"), rows,
                  title=f"som check: {result.meeting.title} ({result.meeting.id})", footer=[summary])
    return Report([table], check_json(result))
