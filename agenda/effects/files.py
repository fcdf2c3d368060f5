"""Writing output files safely: whole or not at all, and never over a file som did not write.

Every file goes to a temporary name in the same folder and is renamed into place, so a reader
(or a crash) sees the old file or the new one, never half of one. Each output folder keeps a
manifest, `.som-files.json`, of the files som wrote there and their SHA-256; a file that is
not in it, or was edited since, is refused unless told to overwrite (OverwriteRefused).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, TypeAlias

from agenda.model.errors import OverwriteRefused, SomError

MANIFEST = ".som-files.json"
MANIFEST_LIMIT = 64 * 1024 * 1024  # a manifest of 100,000 files is 12 MB


def _list_of(value) -> list:
    if not isinstance(value, list):
        raise TypeError("not a list of digests")
    return value


def _digest_of(value) -> str:
    if not isinstance(value, str):  # a nested or forged manifest: not one som wrote
        raise TypeError("not a digest")
    return value


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write `data` (bytes, or its pieces in order) to `path` through a temporary file in the
    same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _readable(fd)
        with os.fdopen(fd, "wb") as f:
            for piece in [data] if isinstance(data, bytes) else data:
                f.write(piece)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()


def _readable(fd: int) -> None:
    """mkstemp makes 0600 files; output is for sharing (a calendar folder on a web server):
    give it the permissions any new file gets."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o666 & ~_UMASK)


def fsync_dir(path: Path) -> None:
    """Make a rename or create in `path` durable (a log's first line, a record's new name)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its rename and create are durable enough
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# What a file holds: its bytes, or its parts in order. A per-member invitation is held as the
# head and tail it shares with every other member's file of its segment and its own ATTENDEE
# lines, so 120,000 invitations do not each keep a copy of the same text until they are written.
Content: TypeAlias = "bytes | tuple[bytes, ...]"


def content_bytes(data: Content) -> bytes:
    return data if isinstance(data, bytes) else b"".join(data)


def sha256(data: Content) -> str:
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    for part in data:
        digest.update(part)
    return digest.hexdigest()


def _write_all(fd: int, data: Content) -> None:
    """All of `data` to `fd`; its parts in one system call (writev) when it has parts."""
    if not isinstance(data, bytes):
        if hasattr(os, "writev") and len(data) <= 1024:
            done, size = os.writev(fd, data), sum(len(part) for part in data)
            if done == size:
                return
            view = memoryview(b"".join(data))[done:]  # a short write (a full disk says so below)
        else:
            view = memoryview(b"".join(data))
    else:
        view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# Temporary files: `.<name>.<pid>.tmp` (write_many) and `.<name>.<8 characters>.tmp` (mkstemp).
_TEMPORARY = re.compile(r"\..+\.(?:\d+|[A-Za-z0-9_]{8})\.tmp\Z")


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def not_inside(path: str, root: Path | str, what: str = "a symbolic link") -> SomError:
    """The error for a path som would reach only by leaving the output folder."""
    return SomError(f"{path} is {what}; som writes only inside {root}",
                    hint="remove it (som makes its own folders and files)")


def open_inside(path: str, flags: int, mode: int = 0o666) -> int:
    """os.open without following a symbolic link in the last part; and, for a file that is
    appended to, no second name (a hard link) through which the write would land elsewhere."""
    try:
        fd = os.open(path, flags | NOFOLLOW | getattr(os, "O_NONBLOCK", 0), mode)
    except OSError as exc:
        if _lstat(path) is not None and stat.S_ISLNK(os.lstat(path).st_mode):
            raise not_inside(path, os.path.dirname(path) or ".") from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or (flags & os.O_APPEND and info.st_nlink > 1):
        os.close(fd)
        what = "not a regular file" if not stat.S_ISREG(info.st_mode) else "a hard link to another file"
        raise not_inside(path, os.path.dirname(path) or ".", what)
    return fd


def read_limited(path: Path | str, limit: int) -> bytes | None:
    """The bytes of a regular file som keeps (manifest, record) that is not a symbolic link,
    or None when it is missing; more than `limit` bytes is not som's own (ValueError)."""
    try:
        fd = open_inside(os.fspath(path), os.O_RDONLY)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit} bytes")
    return data


