/**
 * Signed webhooks: the hub POSTs each event concerning a member body to that body's own system.
 *
 * Signature (the contract the README documents for receivers):
 *   X-Banso-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${rawBody}`)>[,v1=<hex>...]
 * The HMAC key is the whole secret string as shown at registration ('whsec_...', UTF-8), the message
 * is the decimal timestamp exactly as it appears after `t=`, a dot, and the raw request body bytes.
 * Several v1= entries may appear (one per secret while a secret is being rotated); a receiver accepts
 * the request when any of them matches. Unknown schemes (v0=, v2=) are ignored, so new ones can be added.
 *
 * Secrets at rest: AES-256-GCM with a key derived from SESSION_SECRET by HKDF-SHA256 (salt
 * 'banso-hub', info 'banso-hub webhook secrets v1'), stored as "v1.<iv>.<tag>.<ciphertext>" (base64url).
 * A changed SESSION_SECRET makes stored secrets unreadable; the endpoint's secret must then be rotated.
 *
 * Delivery (postWebhook) uses node:http(s) rather than fetch so that the address check happens in the
 * socket's own DNS lookup: the address that was checked is the address that is connected to, which
 * closes the DNS-rebinding gap a resolve-then-fetch check would leave. Redirects are never followed.
 *
 * Exports: SIGNATURE_HEADER, newWebhookSecret, signWebhook, verifyWebhookSignature, webhookSecretKey,
 * encryptSecret, decryptSecret, postWebhook, validateWebhookUrl, isPublicAddress, and the types
 * WebhookPayload, AttemptResult. signWebhook and verifyWebhookSignature also take a list of secrets
 * (rotation with an overlap); verifyWebhookSignature also takes the raw body as bytes.
 */
import crypto from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, isIPv4, isIPv6, type LookupFunction } from 'node:net';
import { webhookErrors, type NotificationsError } from './notifications.errors';

export const SIGNATURE_HEADER = 'X-Banso-Signature';
export const EVENT_ID_HEADER = 'X-Banso-Event-Id';
export const EVENT_TYPE_HEADER = 'X-Banso-Event-Type';
export const USER_AGENT = 'banso-hub-webhooks/1';

const DEFAULT_TOLERANCE_SEC = 300;
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;
const MAX_URL_LENGTH = 2000;
// A real header is ~80 characters per secret; anything far longer is not worth parsing.
const MAX_SIGNATURE_HEADER_LENGTH = 4096;

// --- secrets and signatures ---------------------------------------------------------------------

/** A fresh signing secret, shown to the body's admin once: 'whsec_' + base64url(32 random bytes). */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64url')}`;
}

function hmac(secret: string, timestamp: string, rawBody: string | Uint8Array): Buffer {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(rawBody).digest();
}

/** The X-Banso-Signature value for a body sent at `timestampSec`; one v1= entry per secret. */
export function signWebhook(secret: string | readonly string[], rawBody: string, timestampSec: number): string {
  if (!Number.isSafeInteger(timestampSec) || timestampSec < 0) throw new Error('webhook timestamp must be whole unix seconds');
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0 || secrets.some((s) => !s)) throw new Error('webhook signing secret is empty');
  const t = String(timestampSec);
  return [`t=${t}`, ...secrets.map((s) => `v1=${hmac(s, t, rawBody).toString('hex')}`)].join(',');
}

/**
 * True when the header carries a fresh timestamp (within toleranceSec, default 300 s, either way) and
 * at least one v1= entry that matches one of the secrets. Comparison is constant-time.
 */
export function verifyWebhookSignature(
  secret: string | readonly string[],
  header: string | undefined,
  rawBody: string | Uint8Array,
  opts: { toleranceSec?: number; nowSec?: number } = {},
): boolean {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_SIGNATURE_HEADER_LENGTH) return false;
  let timestamp: string | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return false;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,15}$/.test(value)) return false;
      timestamp = value;
    } else if (key === 'v1') {
      if (!/^[0-9a-fA-F]{64}$/.test(value)) return false;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === null || signatures.length === 0) return false;
  const now = opts.nowSec ?? Math.floor(Date.now() / 1000);
  const tolerance = opts.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  if (!(Math.abs(now - Number(timestamp)) <= tolerance)) return false;
  const secrets = typeof secret === 'string' ? [secret] : secret;
  let matched = false;
  for (const s of secrets) {
    if (!s) continue;
    const expected = hmac(s, timestamp, rawBody);
    // No early exit: the time taken does not depend on which entry matched.
    for (const candidate of signatures) matched = crypto.timingSafeEqual(expected, candidate) || matched;
  }
  return matched;
}

