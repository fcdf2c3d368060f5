"""Sending invitations over SMTP, with a send log so that nothing is sent twice.

Sending keeps a send log (JSON lines), appended and fsync'ed right after the server accepts
each message, so an interrupted run can be re-run: a recipient who already has a version
(uid + sequence + method) of an event is never sent it again. The messages themselves are
built by agenda.render.mime (re-exported here, so `mail.Invitation` and `mail.eml_bytes` name
what is sent).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from agenda.effects.files import fsync_dir, open_inside
from agenda.model.errors import SomError, did_you_mean
from agenda.render.mime import Invitation, build_message, eml_bytes, message_id

__all__ = ["Invitation", "build_message", "eml_bytes", "message_id", "SmtpSettings", "SendFailed", "SendReport",
           "Outcome", "read_send_log", "send_invitations", "SECURITIES", "DEFAULT_PORTS", "SmtpSettingError"]

SECURITIES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


# --- SMTP settings ------------------------------------------------------------------------

class SmtpSettingError(SomError):
    """The SMTP settings cannot send, or the server refused them before anything was sent.

    `reason` is one of REASONS; `settings` names the settings to look at as SmtpSettings.resolve
    does (host, port, security, user), for a front end that sets them its own way.
    """

    REASONS = ("no user", "no host", "password in clear", "cannot connect", "no starttls", "no login", "failed")

    def __init__(self, message: str, *, reason: str, settings: tuple[str, ...], hint: str | None = None):
        if reason not in self.REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        super().__init__(message, hint=hint)
        self.reason = reason
        self.settings = settings


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. The password comes only from SOM_SMTP_PASSWORD and is never shown."""

    host: str  # "" when not configured: enough for a dry run, refused for a real one
    port: int
    security: str  # "starttls" | "ssl" | "none"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30

    @classmethod
    def resolve(cls, host: str | None = None, port: int | str | None = None,
                security: str | None = None, user: str | None = None) -> "SmtpSettings":
        """Options first, then SOM_SMTP_HOST / _PORT / _SECURITY / _USER; SOM_SMTP_PASSWORD."""
        env = os.environ
        host = (host or env.get("SOM_SMTP_HOST") or "").strip()
        user = user or env.get("SOM_SMTP_USER") or None
        password = env.get("SOM_SMTP_PASSWORD") or None

        raw_port = port if port is not None else (env.get("SOM_SMTP_PORT") or None)
        number: int | None = None
        if raw_port is not None:
            try:
                number = int(str(raw_port).strip())
            except ValueError:
                number = 0
            if not 0 < number < 65536:
                raise SomError(f"SMTP port {str(raw_port)!r} is not a port number",
                               hint="use 587 (STARTTLS), 465 (SSL) or 25 (no encryption)")

        security = (security or env.get("SOM_SMTP_SECURITY") or "").strip().lower()
        if not security:
            security = "ssl" if number == 465 else "starttls"
        if security not in SECURITIES:
            suggestion = did_you_mean(security, SECURITIES)
            raise SomError(f"SMTP security {security!r} is not one of {', '.join(SECURITIES)}",
                           hint=suggestion or "starttls for port 587, ssl for port 465")
        if number is None:
            number = DEFAULT_PORTS[security]
        if password and not password.isascii():  # said without the password, nor where it differs
            raise SomError("SOM_SMTP_PASSWORD has characters outside ASCII, which SMTP login cannot carry",
                           hint="use a password of ASCII characters (an application password, say)")
        if user and not user.isascii():
            raise SomError("the SMTP user has characters outside ASCII, which SMTP login cannot carry",
                           hint="use the ASCII form of the user name")
        if password and not user:
            raise SmtpSettingError("SOM_SMTP_PASSWORD is set but no SMTP user is", reason="no user", settings=("user",),
                                   hint="give the user or set SOM_SMTP_USER (or unset SOM_SMTP_PASSWORD)")
        return cls(host=host, port=number, security=security, user=user, password=password)

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    def check_for_sending(self) -> None:
        """Refuse a configuration that cannot send, before connecting."""
        if not self.host:
            raise SmtpSettingError("no SMTP server to send through", reason="no host", settings=("host",),
                                   hint="give the host or set SOM_SMTP_HOST (and the port, user and SOM_SMTP_PASSWORD)")
        if self.user and not self.password:
            raise SomError(f"SMTP user {self.user!r} is set but SOM_SMTP_PASSWORD is not",
                           hint="set SOM_SMTP_PASSWORD in the environment (it is never taken from an option)")
        if self.user and self.security == "none" and not _is_loopback(self.host):
            raise SmtpSettingError(f"refusing to send the SMTP password unencrypted to {self.host}",
                                   reason="password in clear", settings=("security",),
                                   hint="use security starttls (port 587) or ssl (port 465)")


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --- the send log -------------------------------------------------------------------------

