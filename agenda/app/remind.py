"""Reminders: the current invitation again, same SEQUENCE, with a short line asking for a
reply, to the members whose status for the segment is `no-reply` (no address of theirs has
answered, or only with messages that do not count).

Reminders go through the same send log as invitations, as their own kind of delivery, so a
re-run reminds nobody twice and a reminder never stands for the invitation itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from agenda.app.invite import InviteResult, MemberInvitation, mail_invitation
from agenda.app.replies import attendance_of
from agenda.effects import mail
from agenda.model.errors import SomError

PLEASE_REPLY = ("Please reply to this invitation (Accept, Tentative or Decline in your calendar) so that the "
                "secretariat knows who will attend.")


@dataclass(frozen=True)
class Reminders:
    invitations: tuple[mail.Invitation, ...]  # one per member who has not replied
    members: tuple[MemberInvitation, ...]  # the per-member invitations they stand for
    replied: int  # members of those segments who have replied and are not reminded


def reminder_of(inv: MemberInvitation) -> mail.Invitation:
    message = mail_invitation(inv)
    html = message.html
    if html is not None:
        html = f"<p><strong>{PLEASE_REPLY}</strong></p>\n{html}"
    return replace(message, subject=f"Reminder: {message.subject}", text=f"{PLEASE_REPLY}\n\n{message.text}",
                   html=html, reminder=True)


def plan_reminders(result: InviteResult, segment_ids: tuple[str, ...]) -> Reminders:
    """The reminders for `segment_ids`, from the invitations just planned (and written) and the
    replies recorded in the same folder."""
    plan = result.plan
    for outcome in plan.outcomes:
        if outcome.segment.id in segment_ids and outcome.version.cancelled:
            raise SomError(f"{outcome.segment.id} is cancelled: there is nothing to remind anyone of")
    attendance = attendance_of(plan.meeting, plan.root, segment_ids)
    waiting = {(seg.segment.id, m.member.id) for seg in attendance.segments for m in seg.members
               if m.status == "no-reply"}
    members = tuple(inv for inv in plan.members
                    if inv.segment.id in segment_ids and (inv.segment.id, inv.member.id) in waiting)
    total = sum(1 for inv in plan.members if inv.segment.id in segment_ids)
    return Reminders(tuple(reminder_of(inv) for inv in members), members, total - len(members))
