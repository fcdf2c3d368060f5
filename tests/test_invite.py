"""`som invite` and agenda.plan.invite: the files, their content, versions, cancellations, bad input.

Expected local times come from GNU date (tests/oracle.py) or are worked out by hand and said
so; UTC instants per parser are checked in test_invite_interop.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.app import invite as inv
from agenda.plan.invite import BUNDLED
from agenda.cli import som
from agenda.model.errors import SomError
from agenda.read.load import load_meeting
from tests import oracle
from tests.invite_scenarios import SCENARIOS, Scenario, Seg

UTC = dt.timezone.utc
EPOCH = 1693569600  # 2023-09-01T12:00:00Z
DIVERGENCE = next(s for s in SCENARIOS if s.name == "divergence")
# Each office with an address gets a REQUEST per segment; the one without ("nomail") none.
WITH_MAIL = [o[0] for o in DIVERGENCE.offices if o[6]]
MEMBER_INVITATIONS = len(WITH_MAIL) * len(DIVERGENCE.segments)


def run(*args: str, epoch: int | str | None = EPOCH, input=None):
    env = {"SOURCE_DATE_EPOCH": str(epoch)} if epoch is not None else {"SOURCE_DATE_EPOCH": ""}
    return CliRunner().invoke(som, ["invite", *args], env=env, input=input)


@dataclass(frozen=True)
class Said:
    output: str  # whitespace runs made one space: rich wraps long lines off a terminal


def ok(*args: str, epoch=EPOCH):
    result = run(*args, epoch=epoch)
    assert result.exit_code == 0, result.output
    return Said(" ".join(result.output.split()))


def fail(*args: str, epoch=EPOCH):
    result = run(*args, epoch=epoch)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def snapshot(folder: Path, manifest: bool = True) -> dict[str, bytes]:
    """Every file's bytes; without the manifest, which a re-run with nothing changed ends with a
    note for the next run (agenda/app/rerun.py)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and (manifest or p.name != ".som-files.json")}


def events(path: Path) -> list:
    return icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")


def lines(path: Path) -> list[str]:
    return path.read_bytes().replace(b"\r\n ", b"").decode().split("\r\n")


@pytest.fixture
def meeting(tmp_path) -> Path:
    return DIVERGENCE.write(tmp_path / "in")


@pytest.fixture
def out(tmp_path) -> Path:
    return tmp_path / "out"


# --- files and content ---------------------------------------------------------------------

def test_files_feed_per_segment_and_per_member(meeting, out):
    result = ok(str(meeting), "-o", str(out))
    names = set(snapshot(out))
    segments = [s.id for s in DIVERGENCE.segments]
    assert names == ({"divergence.ics", ".som-files.json", "som-issued.toml"}
                     | {f"divergence-{s}.ics" for s in segments}
                     | {f"members/{m}/divergence-{s}.ics" for m in WITH_MAIL for s in segments})
    assert not (out / "members" / "nomail").exists()
    without = len(DIVERGENCE.offices) - len(WITH_MAIL)
    assert f"{without} of {len(DIVERGENCE.offices)} members have no e-mail address" in result.output


def test_methods_names_and_people_in_each_kind_of_file(meeting, out):
    ok(str(meeting), "-o", str(out))
    feed, single = lines(out / "divergence.ics"), lines(out / "divergence-autumn.ics")
    member = lines(out / "members" / "newyork" / "divergence-autumn.ics")
    assert "METHOD:PUBLISH" in feed and "METHOD:PUBLISH" in single and "METHOD:REQUEST" in member
    assert any(line.startswith("X-WR-CALNAME:") for line in feed)
    assert not any(line.startswith(("X-WR-CALNAME", "NAME:")) for line in single + member)
    for text in (feed, single, member):
        assert "ORGANIZER;CN=EMG Secretariat:mailto:emg.secretariat@example.org" in text
    assert not any(line.startswith("ATTENDEE") for line in feed + single)
    assert [line for line in member if line.startswith("ATTENDEE")] == [
        "ATTENDEE;CN=NYC;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:focal.ny@example.org",
        "ATTENDEE;CN=NYC;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:deputy.ny@example.org"]
    assert member.count("BEGIN:VEVENT") == 1 and feed.count("BEGIN:VEVENT") == 3


def test_uid_is_the_same_in_every_file_and_carries_no_personal_data(meeting, out):
    ok(str(meeting), "-o", str(out))
    uids = {str(e["UID"]) for p in out.rglob("*autumn.ics") for e in events(p)}
    assert uids == {"autumn.divergence@som"}
    feed_uids = sorted(str(e["UID"]) for e in events(out / "divergence.ics"))
    assert feed_uids == ["autumn.divergence@som", "spring.divergence@som", "usual.divergence@som"]


def test_two_meetings_never_share_a_uid(tmp_path):
    a, b = (Scenario(name, "Europe/Zurich", (Seg("technical", "Technical", "2023-09-26", "15:00", "17:00"),))
            for name in ("som29", "som30"))
    ok(str(a.write(tmp_path / "a")), "-o", str(tmp_path / "oa"))
    ok(str(b.write(tmp_path / "b")), "-o", str(tmp_path / "ob"))
    ua = {str(e["UID"]) for e in events(tmp_path / "oa" / "som29.ics")}
    ub = {str(e["UID"]) for e in events(tmp_path / "ob" / "som30.ics")}
    assert ua and ub and not ua & ub


def shown(abbr: str) -> str:
    """How som shows a zone without a letter abbreviation: `+1345` as `UTC+13:45`."""
    return f"UTC{abbr[0]}{abbr[1:3]}:{abbr[3:5]}" if abbr[0] in "+-" else abbr


def local_line(utc_start, utc_end, zone, place):
    """`10:00–12:00 New York (EDT)` from GNU date."""
    (s, abbr, _), (e, _, _) = oracle.local_of_utc(utc_start, zone), oracle.local_of_utc(utc_end, zone)
    return f"{s:%H:%M}–{e:%H:%M} {place} ({shown(abbr)})", s.date()


def test_member_description_puts_the_members_own_time_first(meeting, out):
    ok(str(meeting), "-o", str(out))
    start, end = DIVERGENCE.expected()["autumn.divergence@som"]
    # 31 October 2023: Geneva is back on CET, New York still on EDT: 5 hours apart, not 6.
    ny, _ = local_line(start, end, "America/New_York", "New York")
    home, _ = local_line(start, end, "Europe/Zurich", "Geneva")
    assert ny == "10:00–12:00 New York (EDT)" and home == "15:00–17:00 Geneva (CET)"  # by hand, too
    [event] = events(out / "members" / "newyork" / "divergence-autumn.ics")
    text = str(event["DESCRIPTION"]).split("\n")
    assert "Tuesday 31 October 2023" in text
    assert text[text.index("Tuesday 31 October 2023") + 1] == f"{ny} = {home}"


