// The SLA deadline of a live inquiry, in the browser: the policy's target added in business time
// of a team calendar (working hours in the calendar's zone, weekends and holidays skipped), as
// the server's SLA clock counts it, so the queue can count down live without polling.
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTE = 60_000;

const partsFormatters = new Map();
function zoneParts(instant, zone) {
  if (!partsFormatters.has(zone)) {
    partsFormatters.set(
      zone,
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
    );
  }
  const parts = Object.fromEntries(
    partsFormatters
      .get(zone)
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  return {
    year: +parts.year,
    month: +parts.month,
    day: +parts.day,
    hour: +parts.hour,
    minute: +parts.minute,
    second: +parts.second,
  };
}

/** The zone's offset from UTC at an instant, in ms. */
function offset(instant, zone) {
  const p = zoneParts(instant, zone);
  return (
    Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) -
    Math.floor(instant / 1000) * 1000
  );
}

/** The instant of a wall-clock time on a local day in the zone (DST gaps resolve forward). */
function wallClock(year, month, day, hhmm, zone) {
  const [hours, minutes] = hhmm.split(':').map(Number);
  const guess = Date.UTC(year, month - 1, day, hours, minutes);
  const first = guess - offset(guess, zone);
  return guess - offset(first, zone);
}

/** `start` plus `minutes` of working time on `calendar`; calendar time when mode is calendar. */
export function slaDeadline(start, minutes, calendar, mode) {
  const startMs = typeof start === 'number' ? start : Date.parse(start);
  if (mode !== 'business' || !calendar) return startMs + minutes * MINUTE;
  let remaining = minutes * MINUTE;
  const zone = calendar.timeZone;
  const first = zoneParts(startMs, zone);
  const holidays = new Set(calendar.holidays ?? []);
  const extra = new Set(calendar.extraWorkingDays ?? []);
  for (let n = 0; n < 400; n++) {
    const date = new Date(Date.UTC(first.year, first.month - 1, first.day + n));
    const key = date.toISOString().slice(0, 10);
    const weekday = WEEKDAYS[date.getUTCDay()];
    let hours = calendar.workingHours?.[weekday] ?? [];
    if (holidays.has(key)) hours = [];
    if (hours.length === 0 && extra.has(key)) hours = calendar.workingHours?.mon ?? [];
    for (const { from, to } of hours) {
      const y = date.getUTCFullYear();
      const m = date.getUTCMonth() + 1;
      const d = date.getUTCDate();
      const opens = Math.max(wallClock(y, m, d, from, zone), startMs);
      const closes = wallClock(y, m, d, to, zone);
      if (opens >= closes) continue;
      if (remaining <= closes - opens) return opens + remaining;
      remaining -= closes - opens;
    }
  }
  return startMs + minutes * MINUTE;
}
