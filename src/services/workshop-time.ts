import { Temporal } from 'temporal-polyfill';

// Workshop times: stored as UTC instants with the organiser's IANA zone; entered as a wall time in a
// zone (what organisers think in) or as an instant; shown in the reader's zone with the zone named.
// Temporal does the zone arithmetic: daylight-saving gaps and overlaps are found, never guessed.

export type Disambiguation = 'earlier' | 'later';

export class WallTimeError extends Error {
  constructor(readonly reason: 'gap' | 'ambiguous' | 'zone' | 'format') {
    super(reason);
  }
}

/** True for an IANA zone name this runtime knows (e.g. Europe/Brussels, America/Sao_Paulo, UTC). */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    // Both must know it: Temporal also takes offsets ("+01:00") that Intl formatting refuses on Node 20.
    Temporal.Now.zonedDateTimeISO(zone);
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return /^[A-Za-z]/.test(zone);
  } catch {
    return false;
  }
}

/** The zone's canonical spelling (e.g. "europe/brussels" → "Europe/Brussels"). */
export function canonicalZone(zone: string): string {
  return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
}

const WALL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The UTC instant of a start given as a wall time in `zone` ("2020-10-31T11:00") or as an instant
 * ("2020-10-31T10:00Z", "2020-10-31T11:00+01:00"). A wall time that does not exist (clocks go
 * forward) is refused; one that happens twice (clocks go back) is refused unless `disambiguation`
 * says which.
 */
export function resolveStart(startsAt: string, zone: string, disambiguation?: Disambiguation): string {
  if (!isTimeZone(zone)) throw new WallTimeError('zone');
  if (INSTANT.test(startsAt)) {
    try {
      return toUtcString(Temporal.Instant.from(startsAt));
    } catch {
      throw new WallTimeError('format');
    }
  }
  if (!WALL_TIME.test(startsAt)) throw new WallTimeError('format');
  let wall: Temporal.PlainDateTime;
  try {
    wall = Temporal.PlainDateTime.from(startsAt, { overflow: 'reject' });
  } catch {
    throw new WallTimeError('format');
  }
  const earlier = wall.toZonedDateTime(zone, { disambiguation: 'earlier' });
  const later = wall.toZonedDateTime(zone, { disambiguation: 'later' });
  // In a gap, neither candidate shows the wall time asked for.
  if (earlier.toPlainDateTime().toString() !== wall.toString()) throw new WallTimeError('gap');
  if (earlier.epochNanoseconds !== later.epochNanoseconds) {
    if (!disambiguation) throw new WallTimeError('ambiguous');
    return toUtcString((disambiguation === 'earlier' ? earlier : later).toInstant());
  }
  return toUtcString(earlier.toInstant());
}

function toUtcString(instant: Temporal.Instant): string {
  return instant.toString({ smallestUnit: 'second' });
}

export function addMinutes(utc: string, minutes: number): string {
  return toUtcString(Temporal.Instant.from(utc).add({ minutes }));
}

/** Which of the two candidates an instant is, when its wall time in the zone happens twice (else undefined). */
export function disambiguationOf(utc: string, zone: string): Disambiguation | undefined {
  const wall = wallTimeIn(utc, zone);
  try {
    resolveStart(wall, zone);
    return undefined;
  } catch (error) {
    if (!(error instanceof WallTimeError) || error.reason !== 'ambiguous') return undefined;
    return resolveStart(wall, zone, 'earlier') === toUtcString(Temporal.Instant.from(utc)) ? 'earlier' : 'later';
  }
}

/** The wall time of an instant in a zone, as YYYY-MM-DDTHH:mm (for forms). */
export function wallTimeIn(utc: string, zone: string): string {
  return Temporal.Instant.from(utc).toZonedDateTimeISO(zone).toPlainDateTime().toString({ smallestUnit: 'minute' });
}

/** The calendar day of an instant in a zone (YYYY-MM-DD), for programmes grouped by day. */
export function dayIn(utc: string, zone: string): string {
  return Temporal.Instant.from(utc).toZonedDateTimeISO(zone).toPlainDate().toString();
}

/** The zone's offset at that instant, e.g. "+01:00". */
export function offsetIn(utc: string, zone: string): string {
  return Temporal.Instant.from(utc).toZonedDateTimeISO(zone).offset;
}

/** "Saturday 31 October 2020, 10:00–11:00 (Europe/Lisbon, WET)" in the reader's language. */
export function formatSpan(startUtc: string, endUtc: string, zone: string, locale: string): string {
  const start = new Date(startUtc);
  const end = new Date(endUtc);
  const day = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const time = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const zoneName = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' }).formatToParts(start).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const sameDay = dayIn(startUtc, zone) === dayIn(endUtc, zone);
  const span = sameDay ? `${day.format(start)}, ${time.format(start)}–${time.format(end)}` : `${day.format(start)}, ${time.format(start)} – ${day.format(end)}, ${time.format(end)}`;
  return `${span} (${zone}${zoneName && zoneName !== zone ? `, ${zoneName}` : ''})`;
}

/** "10:00–11:00" in a zone: the organiser's time shown alongside the reader's. */
export function formatTimes(startUtc: string, endUtc: string, zone: string, locale: string): string {
  const time = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${time.format(new Date(startUtc))}–${time.format(new Date(endUtc))}`;
}
