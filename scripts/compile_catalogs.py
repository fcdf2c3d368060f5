"""Compile the gettext catalogs: agenda/locale/<lang>/LC_MESSAGES/som.po → som.mo.

    .venv/bin/python scripts/compile_catalogs.py

Run after editing a .po; the .mo files are shipped in the package (so an installed som needs
no build step), and tests/test_catalogs.py fails while a .mo is older than its .po.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "agenda" / "locale"


def compiled(po: Path) -> bytes:
    with open(po, "rb") as f:
        catalog = read_po(f)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def main() -> None:
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/som.po")):
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(po.with_suffix(".mo").relative_to(LOCALE.parent.parent))


if __name__ == "__main__":
    main()
