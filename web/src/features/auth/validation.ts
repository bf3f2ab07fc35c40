/** Client-side checks for the account forms; the server checks again and has the last word. */

// Deliberately loose: one @, something on each side, a dot in the domain. The server validates properly.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return EMAIL.test(value.trim());
}

/** The hub's minimum password length (the server also refuses easy-to-guess passwords). */
export const MIN_PASSWORD_LENGTH = 12;

/** Counts characters as people see them, so a password of emoji or kanji is not over-counted. */
export function characterCount(value: string): number {
  return [...value].length;
}
