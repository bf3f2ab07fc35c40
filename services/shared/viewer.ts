/**
 * Who is calling, as the gateway vouches for it. The gateway signs a short-lived token per subgraph
 * (audience = the subgraph's name) with an Ed25519 key; subgraphs verify it with the public key and
 * refuse calls without one. Subgraphs never trust unsigned headers.
 */
import crypto from 'node:crypto';

export const CONTEXT_HEADER = 'x-banso-context';
export const CONTEXT_ISSUER = 'banso-gateway';
const CONTEXT_TTL_SECONDS = 60;

export type RoleName = 'ORG_ADMIN' | 'SUPPORTER' | 'TEAM_LEAD' | 'SECRETARIAT' | 'OBSERVER' | 'HUB_ADMIN';
export const ROLE_NAMES: readonly RoleName[] = ['ORG_ADMIN', 'SUPPORTER', 'TEAM_LEAD', 'SECRETARIAT', 'OBSERVER', 'HUB_ADMIN'];

export interface Viewer {
  /** null for an anonymous caller (or the gateway's own health checks). */
  accountId: string | null;
  /** The body the person acts for. */
  organisationId: string | null;
  /** Roles in that body. */
  roles: RoleName[];
  sessionId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export const ANONYMOUS = (requestId: string, ip: string | null = null, userAgent: string | null = null): Viewer => ({
  accountId: null,
  organisationId: null,
  roles: [],
  sessionId: null,
  ip,
  userAgent,
  requestId,
});

export interface ContextKeys {
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
}

// DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The Ed25519 key pair every process of the hub derives from SESSION_SECRET (HKDF). */
export function deriveContextKeys(sessionSecret: string): ContextKeys {
  const seed = Buffer.from(crypto.hkdfSync('sha256', sessionSecret, 'banso-hub', 'subgraph-context-signing-key', 32));
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: crypto.createPublicKey(privateKey) };
}

interface ContextClaims {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  exp: number;
  org: string | null;
  roles: RoleName[];
  sid: string | null;
  ip: string | null;
  ua: string | null;
  rid: string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = b64({ alg: 'EdDSA', typ: 'JWT' });

/** A compact JWS (EdDSA) carrying the viewer for one subgraph, valid for a minute. */
export function signViewer(viewer: Viewer, audience: string, keys: ContextKeys, now = Date.now(), ttlSeconds = CONTEXT_TTL_SECONDS): string {
  const iat = Math.floor(now / 1000);
  const claims: ContextClaims = {
    iss: CONTEXT_ISSUER,
    aud: audience,
    sub: viewer.accountId ?? 'anonymous',
    iat,
    exp: iat + ttlSeconds,
    org: viewer.organisationId,
    roles: viewer.roles,
    sid: viewer.sessionId,
    ip: viewer.ip,
    ua: viewer.userAgent,
    rid: viewer.requestId,
  };
  const signingInput = `${HEADER}.${b64(claims)}`;
  const signature = crypto.sign(null, Buffer.from(signingInput), keys.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

export class InvalidContextError extends Error {}

/** Verifies a context token for this subgraph; throws InvalidContextError when it is missing or wrong. */
export function verifyViewer(token: string | undefined, audience: string, publicKey: crypto.KeyObject, now = Date.now()): Viewer {
  if (!token) throw new InvalidContextError('missing context token');
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) throw new InvalidContextError('malformed context token');
  const ok = crypto.verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2], 'base64url'));
  if (!ok) throw new InvalidContextError('bad signature');
  let claims: ContextClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as ContextClaims;
  } catch {
    throw new InvalidContextError('malformed claims');
  }
  const nowSeconds = Math.floor(now / 1000);
  if (claims.iss !== CONTEXT_ISSUER) throw new InvalidContextError('wrong issuer');
  if (claims.aud !== audience) throw new InvalidContextError('wrong audience');
  if (typeof claims.exp !== 'number' || claims.exp + 5 < nowSeconds) throw new InvalidContextError('expired');
  if (typeof claims.iat !== 'number' || claims.iat - 5 > nowSeconds) throw new InvalidContextError('issued in the future');
  return {
    accountId: claims.sub && claims.sub !== 'anonymous' ? claims.sub : null,
    organisationId: typeof claims.org === 'string' ? claims.org : null,
    roles: Array.isArray(claims.roles) ? claims.roles.filter((r) => ROLE_NAMES.includes(r)) : [],
    sessionId: typeof claims.sid === 'string' ? claims.sid : null,
    ip: typeof claims.ip === 'string' ? claims.ip : null,
    userAgent: typeof claims.ua === 'string' ? claims.ua : null,
    requestId: typeof claims.rid === 'string' ? claims.rid : crypto.randomUUID(),
  };
}
