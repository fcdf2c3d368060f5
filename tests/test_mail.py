"""agenda.effects.mail: iMIP messages (RFC 6047) and sending them, against a real SMTP server.

Each sending test starts aiosmtpd on 127.0.0.1 on a free port; what the server stored is
re-parsed with the `email` package. Interruptions are real: a server that closes the
connection midway, a server that is stopped, a sender process killed with SIGKILL.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import os
import pickle
import signal
import socket
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

import agenda.effects.mail
import agenda.render.mime
from agenda.model.errors import SomError
from agenda.effects.mail import (Invitation, SendFailed, SmtpSettings, build_message, eml_bytes, message_id,
                         read_send_log, send_invitations)
from agenda.model.meeting import Person

ORGANIZER = Person("EMG Secretariat", "emg.secretariat@example.org")
DTSTAMP = datetime(2023, 9, 1, 8, 0, tzinfo=timezone.utc)
REPO = Path(__file__).resolve().parents[1]


# --- invitations written by hand ------------------------------------------------------------

def fold(line: str) -> list[str]:
    """RFC 5545 folding for the ASCII lines these tests write."""
    out = [line[:75]]
    line = line[75:]
    while line:
        out.append(" " + line[:74])
        line = line[74:]
    return out


def ics_for(uid: str, sequence: int, method: str, people: tuple[Person, ...]) -> bytes:
    status = "CANCELLED" if method == "CANCEL" else "CONFIRMED"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//som tests//EN", f"METHOD:{method}",
             "BEGIN:VEVENT", f"UID:{uid}", f"SEQUENCE:{sequence}", "DTSTAMP:20230901T080000Z",
             "DTSTART:20230926T130000Z", "DTEND:20230926T150000Z",
             "SUMMARY:29th Meeting of the EMG Senior Officials: Technical Segment",
             "ORGANIZER;CN=EMG Secretariat:mailto:emg.secretariat@example.org"]
    for p in people:
        lines.append(f"ATTENDEE;CN={p.name};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{p.email}")
    lines += [f"STATUS:{status}", "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(part for line in lines for part in fold(line)) + "\r\n").encode()


def invitation(member: str, emails: list[str], *, sequence: int = 0, method: str = "REQUEST",
               segment: str = "technical", subject: str | None = None, html: str | None = "<p>Invitation</p>",
               organizer: Person = ORGANIZER, names: list[str] | None = None) -> Invitation:
    uid = f"emg-som29-{segment}@som.example.org"
    names = names or [f"Focal point {member.upper()} {i}" for i in range(len(emails))]
    people = tuple(Person(n, e) for n, e in zip(names, emails))
    return Invitation(
        key=f"members/{member}/emg-som29-{segment}.ics", ics=ics_for(uid, sequence, method, people),
        method=method, uid=uid, sequence=sequence, dtstamp=DTSTAMP, organizer=organizer,
        recipients=people, subject=subject or f"Invitation: Technical Segment, 26 Sep 2023 ({member})",
        text=f"Technical Segment\n26 September 2023, 15:00–17:00 Geneva (CEST)\n{member}\n", html=html)


def members(n: int) -> list[Invitation]:
    """n members; the second has two addresses."""
    invs = []
    for i in range(n):
        emails = [f"fp{i}@m{i}.example.org"] + ([f"alt{i}@m{i}.example.org"] if i == 1 else [])
        invs.append(invitation(f"m{i}", emails))
    return invs


# --- a real SMTP server ---------------------------------------------------------------------

class Mailbox:
    """An aiosmtpd handler that stores what it accepts, and can misbehave on purpose."""

    def __init__(self, *, refuse_from: int | None = None, drop_at: int | None = None,
                 freeze_at: int | None = None, reject: set[str] = frozenset()):
        self.messages: list[tuple[str, tuple[str, ...], bytes]] = []
        self.attempts = 0
        self.refuse_from = refuse_from  # from this attempt on: "421 shutting down"
        self.drop_at = drop_at  # at this attempt: close the connection without an answer
        self.freeze_at = freeze_at  # at this attempt: hang until `thaw` (the client is killed meanwhile)
        self.reject = set(reject)  # addresses refused at RCPT TO
        self.frozen = threading.Event()
        self.thaw = threading.Event()
        self.on_drop = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.freeze_at == self.attempts:
            self.frozen.set()
            await asyncio.get_running_loop().run_in_executor(None, self.thaw.wait, 30)
            return "451 4.3.0 try again later"  # never stored: the sender died before an answer
        if self.drop_at == self.attempts:
            server.transport.close()
            if self.on_drop:
                self.on_drop()
            return None
        if self.refuse_from is not None and self.attempts >= self.refuse_from:
            return "421 4.3.2 service shutting down"
        self.messages.append((envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 queued"

    def received(self) -> Counter:
        """How many times each address received each (key, uid, sequence, method)."""
        return Counter((rcpt, msg["Message-ID"]) for msg, rcpts in self.parsed() for rcpt in rcpts)

    def parsed(self):
        return [(email.message_from_bytes(content, policy=email.policy.default), rcpts)
                for _, rcpts, content in self.messages]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, handler: Mailbox, **kwargs):
        self.handler = handler
        self.controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
        self.controller.start()
        self.running = True

    @property
    def port(self) -> int:
        return self.controller.port

    def settings(self, **kw) -> SmtpSettings:
        return SmtpSettings(host="127.0.0.1", port=self.port, security=kw.pop("security", "none"),
                            timeout=10, **kw)

    def stop(self) -> None:
        if self.running:
            self.running = False
            self.controller.stop()


@pytest.fixture
def smtp():
    """Start real SMTP servers on 127.0.0.1: smtp(Mailbox(...), **controller_options)."""
    servers: list[Server] = []

    def start(handler: Mailbox | None = None, **kwargs) -> Server:
        server = Server(handler or Mailbox(), **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def log_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_imip(msg: email.message.EmailMessage, inv: Invitation) -> None:
    """The RFC 6047 tree, with the calendar part and the attachment equal to the .ics bytes."""
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    kinds = [p.get_content_type() for p in alternative.get_payload()]
    assert kinds == (["text/plain", "text/html", "text/calendar"] if inv.html is not None
                     else ["text/plain", "text/calendar"])
    calendar = alternative.get_payload()[-1]
    assert calendar.get_param("method") == inv.method
    assert calendar.get_content_charset() == "utf-8"
    assert calendar["Content-Transfer-Encoding"] == "base64"
    assert calendar.get_payload(decode=True) == inv.ics
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_payload(decode=True) == inv.ics
    assert alternative.get_payload()[0].get_content().replace("\r\n", "\n") == inv.text
    assert msg["Subject"] == inv.subject
    assert msg["From"].addresses[0].addr_spec == inv.organizer.email
    assert msg["From"].addresses[0].display_name == inv.organizer.name
    assert [a.addr_spec for a in msg["To"].addresses] == [p.email for p in inv.recipients]
    assert msg["Message-ID"] == message_id(inv)
    assert msg["MIME-Version"] == "1.0"


# --- the message ----------------------------------------------------------------------------

def test_message_has_the_imip_tree_and_the_exact_ics():
    inv = invitation("unep", ["a@unep.example.org", "b@unep.example.org"])
    raw = eml_bytes(inv)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert_imip(msg, inv)
    assert msg["Date"] == format_datetime(DTSTAMP) == "Fri, 01 Sep 2023 08:00:00 +0000"
    assert b"Content-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n" in raw
    assert raw.count(b"MIME-Version:") == 1  # at the top only
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF throughout
    raw.decode("ascii")  # 7-bit: no server needs 8BITMIME
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78
    assert build_message(inv).as_bytes() == raw  # the EmailMessage is the .eml, parsed


def test_cancel_and_text_only_messages():
    inv = invitation("unep", ["a@unep.example.org"], method="CANCEL", sequence=2, html=None)
    raw = eml_bytes(inv)
    assert_imip(email.message_from_bytes(raw, policy=email.policy.default), inv)
    assert b"text/calendar; method=CANCEL;" in raw


def test_method_must_match_the_ics():
    inv = invitation("unep", ["a@unep.example.org"])
    wrong = Invitation(**{**inv.__dict__, "method": "CANCEL"})
    with pytest.raises(ValueError, match="METHOD:CANCEL"):
        build_message(wrong)


def test_eml_is_deterministic_across_processes():
    inv = invitation("unep", ["a@unep.example.org"], subject="Réunion – 会议")
    here = eml_bytes(inv)
    assert here == eml_bytes(invitation("unep", ["a@unep.example.org"], subject="Réunion – 会议"))
    # Another interpreter with another hash seed: no random boundary or Message-ID anywhere.
    pickled = pickle.dumps(inv)
    code = "import pickle,sys; from agenda.effects.mail import eml_bytes; sys.stdout.buffer.write(eml_bytes(pickle.loads(sys.stdin.buffer.read())))"
    other = subprocess.run([sys.executable, "-c", code], input=pickled, capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": "12345"}, cwd=REPO).stdout
    assert other == here
    updated = invitation("unep", ["a@unep.example.org"], subject="Réunion – 会议", sequence=1)
    assert message_id(updated) != message_id(inv)
    assert eml_bytes(updated) != here


def test_header_injection_creates_no_header():
    evil = "Invitation\r\nBcc: victim@evil.example\r\n\r\nbody"
    inv = invitation("unep", ["a@unep.example.org"], subject=evil + "\x00\x0b\u2028\u0085tail",
                     organizer=Person("EMG\nX-Injected: 1", ORGANIZER.email),
                     names=["Ann\r\nCc: other@evil.example"])
    raw = eml_bytes(inv)
    head = raw.split(b"\r\n\r\n", 1)[0]
    names = [line.split(b":", 1)[0] for line in head.split(b"\r\n") if not line.startswith((b" ", b"\t"))]
    assert names == [b"From", b"To", b"Subject", b"Date", b"Message-ID", b"MIME-Version", b"Content-Type"]
    for bad in (b"\r\nBcc:", b"\r\nCc:", b"\r\nX-Injected:", b"\x00", b"\x0b"):
        assert bad not in raw
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"] == "Invitation Bcc: victim@evil.example body tail"
    assert msg["From"].addresses[0].display_name == "EMG X-Injected: 1"
    assert [a.addr_spec for a in msg["To"].addresses] == ["a@unep.example.org"]
    assert msg["Bcc"] is None and msg["Cc"] is None


def test_header_injection_through_an_address_is_refused():
    inv = invitation("unep", ["a@unep.example.org"])
    evil = Invitation(**{**inv.__dict__, "recipients": (Person("A", "a@unep.example.org\r\nBcc: v@evil.example"),)})
    with pytest.raises(SomError, match=r"members/unep/.*is not an e-mail address"):
        eml_bytes(evil)


@pytest.mark.parametrize("address", ["a@unep.example.org\n", "a@unep.example.org\r", " a@unep.example.org",
                                     "a@unep.example.org\x00", "a@unep\u2028.example.org", "a\u200b@unep.example.org",
                                     "a@unep.example.org\u00a0"])
@pytest.mark.parametrize("permissive", [False, True])
def test_an_address_with_whitespace_or_a_control_is_refused_whatever_the_pattern(address, permissive, monkeypatch):
    """ids.EMAIL's `$` let "a@b\\n" through; even a pattern that lets anything through must not
    let such an address reach a header."""
    import re

    from agenda.render import mime

    if permissive:
        monkeypatch.setattr(mime, "EMAIL", re.compile(r"^.+@.+$", re.S))
    inv = invitation("unep", ["a@unep.example.org"])
    for bad in (Invitation(**{**inv.__dict__, "recipients": (Person("A", address),)}),
                Invitation(**{**inv.__dict__, "organizer": Person("EMG", address)})):
        with pytest.raises(SomError, match=r"members/unep/.*is not an e-mail address"):
            eml_bytes(bad)
    with pytest.raises(SomError, match="is not an e-mail address"):
        mime._plain_address(Person("A", address), inv.key, "recipient")


def test_header_text_is_not_the_cli_one_line():
    from agenda.render import mime
    assert not hasattr(mime, "one_line")
    assert mime._header_text("Invitation\r\nBcc: x\u2028y") == "Invitation Bcc: x y"


def test_non_ascii_names_and_subjects_are_encoded():
    subject = "Invitation : Segment technique – 技术会议, 26 sept."
    inv = invitation("unep", ["a@unep.example.org"], subject=subject, names=["Zoë Ñúñez 张伟"],
                     organizer=Person("Secrétariat du Groupe de gestion de l'environnement", ORGANIZER.email))
    raw = eml_bytes(inv)
    raw.decode("ascii")
    assert b"=?utf-8?" in raw
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert_imip(msg, inv)
    assert msg["To"].addresses[0].display_name == "Zoë Ñúñez 张伟"


PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7f))


PLAIN = "abcXYZ019 '-&!_"


@settings(max_examples=int(os.environ.get("SOM_TEST_EXAMPLES", 400)), deadline=None)
@given(organizer=st.text(PLAIN, max_size=30) | st.text(PRINTABLE + "éø", max_size=30),
       subject=st.text(PLAIN + ":,.()", max_size=70) | st.text(PRINTABLE + "–会\t", max_size=90),
       names=st.lists(st.text(PLAIN, max_size=20) | st.text(PRINTABLE, max_size=40), min_size=1, max_size=4))
def test_plain_headers_are_what_the_email_package_writes(organizer, subject, names):
    inv = invitation("m", [f"fp{i}@example.org" for i in range(len(names))], subject=subject or "x",
                     organizer=Person(organizer, ORGANIZER.email), names=names)
    assert agenda.render.mime._headers(inv) == agenda.render.mime._encoded_headers(inv)


def test_usual_headers_take_the_plain_path(monkeypatch):
    monkeypatch.setattr(agenda.render.mime, "_encoded_headers", None)  # calling it would fail
    raw = eml_bytes(invitation("unep", ["a@unep.example.org", "b@unep.example.org"], names=["Ann Lee", "Bo Li"],
                               subject="Invitation: SOM29, Technical Segment, 26 September 2023"))
    assert raw.startswith(b"From: EMG Secretariat <emg.secretariat@example.org>\r\n"
                          b"To: Ann Lee <a@unep.example.org>, Bo Li <b@unep.example.org>\r\n"
                          b"Subject: Invitation: SOM29, Technical Segment, 26 September 2023\r\n")


# --- settings -------------------------------------------------------------------------------

@pytest.fixture
def clean_env(monkeypatch):
    for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD"):
        monkeypatch.delenv(f"SOM_SMTP_{name}", raising=False)
    return monkeypatch


def test_settings_from_variables_and_options(clean_env):
    clean_env.setenv("SOM_SMTP_HOST", "smtp.example.org")
    clean_env.setenv("SOM_SMTP_USER", "secretariat")
    clean_env.setenv("SOM_SMTP_PASSWORD", "s3cret-pw")
    s = SmtpSettings.resolve()
    assert (s.host, s.port, s.security, s.user, s.password) == ("smtp.example.org", 587, "starttls", "secretariat", "s3cret-pw")
    assert "s3cret-pw" not in repr(s) and "s3cret-pw" not in str(s)
    s = SmtpSettings.resolve(host="mail.example.org", port="465", user="other")
    assert (s.host, s.port, s.security, s.user) == ("mail.example.org", 465, "ssl", "other")
    clean_env.setenv("SOM_SMTP_PORT", "2525")
    clean_env.setenv("SOM_SMTP_SECURITY", "none")
    s = SmtpSettings.resolve()
    assert (s.port, s.security) == (2525, "none")
    assert SmtpSettings.resolve(security="ssl", port=None).port == 2525  # the variable still gives the port


def test_settings_refuse_bad_values(clean_env):
    with pytest.raises(SomError, match="not a port number"):
        SmtpSettings.resolve(port="smtp")
    with pytest.raises(SomError, match="starttls") as exc:
        SmtpSettings.resolve(security="startls")
    assert "did you mean `starttls`" in str(exc.value)
    clean_env.setenv("SOM_SMTP_PASSWORD", "pw")
    with pytest.raises(SomError, match="no SMTP user"):
        SmtpSettings.resolve(host="h")


def test_settings_refuse_to_send_a_password_in_clear(clean_env, tmp_path):
    clean_env.setenv("SOM_SMTP_PASSWORD", "s3cret-pw")
    s = SmtpSettings.resolve(host="smtp.example.org", security="none", port=25, user="me")
    with pytest.raises(SomError, match="unencrypted") as exc:
        send_invitations(members(1), s, tmp_path / "log")
    assert "s3cret-pw" not in str(exc.value)
    clean_env.delenv("SOM_SMTP_PASSWORD")
    with pytest.raises(SomError, match="no SMTP server"):
        send_invitations(members(1), SmtpSettings.resolve(), tmp_path / "log")
    assert not (tmp_path / "log").exists()


# --- sending to a real server ---------------------------------------------------------------

def test_every_message_arrives_once_with_the_imip_tree(smtp, tmp_path):
    server = smtp()
    invs = members(4)
    seen = []
    report = send_invitations(invs, server.settings(), tmp_path / "send-log.jsonl",
                              progress=lambda done, total, inv, outcome: seen.append((done, total, inv.key, outcome.status)))
    assert (report.sent, report.skipped, report.failed) == (len(invs), 0, 0)
    assert seen == [(i + 1, len(invs), inv.key, "sent") for i, inv in enumerate(invs)]
    assert len(server.handler.messages) == len(invs)
    for (mail_from, rcpts, _), (msg, _), inv in zip(server.handler.messages, server.handler.parsed(), invs):
        assert mail_from == ORGANIZER.email
        assert rcpts == tuple(p.email for p in inv.recipients)
        assert_imip(msg, inv)
    assert all(n == 1 for n in server.handler.received().values())
    entries = log_lines(tmp_path / "send-log.jsonl")
    assert [(e["key"], e["uid"], e["sequence"], e["method"], e["recipients"], e["message_id"]) for e in entries] == [
        (inv.key, inv.uid, 0, "REQUEST", [p.email for p in inv.recipients], message_id(inv)) for inv in invs]
    assert all(datetime.fromisoformat(e["time"]).tzinfo is not None for e in entries)

    again = send_invitations(invs, server.settings(), tmp_path / "send-log.jsonl")
    assert (again.sent, again.skipped, again.failed) == (0, len(invs), 0)
    assert len(server.handler.messages) == len(invs)

    update = [invitation("m0", ["fp0@m0.example.org"], sequence=1)]
    assert send_invitations(update, server.settings(), tmp_path / "send-log.jsonl").sent == 1
    assert len(server.handler.messages) == len(invs) + 1  # and the update


def test_dry_run_connects_to_nothing_and_writes_nothing(tmp_path, smtp):
    log = tmp_path / "send-log.jsonl"
    report = send_invitations(members(3), SmtpSettings(host="", port=25, security="none", user=None, password=None),
                              log, dry_run=True)
    assert (report.dry_run, report.sent, report.skipped, report.failed) == (True, 3, 0, 0)
    assert [o.status for o in report.outcomes] == ["would send"] * 3
    assert not log.exists()
    server = smtp()
    send_invitations(members(2), server.settings(), log)
    before = log.read_bytes()
    report = send_invitations(members(3), server.settings(), log, dry_run=True)
    assert [o.status for o in report.outcomes] == ["skipped", "skipped", "would send"]
    assert log.read_bytes() == before and len(server.handler.messages) == 2


def resume_and_check(smtp, first: Server, invs: list[Invitation], log: Path) -> None:
    """Start a fresh server, re-run: only the rest arrive; across both servers nobody twice."""
    second = smtp()
    report = send_invitations(invs, second.settings(), log)
    assert report.failed == 0
    assert report.skipped == len(first.handler.messages)
    together = first.handler.received() + second.handler.received()
    expected = {(p.email, message_id(inv)) for inv in invs for p in inv.recipients}
    assert set(together) == expected
    assert all(n == 1 for n in together.values()), together
    for msg, _ in second.handler.parsed():
        assert_imip(msg, next(inv for inv in invs if message_id(inv) == msg["Message-ID"]))
    assert len(log_lines(log)) == len(invs)


def test_server_shutting_down_midway_then_resume(smtp, tmp_path):
    first = smtp(Mailbox(refuse_from=3))
    invs, log = members(5), tmp_path / "send-log.jsonl"
    with pytest.raises(SendFailed) as exc:
        send_invitations(invs, first.settings(), log)
    message = str(exc.value)
    assert "members/m2/emg-som29-technical.ics" in message and "421 4.3.2 service shutting down" in message
    assert "2 of 5 sent" in message and "re-run" in message
    assert (exc.value.report.sent, exc.value.report.failed) == (2, 1)
    assert [e["key"] for e in log_lines(log)] == [inv.key for inv in invs[:2]]
    resume_and_check(smtp, first, invs, log)


def test_server_stopped_midway_then_resume(smtp, tmp_path):
    first = smtp(Mailbox(drop_at=4))
    first.handler.on_drop = lambda: threading.Thread(target=first.stop).start()
    invs, log = members(6), tmp_path / "send-log.jsonl"
    with pytest.raises(SendFailed) as exc:
        send_invitations(invs, first.settings(), log)
    assert "members/m3/emg-som29-technical.ics" in str(exc.value)
    assert "3 of 6 sent" in str(exc.value)
    assert len(first.handler.messages) == 3
    assert [e["key"] for e in log_lines(log)] == [inv.key for inv in invs[:3]]
    with pytest.raises(SomError, match="cannot connect"):  # really gone
        send_invitations(invs, first.settings(), log)
    resume_and_check(smtp, first, invs, log)


def test_refused_recipient_is_named_and_the_rest_still_go(smtp, tmp_path):
    # m1 has two addresses; its second one is refused. m3's only address is refused.
    first = smtp(Mailbox(reject={"alt1@m1.example.org", "fp3@m3.example.org"}))
    invs, log = members(5), tmp_path / "send-log.jsonl"
    with pytest.raises(SendFailed) as exc:
        send_invitations(invs, first.settings(), log)
    message = str(exc.value)
    assert message.startswith("2 of 5 invitations not delivered")
    assert "members/m1/emg-som29-technical.ics: alt1@m1.example.org refused: 550 5.1.1" in message
    assert "members/m3/emg-som29-technical.ics: fp3@m3.example.org refused: 550 5.1.1" in message
    report = exc.value.report
    assert [o.status for o in report.outcomes] == ["sent", "failed", "sent", "failed", "sent"]
    assert {e["key"]: e["recipients"] for e in log_lines(log)} == {
        "members/m0/emg-som29-technical.ics": ["fp0@m0.example.org"],
        "members/m1/emg-som29-technical.ics": ["fp1@m1.example.org"],
        "members/m2/emg-som29-technical.ics": ["fp2@m2.example.org"],
        "members/m4/emg-som29-technical.ics": ["fp4@m4.example.org"]}
    # The addresses are fixed on the server's side: the re-run sends only to the two refused.
    second = smtp()
    report = send_invitations(invs, second.settings(), log)
    assert [rcpts for _, rcpts, _ in second.handler.messages] == [("alt1@m1.example.org",), ("fp3@m3.example.org",)]
    assert (report.sent, report.skipped) == (2, 3)


def test_each_log_line_is_on_disk_before_the_next_message(smtp, tmp_path, monkeypatch):
    import agenda.effects.mail

    server = smtp()
    synced_after = []  # how many messages the server held at each fsync of the log
    real_fsync = os.fsync

    def fsync(fd):
        synced_after.append(len(server.handler.messages))
        real_fsync(fd)

    monkeypatch.setattr(agenda.effects.mail.os, "fsync", fsync)
    send_invitations(members(3), server.settings(), tmp_path / "new" / "send-log.jsonl")
    assert synced_after == [0, 1, 2, 3]  # the new log's folder, then one per message, before the next


def test_interrupted_by_ctrl_c_leaves_a_right_log(smtp, tmp_path):
    server = smtp()
    invs, log = members(4), tmp_path / "send-log.jsonl"

    def interrupt_after_two(done, total, inv, outcome):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        send_invitations(invs, server.settings(), log, progress=interrupt_after_two)
    assert [e["key"] for e in log_lines(log)] == [inv.key for inv in invs[:2]]
    resume_and_check(smtp, server, invs, log)


def test_connection_refused_is_a_clear_error(tmp_path):
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), security="none", user=None, password=None, timeout=5)
    with pytest.raises(SomError) as exc:
        send_invitations(members(2), settings, tmp_path / "log")
    assert f"cannot connect to the SMTP server 127.0.0.1:{settings.port}" in str(exc.value)
    assert "nothing was sent" in str(exc.value)
    assert read_send_log(tmp_path / "log") == set()


def test_sender_killed_mid_run_then_resumed(smtp, tmp_path):
    first = smtp(Mailbox(freeze_at=3))
    invs, log = members(5), tmp_path / "send-log.jsonl"
    (tmp_path / "invs.pickle").write_bytes(pickle.dumps(invs))
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import pickle, sys
        from pathlib import Path
        from agenda.effects.mail import SmtpSettings, send_invitations
        invs = pickle.loads(Path(sys.argv[1]).read_bytes())
        send_invitations(invs, SmtpSettings("127.0.0.1", {first.port}, "none", None, None, 10), Path(sys.argv[2]))
        """), str(tmp_path / "invs.pickle"), str(log)], cwd=REPO)
    try:
        assert first.handler.frozen.wait(30), "the sender never reached the third message"
        os.kill(child.pid, signal.SIGKILL)  # while the server holds the third message's DATA
        assert child.wait(30) == -signal.SIGKILL
    finally:
        first.handler.thaw.set()
        if child.poll() is None:
            child.kill()
    assert len(first.handler.messages) == 2
    assert [e["key"] for e in log_lines(log)] == [inv.key for inv in invs[:2]]
    resume_and_check(smtp, first, invs, log)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"secretariat", b"c0rrect-h0rse")
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_over_smtp(smtp, tmp_path, clean_env):
    server = smtp(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    clean_env.setenv("SOM_SMTP_PASSWORD", "c0rrect-h0rse")
    settings = SmtpSettings.resolve(host="127.0.0.1", port=server.port, security="none", user="secretariat")
    assert send_invitations(members(2), settings, tmp_path / "log").sent == 2
    assert len(server.handler.messages) == 2

    # Without a login the server refuses at MAIL FROM: nothing delivered, nothing logged.
    anonymous = SmtpSettings(host="127.0.0.1", port=server.port, security="none", user=None, password=None, timeout=10)
    with pytest.raises(SendFailed, match="530") as exc:
        send_invitations(members(3), anonymous, tmp_path / "log2")
    assert "stopped the run at members/m0/" in str(exc.value)  # not tried for every member
    assert read_send_log(tmp_path / "log2") == set()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_wrong_password_is_refused_and_never_shown(smtp, tmp_path, clean_env):
    server = smtp(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    clean_env.setenv("SOM_SMTP_PASSWORD", "wr0ng-pa55word")
    settings = SmtpSettings.resolve(host="127.0.0.1", port=server.port, security="none", user="secretariat")
    with pytest.raises(SomError) as exc:
        send_invitations(members(2), settings, tmp_path / "log")
    shown = str(exc.value)
    assert "refused the login of 'secretariat'" in shown and "535" in shown
    assert "SOM_SMTP_PASSWORD" in shown
    assert "wr0ng-pa55word" not in shown and "wr0ng-pa55word" not in repr(settings)
    assert exc.value.__cause__ is None and exc.value.__suppress_context__
    assert server.handler.messages == []


# --- TLS: STARTTLS and SSL with a certificate the test makes and trusts ----------------------

@pytest.fixture
def tls(tmp_path, monkeypatch):
    """A self-signed certificate for 127.0.0.1, trusted through SSL_CERT_FILE (read by OpenSSL)."""
    import ssl

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def test_starttls_with_login(smtp, tmp_path, tls, clean_env):
    server = smtp(tls_context=tls, require_starttls=True, authenticator=authenticator, auth_required=True)
    clean_env.setenv("SOM_SMTP_PASSWORD", "c0rrect-h0rse")
    settings = SmtpSettings.resolve(host="127.0.0.1", port=server.port, security="starttls", user="secretariat")
    assert send_invitations(members(2), settings, tmp_path / "log").sent == 2
    assert len(server.handler.messages) == 2


def test_ssl(smtp, tmp_path, tls):
    server = smtp(ssl_context=tls)
    assert send_invitations(members(2), server.settings(security="ssl"), tmp_path / "log").sent == 2
    assert len(server.handler.messages) == 2


def test_starttls_not_offered(smtp, tmp_path):
    server = smtp()
    with pytest.raises(SomError, match="does not offer STARTTLS"):
        send_invitations(members(1), server.settings(security="starttls"), tmp_path / "log")
    assert server.handler.messages == []


# --- the send log ---------------------------------------------------------------------------

def test_torn_last_line_is_ignored_and_cut_off(smtp, tmp_path):
    server = smtp()
    invs, log = members(3), tmp_path / "send-log.jsonl"
    send_invitations(invs[:1], server.settings(), log)
    with open(log, "ab") as f:
        f.write(b'{"key": "members/m1/emg-som29-techn')  # a crash in the middle of a write
    assert len(read_send_log(log)) == 1
    send_invitations(invs, server.settings(), log)
    assert [e["key"] for e in log_lines(log)] == [inv.key for inv in invs]


def test_damaged_log_line_is_refused_with_its_line(smtp, tmp_path):
    server = smtp()
    log = tmp_path / "send-log.jsonl"
    send_invitations(members(2), server.settings(), log)
    lines = log.read_text().splitlines(keepends=True)
    log.write_text(lines[0] + "not json\n" + lines[1])
    with pytest.raises(SomError) as exc:
        send_invitations(members(3), server.settings(), log)
    assert str(exc.value).startswith(f"{log}:2: the send log is damaged")
    assert len(server.handler.messages) == 2


def test_same_address_in_two_members_gets_a_version_once(smtp, tmp_path):
    server = smtp()
    shared = "shared@example.org"
    invs = [invitation("a", [shared, "a@example.org"]), invitation("b", ["B@example.org", shared.upper()])]
    report = send_invitations(invs, server.settings(), tmp_path / "log")
    assert [rcpts for _, rcpts, _ in server.handler.messages] == [(shared, "a@example.org"), ("B@example.org",)]
    assert report.sent == 2
