/**
 * The email channel: renders notices (Japanese first, English below; plain text and HTML) and sends
 * them through SMTP, or — without an SMTP server, as in the embedded demo — writes each message as an
 * .eml file into a "mail outbox" directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import { createLogger } from '../shared/logger';

const log = createLogger('notifications.email');

export interface MailNotice {
  titleJa: string;
  titleEn: string;
  bodyJa: string;
  bodyEn: string;
  link: string | null;
  createdAt: Date;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface OutgoingMail extends RenderedMail {
  to: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  verify(): Promise<void>;
  close(): void;
  /** Where mail goes, without credentials: `smtp://host:port` or the outbox directory. */
  readonly description: string;
}

const BRAND = '伴走ハブ';
const TZ = 'Asia/Tokyo';
const SEPARATOR = '------------------------------------------------------------';
const warekiDate = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: TZ });
const englishDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: TZ });
const jaTime = new Intl.DateTimeFormat('ja-JP', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: TZ });
const enTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TZ });

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Escaped, with the text's line breaks kept. */
function htmlLines(value: string): string {
  return escapeHtml(value).replace(/\r\n|\r|\n/g, '<br>\n');
}

/** A subject is one header line: names typed by users must not carry line breaks or control characters into it. */
function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

function baseUrl(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}

/**
 * A web-app path joined to publicUrl, or null. Anything else (a full URL, a protocol-relative `//host`,
 * `@host`, whitespace) could point a trusted-looking mail at another site, so it is dropped.
 */
function absoluteLink(publicUrl: string, link: string | null): string | null {
  if (link === null || link === '') return null;
  const base = baseUrl(publicUrl);
  if (!link.startsWith('/') || link.startsWith('//') || /[\s\\\u0000-\u001f\u007f]/.test(link)) {
    log.warn('dropped a notice link that is not a web-app path', { link: link.slice(0, 200) });
    return null;
  }
  try {
    const url = new URL(base + link);
    if (url.origin !== new URL(base).origin) throw new Error('origin changed');
    return url.href;
  } catch {
    log.warn('dropped a notice link that does not resolve under PUBLIC_URL', { link: link.slice(0, 200) });
    return null;
  }
}

function preferencesUrl(publicUrl: string): string {
  return `${baseUrl(publicUrl)}/settings/notifications`;
}

function footerText(publicUrl: string): string {
  const prefs = preferencesUrl(publicUrl);
  return [
    SEPARATOR,
    `このメールは${BRAND}から自動送信されています。`,
    `メール通知の受け取り方（種類ごとのオン・オフ、即時／1日1回のまとめ）は次のページで変更できます:`,
    prefs,
    '',
    `This message was sent automatically by ${BRAND} (Banso Hub).`,
    `To change which notices you receive by email, and how often, visit:`,
    prefs,
    '',
  ].join('\n');
}

function footerHtml(publicUrl: string): string {
  const prefs = escapeHtml(preferencesUrl(publicUrl));
  return `<hr>
<p style="color:#666;font-size:12px">このメールは${BRAND}から自動送信されています。メール通知の受け取り方（種類ごとのオン・オフ、即時／1日1回のまとめ）は<a href="${prefs}">通知設定</a>（${prefs}）で変更できます。</p>
<p lang="en" style="color:#666;font-size:12px">This message was sent automatically by ${BRAND} (Banso Hub). To change which notices you receive by email, and how often, visit <a href="${prefs}">notification settings</a> (${prefs}).</p>`;
}

function htmlDocument(subject: string, body: string): string {
  return `<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:sans-serif;line-height:1.6;color:#222">
${body}
</body>
</html>
`;
}

/** One notice: Japanese first, English below. `link` is a web-app path, joined to publicUrl. */
export function renderNoticeMail(notice: MailNotice, opts: { publicUrl: string; recipientName: string }): RenderedMail {
  const subject = `【${BRAND}】${oneLine(notice.titleJa)}`;
  const url = absoluteLink(opts.publicUrl, notice.link);
  const text = [
    `${opts.recipientName} 様`,
    '',
    notice.titleJa,
    '',
    notice.bodyJa,
    '',
    ...(url ? [`詳細: ${url}`, ''] : []),
    SEPARATOR,
    'English',
    '',
    `Dear ${opts.recipientName},`,
    '',
    notice.titleEn,
    '',
    notice.bodyEn,
    '',
    ...(url ? [`Details: ${url}`, ''] : []),
    footerText(opts.publicUrl),
  ].join('\n');

  const href = url ? escapeHtml(url) : null;
  const html = htmlDocument(
    subject,
    `<p>${escapeHtml(opts.recipientName)} 様</p>
<h1 style="font-size:18px">${escapeHtml(notice.titleJa)}</h1>
<p>${htmlLines(notice.bodyJa)}</p>
${href ? `<p><a href="${href}">${BRAND}で開く</a>（${href}）</p>\n` : ''}<hr>
<div lang="en">
<p>Dear ${escapeHtml(opts.recipientName)},</p>
<h2 style="font-size:16px">${escapeHtml(notice.titleEn)}</h2>
<p>${htmlLines(notice.bodyEn)}</p>
${href ? `<p><a href="${href}">Open in ${BRAND}</a> (${href})</p>\n` : ''}</div>
${footerHtml(opts.publicUrl)}`,
  );
  return { subject, text, html };
}

