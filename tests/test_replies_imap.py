"""`som replies imaps://…` against a real Dovecot IMAP server, and a killed run re-run.

The test starts Debian's Dovecot (`dovecot-imapd`, installed by scripts/install-test-deps.sh)
as a foreground process with its own configuration in a temporary folder: IMAPS only, on
127.0.0.1 and a free port, a self-signed certificate made here with the openssl command, one
throw-away user in a passwd-file, mail in a Maildir. som trusts the certificate through
SSL_CERT_FILE (what ssl.create_default_context reads), and gets the password from
SOM_IMAP_PASSWORD. The server is stopped at the end.
"""

from __future__ import annotations

import grp
import imaplib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from agenda.cli import som
from tests.invite_scenarios import SCENARIOS
from tests.test_mail import free_port
from tests.test_replies import EPOCH, FIXTURES, reply

DIVERGENCE = next(s for s in SCENARIOS if s.name == "divergence")
SOM = Path(sys.executable).parent / "som"


def dovecot_binary() -> str:
    found = shutil.which("dovecot") or next((p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot")
                                            if os.path.exists(p)), None)
    assert found, "Dovecot is not installed: run scripts/install-test-deps.sh (it installs dovecot-imapd)"
    return found


class Dovecot:
    """A throw-away IMAPS server: start(), add(messages), url, env, stop()."""

    user = "secretariat"

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="som-imap-"))
        os.chmod(self.root, 0o755)  # the mail processes run as the mail user and must reach home/
        self.password = secrets.token_urlsafe(18)
        self.port = free_port()
        if os.geteuid() == 0:  # Dovecot never gives mail to root: its own users, as the package made them
            mail, login = pwd.getpwnam("dovecot"), "dovenull"
        else:
            mail = pwd.getpwuid(os.getuid())
            login = mail.pw_name
        self.uid, self.gid = mail.pw_uid, mail.pw_gid
        self.maildir = self.root / "home" / self.user / "Maildir"
        for sub in ("cur", "new", "tmp"):
            (self.maildir / sub).mkdir(parents=True)
        self._own(self.root / "home")
        self.cert = self.root / "cert.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-keyout", str(self.root / "key.pem"), "-out", str(self.cert), "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                       check=True, capture_output=True)
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}::::::\n")
        self.config = self.root / "dovecot.conf"
        self.config.write_text(f"""
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{self.cert}
ssl_key = <{self.root}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain
auth_failure_delay = 0
default_internal_user = {mail.pw_name}
default_internal_group = {grp.getgrgid(mail.pw_gid).gr_name}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:{self.root}/home/%u/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root}/passwd
}}
userdb {{
  driver = static
  args = uid={self.uid} gid={self.gid} home={self.root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {self.port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
""")
        self.process = subprocess.Popen([dovecot_binary(), "-F", "-c", str(self.config)],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = (self.root / "dovecot.log").read_text() if (self.root / "dovecot.log").exists() else ""
                    self.stop()
                    raise RuntimeError(f"Dovecot did not start: {self.process.stdout.read()!r} {log}")
                time.sleep(0.05)

    def _own(self, path: Path) -> None:
        if os.geteuid() == 0:
            for p in [path, *path.rglob("*")]:
                os.chown(p, self.uid, self.gid)

    @property
    def url(self) -> str:
        return f"imaps://{self.user}@127.0.0.1:{self.port}/INBOX"

    @property
    def env(self) -> dict[str, str]:
        return {"SSL_CERT_FILE": str(self.cert), "SOM_IMAP_PASSWORD": self.password}

    def connect(self) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=str(self.cert))
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=10)
        conn.login(self.user, self.password)
        return conn

    def append(self, messages: list[bytes]) -> None:
        """Through the server, as a mail client would (INTERNALDATE: now)."""
        conn = self.connect()
        try:
            for data in messages:
                status, _ = conn.append("INBOX", None, imaplib.Time2Internaldate(time.time()), data)
                assert status == "OK"
        finally:
            conn.logout()

    def deliver(self, messages: list[bytes]) -> None:
        """Straight into the Maildir, as a delivery agent does (fast for thousands)."""
        stamp = int(time.time())
        for i, data in enumerate(messages):
            (self.maildir / "new" / f"{stamp}.M{i}P{os.getpid()}.test").write_bytes(data)
        self._own(self.maildir)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def dovecot():
    server = Dovecot()
    yield server
    server.stop()


