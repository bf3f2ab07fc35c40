/**
 * Where to go after signing in. Only paths on this site are followed: `//evil.example`, `/\evil`,
 * `https://…` and `javascript:` would take the person (and their fresh session) elsewhere.
 */
export function safeNextPath(value: unknown, fallback = '/'): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048) return fallback;
  // A single leading slash, then anything but a second slash or backslash (browsers read `/\` as `//`).
  if (!/^\/(?![/\\])/.test(raw)) return fallback;
  // Control characters and whitespace are stripped by URL parsers and can turn `/\t/evil` into `//evil`.
  if (/[\u0000-\u0020\u007f\\]/.test(raw)) return fallback;
  try {
    const base = 'https://banso.invalid';
    const url = new URL(raw, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
