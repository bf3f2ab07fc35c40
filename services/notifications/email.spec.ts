import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { createMailer, renderDigestMail, renderNoticeMail, type Mailer, type MailNotice } from './email';
import { EVENTS } from './events';
import { setLogLevel } from '../shared/logger';

const PUBLIC_URL = 'https://hub.example.jp/';
const FROM = '伴走ハブ <no-reply@banso-hub.invalid>';
const HOSTILE_ORG = '<script>alert(1)</script> & "商工会"';

interface TestServer {
  port: number;
  received: Buffer[];
  close(): Promise<void>;
}

/** A real SMTP server in this process on a free port; every accepted message is kept raw. */
async function startServer(extra: Partial<SMTPServerOptions> = {}): Promise<TestServer> {
  const received: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks));
        callback();
      });
    },
    ...extra,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The header block, unfolded, as the bytes went over the wire. */
function headerBlock(raw: Buffer): Buffer {
  return raw.subarray(0, raw.indexOf('\r\n\r\n'));
}

function rawHeader(raw: Buffer, name: string): string {
  const unfolded = headerBlock(raw).toString('latin1').replace(/\r\n[ \t]+/g, ' ');
  const line = unfolded.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (!line) throw new Error(`no ${name} header`);
  return line.slice(name.length + 1).trim();
}

function htmlOf(mail: ParsedMail): string {
  if (typeof mail.html !== 'string') throw new Error('no html part');
  return mail.html;
}

function notice(overrides: Partial<MailNotice> = {}): MailNotice {
  return {
    titleJa: '○○商工会での役割が変更されました',
    titleEn: 'Your roles at ○○ Chamber changed',
    bodyJa: '現在の役割: 支援担当者、チームリーダー',
    bodyEn: 'Your roles are now: SUPPORTER, TEAM_LEAD',
    link: '/admin/staff',
    createdAt: new Date('2026-11-27T01:00:00Z'),
    ...overrides,
  };
}

/** Everything in `parts` occurs in `text`, in this order. */
function expectInOrder(text: string, parts: string[]): void {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    if (at < 0) throw new Error(`expected ${JSON.stringify(part)} after position ${from} in:\n${text}`);
    from = at + part.length;
  }
}

const mailers: Mailer[] = [];
const servers: TestServer[] = [];
const tempDirs: string[] = [];

beforeAll(() => setLogLevel('silent'));

afterAll(async () => {
  // Pooled connections first, or the servers wait for them to go idle.
  for (const m of mailers) m.close();
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
  setLogLevel('info');
});

async function serverAndMailer(extra: Partial<SMTPServerOptions> = {}, url?: (port: number) => string) {
  const server = await startServer(extra);
  servers.push(server);
  const mailer = createMailer({ smtpUrl: url ? url(server.port) : `smtp://127.0.0.1:${server.port}`, from: FROM, fileDir: '/nonexistent' });
  mailers.push(mailer);
  return { server, mailer };
}

describe('rendering', () => {
  it('drops a link that is not a web-app path instead of sending people elsewhere', () => {
    for (const link of ['https://evil.example/login', '//evil.example/login', '@evil.example/login', 'admin/staff', '/admin staff', 'javascript:alert(1)']) {
      const mail = renderNoticeMail(notice({ link }), { publicUrl: PUBLIC_URL, recipientName: '山田 太郎' });
      expect(mail.text).not.toContain('evil.example');
      expect(mail.html).not.toContain('evil.example');
      expect(mail.text).not.toContain('詳細:');
      expect(mail.html).not.toMatch(/javascript:/);
    }
  });

  it('joins a path to the public URL without doubling the slash', () => {
    const mail = renderNoticeMail(notice(), { publicUrl: 'https://hub.example.jp/base//', recipientName: '山田 太郎' });
    expect(mail.text).toContain('https://hub.example.jp/base/admin/staff');
    expect(mail.text).toContain('https://hub.example.jp/base/settings/notifications');
  });

  it('keeps line breaks typed into a name out of the subject', () => {
    const mail = renderNoticeMail(notice({ titleJa: '件名\r\nBcc: victim@example.com' }), { publicUrl: PUBLIC_URL, recipientName: '山田' });
    expect(mail.subject).toBe('【伴走ハブ】件名 Bcc: victim@example.com');
  });
});

