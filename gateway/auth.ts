/**
 * The gateway's side of accounts: the session cookie (HttpOnly, SameSite=Strict, server-side
 * session), the /auth endpoints that set and clear it, CSRF checks, and the audit CSV export.
 */
import crypto from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AccountsManager, AuditFilterInput } from '../services/accounts/accounts.manager';
import type { AuthManager, ClientInfo } from '../services/accounts/auth.manager';
import { DomainError } from '../services/shared/errors';
import { ANONYMOUS, type Viewer } from '../services/shared/viewer';
import type { Logger } from '../services/shared/logger';
import type { AuditRow } from '../services/accounts/accounts.store';
import type { ReferralsManager } from '../services/referrals/referrals.manager';
import type { MeetingFiles } from './meeting-files';
import type { ReportFiles } from './report-files';

export const SESSION_COOKIE = 'banso_session';

export interface GatewayAuth {
  manager: AuthManager;
  /** The accounts manager acting for a viewer (audit export). */
  accountsFor: (viewer: Viewer) => AccountsManager;
  /** The referrals manager acting for a viewer (attachments, provision-record export). */
  referralsFor: (viewer: Viewer) => ReferralsManager;
  /** Meetings' files, .ics and the personal calendar feed. */
  meetings: MeetingFiles;
  /** The reports' CSV export. */
  reports: ReportFiles;
  /** Secure cookies (HTTPS); off only for plain-http local use. */
  secureCookies: boolean;
  /** Origins allowed to POST besides the request's own host (e.g. PUBLIC_URL). */
  trustedOrigins: string[];
}

export function clientInfo(req: Request): ClientInfo {
  return { ip: req.ip ?? null, userAgent: req.get('user-agent')?.slice(0, 300) ?? null };
}

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined; // a malformed cookie is no cookie
    }
  }
  return undefined;
}

/** Resolves the session cookie into res.locals.viewer (anonymous when absent or no longer valid). */
export function sessionMiddleware(auth: GatewayAuth, logger: Logger) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const requestId = crypto.randomUUID();
    const client = clientInfo(req);
    try {
      const token = readCookie(req, SESSION_COOKIE);
      const viewer = token ? await auth.manager.resolveSession(token, client, requestId) : null;
      if (token && !viewer) clearSessionCookie(res, auth);
      res.locals.viewer = viewer ?? ANONYMOUS(requestId, client.ip, client.userAgent);
      next();
    } catch (err) {
      logger.error('session lookup failed', { error: err instanceof Error ? err.message : String(err) });
      res.status(503).json({ errors: [{ message: '一時的に処理できません。しばらくしてから再度お試しください。', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
    }
  };
}

/**
 * CSRF: the session cookie is SameSite=Strict, state-changing requests must be JSON (a cross-site
 * form cannot send that without a CORS preflight, which the hub never grants), and a browser's
 * Origin header must be the hub's own.
 */
export function csrfGuard(auth: GatewayAuth) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const origin = req.get('origin');
    if (origin && origin !== 'null') {
      const own = `${req.protocol}://${req.get('host')}`;
      if (origin !== own && !auth.trustedOrigins.includes(origin)) {
        res.status(403).json({ errors: [{ message: '別のサイトからの送信は受け付けません。', extensions: { code: 'CSRF_REJECTED' } }] });
        return;
      }
    } else if (origin === 'null') {
      res.status(403).json({ errors: [{ message: '別のサイトからの送信は受け付けません。', extensions: { code: 'CSRF_REJECTED' } }] });
      return;
    }
    next();
  };
}

function setSessionCookie(res: Response, auth: GatewayAuth, token: string, expiresAt: Date): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: auth.secureCookies, path: '/', expires: expiresAt });
}

function clearSessionCookie(res: Response, auth: GatewayAuth): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: auth.secureCookies, path: '/' });
}

function sendDomainError(res: Response, err: unknown, logger: Logger): void {
  if (err instanceof DomainError) {
    const status = err.code === 'accounts/rate_limited' ? 429 : err.code === 'accounts/invalid_credentials' ? 401 : 400;
    res.status(status).json({ ok: false, error: { code: err.code, message: err.messageJa, messageEn: err.messageEn, field: err.field ?? null } });
    return;
  }
  logger.error('auth endpoint failed', { error: err instanceof Error ? err.message : String(err) });
  res.status(500).json({ ok: false, error: { code: 'internal', message: '内部エラーが発生しました。', messageEn: 'Internal error.' } });
}

function requireJson(req: Request, res: Response, next: NextFunction): void {
  if (!req.is('application/json')) {
    res.status(415).json({ ok: false, error: { code: 'unsupported_media_type', message: 'JSON で送信してください。', messageEn: 'Send JSON (content-type: application/json).' } });
    return;
  }
  next();
}

