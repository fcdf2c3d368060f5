"""Writing output files safely: whole or not at all, and never over a file som did not write.

Every file goes to a temporary name in the same folder and is renamed into place, so a reader
(or a crash) sees the old file or the new one, never half of one. Each output folder keeps a
manifest, `.som-files.json`, of the files som wrote there and their SHA-256; a file that is
not in it, or was edited since, is refused unless the user passes --force.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from agenda.errors import SomError

MANIFEST = ".som-files.json"


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


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class OutputDir:
    """A folder som writes into: checks every target first, then writes, then the manifest.

    Use:  out = OutputDir(path, force=False); out.check(names); out.write(name, data)...; out.commit()
    """

    def __init__(self, root: Path, *, force: bool = False):
        self.root = Path(root)
        self.force = force
        if self.root.exists() and not self.root.is_dir():
            raise SomError(f"{self.root} is a file, not a folder", hint="name a folder for the output (it is created if missing)")
        self.manifest = self._read_manifest()
        self.written: dict[str, str] = {}

    def _read_manifest(self) -> dict[str, str]:
        path = self.root / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            files = data.get("files", {})
            return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, AttributeError):
            raise SomError(f"{path} is damaged", hint="delete it and re-run with --force to take over the folder") from None

    def path(self, name: str) -> Path:
        target = (self.root / name).resolve()
        if self.root.resolve() not in target.parents:
            raise SomError(f"refusing to write outside {self.root}: {name}")
        return self.root / name

    def check(self, names) -> None:
        """Refuse before writing anything if a target exists that som did not write (or was edited)."""
        if self.force:
            return
        for name in names:
            target = self.root / name
            if target.is_dir():
                raise SomError(f"{target} is a folder; som would write a file there", hint="move it away")
            if not target.exists():
                continue
            recorded = self.manifest.get(name)
            if recorded is None:
                raise SomError(f"{target} exists and som did not write it",
                               hint="choose another output folder, or pass --force to overwrite it")
            if recorded != sha256(target.read_bytes()):
                raise SomError(f"{target} was changed since som wrote it",
                               hint="move your edits elsewhere, or pass --force to overwrite them")

    def write(self, name: str, data: bytes) -> bool:
        """Write one file (atomically); True if its content changed."""
        target = self.path(name)
        digest = sha256(data)
        changed = not (target.exists() and sha256(target.read_bytes()) == digest)
        if changed:
            try:
                write_atomic(target, data)
            except OSError as exc:
                raise SomError(f"cannot write {target}: {exc.strerror or exc}",
                               hint="check that the folder is writable and the disk is not full") from None
        self.written[name] = digest
        return changed

    def write_many(self, files: dict[str, bytes]) -> list[str]:
        """Write many files, each whole; the names whose content changed, in the order given.

        Same guarantees as write() without one fsync per file, which costs seconds for ten
        thousand invitations: every file goes to a temporary name, one sync puts them all on
        disk, then each is renamed into place.
        """
        pending: list[tuple[str, Path, str, str]] = []
        folders: set[Path] = set()
        try:
            for name, data in files.items():
                target = self.path(name)
                digest = sha256(data)
                if target.exists() and sha256(target.read_bytes()) == digest:
                    self.written[name] = digest
                    continue
                if target.parent not in folders:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    folders.add(target.parent)
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
                pending.append((tmp, target, name, digest))
                _readable(fd)
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    if not hasattr(os, "sync"):  # Windows: no sync of everything at once
                        f.flush()
                        os.fsync(f.fileno())
            if hasattr(os, "sync"):
                os.sync()
            changed = []
            for tmp, target, name, digest in pending:
                os.replace(tmp, target)
                self.written[name] = digest
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

    def commit(self) -> None:
        """Record what was written; call after every file is in place."""
        files = dict(self.manifest)
        files.update(self.written)
        data = json.dumps({"written_by": "som", "files": dict(sorted(files.items()))}, indent=2) + "\n"
        try:
            write_atomic(self.root / MANIFEST, data.encode())
        except OSError as exc:
            raise SomError(f"cannot write {self.root / MANIFEST}: {exc.strerror or exc}") from None
        self.manifest = files
