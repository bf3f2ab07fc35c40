/**
 * The firm forms' own checks, mirroring services/referrals/firm-identity.ts so a typo is caught
 * before sending. The server checks again and its message is the one that counts.
 */

// Spaces and the hyphen look-alikes people paste (including ー from a Japanese IME).
const SEPARATORS = /[\s\u3000\-\u2010-\u2015\u2212\uFF0D\u30FC\uFF70]/g;

/** 13 ASCII digits from what was typed (full-width digits, spaces, hyphens allowed), or null. */
export function normaliseCorporateNumber(input: string): string | null {
  const digits = input.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(SEPARATORS, '');
  return /^[0-9]{13}$/.test(digits) ? digits : null;
}

/** The check digit (1–9) of a 12-digit base number: 9 − (Σ Pₙ·Qₙ mod 9), Qₙ = 1 for odd n, 2 for even n, n from the right. */
export function corporateNumberCheckDigit(twelve: string): number {
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    sum += (twelve.charCodeAt(12 - n) - 48) * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9);
}

export type CorporateNumberProblem = 'format' | 'check_digit';

/** What is wrong with a typed 法人番号 (empty is fine: sole proprietors have none), or null. */
export function corporateNumberProblem(input: string): CorporateNumberProblem | null {
  if (input.trim() === '') return null;
  const value = normaliseCorporateNumber(input);
  if (value === null) return 'format';
  return Number(value[0]) === corporateNumberCheckDigit(value.slice(1)) ? null : 'check_digit';
}

/** Whether a reading is katakana (half-width kana and hiragana are folded first, as the server does). */
export function isKatakanaReading(input: string): boolean {
  const value = input
    .normalize('NFKC')
    .replace(/[\u3041-\u3096\u309D\u309E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60))
    .replace(/\s+/g, ' ')
    .trim();
  return /^[\u30A1-\u30FE]+(?: [\u30A1-\u30FE]+)*$/.test(value);
}

/** A whole number of zero or more from what was typed (commas and full-width digits allowed); undefined when empty, NaN when not a number. */
export function parseAmount(input: string): number | undefined {
  const text = input
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[,，\s]/g, '')
    .trim();
  if (text === '') return undefined;
  if (!/^[0-9]+$/.test(text)) return Number.NaN;
  return Number(text);
}