def test_member_on_the_next_day_sees_both_dates(meeting, out):
    ok(str(meeting), "-o", str(out))
    start, end = DIVERGENCE.expected()["autumn.divergence@som"]
    chatham, day = local_line(start, end, "Pacific/Chatham", "Waitangi")
    home, _ = local_line(start, end, "Europe/Zurich", "Geneva")
    assert day == dt.date(2023, 11, 1)  # 14:00Z + 13:45 is past midnight
    [event] = events(out / "members" / "chatham" / "divergence-autumn.ics")
    text = str(event["DESCRIPTION"]).split("\n")
    assert "Wednesday 1 November 2023" in text
    assert f"{chatham} = {home}, Tuesday 31 October 2023" in text


def test_feed_description_has_home_utc_and_a_table_of_members_times(meeting, out):
    ok(str(meeting), "-o", str(out))
    start, end = DIVERGENCE.expected()["spring.divergence@som"]
    home, _ = local_line(start, end, "Europe/Zurich", "Geneva")
    [event] = [e for e in events(out / "divergence.ics") if str(e["UID"]) == "spring.divergence@som"]
    text = str(event["DESCRIPTION"]).split("\n")
    assert f"{home} = {start:%H:%M}–{end:%H:%M} UTC" in text
    table = text[text.index("Local times of members") + 1:]
    (s, abbr, _), (e, _, _) = oracle.local_of_utc(start, "America/New_York"), oracle.local_of_utc(end, "America/New_York")
    assert f"{s:%H:%M}–{e:%H:%M} {abbr}: New York" in table  # 12 March 2024: EDT already, Europe still CET


def test_agenda_items_are_numbered_as_the_agenda_document_numbers_them(tmp_path):
    from agenda.model.meeting import AgendaItem

    meeting = load_meeting(DIVERGENCE.write(tmp_path / "in"))
    subs = tuple(AgendaItem(f"Sub {n}", items=(AgendaItem("Deep"),) if n == 27 else ()) for n in range(1, 29))
    got = inv.Texts(meeting).items((AgendaItem("Opening"), AgendaItem("Reports", items=subs)))
    assert got[:4] == ["1. Opening", "2. Reports", "   (a) Sub 1", "   (b) Sub 2"]
    assert got[-4:] == ["   (z) Sub 26", "   (aa) Sub 27", "      (i) Deep", "   (ab) Sub 28"]


def test_summary_location_conference_alarm_status(meeting, out):
    ok(str(meeting), "-o", str(out))
    [event] = events(out / "divergence-autumn.ics")
    url = DIVERGENCE.online_url
    assert str(event["SUMMARY"]) == f"{DIVERGENCE.title} — Technical Segment"
    assert str(event["LOCATION"]) == f"MS Teams: {url}"
    assert str(event["URL"]) == url and str(event["CONFERENCE"]) == url
    assert str(event["X-MICROSOFT-SKYPETEAMSMEETINGURL"]) == url
    assert str(event["STATUS"]) == "CONFIRMED" and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTAMP") == dt.datetime(2023, 9, 1, 12, tzinfo=UTC)
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == dt.timedelta(minutes=-15)
    assert str(alarm["DESCRIPTION"])


def test_alarm_options(meeting, tmp_path):
    ok(str(meeting), "-o", str(tmp_path / "a"), "--alarm", "45")
    assert "TRIGGER:-PT45M" in lines(tmp_path / "a" / "divergence-autumn.ics")
    ok(str(meeting), "-o", str(tmp_path / "b"), "--no-alarm")
    assert not [p for p in (tmp_path / "b").rglob("*.ics") if b"VALARM" in p.read_bytes()]
    assert "contradict" in fail(str(meeting), "-o", str(tmp_path / "c"), "--alarm", "5", "--no-alarm")
    assert "--alarm" in fail(str(meeting), "-o", str(tmp_path / "c"), "--alarm", "0")
    assert not (tmp_path / "c").exists()


def test_no_online_link_no_conference(tmp_path):
    scenario = Scenario("nolink", "Europe/Zurich", (Seg("a", "A", "2023-09-26", "15:00", "17:00", status="tentative"),),
                        online_url=None, location="Palais des Nations, Room XIX")
    ok(str(scenario.write(tmp_path / "in")), "-o", str(tmp_path / "out"))
    [event] = events(tmp_path / "out" / "nolink-a.ics")
    assert str(event["LOCATION"]) == "Palais des Nations, Room XIX"
    assert "CONFERENCE" not in event and "URL" not in event and "X-MICROSOFT-SKYPETEAMSMEETINGURL" not in event
    assert str(event["STATUS"]) == "TENTATIVE"


# --- versions ------------------------------------------------------------------------------

def test_rerun_writes_identical_bytes(meeting, out):
    ok(str(meeting), "-o", str(out))
    before = snapshot(out)
    result = ok(str(meeting), "-o", str(out), epoch=EPOCH + 86400)
    after = snapshot(out)
    # every file the same; the manifest lists the same digests, and now ends with the note a
    # re-run with nothing changed leaves for the next (agenda/app/rerun.py)
    manifest = after.pop(".som-files.json")
    assert after == {k: v for k, v in before.items() if k != ".som-files.json"}
    assert json.loads(manifest)["files"] == json.loads(before[".som-files.json"])["files"]
    assert "rerun" in json.loads(manifest) and "pending" not in json.loads(manifest)
    assert "autumn: unchanged, SEQUENCE 0" in result.output
    assert "wrote 0 files" in result.output
    again = ok(str(meeting), "-o", str(out), epoch=EPOCH + 86400)
    assert snapshot(out) == {**after, ".som-files.json": manifest}  # nothing written at all
    assert again.output == result.output


def reschedule(scenario: Scenario, folder: Path, segment_id: str, **changes) -> Path:
    segments = tuple(Seg(**{**s.__dict__, **changes}) if s.id == segment_id else s for s in scenario.segments)
    return scenario.write(folder, segments)


def test_a_time_change_raises_sequence_of_that_segment_only(meeting, out, tmp_path):
    ok(str(meeting), "-o", str(out))
    before = snapshot(out)
    changed = reschedule(DIVERGENCE, tmp_path / "in", "autumn", start="16:00", end="18:00")
    result = ok(str(changed), "-o", str(out), epoch=EPOCH + 3600)
    assert "autumn: time changed 15:00–17:00 → 16:00–18:00 CET, SEQUENCE 0 → 1" in result.output
    after = snapshot(out)
    for name in after:
        if "autumn" in name:
            [event] = events(out / name)
            assert int(event["SEQUENCE"]) == 1 and str(event["UID"]) == "autumn.divergence@som"
            assert event.decoded("DTSTAMP") == dt.datetime(2023, 9, 1, 13, tzinfo=UTC)
        elif name.endswith(".ics") and name != "divergence.ics":
            assert after[name] == before[name], name
    feed = {str(e["UID"]): int(e["SEQUENCE"]) for e in events(out / "divergence.ics")}
    assert feed == {"autumn.divergence@som": 1, "spring.divergence@som": 0, "usual.divergence@som": 0}
    record = (out / "som-issued.toml").read_text()
    assert 'time = "16:00–18:00 CET"' in record