// --- secrets at rest ----------------------------------------------------------------------------

const KEY_INFO = 'banso-hub webhook secrets v1';
const CIPHER_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The 32-byte key that encrypts webhook secrets, derived from SESSION_SECRET with HKDF-SHA256. */
export function webhookSecretKey(sessionSecret: string): Buffer {
  if (!sessionSecret) throw new Error('SESSION_SECRET is required to encrypt webhook secrets');
  return Buffer.from(crypto.hkdfSync('sha256', sessionSecret, 'banso-hub', KEY_INFO, 32));
}

function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('webhook secret key must be 32 bytes (use webhookSecretKey)');
}

/** AES-256-GCM: "v1.<iv>.<tag>.<ciphertext>", each part base64url. */
export function encryptSecret(key: Buffer, secret: string): string {
  assertKey(key);
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [CIPHER_VERSION, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** The secret encryptSecret sealed; throws when the text was altered or the key is different. */
export function decryptSecret(key: Buffer, ciphertext: string): string {
  assertKey(key);
  const parts = ciphertext.split('.');
  // Node's base64url decoder skips characters it does not know; refuse them instead.
  if (parts.length !== 4 || parts[0] !== CIPHER_VERSION || !parts.slice(1).every((p) => /^[A-Za-z0-9_-]*$/.test(p))) {
    throw new Error('webhook secret ciphertext is malformed');
  }
  const [iv, tag, sealed] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('webhook secret ciphertext is malformed');
  try {
    // authTagLength pins the tag size: GCM would otherwise accept a truncated tag.
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('webhook secret could not be decrypted (altered, or SESSION_SECRET changed)');
  }
}

// --- which addresses may be called --------------------------------------------------------------

function ipv4Bytes(ip: string): number[] | null {
  if (!isIPv4(ip)) return null;
  return ip.split('.').map(Number);
}

function isPublicV4([a, b, c]: number[]): boolean {
  if (a === 0) return false; // "this network" 0.0.0.0/8
  if (a === 10) return false; // private
  if (a === 100 && (b & 0xc0) === 64) return false; // CGNAT 100.64/10
  if (a === 127) return false; // loopback
  if (a === 169 && b === 254) return false; // link-local, incl. cloud metadata 169.254.169.254
  if (a === 172 && (b & 0xf0) === 16) return false; // private 172.16/12
  if (a === 192 && b === 168) return false; // private
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF assignments, TEST-NET-1
  if (a === 198 && (b & 0xfe) === 18) return false; // benchmarking 198.18/15
  if (a === 198 && b === 51 && c === 100) return false; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false; // TEST-NET-3
  if (a >= 224) return false; // multicast 224/4, reserved 240/4, broadcast
  return true;
}

function ipv6Bytes(ip: string): number[] | null {
  const address = ip.split('%')[0]; // a zone id (fe80::1%eth0) says nothing about the address
  if (!isIPv6(address)) return null;
  let body = address;
  let tail: number[] = [];
  const lastColon = address.lastIndexOf(':');
  if (address.slice(lastColon + 1).includes('.')) {
    const v4 = ipv4Bytes(address.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    body = address.slice(0, lastColon + 1);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const groupsNeeded = (16 - tail.length) / 2;
  const halves = body.split('::');
  const toGroups = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = toGroups(halves[0]);
  const right = halves.length > 1 ? toGroups(halves[1]) : [];
  const zeros = halves.length > 1 ? groupsNeeded - left.length - right.length : 0;
  const groups = [...left, ...new Array<number>(Math.max(zeros, 0)).fill(0), ...right];
  if (groups.length !== groupsNeeded || groups.some((g) => !(g >= 0 && g <= 0xffff))) return null;
  return [...groups.flatMap((g) => [g >> 8, g & 0xff]), ...tail];
}

function isPublicV6(b: number[]): boolean {
  const zeroUpTo = (n: number) => b.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(10) && b[10] === 0xff && b[11] === 0xff) return isPublicV4(b.slice(12)); // ::ffff:a.b.c.d
  if (zeroUpTo(12)) return false; // ::, ::1, deprecated ::a.b.c.d
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0)) {
    return isPublicV4(b.slice(12)); // NAT64 64:ff9b::/96 reaches the embedded IPv4 address
  }
  if (b[0] === 0x20 && b[1] === 0x02) return isPublicV4(b.slice(2, 6)); // 6to4 2002::/16
  // Only global unicast 2000::/3 is public; this refuses ::/8 (rest), fc00::/7 (unique local),
  // fe80::/10 (link-local), fec0::/10, ff00::/8 (multicast), 64:ff9b:1::/48, 100::/64 and the like.
  if ((b[0] & 0xe0) !== 0x20) return false;
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && b[3] <= 0x01) return false; // 2001::/23 IETF special, incl. Teredo
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return false; // documentation 2001:db8::/32
  if (b[0] === 0x3f && b[1] === 0xff && (b[2] & 0xf0) === 0) return false; // documentation 3fff::/20
  return true;
}