/** The daily digest: every notice of the day in one mail, newest first, with a count in the subject. */
export function renderDigestMail(notices: MailNotice[], opts: { publicUrl: string; recipientName: string; date: Date }): RenderedMail {
  const items = [...notices]
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .map((n) => ({ n, url: absoluteLink(opts.publicUrl, n.link), ja: jaTime.format(n.createdAt), en: enTime.format(n.createdAt) }));
  const count = items.length;
  const subject = `【${BRAND}】本日のお知らせ（${count}件）`;
  const dayJa = warekiDate.format(opts.date);
  const dayEn = englishDate.format(opts.date);
  const headingJa = `${dayJa}のお知らせ（${count}件）`;
  const headingEn = `${count} ${count === 1 ? 'notice' : 'notices'} for ${dayEn}`;

  const text = [
    `${opts.recipientName} 様`,
    '',
    headingJa,
    '新しいものから順に並んでいます。',
    '',
    ...items.flatMap(({ n, url, ja }) => [`■ ${ja}  ${n.titleJa}`, n.bodyJa, ...(url ? [url] : []), '']),
    SEPARATOR,
    'English',
    '',
    `Dear ${opts.recipientName},`,
    '',
    `${headingEn} (newest first, times in JST):`,
    '',
    ...items.flatMap(({ n, url, en }) => [`* ${en}  ${n.titleEn}`, n.bodyEn, ...(url ? [url] : []), '']),
    footerText(opts.publicUrl),
  ].join('\n');

  const list = (lang: 'ja' | 'en') =>
    items
      .map(({ n, url, ja, en }) => {
        const link = url ? `<br><a href="${escapeHtml(url)}">${lang === 'ja' ? `${BRAND}で開く` : `Open in ${BRAND}`}</a>` : '';
        const title = lang === 'ja' ? n.titleJa : n.titleEn;
        const body = lang === 'ja' ? n.bodyJa : n.bodyEn;
        return `<li style="margin-bottom:12px"><span style="color:#666">${escapeHtml(lang === 'ja' ? ja : en)}</span> <strong>${escapeHtml(title)}</strong><br>${htmlLines(body)}${link}</li>`;
      })
      .join('\n');
  const html = htmlDocument(
    subject,
    `<p>${escapeHtml(opts.recipientName)} 様</p>
<h1 style="font-size:18px">${escapeHtml(headingJa)}</h1>
<p>新しいものから順に並んでいます。</p>
<ol>
${list('ja')}
</ol>
<hr>
<div lang="en">
<p>Dear ${escapeHtml(opts.recipientName)},</p>
<h2 style="font-size:16px">${escapeHtml(headingEn)}</h2>
<p>Newest first; times in JST.</p>
<ol>
${list('en')}
</ol>
</div>
${footerHtml(opts.publicUrl)}`,
  );
  return { subject, text, html };
}

/** Every message part in UTF-8 and base64: long Japanese lines survive any relay, and nodemailer encodes the headers (RFC 2047). */
function message(from: string, mail: OutgoingMail) {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    textEncoding: 'base64' as const,
  };
}

interface SmtpTarget {
  host: string;
  port: number;
  secure: boolean;
  auth: { user: string; pass: string } | undefined;
}

/** Parses SMTP_URL. Error messages never repeat the URL: it may hold the password. */
function parseSmtpUrl(smtpUrl: string): SmtpTarget {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error('SMTP URL is not a valid URL (expected smtp://user:pass@host:port or smtps://…)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('SMTP URL must start with smtp:// or smtps://');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new Error('SMTP URL has no host');
  const secure = url.protocol === 'smtps:';
  // nodemailer's defaults: implicit TLS on 465, submission (with STARTTLS when offered) on 587.
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  let auth: SmtpTarget['auth'];
  if (url.username || url.password) {
    try {
      auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
    } catch {
      throw new Error('SMTP URL has a malformed percent-encoding in its user name or password');
    }
  }
  return { host, port, secure, auth };
}

/**
 * smtpUrl set → nodemailer SMTP transport (smtp:// or smtps://, auth from the URL, pooled);
 * unset → writes each message as an .eml file under fileDir (the embedded demo's "mail outbox"), via nodemailer's streamTransport.
 * `timeoutMs` (default 10 s) bounds connecting, the greeting and each socket wait, so a dead server fails the job instead of hanging it.
 */
export function createMailer(opts: { smtpUrl: string | null; from: string; fileDir: string; timeoutMs?: number }): Mailer {
  const timeout = opts.timeoutMs ?? 10_000;
  if (opts.smtpUrl) {
    const target = parseSmtpUrl(opts.smtpUrl);
    const transport = createTransport({
      pool: true,
      host: target.host,
      port: target.port,
      secure: target.secure,
      auth: target.auth,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      logger: false,
    });
    const hostPart = target.host.includes(':') ? `[${target.host}]` : target.host;
    return {
      description: `${target.secure ? 'smtps' : 'smtp'}://${hostPart}:${target.port}`,
      async send(mail) {
        const info = await transport.sendMail(message(opts.from, mail));
        return { messageId: info.messageId };
      },
      async verify() {
        await transport.verify();
      },
      close() {
        transport.close();
      },
    };
  }

  const dir = path.resolve(opts.fileDir);
  // Written with CRLF line ends, as on the wire, so mail clients open the files as sent.
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    description: `mail outbox ${dir}`,
    async send(mail) {
      const info = await transport.sendMail(message(opts.from, mail));
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${Date.now()}-${randomBytes(6).toString('hex')}.eml`);
      // 'wx': never overwrite another message.
      await writeFile(file, info.message as Buffer, { flag: 'wx' });
      return { messageId: info.messageId };
    },
    async verify() {
      await mkdir(dir, { recursive: true });
    },
    close() {
      transport.close();
    },
  };
}
