"""The one error type the library raises for anything a user can fix, its kinds, and the exit codes.

The library says what is wrong with the meeting, a value or a folder in its own words: where a
message or a hint is about one of the caller's parameters, it names the parameter as the
library does (`today`, `between`, `overwrite`), and the error carries which one it is, so that
a front end can say it in its own terms (the command line: the option that sets it, see
agenda.cli.errors).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1  # `som check` found errors in the plan
EXIT_BAD_INPUT = 2  # the user's input (file, option, data) is wrong; the message says how
EXIT_BUG = 3  # a bug in som: the message says where to report it
EXIT_INTERRUPTED = 130


@dataclass
class Where:
    """Where in the user's input a problem is: a file and, where TOML gives one, a line."""

    file: Path | str | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else str(self.file)


class SomError(Exception):
    """Bad input: carries what is wrong, where, and how to fix it.

    The CLI prints it as one line (two with a hint) and exits with status 2.
    """

    def __init__(self, message: str, *, file: Path | str | None = None,
                 line: int | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = Where(file, line)
        self.hint = hint

    def at(self, file: Path | str | None, line: int | None = None) -> "SomError":
        """Fill in the location if the raiser did not know it."""
        if self.where.file is None:
            self.where = Where(file, line)
        elif self.where.line is None and line is not None and self.where.file == file:
            self.where.line = line
        return self

    def __str__(self) -> str:
        return self.line()

    def line(self, message: str | None = None, hint: str | None = None) -> str:
        """The error as one line: where, what, how to fix it; `message` and `hint`, when given,
        say it in other words (a front end's)."""
        where = f"{self.where}: " if self.where.file is not None else ""
        message = self.message if message is None else message
        hint = self.hint if hint is None else hint
        return f"{where}{message}{f'; {hint}' if hint else ''}"


class BadValue(SomError):
    """A value given for one of the caller's parameters cannot be used: a date that is not a
    date, a range of days the wrong way round, a count below one.

    `parameter` is the library's name for the parameter (`today`, `between`, `top`...) and the
    message begins with it: "between `2024-09-13..2024-09-02` is reversed: ...". `value` is what
    was given, `part` the piece of it at fault (when one is), `problem` what is wrong with it;
    `advice` is the hint and `example` a value that would do (the hint ends with it).
    `said_of(name)` is the message with the parameter called `name` (a front end's own name).
    """

    def __init__(self, parameter: str, value: object, problem: str, *, part: str | None = None,
                 hint: str | None = None, example: str | None = None):
        self.parameter = parameter
        self.value = value
        self.part = part
        self.problem = problem
        self.advice = hint
        self.example = example
        if example is not None:
            hint = f"{hint}, e.g. {example}" if hint else f"e.g. {example}"
        super().__init__(self.said_of(parameter), hint=hint)

    def said_of(self, name: str) -> str:
        """The message, with the parameter called `name`."""
        part = f": `{self.part}`" if self.part is not None else ""
        return f"{name} `{self.value}`{part} {self.problem}"


class UnknownName(BadValue):
    """A name given for a parameter that names nothing it could: a member the directory does not
    have. The message reads "members: no member `unepp` in the directory un-entities"."""

    def __init__(self, parameter: str, name: str, *, kind: str, among: str, hint: str | None = None):
        self.kind = kind
        self.among = among
        super().__init__(parameter, name, f"no {kind} `{name}` in {among}", hint=hint)

    def said_of(self, name: str) -> str:
        return f"{name}: {self.problem}"


class ConflictingChoices(SomError):
    """Choices the caller made that cannot be met together, or not with this meeting: cancelling a
    segment the run does not issue, e-mails without the per-member invitations they go with, a
    step too fine for the range of days, a range of days without a working day.

    `choices` names the parameters in the library's words (`cancel`, `segments`, `step`...), and
    `values` holds what was chosen, for a front end that says the message in its own words.
    """

    def __init__(self, message: str, *, choices: tuple[str, ...], values: dict | None = None,
                 hint: str | None = None):
        super().__init__(message, hint=hint)
        self.choices = tuple(choices)
        self.values = dict(values or {})


class OverwriteRefused(SomError):
    """Something in a folder som writes over only when told to (`overwrite=True`), and why.

    `reason` is one of REASONS: a file som did not write, or one edited since it did; the
    folder's manifest (which files are som's) or the record of issued invitations, damaged or
    unreadable; a record of invitations issued from another meeting file (`recorded` says which
    one, plan.invite.BUNDLED for the bundled meeting). `path` is the file or folder; `named_file`
    is true when it is one output file named on its own, not a file of an output folder.
    """

    REASONS = ("not written by som", "edited", "damaged manifest", "unreadable record", "damaged record",
               "other source")

    def __init__(self, message: str, *, reason: str, path: Path | str, hint: str | None = None,
                 recorded: str | None = None, named_file: bool = False):
        if reason not in self.REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        super().__init__(message, hint=hint)
        self.reason = reason
        self.path = path
        self.recorded = recorded
        self.named_file = named_file


class ZoneAssumed(SomError):
    """Times read in a zone that something in the text says may not be theirs, mostly one the
    caller did not name (the home zone, or that of the city the text names): naming the zone
    the times are written in (`zone`) settles it.

    `reason` is one of REASONS: a label the zone does not use (`example`: a zone that does, if
    one is known); the text says it is another place's time; a segment names another city's
    time than the text; a time that does not fit the zone (`place`; the hint of what was wrong
    is `advice`); a time without a label, read in the zone assumed (listed as a warning, not
    raised).
    """

    REASONS = ("label", "place", "city", "misfit", "unlabelled")

    def __init__(self, message: str, *, reason: str, hint: str | None = None, file: Path | str | None = None,
                 line: int | None = None, example: str | None = None, place: str | None = None,
                 advice: str | None = None):
        if reason not in self.REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        super().__init__(message, file=file, line=line, hint=hint)
        self.reason = reason
        self.example = example
        self.place = place
        self.advice = advice


def did_you_mean(word: str, choices, *, n: int = 3, cutoff: float = 0.6) -> str | None:
    """'did you mean `a` or `b`?' for the closest choices, or None."""
    import difflib

    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=n, cutoff=cutoff)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[c] for c in difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=cutoff)]
    if not close:
        return None
    return "did you mean " + " or ".join(f"`{c}`" for c in close) + "?"


class MissingPart(SomError):
    """The text leaves out a part of a date that one of the caller's parameters can supply: the
    year (`year`) or, for a weekday alone, the week (`week`). `example` is a value that would do."""

    def __init__(self, message: str, *, parameter: str, example: str, advice: str):
        self.parameter = parameter
        self.example = example
        self.advice = advice
        super().__init__(message, hint=f"{advice}, or give the {parameter}, e.g. {example}")
