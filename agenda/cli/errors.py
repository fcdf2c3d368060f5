"""The command line's words for the library's errors: options where the library names parameters.

The library says what is wrong in its own words, and where the way out is one of the caller's
parameters it names the parameter as the library does (`today`, `between`, `overwrite`, the
SMTP `host`) and says which one in the error's type and fields (agenda.model.errors). The user
of `som` sets those with options (--today, --between, --force, --smtp-host): OPTIONS maps the
one to the other, and `worded` says an error the way the user reads it, with the options in
the parameters' place. This is the one place in som that knows both; everything else the user
reads is the library's own words.
"""

from __future__ import annotations

import sys

from agenda.model.errors import BadValue, ConflictingChoices, MissingPart, OverwriteRefused, SomError, ZoneAssumed

OPTIONS = {
    # the library's parameter: the option that sets it
    "today": "--today",
    "between": "--between",
    "duration": "--duration",
    "step": "--step",
    "top": "--top",
    "members": "--members",  # the members `som suggest` counts
    "member": "--member",  # the member whose holidays `som holidays` lists
    "calendar": "--calendar",  # the holiday calendar `som holidays` lists
    "segments": "--segment",
    "cancel": "--cancel",
    "eml": "--eml",
    "members=False": "--no-members",  # `som invite` without per-member invitations
    "overwrite": "--force",
    "year": "--year",  # `som convert`: the year of a date written without one
    "week": "--week",  # `som convert`: the week of a weekday written alone
    "languages": "--lang",  # the languages `som agenda`, `schedule` and `build` write in
}

SMTP_OPTIONS = {
    # agenda.effects.mail.SmtpSettings.resolve's settings: the options of `som invite --send`
    "host": "--smtp-host",
    "port": "--smtp-port",
    "security": "--smtp-security",
    "user": "--smtp-user",
}

ZONE_OPTIONS = {
    # the zone the times are written in (`zone`): each command that reads times has its option
    "convert": "--from",
    "import-report": "--timezone",
}


def _conflict(error: ConflictingChoices) -> tuple[str, str | None] | None:
    o = OPTIONS
    if error.choices == ("cancel", "segments"):
        return (f"{o['cancel']} {', '.join(error.values['cancel'])} is not among the segments this run issues "
                f"({o['segments']} {', '.join(error.values['segments'])})",
                f"add it with {o['segments']} too, or drop {o['segments']}")
    if error.choices == ("eml", "members"):
        return (f"{o['eml']} writes one e-mail per per-member invitation, and {o['members=False']} turns those off",
                "drop one of the two")
    if error.choices == ("step", "between"):
        return error.message, f"use a larger {o['step']} or a shorter {o['between']}"
    if error.choices == ("between",):
        return error.message, f"widen {o['between']}"
    return None


# Commands that read the issue record and never write it: they have no --force, so the way out
# of a refused record is the meeting file it was issued from, or issuing again.
READS_THE_RECORD = ("replies",)


def _overwrite(error: OverwriteRefused, command: str | None = None) -> str:
    force = OPTIONS["overwrite"]
    if command in READS_THE_RECORD:
        return _record_read(error, force)
    if error.reason == "not written by som":
        instead = "another file name" if error.named_file else "another output folder"
        return f"choose {instead}, or pass {force} to overwrite it"
    if error.reason == "edited":
        return f"move your edits elsewhere, or pass {force} to overwrite them"
    if error.reason == "damaged manifest":
        return f"delete it and re-run with {force} to take over the folder"
    if error.reason in ("unreadable record", "damaged record"):
        return f"re-run with {force} to start the record again (SEQUENCE goes on from the files issued)"
    if error.reason == "missing record":
        return f"restore it from a backup, or re-run with {force} (SEQUENCE goes on from the files issued)"
    from agenda.plan.invite import BUNDLED  # "other source"

    if error.recorded != BUNDLED:
        return f"pass {error.recorded}, or {force} to issue from this one"
    return f"leave out the meeting file to issue the bundled meeting, or pass {force} to issue from this one"


def _record_read(error: OverwriteRefused, force: str) -> str:
    from agenda.plan.invite import BUNDLED

    if error.reason == "other source":
        if error.recorded != BUNDLED:
            return f"pass {error.recorded}, the meeting file the invitations were issued from"
        return "leave out the meeting file: the invitations were issued from the bundled meeting"
    return f"issue the invitations again (som invite, or som build, with {force}) to start the record again"


def _zone(error: ZoneAssumed, option: str) -> str:
    if error.reason == "label":
        return f"name the zone with {option}" + (f", e.g. {option} {error.example}" if error.example else "")
    if error.reason == "place":
        return f"name the zone it is written in with {option}"
    if error.reason == "city":
        return f"pass {option} with the zone of that city"
    if error.reason == "misfit":
        if error.advice:
            return f"{error.advice}; or, if the times are not {error.place} time, pass {option}"
        return f"pass {option} if the times are not {error.place} time"
    return f"pass {option} if it is not"  # "unlabelled"


def _smtp(error) -> str:
    o = SMTP_OPTIONS
    return {
        "no user": f"pass {o['user']} or set SOM_SMTP_USER (or unset SOM_SMTP_PASSWORD)",
        "no host": f"pass {o['host']} or set SOM_SMTP_HOST (and the port, user and SOM_SMTP_PASSWORD)",
        "password in clear": f"use {o['security']} starttls (port 587) or ssl (port 465)",
        "cannot connect": f"check {o['host']}, {o['port']} and {o['security']} (or SOM_SMTP_*); nothing was sent",
        "no starttls": f"use {o['security']} ssl (usually port 465); nothing was sent",
        "no login": f"many servers offer it only over STARTTLS or SSL; or drop {o['user']}",
        "failed": f"check {o['security']} and the server's certificate; nothing was sent",
    }[error.reason]


def worded(error: SomError, command: str | None = None) -> str:
    """`error` as the user of `som COMMAND` reads it (after "som: error: " or "som: warning: ")."""
    if isinstance(error, BadValue):
        option = OPTIONS.get(error.parameter)
        if option is None:  # a parameter no option sets: the library's words
            return str(error)
        hint = error.hint
        if error.example is not None:
            example = f"{option} {error.example}"
            hint = f"{error.advice}, e.g. {example}" if error.advice else f"e.g. {example}"
        return error.line(error.said_of(option), hint)
    if isinstance(error, MissingPart) and error.parameter in OPTIONS:
        return error.line(hint=f"{error.advice}, or pass {OPTIONS[error.parameter]} {error.example}")
    if isinstance(error, ConflictingChoices):
        said = _conflict(error)
        return error.line(*said) if said else str(error)
    if isinstance(error, OverwriteRefused):
        return error.line(hint=_overwrite(error, command))
    if isinstance(error, ZoneAssumed):
        option = ZONE_OPTIONS.get(command) if command is not None else None
        return error.line(hint=_zone(error, option)) if option else str(error)
    # Only agenda.effects.mail raises its SmtpSettingError, so it is loaded when one is here (and
    # `som --help` or a command that sends nothing need not load it to tell).
    smtp = getattr(sys.modules.get("agenda.effects.mail"), "SmtpSettingError", None)
    if smtp is not None and isinstance(error, smtp):
        return error.line(hint=_smtp(error))
    return str(error)
