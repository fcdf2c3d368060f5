"""`som replies`: members' iMIP replies read from .eml, mbox and Maildir, matched, tallied, listed.

The messages in tests/replies/ have the shapes Outlook, Exchange, Google Calendar, Apple
Calendar and Thunderbird send (tests/replies/README.md says where each fact comes from); the
rest are made here. The meeting is the `divergence` scenario (Geneva, members in nine cities),
so replies carry times in Windows zone names, IANA zones and UTC for the same instant. The
reminders go to a real SMTP server (aiosmtpd, as in test_mail.py); IMAP is in
test_replies_imap.py.
"""

from __future__ import annotations

import email
import email.policy
import json
import mailbox
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from agenda.cli import som
from agenda.read.replies import MAX_MESSAGE_BYTES, read_message
from tests.invite_scenarios import SCENARIOS, Seg

UTC = timezone.utc
EPOCH = 1693569600  # 2023-09-01T12:00:00Z: the invitations' DTSTAMP
FIXTURES = Path(__file__).parent / "replies"
DIVERGENCE = next(s for s in SCENARIOS if s.name == "divergence")
UID = "autumn.divergence@som"


def som_run(*args, epoch=EPOCH, env=None):
    environment = {"SOURCE_DATE_EPOCH": str(epoch), "SOM_IMAP_PASSWORD": ""}
    environment.update(env or {})
    return CliRunner().invoke(som, [str(a) for a in args], env=environment)


def ok(*args, **kw):
    result = som_run(*args, **kw)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def issued(tmp_path):
    """The divergence meeting, its invitations issued into out/: (meeting file, out)."""
    meeting = DIVERGENCE.write(tmp_path / "in")
    out = tmp_path / "out"
    ok("invite", meeting, "-o", out)
    return meeting, out


def tally(meeting, out, *sources, segment="autumn"):
    result = ok("replies", meeting, "-o", out, *sources, "--segment", segment, "--format", "json")
    return json.loads(result.stdout)


def status(doc, acronym, segment=0):
    return next(m for m in doc["segments"][segment]["members"] if m["acronym"] == acronym)


# --- messages made here --------------------------------------------------------------------

def reply(address: str, partstat: str, *, uid: str = UID, sequence: int = 0, dtstamp: str = "20231002T080000Z",
          method: str = "REPLY", message_id: str | None = None, cn: str = "", start: str = "20231031T140000Z",
          end: str = "20231031T160000Z", date: str = "Mon, 2 Oct 2023 08:00:00 +0000", extra: str = "") -> bytes:
    """A plain iMIP reply, as a minimal client writes one."""
    name = f";CN={cn}" if cn else ""
    cal = "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//som tests//EN", f"METHOD:{method}", "BEGIN:VEVENT",
        f"UID:{uid}", f"SEQUENCE:{sequence}", f"DTSTAMP:{dtstamp}", f"DTSTART:{start}", f"DTEND:{end}",
        f"ATTENDEE;PARTSTAT={partstat}{name}:mailto:{address}", *([extra] if extra else []),
        "END:VEVENT", "END:VCALENDAR", ""])
    mid = message_id or f"<{address}.{partstat}.{dtstamp}.{sequence}@example.org>"
    head = (f"From: {address}\r\nTo: emg.secretariat@example.org\r\nSubject: {partstat.title()}: Technical\r\n"
            f"Date: {date}\r\nMessage-ID: {mid}\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/calendar; method={method}; charset=UTF-8\r\n\r\n")
    return head.encode() + cal.encode()


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


# --- what each client sends ----------------------------------------------------------------

CLIENTS = [
    # file, address, PARTSTAT, DTSTART in UTC (15:00 Geneva, CET, on 31 Oct 2023), comment, client
    ("outlook-accepted.eml", "geneve@example.org", "ACCEPTED", "Bureau de Genève",
     "Je serai présente. I will attend.", "Outlook 16.0"),
    ("exchange-tentative.eml", "focal.ny@example.org", "TENTATIVE", "Focal NY", "I may have to leave early.",
     "Microsoft Exchange Server 2010"),
    ("exchange-delegated.eml", "akl@example.org", "DELEGATED", "Auckland Office", "My deputy will attend.",
     "Microsoft Exchange Server 2010"),
    ("google-declined.eml", "deputy.ny@example.org", "DECLINED", "Deputy NY", "Travelling that week, sorry",
     "Google Calendar"),
    ("apple-accepted.eml", "tyo@example.org", "ACCEPTED", "Sato, Hanako", "", "Apple Inc."),
    ("thunderbird-accepted.eml", "syd@example.org", "ACCEPTED", "Sydney Office", "", "Mozilla Calendar"),
]


