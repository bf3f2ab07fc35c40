import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotificationsError, NotificationsErrorCode } from './notifications.errors';
import {
  SIGNATURE_HEADER,
  decryptSecret,
  encryptSecret,
  isPublicAddress,
  newWebhookSecret,
  postWebhook,
  signWebhook,
  validateWebhookUrl,
  verifyWebhookSignature,
  webhookSecretKey,
  type WebhookPayload,
} from './webhooks';

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer;
}

interface TestServer {
  url: string;
  received: Received[];
  connections: number;
  close(): Promise<void>;
}

const servers: TestServer[] = [];

/** A real HTTP server on 127.0.0.1 with an ephemeral port; `respond` answers after the body was read. */
async function startServer(respond: (res: http.ServerResponse, req: http.IncomingMessage) => void): Promise<TestServer> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, rawBody: Buffer.concat(chunks) });
      res.on('error', () => undefined); // the client may hang up on a long answer
      respond(res, req);
    });
  });
  const state: TestServer = {
    url: '',
    received,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('connection', () => {
    state.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(state);
  return state;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const payload = (over: Partial<WebhookPayload> = {}): WebhookPayload => ({
  id: crypto.randomUUID(),
  type: 'referral.created',
  createdAt: '2025-04-01T00:00:00.000Z',
  organisationId: crypto.randomUUID(),
  data: { message: '紹介が届きました（株式会社テスト）', amountYen: 1_200_000 },
  ...over,
});

/** What a receiver written from the README does, without this module's verify function. */
function receiverAccepts(secret: string, header: string, rawBody: Buffer, nowSec: number): boolean {
  const t = /(?:^|,)t=(\d+)/.exec(header)?.[1];
  const signatures = [...header.matchAll(/(?:^|,)v1=([0-9a-f]{64})/g)].map((m) => Buffer.from(m[1], 'hex'));
  if (!t || signatures.length === 0 || Math.abs(nowSec - Number(t)) > 300) return false;
  const expected = crypto.createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  return signatures.some((s) => crypto.timingSafeEqual(s, expected));
}

describe('signing and delivery to a receiver', () => {
  it('a receiver recomputing HMAC-SHA256 over `${t}.${rawBody}` with node:crypto accepts what postWebhook sends', async () => {
    const server = await startServer((res) => res.writeHead(204).end());
    const secret = newWebhookSecret();
    const event = payload();

    const result = await postWebhook({ url: `${server.url}/hooks/banso?x=1`, secret, payload: event, allowPrivate: true });

    expect(result).toMatchObject({ ok: true, status: 204, error: null, retryable: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(server.received).toHaveLength(1);
    const [got] = server.received;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/hooks/banso?x=1');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toBe('banso-hub-webhooks/1');
    expect(got.headers['x-banso-event-id']).toBe(event.id);
    expect(got.headers['x-banso-event-type']).toBe('referral.created');
    expect(JSON.parse(got.rawBody.toString('utf8'))).toEqual(event);

    const header = got.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const now = Math.floor(Date.now() / 1000);
    expect(receiverAccepts(secret, header, got.rawBody, now)).toBe(true);
    expect(receiverAccepts(newWebhookSecret(), header, got.rawBody, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header, got.rawBody)).toBe(true);
  });

  it('the signed timestamp is the one given, so a receiver can reject replays', async () => {
    const server = await startServer((res) => res.writeHead(200).end('ok'));
    const secret = newWebhookSecret();
    await postWebhook({ url: server.url, secret, payload: payload(), allowPrivate: true, nowSec: 1_700_000_000 });
    const header = server.received[0].headers['x-banso-signature'] as string;
    expect(header.startsWith('t=1700000000,')).toBe(true);
    expect(receiverAccepts(secret, header, server.received[0].rawBody, 1_700_000_000)).toBe(true);
    expect(verifyWebhookSignature(secret, header, server.received[0].rawBody)).toBe(false); // stale now
  });
});

describe('verifyWebhookSignature', () => {
  const secret = newWebhookSecret();
  const rawBody = JSON.stringify({ id: 'e1', data: { 名前: '伴走 太郎' } });
  const t = 1_750_000_000;
  const independent = (s: string, ts: number, body: string) => crypto.createHmac('sha256', s).update(`${ts}.${body}`).digest('hex');
  const header = `t=${t},v1=${independent(secret, t, rawBody)}`;

  it('accepts a header built independently of signWebhook, and signWebhook builds the same one', () => {
    expect(verifyWebhookSignature(secret, header, rawBody, { nowSec: t + 10 })).toBe(true);
    expect(verifyWebhookSignature(secret, header, Buffer.from(rawBody, 'utf8'), { nowSec: t + 10 })).toBe(true);
    expect(signWebhook(secret, rawBody, t)).toBe(header);
  });

  it('rejects a tampered body', () => {
    expect(verifyWebhookSignature(secret, header, rawBody.replace('太郎', '次郎'), { nowSec: t })).toBe(false);
    expect(verifyWebhookSignature(secret, header, `${rawBody} `, { nowSec: t })).toBe(false);
  });

  it('rejects a wrong secret', () => {
    expect(verifyWebhookSignature(newWebhookSecret(), header, rawBody, { nowSec: t })).toBe(false);
  });

  it('rejects a timestamp older (or newer) than the tolerance, 300 s by default', () => {
    expect(verifyWebhookSignature(secret, header, rawBody, { nowSec: t + 300 })).toBe(true);
    expect(verifyWebhookSignature(secret, header, rawBody, { nowSec: t + 301 })).toBe(false);
    expect(verifyWebhookSignature(secret, header, rawBody, { nowSec: t - 301 })).toBe(false);
    expect(verifyWebhookSignature(secret, header, rawBody, { nowSec: t + 3_000, toleranceSec: 3_600 })).toBe(true);
    // The timestamp is signed: moving it forward breaks the signature.
    const moved = header.replace(`t=${t}`, `t=${t + 1_000}`);
    expect(verifyWebhookSignature(secret, moved, rawBody, { nowSec: t + 1_000 })).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not key=value', 'garbage'],
    ['no timestamp', `v1=${independent(secret, t, rawBody)}`],
    ['no signature', `t=${t}`],
    ['non-numeric timestamp', `t=abc,v1=${independent(secret, t, rawBody)}`],
    ['two timestamps', `t=${t},t=${t},v1=${independent(secret, t, rawBody)}`],
    ['short signature', `t=${t},v1=${independent(secret, t, rawBody).slice(0, 40)}`],
    ['non-hex signature', `t=${t},v1=${'z'.repeat(64)}`],
    ['trailing comma', `${header},`],
    ['only an unknown scheme', `t=${t},v0=${independent(secret, t, rawBody)}`],
  ])('rejects a malformed header (%s)', (_label, bad) => {
    expect(verifyWebhookSignature(secret, bad, rawBody, { nowSec: t })).toBe(false);
  });

  it('accepts several v1 entries when one matches (secret rotation), and a list of secrets', () => {
    const next = newWebhookSecret();
    const both = `t=${t},v1=${independent(next, t, rawBody)},v1=${independent(secret, t, rawBody)}`;
    expect(verifyWebhookSignature(secret, both, rawBody, { nowSec: t })).toBe(true);
    expect(verifyWebhookSignature(next, both, rawBody, { nowSec: t })).toBe(true);
    expect(verifyWebhookSignature(newWebhookSecret(), both, rawBody, { nowSec: t })).toBe(false);
    expect(signWebhook([next, secret], rawBody, t)).toBe(both);
    expect(verifyWebhookSignature([newWebhookSecret(), secret], header, rawBody, { nowSec: t })).toBe(true);
    // Unknown schemes next to v1 are ignored rather than fatal, so v2 can be added later.
    expect(verifyWebhookSignature(secret, `${header},v2=abc`, rawBody, { nowSec: t })).toBe(true);
  });
});

describe('postWebhook answers', () => {
  it.each([
    [500, true],
    [503, true],
    [429, true],
    [408, true],
    [400, false],
    [404, false],
    [410, false],
  ])('HTTP %i is a failure, retryable: %s', async (status, retryable) => {
    const server = await startServer((res) => res.writeHead(status).end('nope'));
    const result = await postWebhook({ url: server.url, secret: newWebhookSecret(), payload: payload(), allowPrivate: true });
    expect(result).toMatchObject({ ok: false, status, retryable });
    expect(result.error).toContain(String(status));
  });

  it('a 302 is a non-retryable failure and the redirect target is never called', async () => {
    const target = await startServer((res) => res.writeHead(200).end());
    const redirecting = await startServer((res) => res.writeHead(302, { Location: `${target.url}/elsewhere` }).end());

    const result = await postWebhook({ url: redirecting.url, secret: newWebhookSecret(), payload: payload(), allowPrivate: true });

    expect(result).toMatchObject({ ok: false, status: 302, retryable: false });
    expect(result.error).toMatch(/redirect/);
    expect(redirecting.received).toHaveLength(1);
    expect(target.connections).toBe(0);
    expect(target.received).toHaveLength(0);
  });

  it('a server that does not answer in time is a retryable timeout', async () => {
    const server = await startServer(() => undefined); // never answers
    const result = await postWebhook({ url: server.url, secret: newWebhookSecret(), payload: payload(), allowPrivate: true, timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, status: null, retryable: true });
    expect(result.error).toMatch(/timed out after 300 ms/);
    expect(result.durationMs).toBeGreaterThanOrEqual(250);
    expect(result.durationMs).toBeLessThan(3_000);
    expect(server.received).toHaveLength(1);
  });

  it('an answer of 2xx whose body then stalls still counts as delivered (a retry would deliver twice)', async () => {
    const server = await startServer((res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('accepted, still talking…');
    });
    const result = await postWebhook({ url: server.url, secret: newWebhookSecret(), payload: payload(), allowPrivate: true, timeoutMs: 300 });
    expect(result).toMatchObject({ ok: true, status: 200, retryable: false });
  });

  it('at most 64 KiB of an answer is read: an endless body does not hold the attempt open', async () => {
    const endless = await startServer((res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write(Buffer.alloc(256 * 1024, 'x')); // and never ends
    });
    const result = await postWebhook({ url: endless.url, secret: newWebhookSecret(), payload: payload(), allowPrivate: true, timeoutMs: 3_000 });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.durationMs).toBeLessThan(2_000);
  });

  it('an answer body far larger than 64 KiB does not matter', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 'あ');
    const ok = await startServer((res) => res.writeHead(200, { 'Content-Length': big.length }).end(big));
    const failing = await startServer((res) => res.writeHead(500, { 'Content-Length': big.length }).end(big));
    const secret = newWebhookSecret();

    await expect(postWebhook({ url: ok.url, secret, payload: payload(), allowPrivate: true, timeoutMs: 5_000 })).resolves.toMatchObject({ ok: true, status: 200 });
    await expect(postWebhook({ url: failing.url, secret, payload: payload(), allowPrivate: true, timeoutMs: 5_000 })).resolves.toMatchObject({ ok: false, status: 500, retryable: true });
  });

  it('a refused connection is a retryable network error', async () => {
    const server = await startServer((res) => res.end());
    const url = server.url;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const result = await postWebhook({ url, secret: newWebhookSecret(), payload: payload(), allowPrivate: true });
    expect(result).toMatchObject({ ok: false, status: null, retryable: true });
    expect(result.error).toMatch(/ECONNREFUSED/);
  });
});

describe('SSRF protection', () => {
  it.each([
    ['an IPv4 loopback literal', (port: string) => `http://127.0.0.1:${port}/hook`],
    ['a name resolving to loopback', (port: string) => `http://localhost:${port}/hook`],
    ['an IPv6 loopback literal', (port: string) => `http://[::1]:${port}/hook`],
    ['an IPv4-mapped IPv6 loopback', (port: string) => `http://[::ffff:127.0.0.1]:${port}/hook`],
    ['an integer-encoded IPv4 loopback', (port: string) => `http://2130706433:${port}/hook`],
  ])('without allowPrivate, %s is refused before any connection is made', async (_label, urlFor) => {
    const server = await startServer((res) => res.writeHead(200).end());
    const port = new URL(server.url).port;

    const result = await postWebhook({ url: urlFor(port), secret: newWebhookSecret(), payload: payload(), allowPrivate: false });

    expect(result).toMatchObject({ ok: false, status: null, retryable: false });
    expect(result.error).toMatch(/refused: .* not a public address/);
    expect(server.connections).toBe(0);
    expect(server.received).toHaveLength(0);
  });

  it('allowPrivate defaults to false', async () => {
    const server = await startServer((res) => res.writeHead(200).end());
    const result = await postWebhook({ url: server.url, secret: newWebhookSecret(), payload: payload() });
    expect(result.ok).toBe(false);
    expect(server.connections).toBe(0);
  });

  it.each([
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['203.0.114.1', true],
    ['172.32.0.1', true],
    ['100.128.0.1', true],
    ['0.0.0.0', false],
    ['0.1.2.3', false],
    ['10.1.2.3', false],
    ['100.64.0.1', false],
    ['100.127.255.254', false],
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['169.254.169.254', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['224.0.0.1', false],
    ['239.255.255.250', false],
    ['255.255.255.255', false],
    ['2001:4860:4860::8888', true],
    ['2606:4700:4700::1111', true],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::808:808', true],
    ['::', false],
    ['::1', false],
    ['0:0:0:0:0:0:0:1', false],
    ['fc00::1', false],
    ['fd12:3456:789a::1', false],
    ['fd00:ec2::254', false],
    ['fe80::1', false],
    ['fe80::1%eth0', false],
    ['febf:ffff::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:169.254.169.254', false],
    ['::ffff:192.168.0.1', false],
    ['64:ff9b::a9fe:a9fe', false],
    ['2002:c0a8:0101::1', false],
    ['2001:db8::1', false],
    ['2001:0:4136:e378::1', false],
    ['localhost', false],
    ['example.com', false],
    ['', false],
    ['999.1.1.1', false],
  ])('isPublicAddress(%p) is %p', (ip, expected) => {
    expect(isPublicAddress(ip)).toBe(expected);
  });
});

describe('secrets at rest', () => {
  const key = webhookSecretKey('a-long-session-secret-for-tests-0123456789');

  it('a fresh secret is whsec_ and 32 random bytes, different every time', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice(6), 'base64url')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it('the key is 32 bytes, the same for the same SESSION_SECRET and different for another', () => {
    expect(key).toHaveLength(32);
    expect(webhookSecretKey('a-long-session-secret-for-tests-0123456789').equals(key)).toBe(true);
    expect(webhookSecretKey('another-session-secret-for-tests-987654').equals(key)).toBe(false);
    expect(() => webhookSecretKey('')).toThrow(/SESSION_SECRET/);
  });

  it('encryptSecret and decryptSecret round-trip Japanese text, with a fresh IV each time', () => {
    const secret = 'whsec_伴走ハブの署名用シークレット🔑';
    const sealed = encryptSecret(key, secret);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('whsec');
    expect(decryptSecret(key, sealed)).toBe(secret);
    expect(encryptSecret(key, secret)).not.toBe(sealed);
  });

  it.each([
    ['iv', 1],
    ['tag', 2],
    ['ciphertext', 3],
  ])('decryptSecret throws when the %s was altered', (_part, index) => {
    const sealed = encryptSecret(key, 'whsec_改ざん検知');
    const parts = sealed.split('.');
    const bytes = Buffer.from(parts[index], 'base64url');
    bytes[0] ^= 0x01;
    parts[index] = bytes.toString('base64url');
    expect(() => decryptSecret(key, parts.join('.'))).toThrow();
  });

  it('decryptSecret throws with a key from another SESSION_SECRET', () => {
    const sealed = encryptSecret(key, 'whsec_別の鍵');
    expect(() => decryptSecret(webhookSecretKey('another-session-secret-for-tests-987654'), sealed)).toThrow(/could not be decrypted/);
  });

  it.each([
    ['empty', ''],
    ['another version', 'v2.aaaa.bbbb.cccc'],
    ['too few parts', 'v1.aaaa.bbbb'],
    ['a truncated tag', (() => {
      const p = encryptSecret(webhookSecretKey('a-long-session-secret-for-tests-0123456789'), 'whsec_x').split('.');
      p[2] = Buffer.from(p[2], 'base64url').subarray(0, 4).toString('base64url');
      return p.join('.');
    })()],
    ['characters outside base64url', 'v1.@@@@.####.$$$$'],
  ])('decryptSecret throws on malformed input (%s)', (_label, bad) => {
    expect(() => decryptSecret(key, bad)).toThrow();
  });
});

describe('validateWebhookUrl', () => {
  const code = NotificationsErrorCode.invalidWebhookUrl;

  it.each([
    ['https://hooks.example.co.jp/banso', false],
    ['https://hooks.example.co.jp:8443/banso?token=abc', false],
    ['http://localhost:3000/hook', true],
    ['http://192.168.0.10/hook', true],
    [`https://hooks.example.com/${'a'.repeat(1974)}`, false], // exactly 2000 characters
  ])('accepts %s (allowInsecure %s)', (url, allowInsecure) => {
    expect(validateWebhookUrl(url, { allowInsecure })).toBeNull();
  });

  it.each([
    ['javascript: (insecure allowed)', 'javascript:alert(1)', true, /http:\/\/ または https:\/\//],
    ['javascript: (secure)', 'javascript:alert(1)', false, /https:\/\/ で始まる必要があります/],
    ['ftp:', 'ftp://files.example.com/hook', true, /http:\/\/ または https:\/\//],
    ['file:', 'file:///etc/passwd', false, /https:\/\/ で始まる必要があります/],
    ['http:// in secure mode', 'http://hooks.example.com/banso', false, /WebhookのURLは https:\/\/ で始まる必要があります/],
    ['user and password', 'https://user:pass@hooks.example.com/banso', false, /ユーザー名やパスワード/],
    ['a user name', 'https://user@hooks.example.com/banso', true, /ユーザー名やパスワード/],
    ['a fragment', 'https://hooks.example.com/banso#section', false, /フラグメント/],
    ['not a URL', 'not a url', true, /形式が正しくありません/],
    ['a newline inside', 'https://hooks.exa\nmple.com/', false, /形式が正しくありません/],
    ['2001 characters', `https://hooks.example.com/${'a'.repeat(1975)}`, false, /2000文字以内/],
    ['a loopback IP in secure mode', 'https://127.0.0.1/hook', false, /localhost や社内ネットワーク/],
    ['localhost in secure mode', 'https://localhost/hook', false, /localhost や社内ネットワーク/],
    ['a unique-local IPv6 in secure mode', 'https://[fd00::1]/hook', false, /localhost や社内ネットワーク/],
  ])('refuses %s (allowInsecure %s) with a Japanese message', (_label, url, allowInsecure, ja) => {
    const error = validateWebhookUrl(url, { allowInsecure });
    expect(error).toBeInstanceOf(NotificationsError);
    expect(error?.code).toBe(code);
    expect(error?.field).toBe('url');
    expect(error?.messageJa).toMatch(ja);
    expect(error?.messageEn).toMatch(/webhook URL/);
  });
});
