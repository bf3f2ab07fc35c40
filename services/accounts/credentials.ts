/** Passwords (argon2id at OWASP's parameters), tokens and the password policy. */
import crypto from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';

// OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password; with no hash (unknown account) it verifies against a dummy hash so that the
 * answer takes as long and says nothing about whether the account exists.
 */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

/** A random token for a cookie or a link, and the hash that is stored instead of it. */
export function newToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

const COMMON = ['password', 'passw0rd', '123456', 'qwerty', 'letmein', 'welcome', 'banso', 'admin', 'iloveyou'];
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 128;

/** NIST 800-63B style: long enough, not too long to hash, not built from the email or a common word. */
export function isAcceptablePassword(password: string, email: string): boolean {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) return false;
  const lower = password.toLowerCase();
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 4 && lower.includes(local)) return false;
  if (COMMON.some((w) => lower.includes(w))) return false;
  if (new Set(lower).size < 5) return false;
  return true;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;

export function normaliseEmail(email: string): string | null {
  const value = email.trim().toLowerCase();
  return EMAIL.test(value) && value.length <= 254 ? value : null;
}