def test_title_location_and_status_changes_raise_sequence(tmp_path):
    out = tmp_path / "out"
    ok(str(DIVERGENCE.write(tmp_path / "a")), "-o", str(out))
    retitled = tuple(Seg(**{**s.__dict__, "title": "Senior Segment (high level)", "status": "tentative"})
                     if s.id == "spring" else s for s in DIVERGENCE.segments)
    result = ok(str(DIVERGENCE.write(tmp_path / "b", retitled)), "-o", str(out), epoch=EPOCH + 60)
    assert "spring: title changed “Senior Segment” → “Senior Segment (high level)”; status changed confirmed → " \
           "tentative, SEQUENCE 0 → 1" in result.output
    moved = Scenario(**{**DIVERGENCE.__dict__, "location": "Palais des Nations"})
    result = ok(str(moved.write(tmp_path / "c", retitled)), "-o", str(out), epoch=EPOCH + 120)
    assert "spring: location changed “MS Teams” → “Palais des Nations”, SEQUENCE 1 → 2" in result.output
    assert "autumn: location changed “MS Teams” → “Palais des Nations”, SEQUENCE 0 → 1" in result.output


def test_a_change_of_agenda_only_renews_dtstamp_and_keeps_sequence(meeting, out, tmp_path):
    ok(str(meeting), "-o", str(out))
    noted = reschedule(DIVERGENCE, tmp_path / "in", "usual", notes="The chair will open with a short statement.")
    result = ok(str(noted), "-o", str(out), epoch=EPOCH)  # same clock: DTSTAMP must still move on
    assert "usual: agenda or details changed (new DTSTAMP, SEQUENCE stays 0)" in result.output
    [event] = events(out / "divergence-usual.ics")
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTAMP") == dt.datetime(2023, 9, 1, 12, 0, 1, tzinfo=UTC)


def test_dry_run_writes_nothing(meeting, out):
    result = ok(str(meeting), "-o", str(out), "--dry-run")
    assert not out.exists()
    files = 1 + len(DIVERGENCE.segments) + MEMBER_INVITATIONS  # the feed, each segment, each member's
    assert f"would write {files} files" in result.output
    ok(str(meeting), "-o", str(out))
    before = snapshot(out)
    result = ok(str(meeting), "-o", str(out), "--cancel", "usual", "--dry-run", epoch=EPOCH + 5)
    assert "usual: cancelled, SEQUENCE 0 → 1" in result.output
    assert snapshot(out) == before


def test_segment_limits_and_leaves_the_feed_alone(meeting, out):
    result = ok(str(meeting), "-o", str(out), "--segment", "spring")
    assert sorted(snapshot(out)) == [".som-files.json", "divergence-spring.ics",
                                     *sorted(f"members/{o[0]}/divergence-spring.ics" for o in DIVERGENCE.offices if o[6]),
                                     "som-issued.toml"]
    assert "feed not written" in result.output
    ok(str(meeting), "-o", str(out))
    assert "[segment.\"autumn\"]" in (out / "som-issued.toml").read_text()


def test_no_members(meeting, out):
    ok(str(meeting), "-o", str(out), "--no-members")
    assert not (out / "members").exists()
    assert (out / "divergence.ics").exists()


def test_json_output(meeting, out):
    import json

    data = json.loads(ok(str(meeting), "-o", str(out), "--format", "json").output)
    assert data["meeting"] == "divergence" and data["feed"] == "divergence.ics"
    assert [s["id"] for s in data["segments"]] == ["autumn", "spring", "usual"]
    first = data["segments"][0]
    assert first["state"] == "new" and first["sequence"] == 0 and first["uid"] == "autumn.divergence@som"
    assert first["dtstamp"] == "2023-09-01T12:00:00Z" and first["sequence_before"] is None
    assert data["members_without_email"] == ["nomail"]


# --- cancellation --------------------------------------------------------------------------

def test_cancel_sends_cancel_to_members_and_marks_the_feed(meeting, out, tmp_path):
    ok(str(meeting), "-o", str(out))
    result = ok(str(meeting), "-o", str(out), "--cancel", "usual", epoch=EPOCH + 10)
    assert "usual: cancelled, SEQUENCE 0 → 1" in result.output
    member = lines(out / "members" / "tokyo" / "divergence-usual.ics")
    assert "METHOD:CANCEL" in member and "STATUS:CANCELLED" in member and "SEQUENCE:1" in member
    assert "UID:usual.divergence@som" in member and "ATTENDEE;CN=TYO;ROLE=REQ-PARTICIPANT:mailto:tyo@example.org" in member
    assert not any(line.startswith("BEGIN:VALARM") for line in member)
    feed = {str(e["UID"]): (str(e["STATUS"]), int(e["SEQUENCE"])) for e in events(out / "divergence.ics")}
    assert feed["usual.divergence@som"] == ("CANCELLED", 1)
    assert feed["autumn.divergence@som"] == ("CONFIRMED", 0)
    # The cancellation stands on the next run, byte for byte...
    before = snapshot(out, manifest=False)
    result = ok(str(meeting), "-o", str(out), epoch=EPOCH + 20)
    assert "usual: unchanged, still cancelled, SEQUENCE 1" in result.output
    assert snapshot(out, manifest=False) == before
    # ...until the segment is rescheduled: then it is invited again, with a higher SEQUENCE.
    moved = reschedule(DIVERGENCE, tmp_path / "in2", "usual", date="2024-04-23")
    result = ok(str(moved), "-o", str(out), epoch=EPOCH + 30)
    assert "usual: date changed 2024-04-16 → 2024-04-23; status changed cancelled → confirmed, SEQUENCE 1 → 2" in result.output
    member = lines(out / "members" / "tokyo" / "divergence-usual.ics")
    assert "METHOD:REQUEST" in member and "SEQUENCE:2" in member and "STATUS:CONFIRMED" in member


