"""Writing TOML text by hand (tomllib only reads): one escaping rule for every file som writes."""

from __future__ import annotations


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for c in value:
        code = ord(c)
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7f:
            out.append(f"\\u{code:04X}")
        elif 0xd800 <= code < 0xe000:
            out.append("\\uFFFD")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)
