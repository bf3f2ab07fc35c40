/**
 * The referrals' files over plain HTTP, where GraphQL is the wrong tool: attachment upload (raw bytes,
 * no base64) and download, and the 第三者提供記録 CSV export. Each handler acts as the session's
 * viewer through the referrals manager, which applies the same rules as the subgraph.
 *
 *   POST /files/referrals/:id/attachments   body = the file; Content-Type; X-File-Name (percent-encoded)
 *   GET  /files/attachments/:id             the file, as an attachment
 *   GET  /files/provision-records.csv       ?from=YYYY-MM-DD&to=YYYY-MM-DD&firmId=
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { DomainError } from '../services/shared/errors';
import type { Logger } from '../services/shared/logger';
import type { Viewer } from '../services/shared/viewer';
import { MAX_ATTACHMENT_BYTES } from '../services/referrals/attachments';
import { referralsErrors } from '../services/referrals/referrals.errors';
import type { ProvisionRow } from '../services/referrals/referrals.store';
import { csvCell, type GatewayAuth } from './auth';

const CATEGORY_JA: Record<string, string> = { PROFILE: '基本情報', FINANCIALS: '財務・規模情報', ISSUES: '経営課題・相談内容', DOCUMENTS: '添付資料' };
const PROVISION_HEADERS = ['提供日時 (JST)', '提供者（機関ID）', '提供者', '受領者（機関ID）', '受領者', '企業ID', '企業名', '法人番号', '本人（関係者）', '提供した情報の項目', '同意記録ID', '紹介ID', '記録者アカウントID', '保存期限'];
const jst = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const jstDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

export function errorJson(err: DomainError) {
  return { ok: false, error: { code: err.code, message: err.messageJa, messageEn: err.messageEn, field: err.field ?? null } };
}

/** 401/403 from the manager's auth errors; 400 for a domain error; otherwise rethrown. */
export function authStatus(err: unknown): number | null {
  const code = (err as { extensions?: { code?: string } }).extensions?.code;
  if (code === 'UNAUTHENTICATED') return 401;
  if (code === 'FORBIDDEN') return 403;
  return null;
}

