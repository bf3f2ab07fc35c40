/**
 * iCalendar (RFC 5545) for meetings: one VEVENT per meeting, times in Asia/Tokyo with the zone
 * defined in the file (JST, no daylight saving), text escaped and lines folded at 75 octets.
 */
export interface CalendarEvent {
  uid: string;
  /** Increases with every change, so calendar apps take the update. */
  sequence: number;
  summary: string;
  description: string;
  location: string | null;
  url: string;
  /** YYYY-MM-DD, Japan time. */
  date: string;
  /** HH:MM, Japan time; without it the event lasts the whole day. */
  startTime: string | null;
  endTime: string | null;
  status: 'CONFIRMED' | 'CANCELLED';
  updatedAt: Date;
}

const VTIMEZONE = ['BEGIN:VTIMEZONE', 'TZID:Asia/Tokyo', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0900', 'TZOFFSETTO:+0900', 'TZNAME:JST', 'END:STANDARD', 'END:VTIMEZONE'];

export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets without splitting a UTF-8 character. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

const utcStamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const localStamp = (day: string, time: string) => `${day.replace(/-/g, '')}T${time.replace(':', '')}00`;

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}

function addHours(time: string, hours: number): { day: number; time: string } {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const total = h + hours;
  return { day: Math.floor(total / 24), time: `${String(total % 24).padStart(2, '0')}:${String(m).padStart(2, '0')}` };
}

function eventLines(e: CalendarEvent, now: Date): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${e.uid}`, `DTSTAMP:${utcStamp(now)}`, `LAST-MODIFIED:${utcStamp(e.updatedAt)}`, `SEQUENCE:${e.sequence}`];
  if (e.startTime) {
    lines.push(`DTSTART;TZID=Asia/Tokyo:${localStamp(e.date, e.startTime)}`);
    if (e.endTime) {
      lines.push(`DTEND;TZID=Asia/Tokyo:${localStamp(e.date, e.endTime)}`);
    } else {
      // Council meetings run about two hours when no end is given.
      const end = addHours(e.startTime, 2);
      lines.push(`DTEND;TZID=Asia/Tokyo:${end.day ? nextDay(e.date) : e.date.replace(/-/g, '')}T${end.time.replace(':', '')}00`);
    }
  } else {
    lines.push(`DTSTART;VALUE=DATE:${e.date.replace(/-/g, '')}`, `DTEND;VALUE=DATE:${nextDay(e.date)}`);
  }
  lines.push(`SUMMARY:${escapeText(e.summary)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  lines.push(`DESCRIPTION:${escapeText(e.description)}`, `URL:${e.url}`, `STATUS:${e.status}`, 'END:VEVENT');
  return lines;
}

export function icsCalendar(name: string, events: CalendarEvent[], now = new Date()): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Banso Hub//Meetings//JA', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(name)}`, 'X-WR-TIMEZONE:Asia/Tokyo', ...VTIMEZONE];
  for (const e of events) lines.push(...eventLines(e, now));
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
