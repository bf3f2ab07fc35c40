import { escapeText, foldLine, icsCalendar } from './ical';

const event = {
  uid: 'meeting-1@banso-hub',
  sequence: 3,
  summary: '第5回 経営力再構築伴走支援推進協議会',
  description: '議題: 連携, 事例; 意見交換\n詳細: https://hub.example.jp/meetings/1',
  location: '経済産業省 本館17階',
  url: 'https://hub.example.jp/meetings/1',
  date: '2026-12-15',
  startTime: '14:00',
  endTime: '16:00',
  status: 'CONFIRMED' as const,
  updatedAt: new Date('2026-11-28T01:00:00Z'),
};

describe('iCalendar', () => {
  test('escapes commas, semicolons, backslashes and new lines', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
  });

  test('folds lines at 75 octets without splitting a Japanese character', () => {
    const line = `SUMMARY:${'伴走支援'.repeat(20)}`;
    const folded = foldLine(line);
    for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n').map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
  });

  test('times are local to Asia/Tokyo, with the zone defined in the file', () => {
    const ics = icsCalendar('会議', [event], new Date('2026-11-28T00:00:00Z'));
    expect(ics).toContain('BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo');
    expect(ics).toContain('DTSTART;TZID=Asia/Tokyo:20261215T140000');
    expect(ics).toContain('DTEND;TZID=Asia/Tokyo:20261215T160000');
    expect(ics).toContain('DTSTAMP:20261128T000000Z');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  test('without an end, two hours; without a time, the whole day', () => {
    expect(icsCalendar('x', [{ ...event, endTime: null, startTime: '23:00' }])).toContain('DTEND;TZID=Asia/Tokyo:20261216T010000');
    const allDay = icsCalendar('x', [{ ...event, startTime: null, endTime: null }]);
    expect(allDay).toContain('DTSTART;VALUE=DATE:20261215');
    expect(allDay).toContain('DTEND;VALUE=DATE:20261216');
  });
});