@pytest.mark.parametrize("name, address, partstat, cn, comment, client", CLIENTS, ids=[c[0] for c in CLIENTS])
def test_each_client_reply_is_read(name, address, partstat, cn, comment, client):
    message = read_message((FIXTURES / name).read_bytes(), name)
    assert message.kind == "reply" and message.reason == ""
    assert message.uid == UID and message.sequence == 0 and message.method == "REPLY"
    [answer] = message.answers
    assert (answer.address, answer.partstat, answer.name) == (address, partstat, cn)
    # W. Europe / Eastern Standard Time, Europe/Zurich and UTC all name the same instants
    assert (message.start, message.end) == ("2023-10-31T14:00:00Z", "2023-10-31T16:00:00Z")
    assert message.comment == comment
    assert client in message.client
    assert message.message_id and message.message_id.startswith("<")
    assert message.received and message.dtstamp


def test_delegation_keeps_the_delegate():
    message = read_message((FIXTURES / "exchange-delegated.eml").read_bytes(), "x")
    assert message.answers[0].delegated_to == ("deputy.akl@example.org",)


def test_google_sends_the_calendar_twice_and_it_counts_once(issued):
    meeting, out = issued
    google = (FIXTURES / "google-declined.eml").read_bytes()
    msg = email.message_from_bytes(google, policy=email.policy.default)
    calendars = [p for p in msg.walk() if p.get_content_type() in ("text/calendar", "application/ics")]
    assert len(calendars) == 2  # the inline part and invite.ics
    doc = tally(meeting, out, FIXTURES / "google-declined.eml")
    assert status(doc, "NYC")["replies"] == [{
        "address": "deputy.ny@example.org", "partstat": "declined", "sequence": 0, "stale": False,
        "received": "2023-10-03T12:05:02Z", "message_id": "<calendar-7d2f1c9a-3b3e-4c84-9a8e-2f1d1b0c0a11@google.com>"}]


# --- the attendance ------------------------------------------------------------------------

