"""The gettext catalogs (agenda/locale): every message translated in every language, every
placeholder kept, the shipped .mo compiled from the .po beside it, and every phrase the code
asks for present in the template."""

from __future__ import annotations

import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from agenda.model.meeting import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "agenda" / "locale"
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]  # English is the message ids themselves


def catalog(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def template_ids() -> set[str]:
    return {m.id for m in catalog(LOCALE / "som.pot") if m.id}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_template_holds_the_phrases_the_code_asks_for():
    used: set[str] = set()
    for source in (ROOT / "agenda").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        if "agenda.render.language import" not in text:  # `say` elsewhere is not ours (progress lines)
            continue
        used |= set(re.findall(r'\bsay\(\s*"([^"]+)"', text)) | set(re.findall(r'\bN_\("([^"]+)"\)', text))
    assert used and used == template_ids()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_keeps_its_placeholders(lang):
    po = catalog(LOCALE / lang / "LC_MESSAGES" / "som.po")
    messages = {m.id: m for m in po if m.id}
    assert set(messages) == template_ids()
    for message_id, message in messages.items():
        assert message.string and not message.fuzzy, (lang, message_id)
        assert placeholders(message.string) == placeholders(message_id), (lang, message_id)
        assert message.string.format(**{p: "x" for p in placeholders(message_id)})  # well formed


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_shipped_mo_is_compiled_from_the_po(lang):
    folder = LOCALE / lang / "LC_MESSAGES"
    out = io.BytesIO()
    write_mo(out, catalog(folder / "som.po"))
    assert (folder / "som.mo").read_bytes() == out.getvalue(), "run scripts/compile_catalogs.py"


def test_every_language_som_accepts_has_a_catalog():
    assert set(TRANSLATED) == {p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/som.po")}
