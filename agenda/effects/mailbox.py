"""Where replies come from (.eml files, mbox, Maildir, IMAP) and the record of them in DIR.

The record, `som-replies.jsonl` next to `som-issued.toml`, is one JSON line per message read
(a reply, or why a message does not count), keyed by its Message-ID (a digest of its bytes when
it has none). A message already in the record is not added again, so reading a mailbox twice,
or again after a run was killed, counts each message once. Lines are appended and flushed one
by one and fsync'ed every few hundred and at the end; a line torn by a crash is cut off on the
next run, and whatever was not recorded is read again from the source, which still has it.

Sources are read, never changed: IMAP mailboxes are opened read-only (EXAMINE) and messages
fetched with BODY.PEEK, so nothing is marked as seen.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from agenda.effects.files import fsync_dir, open_inside
from agenda.model.errors import SomError
from agenda.read.replies import HEADER_BYTES, MAX_MESSAGE_BYTES, Message

REPLIES = "som-replies.jsonl"
FORMAT = 1
PASSWORD_VARIABLE = "SOM_IMAP_PASSWORD"
UTC = timezone.utc

# One message from a source: (where, its bytes, when the mailbox received it or None, its size).
# Of a message larger than any reply only the head is read; the size says how large it was.
Raw = tuple[str, bytes, "datetime | None", int]


# --- the record ------------------------------------------------------------------------------

def read_record(path: Path, meeting_id: str) -> list[Message]:
    """Every message recorded, in the order it was recorded ([] when there is no record)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise SomError(f"cannot read the replies record {path}: {exc.strerror or exc}") from None
    lines = data.split(b"\n")[:-1]  # after the last newline: nothing, or a line torn by a crash
    out: list[Message] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            if number == 1 and "written_by" in entry:
                if entry.get("meeting") != meeting_id:
                    raise SomError(f"{path} holds replies to meeting `{entry.get('meeting')}`, not `{meeting_id}`",
                                   hint="read each meeting's replies into its own invitations folder")
                continue
            out.append(Message.from_dict(entry))
        except SomError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError):
            raise SomError("the replies record is damaged", file=path, line=number,
                           hint="delete that line and read the mailbox again: what it held is read anew") from None
    return out


