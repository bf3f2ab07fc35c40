/**
 * The gateway's /auth/* endpoints. They set or clear the HttpOnly session cookie, so the app never
 * sees a token; it only learns whether the call worked. Every POST is JSON: the gateway refuses other
 * content types as CSRF protection.
 */
import { NetworkError } from './graphql-client';

/** A failure the person can correct, as the endpoints describe it. */
export interface AuthError {
  code: string;
  message: string;
  messageEn: string;
  field?: string | null;
}

export type AuthResult = { ok: true } | { ok: false; status: number; error: AuthError };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readError(value: unknown): AuthError | null {
  if (!isRecord(value)) return null;
  const { code, message, messageEn, field } = value;
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  return {
    code,
    message,
    messageEn: typeof messageEn === 'string' ? messageEn : message,
    field: typeof field === 'string' ? field : null,
  };
}

async function post(path: string, body: Record<string, unknown> | null): Promise<AuthResult> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  } catch (cause) {
    throw new NetworkError('fetch failed', null, { cause });
  }
  if (response.status === 204) return { ok: true };
  let json: unknown = null;
  if (/json/i.test(response.headers.get('content-type') ?? '')) {
    try {
      json = await response.json();
    } catch {
      json = null;
    }
  }
  if (response.ok && isRecord(json) && json.ok === true) return { ok: true };
  const error = isRecord(json) ? readError(json.error) : null;
  // 5xx, an HTML error page or an unexpected body: nothing the person can correct.
  if (!error) throw new NetworkError(`unexpected response (${response.status})`, response.status);
  return { ok: false, status: response.status, error };
}

/** Signs in; on success the session cookie is set. 401 and 429 come back as `ok: false`. */
export function signIn(email: string, password: string): Promise<AuthResult> {
  return post('/auth/sign-in', { email, password });
}

/** Ends the session (204). */
export async function signOut(): Promise<void> {
  await post('/auth/sign-out', null);
}

/** Creates the account from an invitation link and signs in. */
export function acceptInvitation(input: { token: string; displayName: string; password: string }): Promise<AuthResult> {
  return post('/auth/accept-invitation', input);
}