/** Malformed JSON bodies get a JSON 400, not the framework's HTML page with a stack trace. */
export function jsonErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  const status = (err as { status?: number }).status;
  if (status && status >= 400 && status < 500) {
    res.status(status).json({ ok: false, errors: [{ message: 'リクエストの形式が正しくありません。', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  res.status(500).json({ ok: false, errors: [{ message: '内部エラーが発生しました。', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}

export function authRouter(auth: GatewayAuth, logger: Logger): Router {
  const router = express.Router();
  router.use(requireJson, express.json({ limit: '16kb' }));

  router.post('/sign-in', async (req, res) => {
    try {
      const body = (req.body ?? {}) as { email?: unknown; password?: unknown };
      const session = await auth.manager.signIn({ email: String(body.email ?? ''), password: String(body.password ?? '') }, clientInfo(req));
      setSessionCookie(res, auth, session.token, session.expiresAt);
      res.json({ ok: true });
    } catch (err) {
      sendDomainError(res, err, logger);
    }
  });

  router.post('/sign-out', async (req, res) => {
    try {
      await auth.manager.signOut(readCookie(req, SESSION_COOKIE), clientInfo(req));
      clearSessionCookie(res, auth);
      res.status(204).end();
    } catch (err) {
      sendDomainError(res, err, logger);
    }
  });

  router.post('/accept-invitation', async (req, res) => {
    try {
      const body = (req.body ?? {}) as { token?: unknown; displayName?: unknown; password?: unknown };
      const signedIn = await auth.manager.resolveSession(readCookie(req, SESSION_COOKIE), clientInfo(req), crypto.randomUUID());
      const session = await auth.manager.acceptInvitation(
        { token: String(body.token ?? ''), displayName: String(body.displayName ?? ''), password: String(body.password ?? '') },
        clientInfo(req),
        signedIn?.accountId ?? null,
      );
      setSessionCookie(res, auth, session.token, session.expiresAt);
      res.json({ ok: true });
    } catch (err) {
      sendDomainError(res, err, logger);
    }
  });
  return router;
}

const CSV_HEADERS = ['日時 (JST)', '操作者アカウントID', '組織ID', '操作', '結果', '対象の種類', '対象ID', 'サインインに使われたメール', 'IPアドレス', 'User-Agent', '詳細'];

/** A CSV cell: quoted, and never read by a spreadsheet as a formula. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

const jst = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

function csvRow(e: AuditRow): string {
  return [jst.format(e.at), e.actorAccountId, e.actingOrganisationId, e.action, e.outcome, e.targetType, e.targetId, e.subject, e.ip, e.userAgent, e.details === null ? '' : JSON.stringify(e.details)]
    .map(csvCell)
    .join(',');
}

/** GET /admin/audit.csv — UTF-8 with BOM and CRLF, so that Excel opens the Japanese headers correctly. */
export function auditExportHandler(auth: GatewayAuth, logger: Logger) {
  return async (req: Request, res: Response) => {
    const viewer = res.locals.viewer as Viewer;
    // Only single string values; anything else (repeated or nested parameters) is refused up front.
    const one = (name: string): string | null | undefined => {
      const v = req.query[name];
      if (v === undefined || v === '') return null;
      return typeof v === 'string' ? v : undefined;
    };
    const params = { action: one('action'), outcome: one('outcome'), organisationId: one('organisationId'), from: one('from'), to: one('to') };
    if (Object.values(params).some((v) => v === undefined) || (params.outcome && !['SUCCESS', 'FAILURE', 'DENIED'].includes(params.outcome))) {
      res.status(400).type('text/plain; charset=utf-8').send('絞り込み条件が正しくありません。');
      return;
    }
    const filter: AuditFilterInput = {
      action: params.action ?? null,
      outcome: (params.outcome as AuditFilterInput['outcome']) ?? null,
      organisationId: params.organisationId ?? null,
      from: params.from ?? null,
      to: params.to ?? null,
    };
    let rows: AsyncGenerator<AuditRow>;
    try {
      rows = await auth.accountsFor(viewer).exportAudit(filter);
    } catch (err) {
      const code = (err as { extensions?: { code?: string } }).extensions?.code;
      if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') {
        res.status(code === 'UNAUTHENTICATED' ? 401 : 403).type('text/plain; charset=utf-8').send((err as Error).message);
        return;
      }
      if (err instanceof DomainError) {
        res.status(400).type('text/plain; charset=utf-8').send(err.messageJa);
        return;
      }
      logger.error('audit export failed', { error: err instanceof Error ? err.message : String(err) });
      res.status(500).type('text/plain; charset=utf-8').send('内部エラーが発生しました。');
      return;
    }
    const stamp = new Date().toISOString().slice(0, 10);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="audit-${stamp}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    res.write(`\uFEFF${CSV_HEADERS.map(csvCell).join(',')}\r\n`);
    for await (const row of rows) res.write(`${csvRow(row)}\r\n`);
    res.end();
  };
}
