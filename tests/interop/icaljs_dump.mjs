// node icaljs_dump.mjs FILE... -> {path: {calendar: {...}, components: [...]}} on stdout.
// Reads each file the way Thunderbird does: every VTIMEZONE of the file is
// registered with ICAL.TimezoneService before times are converted to UTC.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const utc = ICAL.Timezone.utcTimezone;

function text(comp, name) {
  const value = comp.getFirstPropertyValue(name);
  return value === null ? null : String(value);
}

// NAME (RFC 7986) and X-WR-CALNAME are TEXT, but ical.js 2.2 knows neither and keeps an
// unknown property's value as written (escaped): read it with ical.js's own TEXT decoder.
function calendarText(comp, name) {
  const prop = comp.getFirstProperty(name);
  if (!prop) return null;
  const value = String(prop.getFirstValue());
  return prop.type === "unknown" ? ICAL.design.icalendar.value.text.fromICAL(value) : value;
}

// A time whose TZID found no zone falls back to ical.js's floating
// "local" zone and would convert to UTC unchanged: report it as null instead.
function placed(time) {
  if (!time) return { utc: null, zone: null };
  if (time.isDate) return { utc: time.toString(), zone: null };
  const zone = time.zone;
  if (!zone || zone === ICAL.Timezone.localTimezone) {
    return { utc: null, zone: time.timezone ? `unresolved:${time.timezone}` : "floating" };
  }
  return { utc: time.convertToZone(utc).toString(), zone: zone.tzid };
}

function propTime(comp, name) {
  const prop = comp.getFirstProperty(name);
  return prop ? prop.getFirstValue() : null;
}

function describe(comp) {
  const kind = comp.name.toUpperCase();
  const start = propTime(comp, "dtstart");
  const out = {
    kind,
    uid: text(comp, "uid"),
    summary: text(comp, "summary"),
    sequence: comp.hasProperty("sequence") ? Number(comp.getFirstPropertyValue("sequence")) : null,
    status: text(comp, "status"),
    start_is_date: start ? start.isDate : null,
    organizer: text(comp, "organizer"),
    attendees: comp.getAllProperties("attendee").map((p) => String(p.getFirstValue())),
  };
  const s = placed(start);
  out.start_utc = s.utc;
  out.start_zone = s.zone;
  if (kind === "VEVENT") {
    // ICAL.Event derives the end from DURATION when DTEND is missing.
    const e = placed(start ? new ICAL.Event(comp).endDate : null);
    out.end_utc = e.utc;
    out.end_zone = e.zone;
  } else {
    const due = placed(propTime(comp, "due"));
    out.due = due.utc;
    out.end_utc = due.utc;
    out.end_zone = due.zone;
  }
  return out;
}

function dump(path) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  // Start from an empty registry so one file's zones never serve another.
  ICAL.TimezoneService.reset();
  for (const vtz of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtz);
  }
  const calendar = {};
  for (const name of ["version", "prodid", "method", "calscale"]) {
    calendar[name] = text(root, name);
  }
  for (const name of ["x-wr-calname", "name"]) {
    calendar[name] = calendarText(root, name);
  }
  const components = [
    ...root.getAllSubcomponents("vevent"),
    ...root.getAllSubcomponents("vtodo"),
  ].map(describe);
  return { calendar, components };
}

const result = {};
for (const path of process.argv.slice(2)) {
  try {
    result[path] = dump(path);
  } catch (err) {
    result[path] = { error: `${err.name}: ${err.message}` };
  }
}
ICAL.TimezoneService.reset();
process.stdout.write(JSON.stringify(result) + "\n");
