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


def write_file(path: Path, data: bytes) -> None:
    """One output file the user named (`-o FILE`): written whole through write_atomic, or not at all."""
    path = Path(path)
    if path.is_dir():
        raise SomError(f"{path} is a folder; -o names the file to write", hint=f"e.g. -o {path / 'agenda.md'}")
    for parent in (path.parent, *path.parent.parents):
        if parent.exists() and not parent.is_dir():
            raise SomError(f"cannot write {path}: {parent} is a file, not a folder", hint="choose another path")
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise SomError(f"cannot write {path}: {exc.strerror or exc}",
                       hint="check that the folder is writable and the disk is not full") from None