/** Sends a stored file as an attachment, with its name in both ASCII and UTF-8 forms. */
export function sendDownload(res: Response, meta: { fileName: string; contentType: string }, content: Uint8Array): void {
  const ascii = meta.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  res.setHeader('Content-Type', meta.contentType);
  res.setHeader('Content-Length', String(content.byteLength));
  res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(meta.fileName)}`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.end(Buffer.from(content));
}

export function filesRouter(auth: GatewayAuth, logger: Logger): Router {
  const router = express.Router();
  const fail = (res: Response, err: unknown, what: string) => {
    const status = authStatus(err);
    if (status) return void res.status(status).json({ ok: false, error: { code: status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', message: (err as Error).message, messageEn: status === 401 ? 'Sign in first.' : 'Not allowed.', field: null } });
    if (err instanceof DomainError) return void res.status(400).json(errorJson(err));
    logger.error(`${what} failed`, { error: err instanceof Error ? err.message : String(err) });
    res.status(500).json({ ok: false, error: { code: 'INTERNAL', message: '内部エラーが発生しました。時間をおいて再度お試しください。', messageEn: 'Internal error.', field: null } });
  };

  router.post(
    '/referrals/:id/attachments',
    // A cross-site form cannot set this header without a CORS preflight the hub never grants.
    (req: Request, res: Response, next: NextFunction) => {
      if (!req.get('x-file-name')) return void res.status(400).json(errorJson(referralsErrors.fileName()));
      next();
    },
    express.raw({ type: () => true, limit: MAX_ATTACHMENT_BYTES }),
    async (req: Request, res: Response) => {
      let name: string;
      try {
        name = decodeURIComponent(req.get('x-file-name')!);
      } catch {
        return void res.status(400).json(errorJson(referralsErrors.fileName()));
      }
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      try {
        const result = await auth.referralsFor(res.locals.viewer as Viewer).addAttachment(String(req.params.id), name, body);
        if (!result.ok) return void res.status(result.error.code === 'referrals/not_found' ? 404 : 400).json(errorJson(result.error));
        const a = result.attachment;
        res.status(201).json({ ok: true, error: null, attachment: { id: a.id, fileName: a.fileName, contentType: a.contentType, sizeBytes: a.sizeBytes, sha256: a.sha256, downloadPath: `/files/attachments/${a.id}` } });
      } catch (err) {
        fail(res, err, 'attachment upload');
      }
    },
  );

  router.get('/attachments/:id', async (req: Request, res: Response) => {
    try {
      const file = await auth.referralsFor(res.locals.viewer as Viewer).attachmentForDownload(String(req.params.id));
      if (!file) return void res.status(404).type('text/plain; charset=utf-8').send('ファイルが見つかりません。');
      sendDownload(res, file.meta, file.content);
    } catch (err) {
      const status = authStatus(err);
      if (status) return void res.status(status).type('text/plain; charset=utf-8').send((err as Error).message);
      logger.error('attachment download failed', { error: err instanceof Error ? err.message : String(err) });
      res.status(500).type('text/plain; charset=utf-8').send('内部エラーが発生しました。');
    }
  });

  router.get('/provision-records.csv', async (req: Request, res: Response) => {
    const one = (k: string): string | null | undefined => {
      const v = req.query[k];
      if (v === undefined || v === '') return null;
      return typeof v === 'string' ? v : undefined;
    };
    const filter = { from: one('from'), to: one('to'), firmId: one('firmId') };
    if (Object.values(filter).some((v) => v === undefined)) return void res.status(400).type('text/plain; charset=utf-8').send('絞り込み条件が正しくありません。');
    let rows: AsyncGenerator<ProvisionRow>;
    const manager = auth.referralsFor(res.locals.viewer as Viewer);
    try {
      rows = manager.exportProvisionRecords(filter as { from: string | null; to: string | null; firmId: string | null });
    } catch (err) {
      const status = authStatus(err);
      if (status) return void res.status(status).type('text/plain; charset=utf-8').send((err as Error).message);
      if (err instanceof DomainError) return void res.status(400).type('text/plain; charset=utf-8').send(err.messageJa);
      throw err;
    }
    const stamp = new Date().toISOString().slice(0, 10);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="provision-records-${stamp}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    res.write(`\uFEFF${PROVISION_HEADERS.map(csvCell).join(',')}\r\n`);
    try {
      let batch: ProvisionRow[] = [];
      const flush = async () => {
        const orgNames = await manager.organisationNames([...new Set(batch.flatMap((r) => [r.providerOrganisationId, r.recipientOrganisationId]))]);
        for (const r of batch) {
          const cells = [
            jst.format(r.providedAt),
            r.providerOrganisationId,
            orgNames.get(r.providerOrganisationId) ?? '',
            r.recipientOrganisationId,
            orgNames.get(r.recipientOrganisationId) ?? '',
            r.firmId,
            r.firmName,
            r.corporateNumber ?? '',
            r.personsConcerned.join('、'),
            r.dataItems.map((c) => CATEGORY_JA[c] ?? c).join('、'),
            r.consentId,
            r.referralId ?? '',
            r.recordedByAccountId,
            jstDay.format(r.retainUntil),
          ];
          res.write(`${cells.map(csvCell).join(',')}\r\n`);
        }
        batch = [];
      };
      for await (const row of rows) {
        batch.push(row);
        if (batch.length >= 500) await flush();
      }
      await flush();
      res.end();
    } catch (err) {
      // Headers are gone: the only honest signal left is a broken download.
      logger.error('provision record export failed', { error: err instanceof Error ? err.message : String(err) });
      res.destroy();
    }
  });

  router.use((err: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (err?.type === 'entity.too.large') return void res.status(413).json(errorJson(referralsErrors.fileTooLarge(MAX_ATTACHMENT_BYTES / 1024 / 1024)));
    next(err);
  });
  return router;
}