def manifest_text(files: dict[str, str], pending: dict[str, list[str]]) -> str:
    """The manifest as json.dumps(indent=2) writes it, byte for byte, in a tenth of the time: with
    an indent, json's encoder is pure Python (0.1 s a save for 30,000 files, three saves a run)."""
    return "".join(manifest_pieces(files, pending))


def manifest_digest(files: dict[str, str], pending: dict[str, list[str]]) -> str:
    """The SHA-256 of the manifest of `files` and `pending`, without a re-run entry."""
    digest = hashlib.sha256()
    for piece in manifest_pieces(files, pending):
        digest.update(piece.encode())
    return digest.hexdigest()


RERUN_KEY = ',\n  "rerun": '  # the last entry of a manifest, when it has one


def manifest_pieces(files: dict[str, str], pending: dict[str, list[str]], batch: int = 4096,
                    rerun: dict | None = None) -> Iterator[str]:
    """manifest_text() in pieces of `batch` entries, to be written as they come: the whole text
    of 120,000 entries, joined and then encoded, held 50 MB more at the peak of a run."""
    quote = json.encoder.encode_basestring_ascii
    yield '{\n  "written_by": "som",\n  "files": {'
    names = sorted(files)  # the names alone: sorting (name, digest) pairs took ten times longer
    for i in range(0, len(names), batch):
        yield ("\n" if i == 0 else ",\n") + ",\n".join(f"    {quote(k)}: {quote(files[k])}" for k in names[i:i + batch])
    yield ("\n  }" if names else "}") + ("," if pending else "")
    if pending:
        yield '\n  "pending": {\n'
        waiting = sorted(pending)
        for i in range(0, len(waiting), batch):
            yield ("" if i == 0 else ",\n") + ",\n".join(
                f"    {quote(k)}: [\n" + ",\n".join(f"      {quote(d)}" for d in pending[k]) + "\n    ]" if pending[k]
                else f"    {quote(k)}: []" for k in waiting[i:i + batch])
        yield "\n  }"
    if rerun is not None:  # last, so that what comes before it is the manifest without it, byte for byte;
        # on one line: json's indented encoder is pure Python, and the note lists every file again
        yield RERUN_KEY + json.dumps(rerun)
    yield "\n}\n"


def _temporary(root: str, name: str, token: str) -> str:
    """Where write_many writes `name` before renaming it into place: `.<name>.<pid>.tmp` beside it."""
    folder, _, base = name.rpartition("/")
    return f"{root}/{folder}/.{base}.{token}" if folder else f"{root}/.{base}.{token}"


def _check_name(name: str, root: Path) -> None:
    """A relative path that stays inside the output folder (som makes these names itself)."""
    parts = name.split("/")
    if "" in parts or ".." in parts or "\\" in name or ":" in name:
        raise SomError(f"refusing to write outside {root}: {name}")


_LOCKS: dict[str, tuple[int, bool]] = {}  # folder -> (the descriptor holding its lock, folder made to lock it)


def _unlock(key: str) -> None:
    held = _LOCKS.pop(key, None)
    if held is None:
        return
    fd, made = held
    os.close(fd)
    if made:
        try:
            os.rmdir(key)  # only when empty: a refused run leaves no folder behind
        except OSError:
            pass


def unlock_all() -> None:
    """Drop every lock this process holds (the command is done)."""
    for key in sorted(_LOCKS, reverse=True):  # inner folders first, so an empty one can go
        _unlock(key)