/** True for an IP address a webhook may be sent to: not loopback, private, link-local, CGNAT, multicast or reserved. */
export function isPublicAddress(ip: string): boolean {
  const v4 = ipv4Bytes(ip);
  if (v4) return isPublicV4(v4);
  const v6 = ipv6Bytes(ip);
  if (v6) return isPublicV6(v6);
  return false; // not an IP address at all
}

// --- registration -------------------------------------------------------------------------------

/** Checks an endpoint URL when it is registered; null when it is acceptable. */
export function validateWebhookUrl(url: string, opts: { allowInsecure: boolean }): NotificationsError | null {
  if (url.length > MAX_URL_LENGTH) return webhookErrors.invalidUrl('length', MAX_URL_LENGTH);
  // The URL parser silently drops tabs and newlines inside a URL; what is stored must be what is called.
  if (url.length === 0 || /[\s\u0000-\u001f\u007f]/.test(url)) return webhookErrors.invalidUrl('malformed');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return webhookErrors.invalidUrl('malformed');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return webhookErrors.invalidUrl(opts.allowInsecure ? 'scheme' : 'https');
  if (parsed.protocol === 'http:' && !opts.allowInsecure) return webhookErrors.invalidUrl('https');
  if (parsed.username || parsed.password || /^[a-z]+:\/\/[^/?#]*@/i.test(url)) return webhookErrors.invalidUrl('userinfo');
  if (url.includes('#')) return webhookErrors.invalidUrl('fragment');
  if (!parsed.hostname) return webhookErrors.invalidUrl('malformed');
  if (!opts.allowInsecure) {
    // Early feedback only; names are resolved and checked again on every delivery.
    const host = hostOf(parsed);
    if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && !isPublicAddress(host))) return webhookErrors.invalidUrl('private');
  }
  return null;
}