def test_a_segment_cancelled_before_it_was_ever_issued_sends_no_cancel(tmp_path):
    scenario = Scenario("early", "Europe/Zurich", (Seg("a", "A", "2023-09-26", "15:00", "17:00"),
                                                   Seg("b", "B", "2023-09-27", "15:00", "17:00", status="cancelled")))
    result = ok(str(scenario.write(tmp_path / "in")), "-o", str(tmp_path / "out"))
    # one consistent line, not "b: new, SEQUENCE 0" followed by a note that contradicts it
    assert "b: cancelled before it was ever issued: no file written, nobody to tell" in result.output
    assert "b: new" not in result.output
    assert not list((tmp_path / "out").rglob("*early-b.ics"))  # no cancellation that nobody needs
    assert "[segment.b]" not in (tmp_path / "out" / "som-issued.toml").read_text(encoding="utf-8")
    assert "UID:b.early@som" not in lines(tmp_path / "out" / "early.ics")  # nor in the feed
    assert "UID:a.early@som" in lines(tmp_path / "out" / "early.ics")
    # --cancel on a segment never issued says the same, and writes nothing for it either
    other = Scenario("fresh", "Europe/Zurich", (Seg("a", "A", "2023-09-26", "15:00", "17:00"),
                                                Seg("b", "B", "2023-09-27", "15:00", "17:00")))
    result = ok(str(other.write(tmp_path / "in2")), "-o", str(tmp_path / "out2"), "--cancel", "b")
    assert "b: cancelled before it was ever issued: no file written, nobody to tell" in result.output
    assert sorted(p.name for p in (tmp_path / "out2").rglob("*.ics") if "-b" in p.name) == []


# --- the record and safe writing -----------------------------------------------------------

def test_record_is_readable_and_says_what_was_issued(meeting, out):
    ok(str(meeting), "-o", str(out))
    record = (out / "som-issued.toml").read_text(encoding="utf-8")
    assert record.startswith("# What `som invite` issued")
    import tomllib

    data = tomllib.loads(record)
    assert data["meeting"] == "divergence"
    autumn = data["segment"]["autumn"]
    assert autumn["uid"] == "autumn.divergence@som" and autumn["sequence"] == 0
    assert autumn["dtstamp"] == dt.datetime(2023, 9, 1, 12, tzinfo=UTC)
    assert (autumn["date"], autumn["time"], autumn["status"]) == ("2023-10-31", "15:00–17:00 CET", "confirmed")


def test_record_is_written_only_after_every_file(meeting, out, tmp_path, monkeypatch):
    ok(str(meeting), "-o", str(out))
    record = (out / "som-issued.toml").read_bytes()
    changed = reschedule(DIVERGENCE, tmp_path / "in", "autumn", start="16:00", end="18:00")
    calls = {"n": 0}
    real_replace = os.replace

    def flaky_replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    output = fail(str(changed), "-o", str(out), epoch=EPOCH + 60)
    monkeypatch.setattr(os, "replace", real_replace)
    assert "No space left on device" in output
    assert (out / "som-issued.toml").read_bytes() == record
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    # The next run finds the files som wrote (the manifest kept up) and finishes the job.
    result = ok(str(changed), "-o", str(out), epoch=EPOCH + 120)
    assert "autumn: time changed" in result.output
    assert "sequence = 1" in (out / "som-issued.toml").read_text()


def test_a_run_killed_between_the_record_and_the_manifest_can_be_run_again(meeting, out, tmp_path, monkeypatch):
    """SIGKILL right after som-issued.toml is renamed into place, before the manifest says so:
    the next run must know the record as som's own (the manifest noted it as pending)."""
    from agenda.effects.files import OutputDir

    ok(str(meeting), "-o", str(out))
    changed = reschedule(DIVERGENCE, tmp_path / "in", "autumn", start="16:00", end="18:00")
    real_write = OutputDir.write

    def write_then_die(self, name, data):
        changed_bytes = real_write(self, name, data)
        if name == inv.RECORD:
            raise KeyboardInterrupt("killed")  # nothing after this point runs, as with SIGKILL
        return changed_bytes

    monkeypatch.setattr(OutputDir, "write", write_then_die)
    with pytest.raises(KeyboardInterrupt):
        inv.write_invitations(load_meeting(changed), out, inv.InviteOptions(clock=dt.datetime(2023, 9, 2, tzinfo=UTC)))
    monkeypatch.setattr(OutputDir, "write", real_write)
    assert "sequence = 1" in (out / inv.RECORD).read_text()
    result = ok(str(changed), "-o", str(out), epoch=EPOCH + 86400)
    assert "autumn: unchanged, SEQUENCE 1" in result.output
    assert "pending" not in (out / ".som-files.json").read_text()


def test_a_version_cannot_be_changed_after_the_fact(meeting, out):
    ok(str(meeting), "-o", str(out))
    ok(str(meeting), "-o", str(out), "--cancel", "usual", epoch=EPOCH + 10)
    before = inv.read_record(out / inv.RECORD, "divergence", overwrite=False)
    plan = inv.plan_invitations(load_meeting(meeting), out, inv.InviteOptions(dry_run=True))
    usual = next(o for o in plan.outcomes if o.segment.id == "usual")
    assert usual.state == "unchanged" and usual.version.values["status"] == "cancelled"
    with pytest.raises(TypeError):
        usual.version.values["status"] = "confirmed"  # type: ignore[index]
    assert before["usual"].values["status"] == "cancelled"


def test_a_folder_issued_from_a_file_refuses_the_bundled_meeting(tmp_path, monkeypatch):
    """The new-user trial: issued from my.toml (technical moved to 16:00), then `som invite -o
    DIR` without the file would have issued the bundled SOM29 over it, SEQUENCE 1 → 2."""
    monkeypatch.chdir(tmp_path)
    root = Path(__file__).resolve().parent.parent
    text = (root / "calendars" / "som29.toml").read_text(encoding="utf-8")
    head, _, tail = text.partition('id = "technical"')
    moved = head + 'id = "technical"' + tail.replace('time = "15:00-17:00 CEST"', 'time = "16:00-18:00 CEST"', 1)
    Path("my.toml").write_text(text, encoding="utf-8")
    ok("my.toml", "-o", "out")
    Path("my.toml").write_text(moved, encoding="utf-8")
    assert "technical: time changed 15:00–17:00 → 16:00–18:00 CEST, SEQUENCE 0 → 1" in \
        ok("my.toml", "-o", "out", epoch=EPOCH + 60).output
    before = snapshot(tmp_path / "out")
    assert 'source = "my.toml"' in (tmp_path / "out" / inv.RECORD).read_text()
    message = " ".join(fail("-o", "out", epoch=EPOCH + 120).split())
    assert "out was issued from my.toml; you gave the bundled SOM29 meeting; pass my.toml, or --force to issue " \
           "from this one" in message
    assert snapshot(tmp_path / "out") == before
    # and the other way round
    Path("b").mkdir()
    ok("-o", "b")
    assert "b was issued from the bundled SOM29 meeting; you gave my.toml" in " ".join(fail("my.toml", "-o", "b").split())
    # --force issues from the meeting given, going on from the versions issued
    result = ok("-o", "out", "--force", epoch=EPOCH + 180)
    assert "technical: time changed 16:00–18:00 → 15:00–17:00 CEST, SEQUENCE 1 → 2" in result.output
    assert 'source = "bundled"' in (tmp_path / "out" / inv.RECORD).read_text()