def _delivery_key(uid: str, sequence: int, method: str, address: str, purpose: str = "") -> tuple:
    """purpose: "" for the invitation itself, "reminder" for a reminder of the same version."""
    return (uid, int(sequence), method, address.casefold(), purpose)


def read_send_log(log_path: Path) -> set[tuple]:
    """Every (uid, sequence, method, address) the log says was delivered.

    A last line without its newline is a record torn by a crash while it was written: ignored
    (and cut off before the next append). A damaged line anywhere else is an error: guessing
    could send everybody their invitation again.
    """
    try:
        fd = open_inside(os.fspath(log_path), os.O_RDONLY)
        with os.fdopen(fd, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return set()
    except OSError as exc:
        raise SomError(f"cannot read the send log {log_path}: {exc.strerror or exc}") from None
    lines = data.split(b"\n")
    complete = lines[:-1]  # the piece after the last newline is empty or a torn record
    delivered: set[tuple] = set()
    for number, line in enumerate(complete, 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            for address in entry["recipients"]:
                delivered.add(_delivery_key(entry["uid"], entry["sequence"], entry["method"], address,
                                            entry.get("purpose", "")))
        except (ValueError, KeyError, TypeError):
            raise SomError("the send log is damaged", file=log_path, line=number,
                           hint="restore it, or delete that line if you know whether that message went out") from None
    return delivered


class _SendLog:
    """Appends one JSON line per accepted message and fsyncs it before the next message."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            created = not self.path.exists()
            # Appended to in place: never through a symbolic or hard link to a file elsewhere.
            fd = open_inside(os.fspath(self.path), os.O_RDWR | os.O_APPEND | os.O_CREAT)
            self.file = os.fdopen(fd, "ab")
            size = os.fstat(fd).st_size
            if size:
                data = os.pread(fd, size, 0)
                if not data.endswith(b"\n"):  # a torn last record: cut it off
                    self.file.truncate(data.rfind(b"\n") + 1)
            if created:
                fsync_dir(self.path.parent)
        except OSError as exc:
            raise SomError(f"cannot write the send log {self.path}: {exc.strerror or exc}",
                           hint="check that the output folder is writable") from None

    def append(self, entry: dict) -> None:
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
        self.file.write(line.encode("utf-8"))
        self.file.flush()
        os.fsync(self.file.fileno())

    def close(self) -> None:
        self.file.close()




# --- sending ------------------------------------------------------------------------------

def _purpose(inv: Invitation) -> str:
    return "reminder" if getattr(inv, "reminder", False) else ""


@dataclass(frozen=True)
class Outcome:
    """What happened to one invitation."""

    key: str
    status: str  # "sent", "skipped" (everyone had it; a CANCEL: nobody had an earlier version), "failed", "would send" (dry run)
    recipients: tuple[str, ...] = ()  # addresses it went (or would go) to in this run
    problem: str | None = None  # what the server said, for "failed"


@dataclass(frozen=True)
class SendReport:
    """Counts per invitation (one message each). In a dry run, `sent` counts what would be sent."""

    sent: int
    skipped: int
    failed: int
    dry_run: bool = False
    outcomes: tuple[Outcome, ...] = ()

    @property
    def total(self) -> int:
        return len(self.outcomes)


ProgressCallback = Callable[[int, int, Invitation, Outcome], None]


class SendFailed(SomError):
    """Sending stopped or some invitations were refused; `report` says what did go out."""

    def __init__(self, message: str, *, report: SendReport, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.report = report


def _server_said(exc: BaseException) -> str:
    import smtplib

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr} refused: {_server_said_code(code, text)}"
                         for addr, (code, text) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return _server_said_code(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _server_said_code(code: int, text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(str(text).split())}".strip()


class _Scrubber:
    """Removes the password, and the ways AUTH encodes it, from anything shown to the user."""

    def __init__(self, settings: SmtpSettings):
        import base64

        self.secrets: list[str] = []
        if settings.password:
            pw, user = settings.password, settings.user or ""
            self.secrets = [pw, base64.b64encode(pw.encode()).decode(),
                            base64.b64encode(f"\0{user}\0{pw}".encode()).decode(),
                            base64.b64encode(f"{user}\0{user}\0{pw}".encode()).decode()]

    def __call__(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text


def _connect(settings: SmtpSettings, scrub: _Scrubber):
    """An SMTP connection, secured and logged in as the settings say; SomError if it cannot be."""
    import smtplib
    import ssl

    where = settings.server
    conn: smtplib.SMTP  # SMTP_SSL is one
    try:
        if settings.security == "ssl":
            conn = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                    context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise SmtpSettingError(f"cannot connect to the SMTP server {where}: {scrub(_server_said(exc))}",
                               reason="cannot connect", settings=("host", "port", "security"),
                               hint="check the host, port and security (or SOM_SMTP_*); nothing was sent") from None
    try:
        if settings.security == "starttls":
            conn.ehlo()
            if not conn.has_extn("starttls"):
                raise SmtpSettingError(f"the SMTP server {where} does not offer STARTTLS", reason="no starttls",
                                       settings=("security",),
                                       hint="use security ssl (usually port 465); nothing was sent")
            conn.starttls(context=ssl.create_default_context())
            conn.ehlo()
        if settings.user:
            try:
                conn.login(settings.user, settings.password or "")
            except smtplib.SMTPNotSupportedError:
                raise SmtpSettingError(f"the SMTP server {where} does not offer a login (AUTH)", reason="no login",
                                       settings=("security", "user"),
                                       hint="many servers offer it only over STARTTLS or SSL; or send without a user"
                                       ) from None
            except smtplib.SMTPAuthenticationError as exc:
                raise SomError(f"the SMTP server {where} refused the login of {settings.user!r}: "
                               f"{scrub(_server_said(exc))}",
                               hint="check SOM_SMTP_USER and SOM_SMTP_PASSWORD; nothing was sent") from None
    except SomError:
        _close(conn)
        raise
    except (OSError, smtplib.SMTPException) as exc:
        _close(conn)
        raise SmtpSettingError(f"the SMTP server {where} failed before anything was sent: {scrub(_server_said(exc))}",
                               reason="failed", settings=("security",),
                               hint="check the security and the server's certificate; nothing was sent") from None
    return conn


def _close(conn) -> None:
    try:
        conn.close()
    except Exception:
        pass


def _was_invited(delivered: set[tuple], inv: Invitation, address: str) -> bool:
    """True if the log says an earlier version of the event (a REQUEST of a lower SEQUENCE)
    went to this address: only then does it have something a CANCEL takes back."""
    want = address.casefold()
    return any(uid == inv.uid and method == "REQUEST" and sequence < inv.sequence and addr == want
               for uid, sequence, method, addr, _ in delivered)


def send_invitations(invitations: Iterable[Invitation], settings: SmtpSettings, log_path: Path, *,
                     dry_run: bool = False, progress: ProgressCallback | None = None) -> SendReport:
    """Send every invitation to the recipients who do not have that version yet.

    One SMTP connection for the run. After the server accepts a message, a line goes to the send
    log and is fsync'ed before the next message, so a re-run after any interruption sends only
    what is missing. A message the server refuses is reported and the run goes on with the next
    member; a lost connection or a refused login stops the run. Either way, SendFailed (a
    SomError, with the report) is raised at the end if anything was not delivered.
    """
    import smtplib

    invitations = list(invitations)
    messages = [(inv, eml_bytes(inv)) for inv in invitations]  # all checked before sending any
    delivered = read_send_log(log_path)
    outcomes: list[Outcome] = []
    total = len(messages)
    scrub = _Scrubber(settings)

    def finish(outcome: Outcome, inv: Invitation) -> None:
        outcomes.append(outcome)
        if progress is not None:
            progress(len(outcomes), total, inv, outcome)

    def report() -> SendReport:
        count = {s: sum(o.status == s for o in outcomes) for s in ("sent", "would send", "skipped", "failed")}
        return SendReport(sent=count["sent"] + count["would send"], skipped=count["skipped"],
                          failed=count["failed"], dry_run=dry_run, outcomes=tuple(outcomes))

    def pending(inv: Invitation) -> list[str]:
        seen, todo = set(), []
        for person in inv.recipients:
            k = _delivery_key(inv.uid, inv.sequence, inv.method, person.email, _purpose(inv))
            if inv.method == "CANCEL" and not _was_invited(delivered, inv, person.email):
                continue  # a cancellation takes back an invitation this address never had
            if k not in delivered and k not in seen:
                seen.add(k)
                todo.append(person.email)
        return todo

    if dry_run:
        for inv, _ in messages:
            todo = pending(inv)
            finish(Outcome(inv.key, "would send" if todo else "skipped", tuple(todo)), inv)
        return report()

    settings.check_for_sending()
    if all(not pending(inv) for inv, _ in messages):
        for inv, _ in messages:
            finish(Outcome(inv.key, "skipped"), inv)
        return report()

    log = _SendLog(log_path)
    conn = None
    stopped: str | None = None
    try:
        conn = _connect(settings, scrub)
        for index, (inv, data) in enumerate(messages):
            todo = pending(inv)
            if not todo:
                finish(Outcome(inv.key, "skipped"), inv)
                continue
            try:
                refused = conn.sendmail(inv.organizer.email, todo, data)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
                # This message is refused; the next member's may well go through.
                finish(Outcome(inv.key, "failed", (), scrub(_server_said(exc))), inv)
                if getattr(exc, "smtp_code", None) != 421:  # 421: the server is closing the connection
                    continue
                stopped = f"the SMTP server {settings.server} stopped the run at {inv.key}: {scrub(_server_said(exc))}"
                break
            except (OSError, smtplib.SMTPException) as exc:
                # The sender is refused (it would be for every message), the connection is gone,
                # or the server is in a state we cannot trust: the rest waits for a re-run,
                # which the log makes safe.
                finish(Outcome(inv.key, "failed", (), scrub(_server_said(exc))), inv)
                stopped = f"the SMTP server {settings.server} stopped the run at {inv.key}: {scrub(_server_said(exc))}"
                break
            accepted = tuple(a for a in todo if a not in refused)
            log.append({"key": inv.key, "uid": inv.uid, "sequence": inv.sequence, "method": inv.method,
                        "recipients": list(accepted), "message_id": message_id(inv),
                        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        **({"purpose": _purpose(inv)} if _purpose(inv) else {})})
            for address in accepted:
                delivered.add(_delivery_key(inv.uid, inv.sequence, inv.method, address, _purpose(inv)))
            if refused:
                problem = "; ".join(f"{a} refused: {_server_said_code(c, t)}" for a, (c, t) in refused.items())
                finish(Outcome(inv.key, "failed", accepted, scrub(problem)), inv)
            else:
                finish(Outcome(inv.key, "sent", accepted), inv)
        if stopped is None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                pass
    finally:
        if conn is not None:
            _close(conn)
        log.close()

    result = report()
    resume = f"re-run to send the rest: the send log {log_path} keeps who has theirs, so nobody gets one twice"
    if stopped:
        raise SendFailed(f"{stopped}; {result.sent} of {total} sent, {total - len(outcomes)} not tried",
                         report=result, hint=resume)
    if result.failed:
        failures = [o for o in outcomes if o.status == "failed"]
        listed = "; ".join(f"{o.key}: {o.problem}" for o in failures[:3])
        more = f" (and {len(failures) - 3} more)" if len(failures) > 3 else ""
        raise SendFailed(f"{result.failed} of {total} invitations not delivered: {listed}{more}",
                         report=result, hint="fix those addresses (or ask the server's administrator), then " + resume)
    return result
