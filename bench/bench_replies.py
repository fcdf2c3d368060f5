"""`som replies`: 10,000 reply messages in a Maildir, read, recorded and tallied.

The meeting has 2,000 members (two addresses each) and three segments; the Maildir holds
10,000 iMIP replies in the shapes tests/replies/ has (Outlook base64 with a Windows zone,
Google with invite.ics, plain text/calendar), a few hundred of them not counting (COUNTER,
REFRESH, unknown addresses). Timed: the whole `som replies MEETING -o DIR MAILDIR --format json`
command into a fresh copy of the issued folder (so every message is new), and the same again
with everything already recorded.

`python bench/bench_replies.py --rows` prints result rows for bench/run.py.
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SOM = str(BIN / "som")
ZONES = ["Africa/Nairobi", "Europe/Zurich", "America/New_York", "Asia/Tokyo", "America/Santiago"]


def write_meeting(folder: Path, members: int) -> Path:
    directory = ['name = "synthetic"\n']
    for i in range(members):
        directory.append(f'[[member]]\nid = "m{i}"\nacronym = "M{i}"\nname = "Member {i}"\ncity = "City {i}"\n'
                         f'country = "CH"\ntimezone = "{ZONES[i % len(ZONES)]}"\n'
                         f'emails = ["m{i}@example.org", "alt{i}@example.org"]\n')
    (folder / "members.toml").write_text("".join(directory), encoding="utf-8")
    meeting = ['[meeting]\nid = "big"\ntitle = "Big"\ntimezone = "Europe/Zurich"\nmembers = "members.toml"\n'
               'organizer = { name = "Secretariat", email = "secretariat@example.org" }\n']
    for sid, day in (("one", "2023-09-26"), ("two", "2023-09-27"), ("three", "2023-09-28")):
        meeting.append(f'[[segment]]\nid = "{sid}"\ntitle = "Segment {sid}"\ndate = {day}\ntime = "15:00-17:00 CEST"\n')
    path = folder / "meeting.toml"
    path.write_text("".join(meeting), encoding="utf-8")
    return path


def calendar(method: str, uid: str, address: str, partstat: str, stamp: str, tz: bool) -> bytes:
    start = "DTSTART;TZID=W. Europe Standard Time:20230926T150000" if tz else "DTSTART:20230926T130000Z"
    end = "DTEND;TZID=W. Europe Standard Time:20230926T170000" if tz else "DTEND:20230926T150000Z"
    lines = ["BEGIN:VCALENDAR", f"METHOD:{method}", "PRODID:Microsoft Exchange Server 2010", "VERSION:2.0",
             "BEGIN:VEVENT", f"ATTENDEE;PARTSTAT={partstat};CN=Focal point:mailto:{address}",
             "COMMENT;LANGUAGE=en-US:See you there.\\n", start, end, f"UID:{uid}", f"DTSTAMP:{stamp}",
             "SEQUENCE:0", "X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "X-MS-OLK-CONFTYPE:0", "END:VEVENT", "END:VCALENDAR", ""]
    return "\r\n".join(lines).encode()


def message(i: int, members: int) -> bytes:
    segment = ("one", "two", "three")[i % 3]
    member = (i * 7) % members
    address = f"{'m' if i % 2 else 'alt'}{member}@example.org" if i % 97 else f"stranger{i}@example.net"
    method = "COUNTER" if i % 89 == 0 else "REFRESH" if i % 83 == 0 else "REPLY"
    partstat = ("ACCEPTED", "TENTATIVE", "DECLINED", "ACCEPTED")[i % 4]
    stamp = f"202309{1 + i % 20:02d}T{i % 24:02d}{i % 60:02d}00Z"
    cal = calendar(method, f"{segment}.big@som", address, partstat, stamp, tz=i % 2 == 0)
    b64 = base64.encodebytes(cal).replace(b"\n", b"\r\n").decode()
    head = (f"From: {address}\r\nTo: secretariat@example.org\r\nSubject: Accepted: Segment {segment}\r\n"
            f"Date: Mon, 4 Sep 2023 10:00:00 +0000\r\nMessage-ID: <bench-{i}@example.org>\r\nMIME-Version: 1.0\r\n")
    if i % 3 == 0:  # Google: inline part and invite.ics
        return (head + 'Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\n'
                'Content-Type: multipart/alternative; boundary="a"\r\n\r\n--a\r\n'
                'Content-Type: text/plain; charset="UTF-8"\r\n\r\nDeclined.\r\n--a\r\n'
                'Content-Type: text/calendar; charset="UTF-8"; method=REPLY\r\n\r\n'
                + cal.decode() + "--a--\r\n--m\r\n"
                'Content-Type: application/ics; name="invite.ics"\r\nContent-Disposition: attachment; '
                'filename="invite.ics"\r\nContent-Transfer-Encoding: base64\r\n\r\n' + b64 + "--m--\r\n").encode()
    return (head + 'Content-Type: multipart/alternative; boundary="_000_"\r\n\r\n--_000_\r\n'
            'Content-Type: text/plain; charset="us-ascii"\r\n\r\nSee you there.\r\n--_000_\r\n'
            f'Content-Type: text/calendar; charset="utf-8"; method={method}\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "--_000_--\r\n").encode()


def run(argv, env) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", action="store_true", help="print only the result rows")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--goal", type=float, default=10.0)
    args = parser.parse_args()
    env = dict(os.environ, SOURCE_DATE_EPOCH="1693569600")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        meeting = write_meeting(tmp, args.members)
        issued = tmp / "issued"
        subprocess.run([SOM, "invite", str(meeting), "-o", str(issued), "--no-alarm"], check=True,
                       stdout=subprocess.DEVNULL, env=env)
        maildir = tmp / "Maildir"
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True)
        for i in range(args.messages):
            (maildir / "cur" / f"1693800000.M{i}P1.bench:2,S").write_bytes(message(i, args.members))
        fresh, again = [], []
        for n in range(args.repeat):
            folder = tmp / f"run{n}"
            shutil.copytree(issued, folder)
            fresh.append(run([SOM, "replies", str(meeting), "-o", str(folder), str(maildir), "--format", "json"], env))
            again.append(run([SOM, "replies", str(meeting), "-o", str(folder), str(maildir), "--format", "json"], env))
        t, t2 = statistics.median(fresh), statistics.median(again)
    rows = [(f"`som replies` {args.messages:,} replies in a Maildir, {args.members:,} members × 3 segments",
             f"{t:.2f} s", f"{t / args.messages * 1e6:.0f} µs per message (read, recorded, tallied)",
             f"≤ {args.goal:g} s"),
            (f"`som replies` the same Maildir again (all {args.messages:,} already recorded)", f"{t2:.2f} s", "", "")]
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
