"""/usr/bin/python3 libical_dump.py FILE... -> {path: {calendar, components, ...}} as JSON.

Reads each file with libical (Evolution's parser) through GObject introspection.
libical resolves a TZID parameter against the VTIMEZONEs of the same VCALENDAR
first and only then against its builtin zones, so a renamed TZID is read from
the file's own definition. A TZID that resolves to nothing is read as floating
time; such times are reported with a null UTC value, never a guessed one.
"""

import json
import sys

MISSING = 3  # tests/parsers.py LIBICAL_MISSING: it says "libical is not installed"

try:
    import gi

    gi.require_version("ICalGLib", "3.0")
    from gi.repository import ICalGLib as I
except (ImportError, ValueError) as exc:  # no python3-gi, or no gir1.2-ical-3.0
    sys.stderr.write(f"{exc}\n")
    sys.exit(MISSING)

UTC = I.Timezone.get_utc_timezone()
K = I.ComponentKind
P = I.PropertyKind


def children(comp, kind=K.ANY_COMPONENT):
    child = comp.get_first_component(kind)
    while child is not None:
        yield child
        child = comp.get_next_component(kind)


def props(comp, kind):
    prop = comp.get_first_property(kind)
    while prop is not None:
        yield prop
        prop = comp.get_next_property(kind)


def value(comp, kind):
    prop = comp.get_first_property(kind)
    return None if prop is None else prop.get_value_as_string()


def x_value(comp, name):
    """An X- property's value as libical keeps it (TEXT escapes undone, as for NAME below);
    get_value_as_string would give it escaped again."""
    for prop in props(comp, P.X_PROPERTY):
        if prop.get_x_name().upper() == name:
            return prop.get_x()
    return None


def name_value(comp):
    prop = comp.get_first_property(P.NAME_PROPERTY)
    return None if prop is None else prop.get_name()  # the NAME property's TEXT, unescaped


def iso(t):
    if t.is_date():
        return f"{t.get_year():04d}-{t.get_month():02d}-{t.get_day():02d}"
    return (f"{t.get_year():04d}-{t.get_month():02d}-{t.get_day():02d}"
            f"T{t.get_hour():02d}:{t.get_minute():02d}:{t.get_second():02d}Z")


def placed(t, tzid=None):
    """(UTC ISO string or None, name of the zone the time was read in)."""
    if t is None or t.is_null_time():
        return None, None
    if t.is_date():
        return iso(t), None
    if t.is_utc():
        return iso(t), "UTC"
    zone = t.get_timezone()
    if zone is None:
        return None, f"unresolved:{tzid}" if tzid else "floating"
    return iso(t.convert_to_zone(UTC)), zone.get_tzid()


def tzid_of(comp, kind):
    prop = comp.get_first_property(kind)
    return None if prop is None else prop.get_parameter_as_string("TZID")


def describe(comp):
    kind = I.Component.kind_to_string(comp.isa())
    start = comp.get_dtstart()
    has_start = not start.is_null_time()
    seq = comp.get_first_property(P.SEQUENCE_PROPERTY)
    out = {
        "kind": kind,
        "uid": comp.get_uid(),
        "summary": comp.get_summary(),
        "sequence": None if seq is None else seq.get_sequence(),
        "status": value(comp, P.STATUS_PROPERTY),
        "start_is_date": bool(start.is_date()) if has_start else None,
        "organizer": value(comp, P.ORGANIZER_PROPERTY),
        "attendees": [p.get_value_as_string() for p in props(comp, P.ATTENDEE_PROPERTY)],
    }
    out["start_utc"], out["start_zone"] = placed(start, tzid_of(comp, P.DTSTART_PROPERTY))
    if kind == "VEVENT":
        # get_dtend() derives the end from DURATION when DTEND is missing.
        end = comp.get_dtend() if has_start else None
        has_end = comp.get_first_property(P.DTEND_PROPERTY) is not None
        end_tzid = tzid_of(comp, P.DTEND_PROPERTY if has_end else P.DTSTART_PROPERTY)
    else:
        end = comp.get_due()
        end_tzid = tzid_of(comp, P.DUE_PROPERTY)
        out["due"] = placed(end, end_tzid)[0]
    out["end_utc"], out["end_zone"] = placed(end, end_tzid)
    return out


def errors(comp):
    """Every X-LIC-ERROR in the tree, as 'ERRORTYPE: message'."""
    found = []
    for prop in props(comp, P.XLICERROR_PROPERTY):
        param = prop.get_first_parameter(I.ParameterKind.XLICERRORTYPE_PARAMETER)
        label = param.as_ical_string().strip().split("=", 1)[-1] if param else "ERROR"
        found.append(f"{label}: {prop.get_xlicerror()}")
    for child in children(comp):
        found.extend(errors(child))
    return found


def dump(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        root = I.Component.new_from_string(text)
    except TypeError:  # the binding raises when libical returns NULL
        return {"error": "libical could not parse the file"}
    if root.isa() != K.VCALENDAR_COMPONENT:
        return {"error": f"root is {I.Component.kind_to_string(root.isa())}, not one VCALENDAR"}
    calendar = {
        "version": value(root, P.VERSION_PROPERTY),
        "prodid": value(root, P.PRODID_PROPERTY),
        "method": value(root, P.METHOD_PROPERTY),
        "calscale": value(root, P.CALSCALE_PROPERTY),
        "x-wr-calname": x_value(root, "X-WR-CALNAME"),
        "name": name_value(root),
    }
    components = [describe(c) for c in children(root, K.VEVENT_COMPONENT)]
    components += [describe(c) for c in children(root, K.VTODO_COMPONENT)]
    parse_errors = errors(root)
    # restriction_check records its findings as extra X-LIC-ERROR properties.
    ok = bool(I.restriction_check(root))
    problems = [e for e in errors(root) if e not in parse_errors]
    return {
        "calendar": calendar,
        "components": components,
        "parse_errors": parse_errors,
        "restriction_ok": ok,
        "restriction_problems": problems,
    }


def main(paths):
    result = {}
    for path in paths:
        try:
            result[path] = dump(path)
        except (OSError, UnicodeDecodeError) as exc:
            result[path] = {"error": f"{type(exc).__name__}: {exc}"}
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