def test_a_record_without_a_source_is_read_as_before(meeting, out):
    ok(str(meeting), "-o", str(out))
    record = out / inv.RECORD
    text = record.read_text()
    assert f"source = \"{meeting}\"" in text
    old = "\n".join(line for line in text.splitlines() if not line.startswith("source = ")) + "\n"
    record.write_text(old)
    versions = inv.read_record(record, "divergence", overwrite=False, source=BUNDLED)
    assert sorted(versions) == ["autumn", "spring", "usual"]


def test_issue_clock_prefers_option_then_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1693569600")
    assert inv.issue_clock() == dt.datetime(2023, 9, 1, 12, tzinfo=UTC)
    assert inv.issue_clock(dt.datetime(2024, 1, 1, 10, 0, 0, 5, tzinfo=UTC)) == dt.datetime(2024, 1, 1, 10, tzinfo=UTC)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    now = inv.issue_clock()
    assert abs(now - dt.datetime.now(UTC)) < dt.timedelta(seconds=5) and now.microsecond == 0


@pytest.mark.parametrize("value", ["1693569600", " 1693569600\n", "\t1693569600 "])
def test_invitations_and_documents_read_source_date_epoch_alike(monkeypatch, tmp_path, value):
    from agenda.effects.clock import build_stamp

    meeting = load_meeting(DIVERGENCE.write(tmp_path / "in"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert inv.issue_clock() == build_stamp(meeting) == dt.datetime(2023, 9, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize("value", ["soon", "1.5", "99999999999999999999"])
def test_a_bad_source_date_epoch_is_the_same_error_everywhere(monkeypatch, tmp_path, value):
    from agenda.effects.clock import build_stamp

    meeting = load_meeting(DIVERGENCE.write(tmp_path / "in"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(SomError) as by_invite:
        inv.issue_clock()
    with pytest.raises(SomError) as by_document:
        build_stamp(meeting)
    assert str(by_invite.value) == str(by_document.value)
    assert f"SOURCE_DATE_EPOCH is `{value}`, not a number of seconds" in str(by_invite.value)


def test_without_source_date_epoch_an_invitation_is_stamped_now_and_a_document_on_1_january(monkeypatch, tmp_path):
    from agenda.effects.clock import build_stamp

    meeting = load_meeting(DIVERGENCE.write(tmp_path / "in"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "  ")
    assert abs(inv.issue_clock() - dt.datetime.now(UTC)) < dt.timedelta(seconds=5)
    assert build_stamp(meeting) == dt.datetime(2023, 1, 1, tzinfo=UTC)  # the first segment is in 2023


# --- bad input -----------------------------------------------------------------------------

def test_output_that_is_a_file(meeting, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    assert "is a file, not a folder" in fail(str(meeting), "-o", str(target))
    assert "is a file, not a folder" in fail(str(meeting), "-o", str(target / "sub"))
    assert target.read_text() == "x"


def test_output_not_writable(meeting, out, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == out.parent else real_access(path, mode))
    assert "is not writable" in fail(str(meeting), "-o", str(out))


def test_a_file_som_did_not_write_is_refused_unless_force(meeting, out):
    out.mkdir()
    (out / "divergence.ics").write_text("mine")
    message = fail(str(meeting), "-o", str(out))
    assert "divergence.ics exists and som did not write it" in message and "--force" in message
    assert sorted(p.name for p in out.iterdir()) == ["divergence.ics"]
    ok(str(meeting), "-o", str(out), "--force")
    assert (out / "divergence.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_an_edited_file_is_refused(meeting, out):
    ok(str(meeting), "-o", str(out))
    path = out / "members" / "tokyo" / "divergence-spring.ics"
    path.write_bytes(path.read_bytes() + b"\r\n")
    assert "was changed since som wrote it" in fail(str(meeting), "-o", str(out))


def test_invalid_email_names_the_member(tmp_path):
    offices = tuple(o if o[0] != "tokyo" else (*o[:6], ["not-an-address"]) for o in DIVERGENCE.offices)
    bad = Scenario(**{**DIVERGENCE.__dict__, "offices": offices})
    message = fail(str(bad.write(tmp_path / "in")), "-o", str(tmp_path / "out"))
    assert "`not-an-address` is not an e-mail address" in message and "tokyo" in message
    assert not (tmp_path / "out").exists()


def test_unknown_segment_or_cancel_id_suggests(meeting, out):
    assert "no segment `sprig`" in (m := fail(str(meeting), "-o", str(out), "--segment", "sprig")) and "`spring`" in m
    assert "no segment `usul`" in (m := fail(str(meeting), "-o", str(out), "--cancel", "usul")) and "`usual`" in m
    assert not out.exists()


def test_meeting_without_organizer(tmp_path):
    path = DIVERGENCE.write(tmp_path / "in")
    text = "\n".join(line for line in path.read_text().splitlines() if not line.startswith("organizer"))
    path.write_text(text)
    assert "has no organizer" in fail(str(path), "-o", str(tmp_path / "out"))


def test_record_of_another_meeting_or_damaged(meeting, out, tmp_path):
    ok(str(meeting), "-o", str(out))
    other = Scenario("other", "Europe/Zurich", (Seg("a", "A", "2023-09-26", "15:00", "17:00"),))
    assert "holds invitations of meeting `divergence`" in fail(str(other.write(tmp_path / "o")), "-o", str(out))
    (out / "som-issued.toml").write_text("not = [toml")
    assert "was changed since som wrote it" in fail(str(meeting), "-o", str(out))


def test_bad_source_date_epoch(meeting, out):
    assert "SOURCE_DATE_EPOCH is `soon`" in fail(str(meeting), "-o", str(out), epoch="soon")


def test_eml_without_members_and_smtp_without_send(meeting, out, fake_mail):
    assert "--no-members" in fail(str(meeting), "-o", str(out), "--eml", "--no-members")
    assert "only apply with --send" in fail(str(meeting), "-o", str(out), "--smtp-host", "mail.example.org")


def test_send_with_nobody_to_send_to(out, fake_mail):
    assert "no per-member invitation to send" in fail("-o", str(out), "--send")
    assert not out.exists()


@pytest.mark.fuzz
@given(st.text(max_size=400))
def test_reading_any_record_raises_only_som_error(tmp_path, text):
    path = tmp_path / "som-issued.toml"
    path.write_text(text, encoding="utf-8")
    try:
        inv.read_record(path, "divergence", overwrite=False)
    except SomError:
        pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["uid", "sequence", "dtstamp", "fingerprint", "detail", "date", "x"]),
                       st.one_of(st.text(max_size=20), st.integers(), st.datetimes(), st.booleans()), max_size=7))
def test_reading_a_record_with_odd_values_raises_only_som_error(tmp_path, entry):
    import json

    def value(v):
        if isinstance(v, dt.datetime):
            return v.isoformat()
        if isinstance(v, bool):
            return "true" if v else "false"
        return json.dumps(v)

    body = "\n".join(f"{k} = {value(v)}" for k, v in entry.items())
    path = tmp_path / "som-issued.toml"
    path.write_text(f'meeting = "divergence"\n[segment."a"]\n{body}\n', encoding="utf-8")
    try:
        inv.read_record(path, "divergence", overwrite=False)
    except SomError:
        pass


# --- e-mail: --eml and --send through agenda.effects.mail ------------------------------------------

@dataclass(frozen=True)
class FakeInvitation:
    key: str
    ics: bytes
    method: str
    uid: str
    sequence: int
    dtstamp: dt.datetime
    organizer: object
    recipients: tuple
    subject: str
    text: str
    html: str | None


@pytest.fixture
def fake_mail(monkeypatch):
    """agenda.effects.mail as agreed with the e-mail branch: Invitation, eml_bytes, SmtpSettings, send_invitations."""
    module = types.ModuleType("agenda.effects.mail")
    module.calls = []

    class SmtpSettings:
        def __init__(self, **kw):
            self.__dict__.update(kw)

        @classmethod
        def resolve(cls, host=None, port=None, security=None, user=None):
            return cls(host=host, port=port, security=security, user=user)

    def send_invitations(invitations, settings, log_path, *, dry_run=False, progress=None):
        module.calls.append((list(invitations), settings, log_path, dry_run))
        for n, i in enumerate(invitations, 1):
            progress(n, len(invitations), i, None)
        outcomes = tuple(types.SimpleNamespace(key=i.key, status="would send" if dry_run else "sent",
                                               recipients=tuple(r.email for r in i.recipients)) for i in invitations)
        return types.SimpleNamespace(sent=len(invitations), skipped=0, failed=0, dry_run=dry_run, outcomes=outcomes)

    class SendFailed(Exception):
        pass

    module.SendFailed = SendFailed

    module.Invitation = FakeInvitation
    module.eml_bytes = lambda i: b"EML " + i.key.encode() + b" " + i.method.encode()
    module.SmtpSettings = SmtpSettings
    module.send_invitations = send_invitations
    monkeypatch.setitem(sys.modules, "agenda.effects.mail", module)
    import agenda.effects

    monkeypatch.setattr(agenda.effects, "mail", module, raising=False)
    return module


def test_eml_next_to_each_member_invitation(meeting, out, fake_mail):
    ok(str(meeting), "-o", str(out), "--eml")
    emls = sorted(str(p.relative_to(out)) for p in out.rglob("*.eml"))
    icss = sorted(str(p.relative_to(out))[:-4] + ".eml" for p in out.rglob("members/*/*.ics"))
    assert emls == icss and len(emls) == MEMBER_INVITATIONS
    assert (out / "members/tokyo/divergence-autumn.eml").read_bytes() == b"EML members/tokyo/divergence-autumn.ics REQUEST"


def test_send_hands_mail_every_member_invitation(meeting, out, fake_mail):
    result = ok(str(meeting), "-o", str(out), "--send", "--smtp-host", "127.0.0.1", "--smtp-port", "2525",
                "--smtp-security", "none")
    [(invitations, settings, log_path, dry_run)] = fake_mail.calls
    assert (settings.host, settings.port, settings.security, settings.user) == ("127.0.0.1", 2525, "none", None)
    assert log_path == out / "send-log.jsonl" and dry_run is False
    assert f"sent {MEMBER_INVITATIONS} invitations, 0 skipped" in result.output
    by_key = {i.key: i for i in invitations}
    ny = by_key["members/newyork/divergence-autumn.ics"]
    assert ny.ics == (out / ny.key).read_bytes()
    assert (ny.method, ny.uid, ny.sequence) == ("REQUEST", "autumn.divergence@som", 0)
    assert ny.dtstamp == dt.datetime(2023, 9, 1, 12, tzinfo=UTC)
    assert [r.email for r in ny.recipients] == ["focal.ny@example.org", "deputy.ny@example.org"]
    assert ny.organizer.email == "emg.secretariat@example.org"
    assert ny.subject == f"Invitation: {DIVERGENCE.title} — Technical Segment (Tue 31 Oct 2023 10:00–12:00 EDT)"
    assert "10:00–12:00 New York (EDT) = 15:00–17:00 Geneva (CET)" in ny.text
    assert "<a href=" in ny.html


def test_send_dry_run_writes_nothing_and_tells_mail(meeting, out, fake_mail):
    ok(str(meeting), "-o", str(out), "--send", "--dry-run")
    assert not out.exists()
    [(invitations, _, _, dry_run)] = fake_mail.calls
    assert dry_run is True and len(invitations) == MEMBER_INVITATIONS


def test_cancel_invitations_go_out_as_cancel(meeting, out, fake_mail):
    ok(str(meeting), "-o", str(out))
    ok(str(meeting), "-o", str(out), "--cancel", "usual", "--send", epoch=EPOCH + 10)
    [(invitations, *_)] = fake_mail.calls
    cancels = [i for i in invitations if i.method == "CANCEL"]
    assert len(cancels) == len(WITH_MAIL) and all(i.uid == "usual.divergence@som" and i.sequence == 1 for i in cancels)
    assert all(i.subject.startswith("Cancelled: ") for i in cancels)


def test_send_dry_run_in_json_is_one_json_document_with_a_row_per_message(meeting, out):
    """With the real agenda.effects.mail: stdout is exactly one JSON document, the send summary inside."""
    import json

    result = run(str(meeting), "-o", str(out), "--send", "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # the whole of stdout, nothing after the document
    send = data["send"]
    assert (send["dry_run"], send["sent"], send["skipped"], send["failed"]) == (True, MEMBER_INVITATIONS, 0, 0)
    ny = [m for m in send["messages"] if m["member"] == "newyork"]
    assert [(m["acronym"], m["addresses"], m["segment"], m["method"], m["sequence"], m["status"]) for m in ny] == [
        ("NYC", ["focal.ny@example.org", "deputy.ny@example.org"], s, "REQUEST", 0, "would send")
        for s in ("autumn", "spring", "usual")]
    assert len(send["messages"]) == MEMBER_INVITATIONS and not out.exists()


def test_send_dry_run_table_says_who_would_get_what(meeting, out):
    ok(str(meeting), "-o", str(out))
    result = run(str(meeting), "-o", str(out), "--cancel", "usual", "--send", "--dry-run", epoch=EPOCH + 10)
    assert result.exit_code == 0, result.output
    rows = [" ".join(line.replace("│", " ").split()) for line in result.stdout.splitlines()]
    # nothing was sent before: the cancellation would take back an invitation nobody received
    assert "NYC focal.ny@example.org, deputy.ny@example.org usual CANCEL 1 skipped" in rows
    assert "TYO tyo@example.org autumn REQUEST 0 would send" in rows
    cancels = MEMBER_INVITATIONS // len(DIVERGENCE.segments)
    assert (f"would send {MEMBER_INVITATIONS - cancels} invitations, {cancels} skipped (everyone already had that "
            f"version, or, for a cancellation, nobody was sent the invitation it takes back)") in rows


def test_members_given_addresses_later_are_named_as_new_invitations(tmp_path):
    import json

    offices = tuple((*o[:6], []) if o[0] in ("tokyo", "sydney") else o for o in DIVERGENCE.offices)
    without = Scenario(**{**DIVERGENCE.__dict__, "offices": offices})
    out = tmp_path / "out"
    ok(str(without.write(tmp_path / "a")), "-o", str(out))
    meeting = DIVERGENCE.write(tmp_path / "b")
    result = ok(str(meeting), "-o", str(out), "--dry-run")
    assert "autumn: unchanged, SEQUENCE 0; new invitations for TYO, SYD" in result.output
    assert f"would write {2 * len(DIVERGENCE.segments)} files" in result.output  # TYO's and SYD's, per segment
    data = json.loads(run(str(meeting), "-o", str(out), "--format", "json").stdout)
    assert {s["id"]: s["new_member_invitations"] for s in data["segments"]} == {
        "autumn": ["tokyo", "sydney"], "spring": ["tokyo", "sydney"], "usual": ["tokyo", "sydney"]}
    assert "new invitations" not in ok(str(meeting), "-o", str(out)).output


def test_each_segment_is_said_once(meeting, out):
    result = run(str(meeting), "-o", str(out))
    assert result.stdout.count("autumn") == 1 and "autumn: new, SEQUENCE 0" in result.stdout


# --- the command itself --------------------------------------------------------------------

def test_invite_is_listed_and_help_works():
    result = CliRunner().invoke(som, ["--help"])
    assert "invite" in result.output
    result = CliRunner().invoke(som, ["invite", "--help"])
    assert result.exit_code == 0 and "--output" in result.output and "--cancel" in result.output


def test_help_does_not_load_the_heavy_modules():
    import subprocess

    code = ("import sys; from click.testing import CliRunner; from agenda.cli import som; "
            "CliRunner().invoke(som, ['invite', '--help']); "
            "print(sorted(m for m in ('agenda.render.ics', 'agenda.plan.invite', 'agenda.effects.mail', 'icalendar', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_output_option_is_required():
    result = CliRunner().invoke(som, ["invite"])
    assert result.exit_code == 2 and "--output" in result.output


def test_library_entry_point_for_som_build(tmp_path):
    meeting = load_meeting(DIVERGENCE.write(tmp_path / "in"))
    result = inv.write_invitations(meeting, tmp_path / "out", inv.InviteOptions(clock=dt.datetime(2023, 9, 1, tzinfo=UTC)))
    assert [o.state for o in result.outcomes] == ["new"] * len(DIVERGENCE.segments)
    # each segment's own file and one per member with an address
    assert {o.segment.id: len(o.files) for o in result.outcomes} == {
        s.id: 1 + len(WITH_MAIL) for s in DIVERGENCE.segments}
    assert [m.id for m in result.plan.skipped] == ["nomail"]
    assert "divergence.ics" in result.written
    again = inv.write_invitations(meeting, tmp_path / "out", inv.InviteOptions())
    assert [o.state for o in again.outcomes] == ["unchanged"] * len(DIVERGENCE.segments) and again.written == ()


# --- with the real agenda.effects.mail: .eml files and an SMTP server on 127.0.0.1 -----------------

def calendar_parts(message):
    """(the MIME tree as content types, the decoded text/calendar part, its method parameter)."""
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    kinds = [p.get_content_type() for p in alternative.get_payload()]
    calendar = alternative.get_payload()[-1]
    assert attachment.get_content_type() in ("text/calendar", "application/ics")
    assert attachment.get_payload(decode=True) == calendar.get_payload(decode=True)
    return kinds, calendar.get_payload(decode=True), calendar.get_param("method")


def test_eml_files_carry_the_same_ics(meeting, out):
    import email
    import email.policy

    ok(str(meeting), "-o", str(out), "--eml")
    ok(str(meeting), "-o", str(out), "--eml", "--cancel", "usual", epoch=EPOCH + 10)
    for ics_path in out.rglob("members/*/*.ics"):
        message = email.message_from_bytes(ics_path.with_suffix(".eml").read_bytes(), policy=email.policy.default)
        kinds, calendar, method = calendar_parts(message)
        assert kinds == ["text/plain", "text/html", "text/calendar"]
        assert calendar == ics_path.read_bytes()
        assert method == ("CANCEL" if "usual" in ics_path.name else "REQUEST")
        member = ics_path.parent.name
        emails = next(o[6] for o in DIVERGENCE.offices if o[0] == member)
        assert [a.addr_spec for a in message["To"].addresses] == emails
        assert message["From"].addresses[0].addr_spec == "emg.secretariat@example.org"


class Inbox:
    """aiosmtpd handler: keeps what it accepts; from message `refuse_from` on, answers 421."""

    def __init__(self, refuse_from: int | None = None):
        self.messages: list[tuple[tuple[str, ...], bytes]] = []
        self.attempts = 0
        self.refuse_from = refuse_from

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.refuse_from is not None and self.attempts >= self.refuse_from:
            return "421 4.3.2 service shutting down"
        self.messages.append((tuple(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 queued"


@pytest.fixture
def smtp_server():
    import socket

    from aiosmtpd.controller import Controller

    started = []

    def start(inbox: Inbox):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        return port

    yield start
    for controller in started:
        controller.stop()


def received(*inboxes: Inbox) -> dict[tuple, int]:
    """How many times each address got each (UID, SEQUENCE, METHOD)."""
    import collections
    import email
    import email.policy

    counts = collections.Counter()
    for inbox in inboxes:
        for rcpts, content in inbox.messages:
            message = email.message_from_bytes(content, policy=email.policy.default)
            _, calendar, method = calendar_parts(message)
            [event] = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
            for rcpt in rcpts:
                counts[(rcpt, str(event["UID"]), int(event["SEQUENCE"]), method)] += 1
    return dict(counts)


def test_send_over_smtp_resumes_without_sending_anyone_twice(meeting, out, smtp_server):
    everyone = {(e, f"{s.id}.divergence@som") for o in DIVERGENCE.offices for e in o[6] for s in DIVERGENCE.segments}
    first = Inbox(refuse_from=6)  # the server gives up after five messages
    port = smtp_server(first)
    result = run(str(meeting), "-o", str(out), "--send", "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                 "--smtp-security", "none")
    assert result.exit_code == 2 and "421" in result.output and "Traceback" not in result.output
    assert len(first.messages) == 5
    second = Inbox()
    port = smtp_server(second)
    result = run(str(meeting), "-o", str(out), "--send", "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                 "--smtp-security", "none")
    assert result.exit_code == 0, result.output
    counts = received(first, second)
    assert {(rcpt, uid) for rcpt, uid, _, _ in counts} == everyone
    assert set(counts.values()) == {1}
    assert (out / "send-log.jsonl").exists()
    # Nothing changed: a third run sends nothing. A new time: everyone gets the update once.
    third = Inbox()
    port = smtp_server(third)
    args = ("--send", "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-security", "none")
    assert run(str(meeting), "-o", str(out), *args).exit_code == 0
    assert third.messages == []
    moved = reschedule(DIVERGENCE, meeting.parent.parent / "moved", "spring", start="14:00", end="16:00")
    assert run(str(moved), "-o", str(out), *args, epoch=EPOCH + 600).exit_code == 0
    updates = received(third)
    assert {(rcpt, uid) for rcpt, uid, _, _ in updates} == {(e, u) for e, u in everyone if u == "spring.divergence@som"}
    assert set(updates.values()) == {1} and {seq for _, _, seq, _ in updates} == {1}


def test_eml_files_written_before_follow_their_ics(meeting, out, tmp_path):
    import email
    import email.policy

    ok(str(meeting), "-o", str(out), "--eml")
    moved = reschedule(DIVERGENCE, tmp_path / "moved", "spring", start="14:00", end="16:00")
    ok(str(moved), "-o", str(out), epoch=EPOCH + 60)  # no --eml this time
    path = out / "members" / "tokyo" / "divergence-spring.eml"
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert calendar_parts(message)[1] == path.with_suffix(".ics").read_bytes()


def test_cancel_outside_the_segments_of_the_run(meeting, out):
    message = fail(str(meeting), "-o", str(out), "--segment", "spring", "--cancel", "usual")
    assert "--cancel usual is not among the segments this run issues" in message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=120),
       st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=120),
       st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_title_and_notes_give_clean_lines_and_read_back(tmp_path_factory, title, segment_title, notes):
    import re
    from dataclasses import replace

    from tests import parsers

    base = load_meeting(DIVERGENCE.write(tmp_path_factory.mktemp("in")))
    segments = (replace(base.segments[0], title=segment_title, notes=notes or None),)
    meeting = replace(base, title=title, segments=segments)
    plan = inv.plan_invitations(meeting, tmp_path_factory.mktemp("out"), inv.InviteOptions(dry_run=True))

    def clean(text):
        return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))

    for name, content in plan.files.items():
        data = content if isinstance(content, bytes) else b"".join(content)  # a member's file is held in parts
        assert parsers.check_lines(data) == [], name
        for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
            assert str(event["SUMMARY"]) == clean(f"{title} — {segment_title}")
            if notes.strip():
                assert clean(notes) in str(event["DESCRIPTION"])


# --- cancellations and updates by e-mail: who gets them, and what they say ------------------

def _send_args(port: int) -> tuple[str, ...]:
    return ("--send", "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-security", "none")


def test_the_first_send_after_a_cancellation_cancels_nothing_nobody_had(meeting, out, smtp_server):
    ok(str(meeting), "-o", str(out))  # issued, never sent
    ok(str(meeting), "-o", str(out), "--cancel", "usual", epoch=EPOCH + 10)
    inbox = Inbox()
    assert run(str(meeting), "-o", str(out), *_send_args(smtp_server(inbox)), epoch=EPOCH + 20).exit_code == 0
    counts = received(inbox)
    assert [k for k in counts if k[3] == "CANCEL"] == []
    assert {uid for _, uid, _, _ in counts} == {"autumn.divergence@som", "spring.divergence@som"}


def test_a_cancel_goes_only_to_the_addresses_that_were_sent_an_earlier_version(tmp_path, smtp_server):
    # Tokyo and Sydney have no address when the invitations go out; they get one later.
    offices = tuple((*o[:6], []) if o[0] in ("tokyo", "sydney") else o for o in DIVERGENCE.offices)
    without = Scenario(**{**DIVERGENCE.__dict__, "offices": offices})
    out = tmp_path / "out"
    first = Inbox()
    assert run(str(without.write(tmp_path / "a")), "-o", str(out), *_send_args(smtp_server(first))).exit_code == 0
    invited = {rcpt for rcpt, uid, _, _ in received(first) if uid == "usual.divergence@som"}
    assert invited and "tyo@example.org" not in invited and "syd@example.org" not in invited
    second = Inbox()
    result = run(str(DIVERGENCE.write(tmp_path / "b")), "-o", str(out), "--cancel", "usual",
                 *_send_args(smtp_server(second)), epoch=EPOCH + 60)
    assert result.exit_code == 0, result.output
    counts = received(second)
    assert {rcpt for rcpt, uid, seq, method in counts if method == "CANCEL"} == invited
    assert {(uid, seq) for _, uid, seq, method in counts if method == "CANCEL"} == {("usual.divergence@som", 1)}
    # the newcomers get the segments still on, and no cancellation of one they never had
    assert {uid for rcpt, uid, _, method in counts if rcpt == "tyo@example.org"} == {
        "autumn.divergence@som", "spring.divergence@som"}
    assert set(counts.values()) == {1}


def test_an_updated_invitation_says_what_changed_in_its_subject_and_first_line(meeting, out, smtp_server, tmp_path):
    import email
    import email.policy

    assert run(str(meeting), "-o", str(out), *_send_args(smtp_server(Inbox()))).exit_code == 0
    moved = reschedule(DIVERGENCE, tmp_path / "moved", "spring", start="16:00", end="18:00")
    inbox = Inbox()
    assert run(str(moved), "-o", str(out), *_send_args(smtp_server(inbox)), epoch=EPOCH + 600).exit_code == 0
    by_rcpt = {}
    for rcpts, content in inbox.messages:
        message = email.message_from_bytes(content, policy=email.policy.default)
        for rcpt in rcpts:
            by_rcpt[rcpt] = message
    # 12 March 2024: Geneva is on CET (+01:00), New York already on EDT (−04:00) since 10 March;
    # 16:00 CET is 15:00 UTC, 11:00 EDT (GNU date agrees below)
    wall, abbr, _ = oracle.local_of_utc(oracle.utc_of_local("2024-03-12 16:00", "Europe/Zurich"), "America/New_York")
    assert (f"{wall:%H:%M}", abbr) == ("11:00", "EDT")
    ny = by_rcpt["focal.ny@example.org"]
    assert str(ny["Subject"]).startswith("Time changed: ")
    text = ny.get_body(preferencelist=("plain",)).get_content()
    assert text.splitlines()[0] == "Time changed: 15:00–17:00 → 16:00–18:00 CET, your time 11:00–13:00 EDT"
    gva = by_rcpt["geneve@example.org"]  # the home zone: no "your time", it is the same
    assert gva.get_body(preferencelist=("plain",)).get_content().splitlines()[0] == \
        "Time changed: 15:00–17:00 → 16:00–18:00 CET"
    # the record keeps what changed, so the .eml of a later run (or a resend) still says it
    assert 'changed = ["time changed 15:00–17:00 → 16:00–18:00 CET"]' in (out / "som-issued.toml").read_text(encoding="utf-8")
