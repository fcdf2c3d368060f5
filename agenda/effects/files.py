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


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _readable(fd)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
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


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
    quote = json.encoder.encode_basestring_ascii
    lines = ['{', '  "written_by": "som",']
    entries = [f"    {quote(k)}: {quote(v)}" for k, v in sorted(files.items())]
    lines.append('  "files": {' + ("\n" + ",\n".join(entries) + "\n  }" if entries else "}") + ("," if pending else ""))
    if pending:
        waiting = [f"    {quote(k)}: [\n" + ",\n".join(f"      {quote(d)}" for d in v) + "\n    ]" if v
                   else f"    {quote(k)}: []" for k, v in sorted(pending.items())]
        lines.append('  "pending": {\n' + ",\n".join(waiting) + "\n  }")
    return "\n".join(lines) + "\n}\n"


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
        self.manifest, self.pending = self._read_manifest()
        self.written: dict[str, str] = {}
        self._inside: set[str] = set()  # folders (relative to the root) seen to be real folders
        # Each file is hashed once per run: the bytes to write (by name, with the bytes object
        # they were computed from), and what check() found on disk. A re-run of ten thousand
        # invitations otherwise hashed every file five times.
        self._digests: dict[str, tuple[bytes, str]] = {}
        self._on_disk: dict[str, str] = {}  # name -> digest of the file check() read

    def check_folder(self, folder: str) -> None:
        """Refuse a symbolic link (or a file) at any part of `folder`, relative to the root, so
        nothing som writes there lands outside the output folder. A missing part is fine: som
        makes it. (The root itself may be a link: it is the folder the user named.)"""
        if not folder or folder in self._inside:
            return
        parent = folder.rpartition("/")[0]
        self.check_folder(parent)
        where = f"{os.fspath(self.root)}/{folder}"
        info = _lstat(where)
        if info is None:
            return
        if stat.S_ISLNK(info.st_mode):
            raise not_inside(where, self.root)
        if not stat.S_ISDIR(info.st_mode):
            raise SomError(f"{where}: a file stands where som needs a folder", hint="move it away")
        self._inside.add(folder)

    def _target(self, name: str) -> os.stat_result | None:
        """What stands at `name` now (None: nothing); refused if it is a link, a folder or a
        special file, or lies under one."""
        _check_name(name, self.root)
        self.check_folder(name.rpartition("/")[0])
        target = f"{os.fspath(self.root)}/{name}"
        info = _lstat(target)
        if info is None:
            return None
        if stat.S_ISLNK(info.st_mode):
            raise not_inside(target, self.root)
        if stat.S_ISDIR(info.st_mode):
            raise SomError(f"{target} is a folder; som would write a file there", hint="move it away")
        if not stat.S_ISREG(info.st_mode):
            raise not_inside(target, self.root, "not a regular file")
        return info

    def lock(self) -> None:
        """One writer at a time in this folder, for as long as this process runs (or until
        unlock()): an advisory lock on the folder itself, so no lock file is left behind. The
        system drops it when its holder ends, killed or not, so a stale lock is simply taken;
        and the temporary files a killed run left are removed. A folder made only to be locked
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
        self._clean_temporaries()

    def unlock(self) -> None:
        _unlock(os.path.realpath(self.root))

    def _clean_temporaries(self) -> None:
        """Remove the temporary files of a run that was killed: with the lock held, no other
        run is writing any. Symbolic links are not followed."""
        for folder, dirs, names in os.walk(self.root):
            for name in names:
                if _TEMPORARY.match(name):
                    try:
                        os.unlink(os.path.join(folder, name))
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
            manifest = {str(k): _digest_of(v) for k, v in files.items()}
            return manifest, {str(k): [_digest_of(d) for d in _list_of(v)] for k, v in pending.items()}
        except SomError:
            raise
        except (OSError, ValueError, AttributeError, TypeError, RecursionError):
            raise OverwriteRefused(f"{path} is damaged", reason="damaged manifest", path=path,
                                   hint="delete it and write again, overwriting, to take over the folder") from None

    def digest(self, name: str, data: bytes) -> str:
        """The SHA-256 of `data`, the bytes to write as `name`, computed once."""
        known = self._digests.get(name)
        if known is not None and known[0] is data:
            return known[1]
        digest = sha256(data)
        self._digests[name] = (data, digest)
        return digest

    def _save(self, files: dict[str, str], pending: dict[str, list[str]]) -> None:
        try:
            write_atomic(self.root / MANIFEST, manifest_text(files, pending).encode())
        except OSError as exc:
            raise SomError(f"cannot write {self.root / MANIFEST}: {exc.strerror or exc}") from None

    def intend(self, files: dict[str, bytes]) -> None:
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
        for name in names:
            info = self._target(name)  # links and special files are refused even when overwriting
            if info is None or self.overwrite:
                continue
            target = f"{root}/{name}"
            on_disk = sha256(Path(target).read_bytes())
            recorded = self.manifest.get(name)
            if recorded is None and name not in self.pending:
                raise OverwriteRefused(f"{target} exists and som did not write it", reason="not written by som",
                                       path=target, hint="choose another output folder, or overwrite it")
            self._on_disk[name] = on_disk
            if on_disk not in (recorded, *self.pending.get(name, ())):
                raise OverwriteRefused(f"{target} was changed since som wrote it", reason="edited", path=target,
                                       hint="move your edits elsewhere, or overwrite them")

    def write(self, name: str, data: bytes) -> bool:
        """Write one file (atomically); True if its content changed."""
        info = self._target(name)
        target = self.path(name)
        digest = self.digest(name, data)
        changed = info is None or self._current(name, target) != digest
        if changed:
            try:
                write_atomic(target, data)
            except OSError as exc:
                raise SomError(f"cannot write {target}: {exc.strerror or exc}",
                               hint="check that the folder is writable and the disk is not full") from None
        self.written[name] = self._on_disk[name] = digest
        return changed

    def write_many(self, files: dict[str, bytes]) -> list[str]:
        """Write many files, each whole; the names whose content changed, in the order given.

        Same guarantees as write() without one fsync per file, which costs seconds for ten
        thousand invitations: every file goes to a temporary name, one sync puts them all on
        disk, then each is renamed into place. Plain strings rather than Path objects, and a
        check of each name rather than resolve(), for the same reason.
        """
        self.intend(files)
        root = os.fspath(self.root)
        pending: list[tuple[str, str, str, str]] = []  # (temporary, target, name, digest)
        known: set[str] = set()  # folders made or seen in this run
        fresh: set[str] = set()  # folders this run made: no old file in them to compare with
        token = f"{os.getpid()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            for name, data in files.items():
                existing = self._target(name)
                target = f"{root}/{name}"
                digest = self.digest(name, data)
                folder, _, base = target.rpartition("/")
                if folder not in known:
                    known.add(folder)
                    try:
                        os.mkdir(folder)
                        fresh.add(folder)
                    except FileExistsError:
                        pass
                    except FileNotFoundError:
                        os.makedirs(folder)
                        fresh.add(folder)
                if folder not in fresh and existing is not None and self._current(name, target) == digest:
                    self.written[name] = digest
                    continue
                tmp = f"{folder}/.{base}.{token}"
                try:  # the mode is 0666 less the umask, like any new file
                    fd = os.open(tmp, flags, 0o666)
                except FileExistsError:  # left by a crashed run that had our process id
                    fd, tmp = tempfile.mkstemp(prefix=f".{base}.", suffix=".tmp", dir=folder)
                    _readable(fd)
                pending.append((tmp, target, name, digest))
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view):]
                    if not hasattr(os, "sync"):  # Windows: no sync of everything at once
                        os.fsync(fd)
                finally:
                    os.close(fd)
            if pending and hasattr(os, "sync"):  # nothing new: nothing to sync
                os.sync()
            changed = []
            for tmp, target, name, digest in pending:
                os.replace(tmp, target)
                self.written[name] = self._on_disk[name] = digest
                changed.append(name)
            pending = []
            return changed
        except OSError as exc:
            where = exc.filename or self.root
            raise SomError(f"cannot write {where}: {exc.strerror or exc}",
                           hint="check that the folder is writable and the disk is not full") from None
        finally:
            for tmp, *_ in pending:  # left only on failure; those already renamed are gone
                try:
                    os.unlink(tmp)
                except FileNotFoundError:
                    pass

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
