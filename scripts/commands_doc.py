"""Write the `--help` of `som` and of every command into docs/commands.md.

    .venv/bin/python scripts/commands_doc.py            # update docs/commands.md
    .venv/bin/python scripts/commands_doc.py --check    # exit 1 if it is out of date

docs/commands.md mixes two kinds of text. Between a pair of markers

    <!-- generated: `som NAME --help` (scripts/commands_doc.py) -->
    ...
    <!-- end generated -->

is the help exactly as `som NAME --help` prints it at a terminal 80 columns wide; this script
owns that text and rewrites it. Everything else (examples, JSON field contracts, tables) is
written by hand and left alone. A command that has no block yet gets a new section at the end
of the page; a block for a command that no longer exists is an error for a person to resolve.

The help is Click's own, produced in this process through `click.testing.CliRunner` with a
fixed terminal width, so the page is the same on every machine with the same Click.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGE = ROOT / "docs" / "commands.md"
WIDTH = 80
REGENERATE = ".venv/bin/python scripts/commands_doc.py"
END = "<!-- end generated -->"
BLOCK = re.compile(r"<!-- generated: `(?P<command>som(?: [a-z-]+)?) --help` \(scripts/commands_doc\.py\) -->\n"
                   r"(?P<body>.*?)" + re.escape(END), re.S)
SKELETON = """# Commands

Generated blocks below come from `som --help` and `som COMMAND --help`; run
`{regenerate}` after changing a command's help.

""".format(regenerate=REGENERATE)


def help_text(args: list[str]) -> str:
    """What `som ARGS --help` prints at a terminal WIDTH columns wide."""
    from click.testing import CliRunner

    from agenda.cli import som

    result = CliRunner().invoke(som, [*args, "--help"], prog_name="som", terminal_width=WIDTH)
    if result.exit_code != 0:
        raise SystemExit(f"`som {' '.join(args)} --help` failed ({result.exit_code}):\n{result.output}")
    return result.output.rstrip() + "\n"


def help_texts() -> dict[str, str]:
    """`som` and `som NAME` for every command, in the order `som --help` lists them."""
    from agenda.cli import COMMANDS

    texts = {"som": help_text([])}
    for name in COMMANDS:
        texts[f"som {name}"] = help_text([name])
    return texts


def block(command: str, text: str) -> str:
    return (f"<!-- generated: `{command} --help` (scripts/commands_doc.py) -->\n"
            f"```text\n{text}```\n{END}")


def update(page: str, texts: dict[str, str]) -> str:
    """The page with every generated block rewritten and missing commands appended."""
    found = [m.group("command") for m in BLOCK.finditer(page)]
    unknown = sorted(set(found) - set(texts))
    if unknown:
        raise SystemExit(f"{PAGE.relative_to(ROOT)} has help blocks for {', '.join(unknown)}, which som no longer "
                         "has: remove their sections by hand")
    twice = sorted({c for c in found if found.count(c) > 1})
    if twice:
        raise SystemExit(f"{PAGE.relative_to(ROOT)} has more than one help block for {', '.join(twice)}")
    page = BLOCK.sub(lambda m: block(m.group("command"), texts[m.group("command")]), page)
    for command, text in texts.items():
        if command not in found:
            title = "som" if command == "som" else command
            page = page.rstrip("\n") + f"\n\n## `{title}`\n\n{block(command, text)}\n"
    return page


def stale_blocks(page: str, texts: dict[str, str]) -> list[str]:
    """Commands whose block is missing from the page or differs from their help."""
    have = {m.group("command"): m.group(0) for m in BLOCK.finditer(page)}
    return [c for c, text in texts.items() if have.get(c) != block(c, text)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the page is up to date")
    args = parser.parse_args(argv)
    current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else SKELETON
    texts = help_texts()
    new = update(current, texts)
    name = PAGE.relative_to(ROOT)
    if args.check:
        stale = stale_blocks(current, texts)
        if stale:
            print(f"{name} is out of date for {', '.join(stale)}: run `{REGENERATE}`", file=sys.stderr)
            return 1
        print(f"{name} is up to date")
        return 0
    if new != current:
        PAGE.parent.mkdir(exist_ok=True)
        PAGE.write_text(new, encoding="utf-8")
        print(f"{name} updated")
    else:
        print(f"{name} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