describe('sending over SMTP', () => {
  it('delivers a Japanese notice with an RFC 2047 subject, Japanese then English in text and HTML, and the absolute link', async () => {
    const { server, mailer } = await serverAndMailer();
    const n = notice();
    const sent = await mailer.send({
      ...renderNoticeMail(n, { publicUrl: PUBLIC_URL, recipientName: '山田 太郎' }),
      to: 'yamada@example.jp',
      headers: { 'Message-ID': '<delivery-1@banso-hub>' },
    });

    // The pipeline records this id so that a repeat after a crash can be recognised downstream.
    expect(sent.messageId).toBe('<delivery-1@banso-hub>');
    expect(server.received).toHaveLength(1);
    const raw = server.received[0];

    // Headers are 7-bit: the Japanese subject travels as encoded words.
    expect([...headerBlock(raw)].every((b) => b < 0x80)).toBe(true);
    expect(rawHeader(raw, 'Subject')).toMatch(/^=\?UTF-8\?[BQ]\?/i);
    expect(rawHeader(raw, 'Subject')).not.toContain('伴走');
    // Both bodies base64, so long Japanese lines are not broken by a relay.
    expect(raw.toString('latin1')).toMatch(/Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64/i);
    expect(raw.toString('latin1')).toMatch(/Content-Type: text\/html; charset=utf-8\r\nContent-Transfer-Encoding: base64/i);

    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('【伴走ハブ】○○商工会での役割が変更されました');
    expect(parsed.messageId).toBe('<delivery-1@banso-hub>');
    expect(parsed.from?.value[0]).toEqual({ name: '伴走ハブ', address: 'no-reply@banso-hub.invalid' });
    expect(parsed.text).toBeDefined();
    expectInOrder(parsed.text!, ['山田 太郎 様', n.titleJa, n.bodyJa, 'https://hub.example.jp/admin/staff', '-----', n.titleEn, n.bodyEn, 'https://hub.example.jp/settings/notifications']);
    expectInOrder(htmlOf(parsed), [n.titleJa, n.bodyJa, 'href="https://hub.example.jp/admin/staff"', '<hr>', n.titleEn, n.bodyEn, 'href="https://hub.example.jp/settings/notifications"']);
  });

  it('escapes a hostile organisation name in the HTML part and keeps it verbatim in the text part', async () => {
    const { server, mailer } = await serverAndMailer();
    const rendered = EVENTS['accounts.roles_changed'].render({
      accountId: '00000000-0000-4000-8000-000000000001',
      organisationId: '00000000-0000-4000-8000-000000000002',
      organisationName: HOSTILE_ORG,
      roles: ['SUPPORTER'],
    });
    await mailer.send({
      ...renderNoticeMail({ ...rendered, createdAt: new Date() }, { publicUrl: PUBLIC_URL, recipientName: `O'Brien <ob@example.jp>` }),
      to: 'ob@example.jp',
    });

    const parsed = await simpleParser(server.received[0]);
    const html = htmlOf(parsed);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('"商工会"');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;商工会&quot;での役割が変更されました');
    expect(html).toContain('O&#39;Brien &lt;ob@example.jp&gt; 様');
    expect(parsed.text).toContain(`${HOSTILE_ORG}での役割が変更されました`);
    expect(parsed.text).toContain(`Your roles at ${HOSTILE_ORG} changed`);
    expect(parsed.subject).toBe(`【伴走ハブ】${HOSTILE_ORG}での役割が変更されました`);
  });

  it('sends the daily digest with the count, the 和暦 date and every notice newest first', async () => {
    const { server, mailer } = await serverAndMailer();
    const notices = [
      notice({ titleJa: '一番古いお知らせ', titleEn: 'Oldest notice', link: '/a', createdAt: new Date('2026-11-27T00:10:00Z') }),
      notice({ titleJa: '一番新しいお知らせ', titleEn: 'Newest notice', link: '/c', createdAt: new Date('2026-11-27T08:30:00Z') }),
      notice({ titleJa: '二番目のお知らせ', titleEn: 'Middle notice', link: null, createdAt: new Date('2026-11-27T04:00:00Z') }),
    ];
    // 20:00 UTC on the 26th is already the 27th in Tokyo.
    const mail = renderDigestMail(notices, { publicUrl: PUBLIC_URL, recipientName: '山田 太郎', date: new Date('2026-11-26T20:00:00Z') });
    await mailer.send({ ...mail, to: 'yamada@example.jp' });

    const parsed = await simpleParser(server.received[0]);
    expect(parsed.subject).toBe('【伴走ハブ】本日のお知らせ（3件）');
    expectInOrder(parsed.text!, [
      '令和8年11月27日のお知らせ（3件）',
      '一番新しいお知らせ',
      'https://hub.example.jp/c',
      '二番目のお知らせ',
      '一番古いお知らせ',
      'https://hub.example.jp/a',
      '-----',
      '3 notices for 27 November 2026',
      'Newest notice',
      'Middle notice',
      'Oldest notice',
      'https://hub.example.jp/settings/notifications',
    ]);
    expect(parsed.text).toContain('11/27 17:30'); // the newest notice's time in JST
    expectInOrder(htmlOf(parsed), ['令和8年11月27日のお知らせ（3件）', '一番新しいお知らせ', '二番目のお知らせ', '一番古いお知らせ', 'Newest notice', 'Oldest notice']);
    expect(htmlOf(parsed).match(/<li[ >]/g)).toHaveLength(6);
  });

  it('authenticates with the user and percent-encoded password from the URL, and never shows them', async () => {
    const user = 'hub@example.jp';
    const pass = 'p@ss:w/rd%和';
    const onAuth: SMTPServerOptions['onAuth'] = (auth, _session, callback) => {
      if (auth.username === user && auth.password === pass) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    };
    const options = { authOptional: false, allowInsecureAuth: true, onAuth };
    const { server, mailer } = await serverAndMailer(options, (port) => `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`);

    await mailer.verify();
    await mailer.send({ ...renderNoticeMail(notice(), { publicUrl: PUBLIC_URL, recipientName: '山田' }), to: 'yamada@example.jp' });
    expect(server.received).toHaveLength(1);
    expect(mailer.description).toBe(`smtp://127.0.0.1:${server.port}`);

    const wrong = createMailer({ smtpUrl: `smtp://${encodeURIComponent(user)}:wrong@127.0.0.1:${server.port}`, from: FROM, fileDir: '/nonexistent' });
    mailers.push(wrong);
    await expect(wrong.send({ ...renderNoticeMail(notice(), { publicUrl: PUBLIC_URL, recipientName: '山田' }), to: 'yamada@example.jp' })).rejects.toThrow(/535/);
    expect(server.received).toHaveLength(1);
  });

  it('rejects when the server refuses the recipient, naming the SMTP code', async () => {
    const onRcptTo: SMTPServerOptions['onRcptTo'] = (_address, _session, callback) =>
      callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
    const { server, mailer } = await serverAndMailer({ onRcptTo });
    const sending = mailer.send({ ...renderNoticeMail(notice(), { publicUrl: PUBLIC_URL, recipientName: '山田' }), to: 'nobody@example.jp' });
    await expect(sending).rejects.toThrow(/550/);
    await expect(sending).rejects.toMatchObject({ responseCode: 550 });
    expect(server.received).toHaveLength(0);
  });

  it('fails instead of hanging when the server accepts the connection but never greets', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as AddressInfo).port;
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, fileDir: '/nonexistent', timeoutMs: 300 });
    try {
      const started = Date.now();
      await expect(mailer.send({ ...renderNoticeMail(notice(), { publicUrl: PUBLIC_URL, recipientName: '山田' }), to: 'yamada@example.jp' })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      mailer.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('describes an smtps:// server by host and port only, and refuses other schemes without echoing the URL', () => {
    const mailer = createMailer({ smtpUrl: 'smtps://user:secret@mail.example.jp', from: FROM, fileDir: '/nonexistent' });
    mailers.push(mailer);
    expect(mailer.description).toBe('smtps://mail.example.jp:465');
    expect(() => createMailer({ smtpUrl: 'http://user:secret@mail.example.jp', from: FROM, fileDir: '/x' })).toThrow(/smtp:\/\/ or smtps:\/\//);
    expect(() => createMailer({ smtpUrl: 'http://user:secret@mail.example.jp', from: FROM, fileDir: '/x' })).not.toThrow(/secret/);
  });
});

describe('the file outbox (no SMTP server)', () => {
  it('writes each message as a parseable .eml file, creating the directory', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'banso-mail-'));
    tempDirs.push(root);
    const dir = path.join(root, 'data', 'mail');
    const mailer = createMailer({ smtpUrl: null, from: FROM, fileDir: dir });
    mailers.push(mailer);
    expect(mailer.description).toContain(dir);

    const first = await mailer.send({ ...renderNoticeMail(notice(), { publicUrl: PUBLIC_URL, recipientName: '山田 太郎' }), to: 'yamada@example.jp', headers: { 'Message-ID': '<delivery-2@banso-hub>' } });
    await mailer.send({ ...renderNoticeMail(notice(), { publicUrl: PUBLIC_URL, recipientName: '山田 太郎' }), to: 'yamada@example.jp' });
    expect(first.messageId).toBe('<delivery-2@banso-hub>');

    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    for (const f of files) expect(f).toMatch(/^\d+-[0-9a-f]+\.eml$/);
    const parsed = await Promise.all(files.map(async (f) => simpleParser(await readFile(path.join(dir, f)))));
    const written = parsed.find((p) => p.messageId === '<delivery-2@banso-hub>');
    expect(written).toBeDefined();
    expect(written!.subject).toBe('【伴走ハブ】○○商工会での役割が変更されました');
    expect(written!.to && !Array.isArray(written!.to) ? written!.to.value[0].address : null).toBe('yamada@example.jp');
    expect(written!.text).toContain('現在の役割: 支援担当者、チームリーダー');
    expect(htmlOf(written!)).toContain('href="https://hub.example.jp/admin/staff"');
  });
});