class RecordWriter:
    """Appends messages to the record; `add` returns False for a message already in it."""

    SYNC_EVERY = 256

    def __init__(self, path: Path, meeting_id: str, known: set[str]):
        self.path = Path(path)
        self.known = set(known)
        self.pending = 0
        try:
            created = not self.path.exists()
            # Appended to in place: never through a symbolic or hard link to a file elsewhere.
            self.file = os.fdopen(open_inside(os.fspath(self.path), os.O_RDWR | os.O_APPEND | os.O_CREAT), "ab")
            if not created:
                data = os.pread(self.file.fileno(), os.fstat(self.file.fileno()).st_size, 0)
                if data and not data.endswith(b"\n"):  # a line torn by a crash: cut it off
                    self.file.truncate(data.rfind(b"\n") + 1)
            if created or self.file.tell() == 0:
                head = {"written_by": "som replies", "meeting": meeting_id, "format": FORMAT}
                self.file.write((json.dumps(head) + "\n").encode())
                self._sync()
                fsync_dir(self.path.parent)
        except OSError as exc:
            raise SomError(f"cannot write the replies record {self.path}: {exc.strerror or exc}",
                           hint="check that the folder is writable") from None

    def add(self, message: Message) -> bool:
        if message.key in self.known:
            return False
        line = json.dumps(message.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"
        self.file.write(line.encode("utf-8"))
        self.file.flush()
        self.known.add(message.key)
        self.pending += 1
        if self.pending >= self.SYNC_EVERY:
            self._sync()
        return True

    def _sync(self) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.pending = 0

    def close(self) -> None:
        try:
            self._sync()
        finally:
            self.file.close()

    def __enter__(self) -> "RecordWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()




# --- sources ---------------------------------------------------------------------------------

@dataclass
class ImapAccess:
    """How to reach IMAP: the password from SOM_IMAP_PASSWORD or `prompt`; plain imap:// only
    when `allow_plain`."""

    prompt: Callable[[str], str] | None = None  # asks for the password of "user@host"
    allow_plain: bool = False
    timeout: float = 30
    environ: dict = field(default_factory=lambda: dict(os.environ))


def is_imap(spec: str) -> bool:
    return spec.lower().startswith(("imap://", "imaps://"))


def read_source(spec: str, imap: ImapAccess | None = None) -> Iterator[Raw]:
    """Every message of one SOURCE: an IMAP URL, a Maildir folder, an mbox file or an .eml file."""
    if is_imap(spec):
        yield from _imap(spec, imap or ImapAccess())
        return
    path = Path(spec)
    if path.is_dir():
        if not all((path / sub).is_dir() for sub in ("cur", "new")):
            raise SomError(f"{spec} is a folder but not a Maildir (it has no cur/ and new/)",
                           hint="give .eml files, an mbox file, a Maildir or an imaps:// mailbox")
        yield from _maildir(path)
        return
    try:
        with open(path, "rb") as f:
            start = f.read(5)
    except FileNotFoundError:
        raise SomError(f"{spec} does not exist", hint="give .eml files, an mbox file, a Maildir or an imaps:// mailbox") from None
    except OSError as exc:
        raise SomError(f"cannot read {spec}: {exc.strerror or exc}") from None
    if start == b"From ":
        yield from _mbox(path)
    else:
        data, size = _read_limited(path)
        yield str(path), data, None, size


def _read_limited(path: Path) -> tuple[bytes, int]:
    """(the file, its size); of a file larger than any reply only its first bytes."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        return (f.read() if size <= MAX_MESSAGE_BYTES else f.read(HEADER_BYTES)), size


def _maildir(path: Path) -> Iterator[Raw]:
    """new/ then cur/, each in name order (Maildir names start with the delivery time)."""
    for sub in ("new", "cur"):
        folder = path / sub
        for name in sorted(os.listdir(folder)):
            if name.startswith("."):
                continue
            file = folder / name
            try:
                data, size = _read_limited(file)
                stamp = os.stat(file).st_mtime
            except (FileNotFoundError, IsADirectoryError):  # moved by a mail client meanwhile
                continue
            m = re.match(r"(\d{9,11})\.", name)
            when = datetime.fromtimestamp(int(m.group(1)) if m else stamp, UTC)
            yield f"{path}/{sub}/{name}", data, when, size


def _mbox(path: Path) -> Iterator[Raw]:
    import mailbox

    from agenda.model.timeplan import parse_mbox_date

    box = mailbox.mbox(str(path), create=False)
    try:
        for number, key in enumerate(box.iterkeys(), 1):
            data = box.get_bytes(key, from_=True)
            first, _, data = data.partition(b"\n")
            parts = first.decode("ascii", "replace").split(None, 2)  # From, the sender, the date
            when = parse_mbox_date(parts[2]) if len(parts) == 3 else None
            yield f"{path}#{number}", data, when, len(data)
    finally:
        box.close()


# --- IMAP --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImapUrl:
    secure: bool
    user: str
    host: str
    port: int
    mailbox: str

    def __str__(self) -> str:
        scheme = "imaps" if self.secure else "imap"
        from urllib.parse import quote

        return f"{scheme}://{quote(self.user, safe='')}@{self.host}:{self.port}/{quote(self.mailbox)}"


def parse_imap_url(spec: str) -> ImapUrl:
    from urllib.parse import unquote, urlsplit

    try:
        url = urlsplit(spec)
        port = url.port
    except ValueError:
        raise SomError("an IMAP mailbox is written imaps://user@host[:port]/MAILBOX") from None
    if url.password is not None:
        # Never repeat the URL: it holds the password.
        raise SomError("the IMAP address has a password in it, where anyone on this machine can see it",
                       hint=f"write imaps://user@host/INBOX and put the password in {PASSWORD_VARIABLE}")
    if not url.username or not url.hostname:
        raise SomError(f"{spec}: an IMAP mailbox is written imaps://user@host[:port]/MAILBOX")
    secure = url.scheme.lower() == "imaps"
    mailbox = unquote(url.path.lstrip("/")) or "INBOX"
    return ImapUrl(secure, unquote(url.username), url.hostname, port or (993 if secure else 143), mailbox)


class _Scrub:
    def __init__(self, secret: str):
        self.secret = secret

    def __call__(self, text) -> str:
        if isinstance(text, BaseException) and len(text.args) == 1:
            text = text.args[0]
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return text.replace(self.secret, "***") if self.secret else text


_FETCH_HEAD = re.compile(rb"UID (\d+)")
_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


def _internaldate(head: bytes) -> datetime | None:
    m = _INTERNALDATE.search(head)
    if not m:
        return None
    from agenda.model.timeplan import parse_imap_date

    return parse_imap_date(m.group(1).decode("ascii", "replace"))


def _imap(spec: str, access: ImapAccess) -> Iterator[Raw]:
    import imaplib
    import ssl

    url = parse_imap_url(spec)
    if not url.secure and not access.allow_plain:
        raise SomError(f"{url}: plain IMAP would send the password unencrypted",
                       hint="use imaps:// (port 993), or allow plain IMAP explicitly on a network you trust")
    password = access.environ.get(PASSWORD_VARIABLE) or None
    if password is None and access.prompt is not None:
        password = access.prompt(f"{url.user}@{url.host}")
    if not password:
        raise SomError(f"no password for {url.user}@{url.host}",
                       hint=f"set {PASSWORD_VARIABLE} in the environment (it is never taken from the command line)")
    scrub = _Scrub(password)
    where = f"{url.host}:{url.port}"
    conn: imaplib.IMAP4
    try:
        if url.secure:
            conn = imaplib.IMAP4_SSL(url.host, url.port, ssl_context=ssl.create_default_context(),
                                     timeout=access.timeout)
        else:
            conn = imaplib.IMAP4(url.host, url.port, timeout=access.timeout)
            if "STARTTLS" in conn.capabilities:
                conn.starttls(ssl.create_default_context())
    except (OSError, imaplib.IMAP4.error) as exc:
        raise SomError(f"cannot connect to the IMAP server {where}: {scrub(getattr(exc, 'strerror', None) or exc)}",
                       hint="check the host and port, and that the server's certificate is trusted") from None
    try:
        try:
            conn.login(url.user, password)
        except imaplib.IMAP4.error as exc:
            raise SomError(f"the IMAP server {where} refused the login of {url.user!r}: {scrub(exc)}",
                           hint=f"check the user and {PASSWORD_VARIABLE}") from None
        status, data = conn.select(_quote(url.mailbox), readonly=True)
        if status != "OK":
            raise SomError(f"the IMAP server {where} has no mailbox {url.mailbox!r}: {scrub(data[0] if data else '')}")
        status, data = conn.uid("SEARCH", "ALL")
        uids = data[0].split() if status == "OK" and data and data[0] else []
        sizes: dict[bytes, int] = {}
        for batch in _batches(uids, 500):
            status, data = conn.uid("FETCH", b",".join(batch).decode(), "(RFC822.SIZE)")
            for item in data or ():
                head = item[0] if isinstance(item, tuple) else item
                uid_match = _FETCH_HEAD.search(head) if isinstance(head, bytes) else None
                size_match = _SIZE.search(head) if isinstance(head, bytes) else None
                if uid_match and size_match:
                    sizes[uid_match.group(1)] = int(size_match.group(1))
        for batch in _batches(uids, 100):
            small = [u for u in batch if sizes.get(u, 0) <= MAX_MESSAGE_BYTES]
            large = [u for u in batch if sizes.get(u, 0) > MAX_MESSAGE_BYTES]
            fetched: dict[bytes, tuple[bytes, datetime | None]] = {}  # of a large one, its header
            for group, what in ((small, "BODY.PEEK[]"), (large, "BODY.PEEK[HEADER]")):
                if not group:
                    continue
                status, data = conn.uid("FETCH", b",".join(group).decode(), f"(UID INTERNALDATE {what})")
                if status != "OK":
                    raise SomError(f"the IMAP server {where} did not give the messages: {scrub(data[0] if data else '')}")
                for item in data or ():
                    if isinstance(item, tuple) and len(item) == 2:
                        m = _FETCH_HEAD.search(item[0])
                        if m:
                            fetched[m.group(1)] = (item[1], _internaldate(item[0]))
            for uid in batch:
                if uid in fetched:
                    body, when = fetched[uid]
                    yield f"{url};UID={uid.decode()}", body, when, max(sizes.get(uid, 0), len(body))
    except (OSError, imaplib.IMAP4.error) as exc:
        raise SomError(f"the IMAP server {where} failed: {scrub(getattr(exc, 'strerror', None) or exc)}",
                       hint="read it again: messages already recorded are not counted twice") from None
    finally:
        try:
            conn.logout()
        except Exception:
            pass


def _quote(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]
