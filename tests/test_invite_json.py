"""agenda.render.invite.invite_json: the document `som invite --format json` prints, built and
checked without Click."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from agenda.app.invite import InviteOptions, apply_plan, plan_invitations
from agenda.cli import som
from agenda.effects.mail import Outcome, SendReport
from agenda.plan.invite import SEND_LOG
from agenda.read.load import load_meeting
from agenda.render.invite import invite_json
from tests.invite_scenarios import SCENARIOS

DIVERGENCE = next(s for s in SCENARIOS if s.name == "divergence")
EPOCH = 1693569600  # 2023-09-01T12:00:00Z
CLOCK = dt.datetime.fromtimestamp(EPOCH, dt.timezone.utc)


def _issue(meeting, out, **options):
    return apply_plan(plan_invitations(load_meeting(meeting), out, InviteOptions(clock=CLOCK, **options)))


def test_a_first_run_then_one_with_nothing_changed(tmp_path):
    meeting = DIVERGENCE.write(tmp_path / "in")
    first = invite_json(_issue(meeting, tmp_path / "out"))
    assert (first["meeting"], first["output"], first["dry_run"], first["feed"]) == (
        "divergence", str(tmp_path / "out"), False, "divergence.ics")
    assert [s["id"] for s in first["segments"]] == [s.id for s in DIVERGENCE.segments]
    for segment in first["segments"]:
        assert (segment["state"], segment["sequence"], segment["sequence_before"]) == ("new", 0, None)
        assert segment["dtstamp"] == "2023-09-01T12:00:00Z" and segment["new_member_invitations"] == []
        assert f"divergence-{segment['id']}.ics" in segment["files"]
    assert first["unchanged"] == 0 and "divergence.ics" in first["written"]
    assert first["members_without_email"] == [o[0] for o in DIVERGENCE.offices if not o[6]]
    assert "send" not in first
    again = invite_json(_issue(meeting, tmp_path / "out"))
    assert {s["state"] for s in again["segments"]} == {"unchanged"}
    assert again["written"] == [] and again["unchanged"] == len(first["written"])
    json.dumps(first)  # a JSON document through and through


def test_each_message_of_a_send(tmp_path):
    meeting = DIVERGENCE.write(tmp_path / "in")
    result = _issue(meeting, tmp_path / "out", dry_run=True)
    invitations = result.plan.members
    report = SendReport(sent=len(invitations) - 1, skipped=1, failed=0, dry_run=True,
                        outcomes=tuple(Outcome(i.key, "skipped" if n == 0 else "would send")
                                       for n, i in enumerate(invitations)))
    send = invite_json(result, report)["send"]
    assert (send["dry_run"], send["sent"], send["skipped"], send["failed"]) == (True, len(invitations) - 1, 1, 0)
    assert send["log"] == str(tmp_path / "out" / SEND_LOG)
    first = invitations[0]
    assert send["messages"][0] == {
        "member": first.member.id, "acronym": first.member.acronym, "addresses": list(first.member.emails),
        "segment": first.segment.id, "method": "REQUEST", "sequence": 0, "status": "skipped", "file": first.key}
    assert [m["status"] for m in send["messages"]].count("would send") == len(invitations) - 1


def test_the_command_prints_it(tmp_path):
    meeting = DIVERGENCE.write(tmp_path / "in")
    printed = CliRunner().invoke(som, ["invite", str(meeting), "-o", str(tmp_path / "cli"), "--format", "json"],
                                 env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    assert printed.exit_code == 0, printed.output
    built = invite_json(_issue(meeting, tmp_path / "cli-too"))
    assert printed.stdout == json.dumps({**built, "output": str(tmp_path / "cli")}, indent=2, ensure_ascii=False) + "\n"
