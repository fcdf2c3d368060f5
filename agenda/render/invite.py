"""`som invite` for scripts: the JSON document of one run, what was issued (and sent).

It reads an agenda.app.invite.InviteResult and, when the run sent the invitations (or rehearsed
sending them), the agenda.effects.mail.SendReport; this layer is below both, so it reads their
fields and imports neither.
"""

from __future__ import annotations

from agenda.plan.invite import SEND_LOG


def invite_json(result, send=None, reminded=None) -> dict:
    """The JSON document of an invite run: every segment's state, version and files, what was
    written, and with `send` (a SendReport) one entry per message under "send". `reminded`: when
    the run sent reminders to members who had not replied, the per-member invitations they stand for."""
    plan = result.plan
    payload = {
        "meeting": plan.meeting.id,
        "output": str(plan.root),
        "dry_run": result.dry_run,
        "feed": plan.feed,
        "segments": [{
            "id": o.segment.id,
            "state": o.state,
            "changes": list(o.changes),
            "uid": o.version.uid,
            "sequence": o.version.sequence,
            "sequence_before": o.before.sequence if o.before else None,
            "dtstamp": f"{o.version.dtstamp:%Y-%m-%dT%H:%M:%SZ}",
            "status": o.version.values["status"],
            "files": list(o.files),
            "new_member_invitations": [m.id for m in o.new_members] if o.state != "new" else [],
        } for o in plan.outcomes],
        "written": list(result.written),
        "unchanged": len(plan.files) - len(result.written),
        "members_without_email": [m.id for m in plan.skipped],
        "notes": list(plan.notes),
    }
    if send is not None:
        payload["send"] = {"dry_run": send.dry_run, "sent": send.sent, "skipped": send.skipped,
                           "failed": send.failed, "log": str(plan.root / SEND_LOG),
                           "messages": sent_messages(result, send, reminded)}
        if reminded is not None:
            payload["send"]["reminders"] = True
    return payload


def sent_messages(result, send, reminded=None) -> list[dict]:
    """One entry per message: who gets which segment, METHOD and SEQUENCE, and what happened."""
    by_key = {inv.key: inv for inv in (result.plan.members if reminded is None else reminded)}
    out = []
    for outcome in send.outcomes:
        inv = by_key[outcome.key]
        out.append({"member": inv.member.id, "acronym": inv.member.acronym,
                    "addresses": list(outcome.recipients) or [p.email for p in inv.recipients],
                    "segment": inv.segment.id, "method": inv.method, "sequence": inv.version.sequence,
                    "status": outcome.status, "file": inv.key})
    return out