def test_every_fixture_together(issued):
    meeting, out = issued
    result = ok("replies", meeting, "-o", out, *sorted(FIXTURES.glob("*.eml")), "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["meeting"] == "divergence"
    autumn = doc["segments"][0]
    assert autumn["id"] == "autumn"
    statuses = {m["acronym"]: m["status"] for m in autumn["members"]}
    assert statuses == {"GVA": "accepted", "NYC": "mixed", "YYT": "no-reply", "SCL": "no-reply", "KTM": "no-reply",
                        "TYO": "accepted", "SYD": "accepted", "AKL": "delegated", "CHT": "no-reply"}
    assert autumn["counts"] == {"accepted": 3, "tentative": 0, "declined": 0, "delegated": 1, "mixed": 1,
                                "no-reply": 4}
    # nobody replied to the other segments
    assert [s["counts"]["no-reply"] for s in doc["segments"][1:]] == [9, 9]
    reasons = {Path(i["source"]).name: i["reason"] for i in doc["ignored"]}
    assert reasons == {
        "outlook-counter.eml": "COUNTER from ktm@example.org (autumn): proposes a new time 31 Oct 2023 10:00–12:00 CET;"
                               " not counted — “Could we meet earlier? 15:00 in Geneva is 19:45 here.”",
        "refresh.eml": "REFRESH from scl@example.org (autumn): asks for the current invitation again",
        "outlook-other-uid.eml": "reply from geneve@example.org to UID 040000008200E00074C5B7101A82E00800000000B0E6C4"
                                 "B1F4F4D9010000000000000000100000000A1B2C3D4E5F60718293A4B5C6D7E8F90, which is not "
                                 "one of this meeting's segments",
        "unknown-address.eml": "reply from colleague@example.net, an address the member directory does not know "
                               "(autumn)",
        "out-of-office.eml": "not an iMIP reply (no calendar part): “Automatic reply: Inter-agency Senior Officials "
                             "Meeting — Technical Segment”",
    }
    # KTM's COUNTER and SCL's REFRESH are messages, not answers: both stay no-reply
    table = ok("replies", meeting, "-o", out, "--segment", "autumn").stdout
    assert "3 accepted, 0 tentative, 0 declined, 1 delegated, 1 mixed, 4 no reply" in table
    assert "focal.ny@example.org (Focal NY): tentative" in " ".join(table.split())


def test_no_source_prints_what_is_recorded_and_reading_twice_counts_once(issued):
    meeting, out = issued
    first = ok("replies", meeting, "-o", out, *sorted(FIXTURES.glob("*.eml")), "--format", "json").stdout
    lines = (out / "som-replies.jsonl").read_bytes()
    again = ok("replies", meeting, "-o", out, *sorted(FIXTURES.glob("*.eml")))
    assert "read 11 messages: 0 replies counted, 0 ignored, 11 already recorded" in " ".join(again.stdout.split())
    assert (out / "som-replies.jsonl").read_bytes() == lines
    assert ok("replies", meeting, "-o", out, "--format", "json").stdout == first
    # the same message in an mbox and a Maildir: still once
    box = mailbox.mbox(str(out.parent / "replies.mbox"))
    box.add((FIXTURES / "apple-accepted.eml").read_bytes())
    box.close()
    ok("replies", meeting, "-o", out, out.parent / "replies.mbox")
    assert (out / "som-replies.jsonl").read_bytes() == lines


def test_a_later_reply_replaces_an_earlier_one_by_dtstamp_then_arrival(issued, tmp_path):
    meeting, out = issued
    src = tmp_path / "src"
    early = write(src, "a.eml", reply("ktm@example.org", "ACCEPTED", dtstamp="20231002T080000Z"))
    late = write(src, "b.eml", reply("ktm@example.org", "DECLINED", dtstamp="20231003T080000Z"))
    # read in the other order: DTSTAMP decides
    assert status(tally(meeting, out, late, early), "KTM")["status"] == "declined"
    # the same DTSTAMP: the one received later wins
    same1 = write(src, "c.eml", reply("yyt@example.org", "TENTATIVE", dtstamp="20231004T080000Z",
                                      date="Wed, 4 Oct 2023 09:00:00 +0000", message_id="<c@example.org>"))
    same2 = write(src, "d.eml", reply("yyt@example.org", "ACCEPTED", dtstamp="20231004T080000Z",
                                      date="Wed, 4 Oct 2023 08:30:00 +0000", message_id="<d@example.org>"))
    assert status(tally(meeting, out, same1, same2), "YYT")["status"] == "tentative"


def test_a_reply_to_an_older_sequence_is_kept_and_marked_stale(issued, tmp_path):
    meeting, out = issued
    ok("replies", meeting, "-o", out, FIXTURES / "outlook-accepted.eml", FIXTURES / "thunderbird-accepted.eml")
    # the technical segment moves an hour: SEQUENCE 1
    moved = tuple(Seg(s.id, s.title, s.date, "16:00", "18:00") if s.id == "autumn" else s for s in DIVERGENCE.segments)
    DIVERGENCE.write(meeting.parent, moved)
    ok("invite", meeting, "-o", out, epoch=EPOCH + 3600)
    syd_again = write(tmp_path / "src", "syd.eml", reply("syd@example.org", "ACCEPTED", sequence=1,
                                                         dtstamp="20231010T080000Z", start="20231031T150000Z",
                                                         end="20231031T170000Z"))
    doc = tally(meeting, out, syd_again)
    gva, syd = status(doc, "GVA"), status(doc, "SYD")
    assert gva["status"] == "accepted" and gva["replies"][0]["stale"] is True and gva["replies"][0]["sequence"] == 0
    assert syd["replies"][0]["stale"] is False and syd["replies"][0]["sequence"] == 1
    table = " ".join(ok("replies", meeting, "-o", out, "--segment", "autumn").stdout.split())
    # the time GVA accepted, in Geneva time with its abbreviation (31 Oct 2023 is CET, +01:00)
    assert "geneve@example.org (Bureau de Genève): accepted 15:00–17:00 CET; the time changed since" in table
    assert "(1 answer to an earlier version)" in table
    assert "SEQUENCE" not in table  # jargon: JSON keeps it as `sequence`


def test_a_stale_reply_says_what_was_accepted_without_jargon(issued, tmp_path):
    meeting, out = issued
    src = tmp_path / "src"
    same_time = write(src, "a.eml", reply("ktm@example.org", "ACCEPTED"))  # 14:00–16:00Z = 15:00–17:00 CET
    no_time = write(src, "b.eml", reply("tyo@example.org", "ACCEPTED").replace(b"DTSTART:20231031T140000Z\r\n", b"")
                    .replace(b"DTEND:20231031T160000Z\r\n", b""))
    ok("replies", meeting, "-o", out, same_time, no_time)
    # the title changes, not the time: SEQUENCE 1
    renamed = tuple(Seg(s.id, "Technical Segment (revised)", s.date, s.start, s.end) if s.id == "autumn" else s
                    for s in DIVERGENCE.segments)
    DIVERGENCE.write(meeting.parent, renamed)
    ok("invite", meeting, "-o", out, epoch=EPOCH + 3600)
    table = " ".join(ok("replies", meeting, "-o", out, "--segment", "autumn").stdout.split())
    assert "ktm@example.org: accepted 15:00–17:00 CET; the invitation changed since" in table
    # no DTSTART in the reply, and the record keeps only the current version's time
    assert "tyo@example.org: accepted an earlier version; the invitation changed since" in table
    assert "SEQUENCE" not in table
    assert "(2 answers to an earlier version)" in table
    doc = tally(meeting, out)
    assert status(doc, "KTM")["replies"][0]["sequence"] == 0 and doc["segments"][0]["sequence"] == 1


def test_other_segments_and_members_are_matched_by_uid_and_address(issued, tmp_path):
    meeting, out = issued
    src = tmp_path / "src"
    files = [write(src, "1.eml", reply("GENEVE@EXAMPLE.ORG", "DECLINED", uid="spring.divergence@som")),
             write(src, "2.eml", reply("cht@example.org", "NEEDS-ACTION")),
             write(src, "3.eml", reply("focal.ny@example.org", "ACCEPTED")),
             write(src, "4.eml", reply("deputy.ny@example.org", "ACCEPTED"))]
    doc = json.loads(ok("replies", meeting, "-o", out, *files, "--format", "json").stdout)
    assert status(doc, "GVA", 1)["status"] == "declined" and status(doc, "GVA", 0)["status"] == "no-reply"
    assert status(doc, "NYC")["status"] == "accepted" and len(status(doc, "NYC")["replies"]) == 2
    assert status(doc, "CHT")["status"] == "no-reply"
    assert [i["reason"] for i in doc["ignored"]] == [
        "PARTSTAT NEEDS-ACTION from cht@example.org is not an answer (autumn)"]


def test_formats_and_participants(issued):
    meeting, out = issued
    ok("replies", meeting, "-o", out, *sorted(FIXTURES.glob("*.eml")))
    csv = ok("replies", meeting, "-o", out, "--format", "csv", "--segment", "autumn").stdout.splitlines()
    assert csv[0] == "Segment,Member,City,Status,Who said what"
    assert csv[1].startswith("autumn,GVA,Geneva,accepted,geneve@example.org (Bureau de Genève): accepted")
    md = ok("replies", meeting, "-o", out, "--format", "md", "--segment", "autumn").stdout
    assert "| TYO | Tokyo | accepted | tyo@example.org (Sato, Hanako): accepted |" in md
    annex = ok("replies", meeting, "-o", out, "--participants").stdout
    assert annex.splitlines()[:2] == ["LIST OF PARTICIPANTS", ""]
    # entities by name; names from the CN of accepted replies; not tentative, declined, delegated
    assert "Bureau de Genève (GVA)\n    Bureau de Genève\n\nSydney Office (SYD)\n    Sydney Office\n\n" \
           "東京事務所 (TYO)\n    Sato, Hanako\n" in annex
    assert "NYC" not in annex and "AKL" not in annex
    doc = json.loads(ok("replies", meeting, "-o", out, "--participants", "--format", "json").stdout)
    assert doc["participants"][0] == {"member": "geneva", "acronym": "GVA", "entity": "Bureau de Genève",
                                      "names": ["Bureau de Genève"]}


def test_the_pack_and_the_invitations_folder_share_the_record(tmp_path):
    meeting = DIVERGENCE.write(tmp_path / "in")
    pack = tmp_path / "pack"
    ok("build", meeting, "-o", pack)
    assert not (pack / "attendance.md").exists()
    ok("replies", meeting, "-o", pack, FIXTURES / "apple-accepted.eml")
    assert (pack / "invitations" / "som-replies.jsonl").exists()
    ok("replies", meeting, "-o", pack / "invitations", FIXTURES / "thunderbird-accepted.eml")
    built = ok("build", meeting, "-o", pack).stdout
    assert "attendance.md" in built
    text = (pack / "attendance.md").read_text(encoding="utf-8")
    assert "| TYO | Tokyo | accepted |" in text and "| SYD | Sydney | accepted |" in text
    assert "2 accepted, 0 tentative, 0 declined, 7 no reply" in text
    assert "[attendance.md](attendance.md)" in (pack / "index.md").read_text(encoding="utf-8")
    assert json.loads((pack / "attendance.json").read_text())["segments"][0]["counts"]["accepted"] == 2


# --- sources -------------------------------------------------------------------------------

def test_mbox_and_maildir(issued, tmp_path):
    meeting, out = issued
    box = mailbox.mbox(str(tmp_path / "replies.mbox"))
    for name in ("outlook-accepted.eml", "google-declined.eml"):
        box.add((FIXTURES / name).read_bytes())
    box.close()
    maildir = mailbox.Maildir(str(tmp_path / "Maildir"))
    for name in ("apple-accepted.eml", "refresh.eml"):
        maildir.add((FIXTURES / name).read_bytes())
    doc = tally(out.parent / "in" / "meeting.toml", out, tmp_path / "replies.mbox", tmp_path / "Maildir")
    assert {m["acronym"]: m["status"] for m in doc["segments"][0]["members"] if m["status"] != "no-reply"} == {
        "GVA": "accepted", "NYC": "declined", "TYO": "accepted"}
    recorded = [json.loads(line) for line in (out / "som-replies.jsonl").read_text().splitlines()[1:]]
    assert recorded[0]["source"].endswith("replies.mbox#1") and "/Maildir/new/" in recorded[2]["source"]
    # received: the mbox From_ line and the Maildir delivery time, in UTC, not the Date header
    assert all(e["received"].endswith("Z") for e in recorded)
    assert not recorded[0]["received"].startswith("2023-10") and not recorded[2]["received"].startswith("2023-10")


def test_bad_sources_are_errors_naming_them(issued, tmp_path):
    meeting, out = issued
    (tmp_path / "folder").mkdir()
    for args, said in [((tmp_path / "nothing.eml",), "does not exist"),
                       ((tmp_path / "folder",), "is a folder but not a Maildir"),
                       (("imaps://user:hunter2@mail.example.org/INBOX",), "has a password in it"),
                       (("imap://user@127.0.0.1:9/INBOX",), "is plain IMAP")]:
        result = som_run("replies", meeting, "-o", out, *args)
        assert result.exit_code == 2 and said in result.output, result.output
        assert "hunter2" not in result.output
    result = som_run("replies", meeting, "-o", tmp_path / "folder")
    assert result.exit_code == 2 and "holds no invitations issued by som" in result.output
    # no password in the environment and no terminal to ask on
    result = som_run("replies", meeting, "-o", out, "imaps://user@127.0.0.1:9/INBOX")
    assert result.exit_code == 2 and "set SOM_IMAP_PASSWORD" in result.output


# --- malformed and hostile messages --------------------------------------------------------

def hostile(folder: Path) -> dict[str, bytes]:
    """name → bytes: each is skipped with one line, and the good reply among them still counts."""
    calendar_head = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:" + UID +
                     "\r\nSEQUENCE:0\r\nDTSTAMP:20231002T080000Z\r\n")
    crowd = calendar_head + "".join(f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:p{i}@example.org\r\n" for i in range(10_000))
    crowd += "END:VEVENT\r\nEND:VCALENDAR\r\n"
    head = "From: x@example.org\r\nMessage-ID: <{}@example.org>\r\nMIME-Version: 1.0\r\n"
    messages = {
        "crowd.eml": (head.format("crowd") + "Content-Type: text/calendar; method=REPLY\r\n\r\n" + crowd).encode(),
        "huge.eml": (head.format("huge") + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
                     "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n").encode()
                    + b"QUFB" * (MAX_MESSAGE_BYTES // 4 + 2 ** 18) + b"\r\n--b--\r\n",
        "broken-mime.eml": (head.format("broken") + 'Content-Type: multipart/mixed; boundary="never"\r\n\r\n'
                            "no boundary ever comes\r\n").encode(),
        "broken-calendar.eml": (head.format("brokencal") + "Content-Type: text/calendar; method=REPLY\r\n\r\n"
                                "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nATTENDEE;CN=\"unclosed:mailto:"
                                "a@b\r\n").encode(),
        "control\x1b[2J-chars.eml": reply("cht@example.org", "ACCEPTED", cn="Evil\x1b[31mName\u202e\x07",
                                          message_id="<ctl@example.org>"),
        "binary.eml": bytes(range(256)) * 40,
        "nested.eml": (head.format("nested") + "".join(
            f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(300))).encode(),
        "good.eml": reply("ktm@example.org", "ACCEPTED"),
    }
    for name, data in messages.items():
        write(folder, name, data)
    return messages


def test_malformed_and_hostile_messages_are_skipped_one_line_each(issued, tmp_path):
    meeting, out = issued
    messages = hostile(tmp_path / "bad")
    start = time.perf_counter()
    result = som_run("replies", meeting, "-o", out, *sorted((tmp_path / "bad").iterdir()), "--segment", "autumn",
                     "--format", "json")
    assert time.perf_counter() - start < 20
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.stderr.splitlines() if line.startswith("som: skipped ")]
    reasons = {Path(line.split(": ")[1].split(":")[0]).name: line for line in skipped}
    assert "10000 attendees" in reasons["crowd.eml"]
    assert "message of 5.0 MB is too large for a reply (at most 4.0 MB)" in reasons["huge.eml"]
    assert "a damaged e-mail message with no calendar part: the boundary between its parts never appears" \
        in reasons["broken-mime.eml"]
    assert "unclosed quote" in reasons["broken-calendar.eml"]
    assert "more than 100 MIME parts" in reasons["nested.eml"]
    assert "not an e-mail message: no blank line between headers and body" in reasons["binary.eml"]
    assert "Defect" not in result.stderr and "Error" not in result.stderr  # no Python class names
    assert len(skipped) == 6, result.stderr  # the message with control characters counts
    assert all("\x1b" not in line and "\x07" not in line for line in result.stderr.splitlines())
    doc = json.loads(result.stdout)
    assert status(doc, "KTM")["status"] == "accepted"
    assert status(doc, "CHT")["status"] == "accepted"
    assert len(doc["ignored"]) == len(messages) - 2
    table = ok("replies", meeting, "-o", out, "--segment", "autumn").stdout
    assert "\x1b" not in table and "\u202e" not in table and "EvilName" not in table
    assert "Evil [31mName" in " ".join(table.split())


def test_a_torn_last_line_is_cut_and_the_message_read_again(issued):
    meeting, out = issued
    ok("replies", meeting, "-o", out, FIXTURES / "outlook-accepted.eml", FIXTURES / "apple-accepted.eml")
    record = out / "som-replies.jsonl"
    whole = record.read_bytes()
    record.write_bytes(whole[:-40])  # a crash in the middle of the last line
    doc = tally(meeting, out)
    assert status(doc, "TYO")["status"] == "no-reply"  # the torn record does not count
    result = ok("replies", meeting, "-o", out, FIXTURES / "outlook-accepted.eml", FIXTURES / "apple-accepted.eml")
    assert "1 reply counted, 0 ignored, 1 already recorded" in " ".join(result.stdout.split())
    assert record.read_bytes() == whole
    record.write_bytes(whole.replace(b'"kind": "reply"', b'"kind: "reply"', 1))
    result = som_run("replies", meeting, "-o", out)
    assert result.exit_code == 2 and "the replies record is damaged" in result.output and ":2" in result.output


# --- reminders -----------------------------------------------------------------------------

@pytest.fixture
def smtp_server():
    from tests.test_mail import Mailbox, Server

    server = Server(Mailbox())
    yield server
    server.stop()


def test_reminders_go_only_to_members_who_have_not_replied_and_never_twice(issued, smtp_server):
    meeting, out = issued
    ok("replies", meeting, "-o", out, *sorted(FIXTURES.glob("*.eml")))
    smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", str(smtp_server.port), "--smtp-security", "none"]
    first = ok("invite", meeting, "-o", out, "--send", "--remind", "autumn", *smtp)
    said = " ".join(first.stdout.split())
    # GVA, NYC (mixed), TYO, SYD, AKL have answered; KTM (COUNTER) and SCL (REFRESH) have not
    received = smtp_server.handler.parsed()
    to = sorted(r for _, rcpts in received for r in rcpts)
    assert to == ["cht@example.org", "ktm@example.org", "scl@example.org", "yyt@example.org"]
    assert "sent 4 reminders" in said and "5 members have replied and are not reminded" in said
    msg = next(m for m, rcpts in received if rcpts == ("cht@example.org",))
    assert msg["Subject"].startswith("Reminder: Invitation:")
    text = msg.get_body(("plain",)).get_content()
    assert text.startswith("Please reply to this invitation")
    calendar = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    ics = (out / "members" / "chatham" / "divergence-autumn.ics").read_bytes()
    assert calendar.get_payload(decode=True) == ics  # the current invitation, same SEQUENCE
    log = [json.loads(line) for line in (out / "send-log.jsonl").read_text().splitlines()]
    assert [e["purpose"] for e in log] == ["reminder"] * 4 and {e["sequence"] for e in log} == {0}
    # a re-run reminds nobody twice
    again = ok("invite", meeting, "-o", out, "--send", "--remind", "autumn", *smtp)
    assert len(smtp_server.handler.messages) == 4
    assert "sent 0 reminders, 4 skipped (already reminded)" in " ".join(again.stdout.split())
    # a reminder does not stand for the invitation: the invitations still go to everyone
    ok("invite", meeting, "-o", out, "--send", "--segment", "autumn", *smtp)
    with_address = [o for o in DIVERGENCE.offices if o[6]]  # one message per member, all its addresses
    assert len(smtp_server.handler.messages) == 4 + len(with_address)


def test_remind_needs_send_and_an_unchanged_segment(issued):
    meeting, out = issued
    result = som_run("invite", meeting, "-o", out, "--remind", "autumn")
    assert result.exit_code == 2 and "add --send" in result.output
    moved = tuple(Seg(s.id, s.title, s.date, "16:00", "18:00") if s.id == "autumn" else s for s in DIVERGENCE.segments)
    DIVERGENCE.write(meeting.parent, moved)
    result = som_run("invite", meeting, "-o", out, "--send", "--dry-run", "--remind", "autumn", epoch=EPOCH + 60)
    assert result.exit_code == 2 and "autumn changed since it was issued" in result.output


# --- what a run says -----------------------------------------------------------------------

def test_the_read_line_says_what_happened_with_plurals(issued):
    meeting, out = issued
    three = [FIXTURES / "outlook-accepted.eml", FIXTURES / "out-of-office.eml", FIXTURES / "unknown-address.eml"]
    said = " ".join(ok("replies", meeting, "-o", out, *three).stdout.split())
    # the out-of-office message and the unknown address are listed among the messages not counted
    assert "read 3 messages: 1 reply counted, 2 ignored (listed below), 0 already recorded" in said
    assert "2 messages not counted:" in said
    said = " ".join(ok("replies", meeting, "-o", out, FIXTURES / "apple-accepted.eml",
                       FIXTURES / "thunderbird-accepted.eml").stdout.split())
    assert "read 2 messages: 2 replies counted, 0 ignored, 0 already recorded" in said
    said = " ".join(ok("replies", meeting, "-o", out, FIXTURES / "refresh.eml").stdout.split())
    assert "read 1 message: 0 replies counted, 1 ignored (listed below), 0 already recorded" in said
    said = " ".join(ok("replies", meeting, "-o", out, FIXTURES / "refresh.eml").stdout.split())
    assert "read 1 message: 0 replies counted, 0 ignored, 1 already recorded" in said


def test_participants_are_listed_per_segment(issued, tmp_path):
    meeting, out = issued
    spring = write(tmp_path / "src", "spring.eml", reply("tyo@example.org", "ACCEPTED", uid="spring.divergence@som",
                                                          cn="Sato, Hanako", start="20240312T140000Z",
                                                          end="20240312T160000Z"))
    ok("replies", meeting, "-o", out, FIXTURES / "outlook-accepted.eml", spring)
    annex = ok("replies", meeting, "-o", out, "--participants").stdout
    # one list per segment, as a report's annex lists participants per meeting; Geneva is on CET
    # on 31 Oct 2023 and on 12 Mar 2024 (summer time starts on 31 March)
    assert ("Technical Segment — 31 Oct 2023, 15:00–17:00 CET\n\nBureau de Genève (GVA)\n    Bureau de Genève\n\n"
            "Senior Segment — 12 Mar 2024, 15:00–17:00 CET\n\n東京事務所 (TYO)\n    Sato, Hanako\n\n"
            "Closing Segment — 16 Apr 2024, 15:00–16:30 CEST\n\nNo accepted replies yet.\n") in annex
    md = ok("replies", meeting, "-o", out, "--participants", "--format", "md").stdout
    assert "### Senior Segment — 12 Mar 2024, 15:00–17:00 CET\n\n**東京事務所 (TYO)**\n\n- Sato, Hanako\n" in md
    csv = ok("replies", meeting, "-o", out, "--participants", "--format", "csv").stdout.splitlines()
    assert csv[0] == "Segment,Entity,Acronym,Name"
    assert csv[1:] == ["autumn,Bureau de Genève,GVA,Bureau de Genève", 'spring,東京事務所,TYO,"Sato, Hanako"']
    doc = json.loads(ok("replies", meeting, "-o", out, "--participants", "--format", "json").stdout)
    assert [(s["id"], [p["acronym"] for p in s["participants"]]) for s in doc["by_segment"]] == [
        ("autumn", ["GVA"]), ("spring", ["TYO"]), ("usual", [])]


def test_a_message_that_is_not_mail_is_said_in_words(issued, tmp_path):
    meeting, out = issued
    src = tmp_path / "src"
    garbage = write(src, "notes.eml", b"just some notes\nthat are not an e-mail\n")
    unbounded = write(src, "unbounded.eml", b"From: x@example.org\r\nMessage-ID: <u@example.org>\r\nMIME-Version: 1.0"
                      b'\r\nContent-Type: multipart/mixed; boundary="never"\r\n\r\nno boundary ever comes\r\n')
    result = som_run("replies", meeting, "-o", out, garbage, unbounded, "--format", "json")
    assert result.exit_code == 0, result.output
    reasons = {Path(i["source"]).name: i["reason"] for i in json.loads(result.stdout)["ignored"]}
    assert reasons["notes.eml"] == "not an e-mail message: no blank line between headers and body"
    assert reasons["unbounded.eml"] == ("a damaged e-mail message with no calendar part: the boundary between its "
                                        "parts never appears")
    assert "Defect" not in result.output


def test_every_defect_worded_is_one_the_email_package_has():
    import email.errors

    from agenda.read.replies import DEFECT_WORDS, defect_reason

    assert all(isinstance(getattr(email.errors, name, None), type) for name in DEFECT_WORDS)
    # one not worded: the generic words, never its class name
    assert defect_reason(["SomeFutureDefect"]) == ("a damaged e-mail message with no calendar part: its structure is "
                                                   "damaged")


def test_a_table_title_never_breaks_inside_the_time(issued):
    meeting, out = issued
    for columns in ("80", "60", "50"):
        lines = som_run("replies", meeting, "-o", out, env={"COLUMNS": columns}).stdout.splitlines()
        times = [line for line in lines if "15:00" in line and "│" not in line]
        assert len(times) == 3, lines  # one title a segment
        assert all("15:00–17:00 CET" in line or "15:00–16:30 CEST" in line for line in times), times
        assert not any(line.strip().startswith(("CET", "CEST")) for line in lines)


def test_the_members_page_names_no_internal_file_once_replies_are_recorded(tmp_path):
    # attendance.md lists the focal points' addresses and who declined; invitations/members/ holds
    # the attendees' addresses: the secretariat's page lists them, the members' page does not.
    meeting = DIVERGENCE.write(tmp_path / "in")
    pack, internal = tmp_path / "pack", tmp_path / "internal"
    for folder in (pack, internal):
        ok("build", meeting, "-o", folder)
        ok("replies", meeting, "-o", folder, FIXTURES / "apple-accepted.eml")
    ok("build", meeting, "-o", pack)
    ok("build", meeting, "-o", internal, "--internal", "--force")
    assert (pack / "attendance.md").is_file() and (pack / "invitations" / "members").is_dir()
    page = (pack / "index.html").read_text(encoding="utf-8").lower()
    for word in ("checklist", "attendance", "invitations/members", "som-issued", "send-log", "som-replies",
                 ".som-files", "@example.org"):
        assert word not in page, word
    secretariat = (internal / "index.html").read_text(encoding="utf-8")
    for name in ('href="attendance.md"', 'href="attendance.json"', 'href="checklist.md"', "invitations/members/"):
        assert name in secretariat, name