class OutputDir:
    """A folder som writes into: checks every target first, then writes, then the manifest.

    Use:  out = OutputDir(path, overwrite=False); out.check(names); out.write(name, data)...; out.commit()
    """

    def __init__(self, root: Path, *, overwrite: bool = False):
        self.root = Path(root)
        self.overwrite = overwrite  # write over files som did not write, or that were edited
        if self.root.exists() and not self.root.is_dir():
            raise SomError(f"{self.root} is a file, not a folder", hint="name a folder for the output (it is created if missing)")
        # A manifest may end with what a re-run of `som invite` with nothing changed reports, and the
        # digest of its inputs (agenda/app/rerun.py); `manifest_digest` is the SHA-256 of the manifest
        # without that entry, as it was read.
        self.rerun: dict | None = None
        self.manifest_digest: str | None = None
        self.manifest, self.pending = self._read_manifest()
        self.written: dict[str, str] = {}
        self._inside: set[str] = set()  # folders (relative to the root) seen to be real folders
        # Each file is hashed once per run: the bytes to write (by name, with the bytes object
        # they were computed from), and what check() found on disk. A re-run of ten thousand
        # invitations otherwise hashed every file five times.
        self._digests: dict[str, tuple[Content, str]] = {}
        self._on_disk: dict[str, str] = {}  # name -> digest of the file check() read
        # What stood at each name when check() looked, so that write_many() does not look again
        # (the run holds the folder's lock); and, while check() runs, the folders that are not
        # there (nor is anything under them). A fresh run of 30,000 files made 140,000 lstat calls.
        self._seen: dict[str, bool] = {}  # name -> a file stood there
        self._absent: set[str] = set()

    def check_folder(self, folder: str) -> None:
        """Refuse a symbolic link (or a file) at any part of `folder`, relative to the root, so
        nothing som writes there lands outside the output folder. A missing part is fine: som
        makes it. (The root itself may be a link: it is the folder the user named.)"""
        if not folder or folder in self._inside or folder in self._absent:
            return
        parent = folder.rpartition("/")[0]
        self.check_folder(parent)
        if parent in self._absent:  # nothing is under a folder that is not there
            self._absent.add(folder)
            return
        where = f"{os.fspath(self.root)}/{folder}"
        info = _lstat(where)
        if info is None:
            self._absent.add(folder)
            return
        if stat.S_ISLNK(info.st_mode):
            raise not_inside(where, self.root)
        if not stat.S_ISDIR(info.st_mode):
            raise SomError(f"{where}: a file stands where som needs a folder", hint="move it away")
        self._inside.add(folder)

    def _place(self, name: str) -> str | None:
        """The path of `name`, its folders checked; None while check() knows its folder is missing."""
        _check_name(name, self.root)
        folder = name.rpartition("/")[0]
        self.check_folder(folder)
        return None if folder in self._absent else f"{os.fspath(self.root)}/{name}"

    def _target(self, name: str) -> os.stat_result | None:
        """What stands at `name` now (None: nothing); refused if it is a link, a folder or a
        special file, or lies under one."""
        target = self._place(name)
        info = _lstat(target) if target is not None else None
        if target is None or info is None:
            return None
        if stat.S_ISLNK(info.st_mode):
            raise not_inside(target, self.root)
        if stat.S_ISDIR(info.st_mode):
            raise SomError(f"{target} is a folder; som would write a file there", hint="move it away")
        if not stat.S_ISREG(info.st_mode):
            raise not_inside(target, self.root, "not a regular file")
        return info

    def lock(self, clean: bool = True) -> None:
        """One writer at a time in this folder, for as long as this process runs (or until
        unlock()): an advisory lock on the folder itself, so no lock file is left behind. The
        system drops it when its holder ends, killed or not, so a stale lock is simply taken;
        and the temporary files a killed run left are removed (unless not `clean`: a re-run that
        writes nothing, and leaves to a full run a folder with any). A folder made only to be locked
        is removed again by unlock() if the run wrote nothing into it."""
        key = os.path.realpath(self.root)
        if key in _LOCKS:
            return
        made = not os.path.isdir(self.root)
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory lock
            _LOCKS[key] = (fd, made)
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise SomError(f"another som run is writing into {self.root}",
                           hint="wait for it to finish, then run again") from None
        _LOCKS[key] = (fd, made)
        self.manifest, self.pending = self._read_manifest()  # as the last writer left it
        if clean:
            self._clean_temporaries()

    def unlock(self) -> None:
        _unlock(os.path.realpath(self.root))

    def _clean_temporaries(self) -> None:
        """Remove the temporary files of a run that was killed: with the lock held, no other
        run is writing any. Symbolic links are not followed. (A plain scandir, not os.walk: a
        re-run walks 10,000 members' folders, a third faster so.)"""
        folders = [os.fspath(self.root)]
        while folders:
            try:
                entries = os.scandir(folders.pop())
            except OSError:  # gone, or unreadable: nothing of ours to remove there
                continue
            with entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            folders.append(entry.path)
                        elif entry.name.endswith(".tmp") and _TEMPORARY.match(entry.name):
                            os.unlink(entry.path)
                    except OSError:
                        pass

    def _read_manifest(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        path = self.root / MANIFEST
        try:
            raw = read_limited(path, MANIFEST_LIMIT)
            if raw is None:
                return {}, {}
            data = json.loads(raw.decode("utf-8"))
            files, pending = data.get("files", {}), data.get("pending", {})
            rerun = data.get("rerun")
            self.rerun = rerun if isinstance(rerun, dict) else None
            cut = raw.find(RERUN_KEY.encode()) if self.rerun is not None else -1
            self.manifest_digest = hashlib.sha256(raw[:cut] + b"\n}\n").hexdigest() if cut >= 0 else None
            manifest = {str(k): _digest_of(v) for k, v in files.items()}
            return manifest, {str(k): [_digest_of(d) for d in _list_of(v)] for k, v in pending.items()}
        except SomError:
            raise
        except (OSError, ValueError, AttributeError, TypeError, RecursionError):
            raise OverwriteRefused(f"{path} is damaged", reason="damaged manifest", path=path,
                                   hint="delete it and write again, overwriting, to take over the folder") from None

    def digest(self, name: str, data: Content) -> str:
        """The SHA-256 of `data`, the bytes to write as `name`, computed once."""
        known = self._digests.get(name)
        if known is not None and known[0] is data:
            return known[1]
        digest = sha256(data)
        recorded = self.manifest.get(name)
        if digest == recorded:
            digest = recorded  # one string, not two equal ones (120,000 of them at 40,000 members)
        self._digests[name] = (data, digest)
        return digest

    def _save(self, files: dict[str, str], pending: dict[str, list[str]], rerun: dict | None = None) -> None:
        try:
            write_atomic(self.root / MANIFEST, (piece.encode() for piece in manifest_pieces(files, pending,
                                                                                          rerun=rerun)))
        except OSError as exc:
            raise SomError(f"cannot write {self.root / MANIFEST}: {exc.strerror or exc}") from None

    def intend(self, files: dict[str, Content]) -> None:
        """Note what is about to be written before writing it.

        A run killed halfway (SIGKILL, power cut) leaves some files new and the manifest old; the
        digests noted here let the next run recognise those files as som's own and go on.
        """
        added = False
        for name, data in files.items():
            digest = self.digest(name, data)
            if self.manifest.get(name) != digest and digest not in self.pending.get(name, ()):
                self.pending.setdefault(name, []).append(digest)
                added = True
        if added:
            self.root.mkdir(parents=True, exist_ok=True)
            self._save(self.manifest, self.pending)

    def path(self, name: str) -> Path:
        target = (self.root / name).resolve()
        if self.root.resolve() not in target.parents:
            raise SomError(f"refusing to write outside {self.root}: {name}")
        return self.root / name

    def check(self, names) -> None:
        """Refuse before writing anything if a target exists that som did not write (or was edited)."""
        root = os.fspath(self.root)
        try:
            for name in names:
                self._check_one(root, name)
        finally:
            self._absent.clear()  # only this call knows nothing was made since it looked

    def _check_one(self, root: str, name: str) -> None:
        if self.overwrite:  # links and special files are refused even when overwriting
            self._seen[name] = self._target(name) is not None
            return
        on_disk = self._read_regular(name)
        self._seen[name] = on_disk is not None
        if on_disk is None:
            return
        target = f"{root}/{name}"
        recorded = self.manifest.get(name)
        if recorded is None and name not in self.pending:
            raise OverwriteRefused(f"{target} exists and som did not write it", reason="not written by som",
                                   path=target, hint="choose another output folder, or overwrite it")
        self._on_disk[name] = recorded if on_disk == recorded else on_disk  # one string, not two equal ones
        if on_disk not in (recorded, *self.pending.get(name, ())):
            raise OverwriteRefused(f"{target} was changed since som wrote it", reason="edited", path=target,
                                   hint="move your edits elsewhere, or overwrite them")

    def _read_regular(self, name: str) -> str | None:
        """The SHA-256 of the file at `name`, None if there is none; refused as _target() refuses.
        One open (not following a link) and one fstat, rather than an lstat and then an open: a
        re-run reads every file it would write."""
        target = self._place(name)
        if target is None:
            return None
        try:
            fd = os.open(target, os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError:  # a link (ELOOP) or something unreadable: say what stands there
            return self._read_looked_at(name, target)
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and NOFOLLOW:
                chunks = []
                while chunk := os.read(fd, max(info.st_size + 1, 65536)):
                    chunks.append(chunk)
                return sha256(chunks[0] if len(chunks) == 1 else b"".join(chunks))
        finally:
            os.close(fd)
        return self._read_looked_at(name, target)  # a folder, a special file (a link, without O_NOFOLLOW)

    def _read_looked_at(self, name: str, target: str) -> str | None:
        if self._target(name) is None:  # refuses what is not a regular file
            return None
        with open(target, "rb") as f:
            return sha256(f.read())

    def write(self, name: str, data: Content) -> bool:
        """Write one file (atomically); True if its content changed."""
        self._seen.pop(name, None)  # what check() saw: write() looks again
        info = self._target(name)
        target = self.path(name)
        digest = self.digest(name, data)
        changed = info is None or self._current(name, target) != digest
        if changed:
            try:
                write_atomic(target, data)  # a file in parts (schedule.json) is written part by part, never joined
            except OSError as exc:
                raise SomError(f"cannot write {target}: {exc.strerror or exc}",
                               hint="check that the folder is writable and the disk is not full") from None
        self.written[name] = self._on_disk[name] = digest
        return changed

    def write_many(self, files: dict[str, Content]) -> list[str]:
        """Write many files, each whole; the names whose content changed, in the order given.

        Same guarantees as write() without one fsync per file, which costs seconds for ten
        thousand invitations: every file goes to a temporary name, one sync puts them all on
        disk, then each is renamed into place. Plain strings rather than Path objects, and a
        check of each name rather than resolve(), for the same reason; and no second look at
        what check() saw, nor at anything in a folder this run made.
        """
        self.intend(files)
        root = os.fspath(self.root)
        # (name, digest, its temporary if not the usual name): paths are made again when renaming,
        # rather than held, two for each of 120,000 files
        pending: list[tuple[str, str, str | None]] = []
        known: set[str] = set()  # folders (relative to the root) made or seen in this run
        fresh: set[str] = set()  # folders this run made: no old file in them to compare with
        token = f"{os.getpid()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            for name, data in files.items():
                _check_name(name, self.root)
                folder, _, base = name.rpartition("/")
                where = f"{root}/{folder}" if folder else root
                if folder not in known:
                    known.add(folder)
                    if self._make_folder(folder, where):
                        fresh.add(folder)
                target = f"{root}/{name}"
                digest = self.digest(name, data)
                if folder not in fresh:
                    existing = self._seen.pop(name) if name in self._seen else self._target(name) is not None
                    if existing and self._current(name, target) == digest:
                        self.written[name] = digest
                        continue
                unusual = None
                try:  # the mode is 0666 less the umask, like any new file
                    fd = os.open(f"{where}/.{base}.{token}", flags, 0o666)
                except FileExistsError:  # left by a crashed run that had our process id
                    fd, unusual = tempfile.mkstemp(prefix=f".{base}.", suffix=".tmp", dir=where)
                    _readable(fd)
                pending.append((name, digest, unusual))
                try:
                    _write_all(fd, data)
                    if not hasattr(os, "sync"):  # Windows: no sync of everything at once
                        os.fsync(fd)
                finally:
                    os.close(fd)
            if pending and hasattr(os, "sync"):  # nothing new: nothing to sync
                os.sync()
            changed = []
            for name, digest, unusual in pending:
                os.replace(unusual or _temporary(root, name, token), f"{root}/{name}")
                self.written[name] = self._on_disk[name] = digest
                changed.append(name)
            pending = []
            return changed
        except OSError as exc:
            raise SomError(f"cannot write {exc.filename or self.root}: {exc.strerror or exc}",
                           hint="check that the folder is writable and the disk is not full") from None
        finally:
            for name, _, unusual in pending:  # left only on failure; those already renamed are gone
                try:
                    os.unlink(unusual or _temporary(root, name, token))
                except FileNotFoundError:
                    pass

    def _make_folder(self, folder: str, where: str) -> bool:
        """Make `folder` (relative to the root) if it is not there; True if this call made it.
        Its parents are checked first, so mkdir never goes through a link; a folder that was
        there already is checked itself (mkdir does not follow a link in the last part)."""
        self.check_folder(folder.rpartition("/")[0])
        try:
            os.mkdir(where)
        except FileExistsError:
            self.check_folder(folder)
            return False
        except FileNotFoundError:
            self.check_folder(folder)
            os.makedirs(where)
        while folder and folder not in self._inside:  # made now, with any parent that was missing
            self._inside.add(folder)
            folder = folder.rpartition("/")[0]
        return True

    def _current(self, name: str, target: str | Path) -> str | None:
        """The digest of the file now at `target`, None if there is none; read by check() already
        for a file that was there (a file this run replaces is hashed when it is written)."""
        known = self._on_disk.get(name)
        if known is not None:
            return known
        try:
            with open(target, "rb") as f:
                return sha256(f.read())
        except (FileNotFoundError, NotADirectoryError):
            return None

    def remember(self, rerun: dict) -> None:
        """Save the manifest as it stands, with `rerun` as its last entry (after commit())."""
        self._save(self.manifest, self.pending, rerun)
        self.rerun = rerun

    def reads_back(self) -> bool:
        """Every file the manifest lists is a regular file with its recorded digest (each read and
        hashed once), nothing is pending and no killed run's temporary file is in the folder: the
        folder is as the last run left it. Anything else, a link included, is False."""
        if self.pending:
            return False
        try:
            with os.scandir(self.root) as entries:  # a killed run's manifest or record, half-written
                if any(_TEMPORARY.match(entry.name) for entry in entries):
                    return False
            for name, digest in self.manifest.items():
                if self._read_regular(name) != digest:
                    return False
        except (SomError, OSError):
            return False
        finally:
            self._absent.clear()
        return True

    def commit(self) -> None:
        """Record what was written; call after every file is in place. A manifest that would
        say what it says already is not written again."""
        files = dict(self.manifest)
        files.update(self.written)
        pending = {k: v for k, v in self.pending.items() if k not in self.written}
        if files != self.manifest or pending != self.pending or not (self.root / MANIFEST).exists():
            self._save(files, pending)
        self.manifest, self.pending = files, pending


def write_file(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """One output file the user named: written whole, or not at all.

    Like a folder of output, it is refused if it exists and som did not write it (the folder's
    manifest says which files som wrote) or was edited since, unless `overwrite`.
    """
    path = Path(path)
    if path.is_dir():
        raise SomError(f"{path} is a folder, not a file", hint=f"name the file to write, e.g. {path / 'agenda.md'}")
    for parent in (path.parent, *path.parent.parents):
        if parent.exists() and not parent.is_dir():
            raise SomError(f"cannot write {path}: {parent} is a file, not a folder", hint="choose another path")
    out = OutputDir(path.parent, overwrite=overwrite)
    try:
        out.check([path.name])
    except SomError as exc:  # said of a folder's file ("./agenda.md", "another output folder"): say it of FILE
        where = f"{out.root}/{path.name}"
        message = f"{path}{exc.message[len(where):]}" if exc.message.startswith(where) else exc.message
        hint = (exc.hint or "").replace("another output folder", "another file name")
        if isinstance(exc, OverwriteRefused):
            raise OverwriteRefused(message, reason=exc.reason, path=path, hint=hint, named_file=True) from None
        raise SomError(message, hint=hint) from None
    out.intend({path.name: data})
    out.write(path.name, data)
    out.commit()
