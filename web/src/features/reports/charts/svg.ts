/** Small helpers for the hand-made SVG charts (no chart library: the figures are few and simple). */

/** Rough width of a label in px: full-width characters are as wide as the font size, others about 0.6 of it. */
export function textWidth(text: string, fontSize = 12): number {
  let width = 0;
  for (const ch of text) width += /[\u0000-\u00ff\u2212]/.test(ch) ? fontSize * 0.6 : fontSize;
  return Math.ceil(width);
}

/** The largest value, at least 1 (so an all-zero chart draws flat bars, not NaN). */
export function scaleMax(values: ReadonlyArray<number | null>): number {
  return Math.max(1, ...values.map((v) => v ?? 0));
}

/** Blend from the page's light grey to the primary blue, 0–1. */
export function heat(intensity: number): string {
  const t = Math.max(0, Math.min(1, intensity));
  const from = [0xee, 0xf2, 0xf6];
  const to = [0x1f, 0x4e, 0x79];
  const rgb = from.map((f, i) => Math.round(f + (to[i]! - f) * t));
  return `rgb(${rgb.join(',')})`;
}

/** Dark text on light fills, white on dark ones. */
export function textOn(fill: string): string {
  const m = fill.match(/\d+/g);
  let rgb: number[];
  if (m && fill.startsWith('rgb')) rgb = m.slice(0, 3).map(Number);
  else {
    const hex = fill.replace('#', '');
    rgb = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }
  const [r, g, b] = rgb as [number, number, number];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#1b2733' : '#ffffff';
}

/** Fills for answers from the best to the worst (a scale of three or four). */
export function scaleColours(n: number): string[] {
  return n >= 4 ? ['#1f4e79', '#5b8ec0', '#b8cfe6', '#d9822b'] : ['#1f4e79', '#5b8ec0', '#d9822b'];
}