@pytest.fixture
def issued(tmp_path):
    meeting = DIVERGENCE.write(tmp_path / "in")
    out = tmp_path / "out"
    result = CliRunner().invoke(som, ["invite", str(meeting), "-o", str(out)], env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    assert result.exit_code == 0, result.output
    return meeting, out


def replies(meeting, out, *args, env=None):
    return CliRunner().invoke(som, ["replies", str(meeting), "-o", str(out), *map(str, args)],
                              env={"SOURCE_DATE_EPOCH": str(EPOCH), **(env or {})})


def test_replies_from_imaps(dovecot, issued):
    meeting, out = issued
    dovecot.append([p.read_bytes() for p in sorted(FIXTURES.glob("*.eml"))])
    result = replies(meeting, out, dovecot.url, "--format", "json", "--segment", "autumn", env=dovecot.env)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    statuses = {m["acronym"]: m["status"] for m in doc["segments"][0]["members"]}
    assert statuses == {"GVA": "accepted", "NYC": "mixed", "YYT": "no-reply", "SCL": "no-reply", "KTM": "no-reply",
                        "TYO": "accepted", "SYD": "accepted", "AKL": "delegated", "CHT": "no-reply"}
    assert len(doc["ignored"]) == 5
    assert all(i["source"].startswith(f"imaps://secretariat@127.0.0.1:{dovecot.port}/INBOX;UID=")
               for i in doc["ignored"])
    record = (out / "som-replies.jsonl").read_text()
    assert dovecot.password not in result.output + record
    # received: the server's INTERNALDATE (the APPEND just now), not the Date header
    geneva = next(m for m in doc["segments"][0]["members"] if m["acronym"] == "GVA")
    assert geneva["replies"][0]["received"] >= time.strftime("%Y-%m-%dT", time.gmtime(time.time() - 86400))
    # read-only: nothing was marked as read
    conn = dovecot.connect()
    conn.select("INBOX", readonly=True)
    _, flags = conn.fetch("1:*", "(FLAGS)")
    conn.logout()
    assert flags and not any(b"\\Seen" in f for f in flags)
    # read again: nothing new
    again = replies(meeting, out, dovecot.url, env=dovecot.env)
    assert "read 11 messages: 0 replies counted, 0 ignored, 11 already recorded" in " ".join(again.stdout.split())


def test_imap_refusals_never_show_the_password(dovecot, issued):
    meeting, out = issued
    wrong = replies(meeting, out, dovecot.url, env={**dovecot.env, "SOM_IMAP_PASSWORD": "not-" + dovecot.password})
    assert wrong.exit_code == 2 and "refused the login of 'secretariat'" in wrong.output
    assert dovecot.password not in wrong.output
    untrusted = replies(meeting, out, dovecot.url, env={"SOM_IMAP_PASSWORD": dovecot.password,
                                                        "SSL_CERT_FILE": str(FIXTURES / "README.md")})
    assert untrusted.exit_code == 2 and "certificate" in untrusted.output
    assert dovecot.password not in untrusted.output
    missing = replies(meeting, out, dovecot.url.replace("INBOX", "Nowhere"), env=dovecot.env)
    assert missing.exit_code == 2 and "no mailbox 'Nowhere'" in missing.output


def test_a_killed_run_loses_nothing_and_counts_nothing_twice(dovecot, issued, tmp_path):
    meeting, out = issued
    members = ["geneve", "focal.ny", "deputy.ny", "yyt", "scl", "ktm", "tyo", "syd", "akl", "cht"]
    partstats = ["ACCEPTED", "TENTATIVE", "DECLINED"]
    messages = []
    for i in range(2000):  # each member changes their mind many times; the latest DTSTAMP counts
        who = members[i % len(members)]
        stamp = f"202310{1 + i // 100:02d}T{(i // 10) % 20:02d}{i % 60:02d}00Z"
        messages.append(reply(f"{who}@example.org", partstats[(i * 7) % 3], dtstamp=stamp,
                              message_id=f"<bulk-{i}@example.org>"))
    messages += [p.read_bytes() for p in sorted(FIXTURES.glob("*.eml"))]
    dovecot.deliver(messages)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    shutil.copytree(out, clean)
    shutil.copytree(out, killed)
    env = {**os.environ, **dovecot.env, "SOURCE_DATE_EPOCH": str(EPOCH)}
    args = [str(SOM), "replies", str(meeting), "-o"]

    record = killed / "som-replies.jsonl"
    process = subprocess.Popen(args + [str(killed), dovecot.url], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if record.exists() and record.read_bytes().count(b"\n") > 100:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "som replies finished before it could be killed"
    partial = record.read_bytes().count(b"\n") - 1
    assert 0 < partial < len(messages)

    for folder in (killed, clean):
        done = subprocess.run(args + [str(folder), dovecot.url], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    said = " ".join(done.stdout.split())
    # the five fixtures that do not count (COUNTER, REFRESH, other UID, unknown address, out of office)
    assert (f"read {len(messages)} messages: {len(messages) - 5} replies counted, 5 ignored (listed below), "
            "0 already recorded") in said

    def lines(folder):
        return [json.loads(line) for line in (folder / "som-replies.jsonl").read_text().splitlines()[1:]]

    assert len(lines(killed)) == len(messages)  # nothing lost, nothing twice
    assert sorted(e["key"] for e in lines(killed)) == sorted(e["key"] for e in lines(clean))
    tallies = [subprocess.run(args + [str(f), "--format", "json"], env=env, capture_output=True, text=True).stdout
               for f in (killed, clean)]
    assert tallies[0] == tallies[1]
    doc = json.loads(tallies[0])
    assert sum(doc["segments"][0]["counts"].values()) == len([o for o in DIVERGENCE.offices if o[6]])  # with an address