function hostOf(url: URL): string {
  const h = url.hostname.toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

// --- delivery -----------------------------------------------------------------------------------

/** What the receiving system gets as the JSON body. */
export interface WebhookPayload {
  /** The event's id: the same event is never delivered under another id, so receivers can deduplicate. */
  id: string;
  type: string;
  createdAt: string;
  organisationId: string;
  data: unknown;
}

/** The outcome of one POST. */
export interface AttemptResult {
  ok: boolean;
  /** The HTTP status, or null when no response came (network error, timeout, refused address). */
  status: number | null;
  durationMs: number;
  error: string | null;
  /** A later attempt might succeed (5xx, 408, 429, network errors, timeouts). */
  retryable: boolean;
}

const BLOCKED = 'EBANSO_BLOCKED_ADDRESS';

class BlockedAddressError extends Error {
  readonly code = BLOCKED;
}

/** dns.lookup that refuses the whole name when any of its addresses is not public. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused || addresses.length === 0) {
      return callback(new BlockedAddressError(`refused: ${hostname} resolves to ${refused?.address ?? 'nothing'}, which is not a public address`), '');
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
};

function outcomeOf(status: number): Omit<AttemptResult, 'durationMs'> {
  if (status >= 200 && status < 300) return { ok: true, status, error: null, retryable: false };
  if (status >= 300 && status < 400) return { ok: false, status, error: `HTTP ${status}: redirects are not followed; register the final URL`, retryable: false };
  const retryable = status >= 500 || status === 429 || status === 408;
  return { ok: false, status, error: `HTTP ${status}`, retryable };
}

const describe = (err: unknown): string => {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
};

/**
 * POSTs the payload as JSON, signed, with User-Agent 'banso-hub-webhooks/1' and the X-Banso-Event-Id,
 * X-Banso-Event-Type and X-Banso-Signature headers. 2xx is success; a redirect is a (final) failure and
 * is not followed. 5xx, 408, 429, network errors and timeouts (default 10 s) are retryable; other
 * answers are not. Unless allowPrivate, a host that is or resolves to a non-public address is refused
 * before any connection is made. At most 64 KiB of the answer is read, and it is discarded.
 */
export async function postWebhook(opts: {
  url: string;
  secret: string;
  payload: WebhookPayload;
  timeoutMs?: number;
  allowPrivate?: boolean;
  nowSec?: number;
}): Promise<AttemptResult> {
  const started = performance.now();
  const result = (r: Omit<AttemptResult, 'durationMs'>): AttemptResult => ({ ...r, durationMs: performance.now() - started });
  const failed = (error: string, retryable: boolean): AttemptResult => result({ ok: false, status: null, error, retryable });

  let target: URL;
  try {
    target = new URL(opts.url);
  } catch {
    return failed('invalid webhook URL', false);
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return failed(`unsupported URL scheme ${target.protocol}`, false);
  if (target.username || target.password) return failed('webhook URL must not carry credentials', false);
  const host = hostOf(target);
  const allowPrivate = opts.allowPrivate ?? false;
  // IP literals never reach the lookup below, so they are checked here.
  if (!allowPrivate && isIP(host) && !isPublicAddress(host)) return failed(`refused: ${host} is not a public address`, false);

  const body = JSON.stringify(opts.payload);
  const timestamp = opts.nowSec ?? Math.floor(Date.now() / 1000);
  let headers: Record<string, string | number>;
  try {
    headers = {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'User-Agent': USER_AGENT,
      [EVENT_ID_HEADER]: opts.payload.id,
      [EVENT_TYPE_HEADER]: opts.payload.type,
      [SIGNATURE_HEADER]: signWebhook(opts.secret, body, timestamp),
    };
  } catch (err) {
    return failed(describe(err), false);
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return new Promise<AttemptResult>((resolve) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    let settled = false;
    const finish = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    // Once the status is known it decides the outcome: a receiver that answered 2xx and then stalled
    // in its body has the event, and a retry would deliver it twice.
    let answered: Omit<AttemptResult, 'durationMs'> | null = null;

    let req: http.ClientRequest;
    try {
      req = (target.protocol === 'https:' ? https : http).request(
        {
          method: 'POST',
          hostname: host,
          port: target.port || undefined,
          path: `${target.pathname}${target.search}`,
          headers,
          // A fresh connection each time: no pooled socket chosen under other rules is reused.
          agent: false,
          signal: controller.signal,
          ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
        },
        (res) => {
          answered = outcomeOf(res.statusCode ?? 0);
          const outcome = answered;
          let read = 0;
          const done = () => {
            res.destroy();
            finish(result(outcome));
          };
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read >= MAX_RESPONSE_BYTES) done();
          });
          res.on('end', done);
          res.on('error', done);
          res.on('close', done);
        },
      );
    } catch (err) {
      finish(failed(describe(err), false));
      return;
    }
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (answered) finish(result(answered));
      else if (err.code === BLOCKED) finish(failed(err.message, false));
      else if (timedOut) finish(failed(`timed out after ${timeoutMs} ms`, true));
      else finish(failed(describe(err), true));
    });
    req.end(body);
  });
}
