"""What a command-line user reads when the way out is an option: every message and hint that
names one, word for word, as `som` prints it.

The library says these without option names (typed errors, agenda.model.errors); the CLI words
them in terms of its options (agenda.cli.errors). These cases hold the words the user reads.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import smtplib
from pathlib import Path

import pytest
from click.testing import CliRunner

from agenda.cli import som
from tests.invite_scenarios import SCENARIOS

DIVERGENCE = next(s for s in SCENARIOS if s.name == "divergence")
CALENDARS = Path(__file__).resolve().parent.parent / "calendars"
ERROR = "som: error: "


def _som(*args: str, env: dict | None = None):
    environment = {"SOURCE_DATE_EPOCH": "1700000000", "SOM_SMTP_HOST": None, "SOM_SMTP_PORT": None,
                   "SOM_SMTP_SECURITY": None, "SOM_SMTP_USER": None, "SOM_SMTP_PASSWORD": None, **(env or {})}
    return CliRunner().invoke(som, list(args), env=environment)


def _stderr(*args: str, env: dict | None = None) -> str:
    result = _som(*args, env=env)
    assert result.exit_code == 2, result.output
    return result.stderr


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def _issue(folder: str, *args: str) -> Path:
    assert _som("invite", *args, "-o", folder).exit_code == 0
    return Path(folder)


def _rewrite_record(folder: Path, old: str, new: str) -> None:
    """Damage som-issued.toml as som itself might have written it (the manifest agrees)."""
    record = folder / "som-issued.toml"
    record.write_text(record.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    manifest = json.loads((folder / ".som-files.json").read_text(encoding="utf-8"))
    manifest["files"]["som-issued.toml"] = hashlib.sha256(record.read_bytes()).hexdigest()
    (folder / ".som-files.json").write_text(json.dumps(manifest), encoding="utf-8")


# --- values of options ----------------------------------------------------------------------

@pytest.mark.parametrize("args, said", [
    (["check", "--today", "2023-13-01"],
     "--today `2023-13-01` is not a date; write it as YYYY-MM-DD, e.g. --today 2023-09-20"),
    (["checklist", "--today", "next week"],
     "--today `next week` is not a date; write it as YYYY-MM-DD, e.g. --today 2023-09-20"),
    (["suggest", "--between", "x"],
     "--between `x` is not a range of dates; write it like 2024-09-02..2024-09-27 (first and last day, both included)"),
    (["suggest", "--between", "2024-09-02..2024-9-x"],
     "--between `2024-09-02..2024-9-x`: `2024-9-x` is not a date; write the dates as YYYY-MM-DD, e.g. "
     "2024-09-02..2024-09-27"),
    (["suggest", "--between", "2024-09-13..2024-09-02"],
     "--between `2024-09-13..2024-09-02` is reversed: 2024-09-02 is before 2024-09-13; write 2024-09-02..2024-09-13"),
    (["suggest", "--between", "2024-01-01..2025-06-01"],
     "--between `2024-01-01..2025-06-01` spans more than a year; ask for a year or less at a time"),
    (["suggest", "--between", "2024-09-02..2024-09-13", "--members", "unep,unepp"],
     "--members: no member `unepp` in the directory un-entities; did you mean `unep` or `undp` or `unops`?"),
    (["suggest", "--between", "2024-09-02..2024-09-13", "--members", "zzzz"],
     "--members: no member `zzzz` in the directory un-entities; see `som members` for ids and acronyms"),
    (["holidays", "--calendar", "un-geneve"],
     "--calendar: no holiday calendar `un-geneve` in the directory un-entities; did you mean `un-geneva`?"),
    (["holidays", "2024", "--member", "zzzz"],
     "--member: no member `zzzz` in the directory un-entities; see `som members` for ids and acronyms"),
    (["holidays", "--calendar", "un-geneva", "--member", "WHO"],
     "--member and --calendar name a calendar each; keep one of the two"),
    (["holidays", "--format", "ics"], "--format ics needs one calendar; add --calendar NAME or --member ID"),
    (["suggest", "--between", "2024-01-01..2024-12-30", "--step", "1m"],
     "365 days at a 1-minute step is too many start times to rank; use a larger --step or a shorter --between"),
    (["suggest", "--between", "2024-09-07..2024-09-08"],
     "no start time to propose between 2024-09-07 and 2024-09-08: every day is a weekend in Geneva or a day the "
     "General Assembly asks to keep free of meetings (resolution 69/250); widen --between"),
    (["build", "-o", "pack", "--base-url", "ftp://example.org/som29/"],
     "Invalid value for --base-url: `ftp://example.org/som29/` is not an http(s) address of a folder. "
     "See `som build --help`."),
    (["build", "-o", "pack", "--base-url", "https://example.org/som29/?page=1"],
     "Invalid value for --base-url: `https://example.org/som29/?page=1` is not an http(s) address of a folder. "
     "See `som build --help`."),
])
def test_option_values(args, said):
    assert _stderr(*args) == f"{ERROR}{said}\n"


# --- the zone times are written in ------------------------------------------------------------

@pytest.mark.parametrize("when, said", [
    ("2023-11-12 15:00 EST", "`2023-11-12 15:00 EST`: Geneva does not use EST; name the zone with --from, "
                             "e.g. --from America/New_York"),
    ("2023-11-12 15:00 HKT", "`2023-11-12 15:00 HKT`: Geneva does not use HKT; name the zone with --from"),
    ("2023-09-26 15:00 CEST (Atlantis time)", "`2023-09-26 15:00 CEST (Atlantis time)` names Atlantis time, and som "
                                              "knows no time zone of that name; name the zone it is written in with --from"),
])
def test_convert_names_from(when, said):
    assert _stderr("convert", when) == f"{ERROR}{said}\n"


@pytest.mark.parametrize("text, said", [
    ("All times are Geneva time.\n\nBriefing: 5 March 2024, 09:00-10:00 CET (Tokyo time)\n",
     "r.txt:3: `5 March 2024, 09:00-10:00 CET (Tokyo time)` names Tokyo time, but the times are read as Geneva "
     "time; pass --timezone with the zone of that city"),
    ("Briefing: 5 March 2024, 09:00-10:00 EST\n",
     "r.txt:1: `5 March 2024, 09:00-10:00 EST`: Geneva is on CET (UTC+01:00) on 05 March 2024, not EST; 09:00 "
     "UTC-05:00 is 15:00 CET; write 09:00 CET if the local time is right, or 15:00 CET if the label is; or, if the "
     "times are not Geneva time, pass --timezone"),
])
def test_import_report_names_timezone(text, said):
    Path("r.txt").write_text(text, encoding="utf-8")
    assert _stderr("import-report", "r.txt") == f"{ERROR}{said}\n"


def test_import_report_warning_names_timezone_on_stderr_and_in_the_file():
    Path("r.txt").write_text("Briefing: 5 March 2024, 09:00-10:00\n", encoding="utf-8")
    result = _som("import-report", "r.txt")
    said = ("r.txt:1: `5 March 2024, 09:00-10:00` has no time label and the text names no city: read as Geneva "
            "time (Europe/Zurich); pass --timezone if it is not")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == f"som: warning: {said}"
    assert f"#   {said}\n" in result.stdout


# --- choices that do not go together ----------------------------------------------------------

def test_invite_cancel_outside_segment():
    assert _stderr("invite", "-o", "out", "--segment", "technical", "--segment", "midterm", "--cancel", "senior",
                   "--cancel", "technical") == (
        f"{ERROR}--cancel senior is not among the segments this run issues (--segment technical, midterm); add it "
        "with --segment too, or drop --segment\n")


def test_invite_eml_without_members():
    assert _stderr("invite", "-o", "out", "--eml", "--no-members") == (
        f"{ERROR}--eml writes one e-mail per per-member invitation, and --no-members turns those off; drop one of "
        "the two\n")


# --- files and folders som will not write over --------------------------------------------------

def test_a_file_som_did_not_write():
    Path("a.md").write_text("mine", encoding="utf-8")
    assert _stderr("agenda", "-o", "a.md") == (
        f"{ERROR}a.md exists and som did not write it; choose another file name, or pass --force to overwrite it\n")
    Path("pack").mkdir()
    Path("pack/index.md").write_text("mine", encoding="utf-8")
    assert _stderr("build", "-o", "pack") == (
        f"{ERROR}pack/index.md exists and som did not write it; choose another output folder, or pass --force to "
        "overwrite it\n")


def test_a_folder_named_as_the_output_file():
    Path("dir.md").mkdir()
    assert _stderr("agenda", "-o", "dir.md") == (
        f"{ERROR}dir.md is a folder; -o names the file to write; e.g. -o dir.md/agenda.md\n")


def test_a_file_edited_since():
    assert _som("checklist", "--today", "2023-09-20", "-o", "c.md").exit_code == 0
    Path("c.md").write_text("edited", encoding="utf-8")
    assert _stderr("checklist", "--today", "2023-09-20", "-o", "c.md") == (
        f"{ERROR}c.md was changed since som wrote it; move your edits elsewhere, or pass --force to overwrite them\n")
    out = _issue("out")
    (out / "emg-som29-midterm.ics").write_text("edited", encoding="utf-8")
    assert _stderr("invite", "-o", "out") == (
        f"{ERROR}out/emg-som29-midterm.ics was changed since som wrote it; move your edits elsewhere, or pass --force "
        "to overwrite them\n")


def test_a_damaged_manifest():
    out = _issue("out")
    (out / ".som-files.json").write_text("{broken", encoding="utf-8")
    assert _stderr("invite", "-o", "out") == (
        f"{ERROR}out/.som-files.json is damaged; delete it and re-run with --force to take over the folder\n")
    Path("sub").mkdir()
    Path("sub/.som-files.json").write_text("[1]", encoding="utf-8")
    assert _stderr("agenda", "-o", "sub/a.md") == (
        f"{ERROR}sub/.som-files.json is damaged; delete it and re-run with --force to take over the folder\n")


def test_a_damaged_record():
    out = _issue("out")
    _rewrite_record(out, "[segment", "= broken\n[segment")
    said = _stderr("invite", "-o", "out")
    assert said.startswith(f"{ERROR}out/som-issued.toml cannot be read (")
    assert said.endswith("); re-run with --force to start the record again (every segment restarts at SEQUENCE 0)\n")
    out = _issue("out2")
    _rewrite_record(out, "sequence = 0", 'sequence = "x"')
    assert _stderr("invite", "-o", "out2") == (
        f"{ERROR}out2/som-issued.toml is damaged (invalid literal for int() with base 10: 'x'); re-run with --force "
        "to start the record again\n")


def test_a_folder_issued_from_another_meeting_file():
    shutil.copy(CALENDARS / "som29.toml", "my.toml")
    _issue("out", "my.toml")
    assert _stderr("invite", "-o", "out") == (
        f"{ERROR}out was issued from my.toml; you gave the bundled SOM29 meeting; pass my.toml, or --force to issue "
        "from this one\n")
    _issue("out2")
    assert _stderr("invite", "my.toml", "-o", "out2") == (
        f"{ERROR}out2 was issued from the bundled SOM29 meeting; you gave my.toml; leave out the meeting file to issue "
        "the bundled meeting, or pass --force to issue from this one\n")


def test_som_replies_reads_the_record_and_offers_no_force():
    # som replies never writes the issue record, and has no --force: the way out is the meeting
    # file the folder was issued from, or issuing again
    shutil.copy(CALENDARS / "som29.toml", "my.toml")
    _issue("out", "my.toml")
    assert _stderr("replies", "-o", "out") == (
        f"{ERROR}out was issued from my.toml; you gave the bundled SOM29 meeting; pass my.toml, the meeting file the "
        "invitations were issued from\n")
    _issue("out2")
    assert _stderr("replies", "my.toml", "-o", "out2") == (
        f"{ERROR}out2 was issued from the bundled SOM29 meeting; you gave my.toml; leave out the meeting file: the "
        "invitations were issued from the bundled meeting\n")
    _rewrite_record(Path("out2"), "sequence = 0", 'sequence = "x"')
    assert _stderr("replies", "-o", "out2") == (
        f"{ERROR}out2/som-issued.toml is damaged (invalid literal for int() with base 10: 'x'); issue the invitations "
        "again (som invite, or som build, with --force) to start the record again\n")


# --- reading replies, reminding ------------------------------------------------------------------

def test_plain_imap_needs_its_option():
    _issue("out")
    assert _stderr("replies", "-o", "out", "imap://me@mail.example.org/INBOX") == (
        f"{ERROR}imap://me@mail.example.org:143/INBOX is plain IMAP: the password would cross the network "
        "unencrypted; use imaps://, or pass --allow-plain-imap. See `som replies --help`.\n")


def test_remind_goes_with_send_and_alone():
    see = ". See `som invite --help`.\n"
    assert _stderr("invite", "-o", "out", "--remind", "technical") == (
        f"{ERROR}--remind sends reminders: add --send (with --dry-run to see who would get one){see}")
    assert _stderr("invite", "-o", "out", "--send", "--remind", "technical", "--segment", "technical") == (
        f"{ERROR}--remind goes alone: it re-sends the current invitation of each segment it names; drop --cancel and "
        f"--segment{see}")


# --- sending e-mail ----------------------------------------------------------------------------

class _Server:
    """smtplib.SMTP that fails the way a test asks, before anything is sent."""

    fail = ""

    def __init__(self, host, port, timeout=None, **_):
        if self.fail == "connect":
            raise ConnectionRefusedError(111, "Connection refused")

    def ehlo(self):
        return 250, b"ok"

    def has_extn(self, name):
        return self.fail != "starttls"

    def starttls(self, **_):
        if self.fail == "certificate":
            raise OSError("certificate verify failed")

    def login(self, user, password):
        raise smtplib.SMTPNotSupportedError("no AUTH")

    def close(self):
        pass


SEND = ("--smtp-host", "mail.example.org", "--smtp-port", "587")


@pytest.mark.parametrize("fail, args, env, said", [
    ("", (), {}, "no SMTP server to send through; pass --smtp-host or set SOM_SMTP_HOST (and the port, user and "
                 "SOM_SMTP_PASSWORD)"),
    ("", SEND, {"SOM_SMTP_PASSWORD": "pw"},
     "SOM_SMTP_PASSWORD is set but no SMTP user is; pass --smtp-user or set SOM_SMTP_USER (or unset SOM_SMTP_PASSWORD)"),
    ("", (*SEND, "--smtp-security", "none", "--smtp-user", "me"), {"SOM_SMTP_PASSWORD": "pw"},
     "refusing to send the SMTP password unencrypted to mail.example.org; use --smtp-security starttls (port 587) or "
     "ssl (port 465)"),
    ("connect", SEND, {}, "cannot connect to the SMTP server mail.example.org:587: Connection refused; check "
                          "--smtp-host, --smtp-port and --smtp-security (or SOM_SMTP_*); nothing was sent"),
    ("starttls", SEND, {}, "the SMTP server mail.example.org:587 does not offer STARTTLS; use --smtp-security ssl "
                           "(usually port 465); nothing was sent"),
    ("", (*SEND, "--smtp-user", "me"), {"SOM_SMTP_PASSWORD": "pw"},
     "the SMTP server mail.example.org:587 does not offer a login (AUTH); many servers offer it only over STARTTLS "
     "or SSL; or drop --smtp-user"),
    ("certificate", SEND, {}, "the SMTP server mail.example.org:587 failed before anything was sent: certificate "
                              "verify failed; check --smtp-security and the server's certificate; nothing was sent"),
])
def test_sending(fail, args, env, said, tmp_path, monkeypatch):
    monkeypatch.setattr(smtplib, "SMTP", type("Server", (_Server,), {"fail": fail}))
    meeting = DIVERGENCE.write(tmp_path / "in")
    stderr = _stderr("invite", str(meeting), "-o", "out", "--send", *args, env=env)
    assert stderr.splitlines()[-1] == f"{ERROR}{said}"


# --- the library's own words --------------------------------------------------------------------

def test_the_library_names_parameters_not_options():
    from agenda.model.errors import BadValue, UnknownName
    from agenda.plan.checklist import parse_today
    from agenda.plan.suggest import parse_between

    with pytest.raises(BadValue) as bad:
        parse_today("2023-13-01")
    assert (bad.value.parameter, bad.value.value, bad.value.example) == ("today", "2023-13-01", "2023-09-20")
    assert str(bad.value) == "today `2023-13-01` is not a date; write it as YYYY-MM-DD, e.g. 2023-09-20"
    with pytest.raises(BadValue) as bad:
        parse_between("2024-09-02..2024-9-x")
    assert (bad.value.parameter, bad.value.part) == ("between", "2024-9-x")
    assert str(bad.value).startswith("between `2024-09-02..2024-9-x`: `2024-9-x` is not a date; ")
    missing = UnknownName("members", "unepp", kind="member", among="the directory un-entities")
    assert str(missing) == "members: no member `unepp` in the directory un-entities"


def test_every_reason_has_the_command_lines_words():
    from agenda.cli.errors import worded
    from agenda.effects.mail import SmtpSettingError
    from agenda.model.errors import OverwriteRefused, ZoneAssumed

    for reason in OverwriteRefused.REASONS:
        said = worded(OverwriteRefused("x", reason=reason, path="out", recorded="my.toml"))
        assert "--force" in said, said
    for reason in ZoneAssumed.REASONS:
        error = ZoneAssumed("x", reason=reason, place="Geneva")
        assert "--from" in worded(error, "convert") and "--timezone" in worded(error, "import-report")
        assert worded(error, "schedule") == str(error)  # no option for the zone there: the library's words
    for reason in SmtpSettingError.REASONS:
        assert "--smtp-" in worded(SmtpSettingError("x", reason=reason, settings=()))
    with pytest.raises(ValueError):
        OverwriteRefused("x", reason="because", path="out")


def test_a_parameter_no_option_sets_keeps_the_librarys_words(tmp_path):
    from agenda.app.invite import InviteOptions, plan_invitations
    from agenda.cli.errors import worded
    from agenda.model.errors import BadValue
    from agenda.read.load import load_meeting

    with pytest.raises(BadValue) as bad:
        plan_invitations(load_meeting(None), tmp_path / "out", InviteOptions(alarm_minutes=0))
    assert bad.value.parameter == "alarm_minutes" and worded(bad.value, "invite") == str(bad.value)
    assert "--" not in str(bad.value)
