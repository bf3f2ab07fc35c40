/**
 * Meetings over plain HTTP, where GraphQL is the wrong tool. Each handler acts as the session's viewer
 * through the meetings manager, which applies the same rules as the subgraph.
 *
 *   POST /files/meetings/:id/materials      body = the file; X-File-Name (percent-encoded); ?agendaItemId=
 *   GET  /files/meeting-materials/:id       the material, as an attachment
 *   GET  /files/meetings/:id/attendance.csv the attendance list as evidence (UTF-8 with BOM, CRLF)
 *   GET  /files/meetings/:id/meeting.ics    the meeting as an iCalendar event
 *   GET  /calendar/:token.ics               a personal feed, without a session (calendar apps)
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../services/shared/logger';
import type { Viewer } from '../services/shared/viewer';
import { MAX_MATERIAL_BYTES, type MeetingsManager } from '../services/meetings/meetings.manager';
import { meetingsErrors } from '../services/meetings/meetings.errors';
import { csvCell } from './auth';
import { authStatus, errorJson, sendDownload } from './files';

const RSVP_JA: Record<string, string> = { ATTENDING: '出席', NOT_ATTENDING: '欠席', PROXY: '代理出席' };
const ATTENDANCE_JA: Record<string, string> = { PRESENT: '出席', ABSENT: '欠席', PROXY: '代理出席' };
const ROLE_JA: Record<string, string> = { MEMBER: '委員', OBSERVER: 'オブザーバー' };
const ATTENDANCE_HEADERS = ['会議', '日時', '機関名', '区分', '出欠の回答', '代理出席者（回答）', '出欠', '出席者', '備考', '記録日時 (JST)'];
const jst = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

export interface MeetingFiles {
  meetingsFor: (viewer: Viewer) => MeetingsManager;
  /** The personal feed for a token, or null when the token is unknown or revoked. */
  calendarFeed: (token: string) => Promise<string | null>;
}

export function meetingFilesRouter(deps: MeetingFiles, logger: Logger): Router {
  const router = express.Router();
  const manager = (res: Response) => deps.meetingsFor(res.locals.viewer as Viewer);
  const failText = (res: Response, err: unknown, what: string) => {
    const status = authStatus(err);
    if (status) return void res.status(status).type('text/plain; charset=utf-8').send((err as Error).message);
    logger.error(`${what} failed`, { error: err instanceof Error ? err.message : String(err) });
    res.status(500).type('text/plain; charset=utf-8').send('内部エラーが発生しました。');
  };

  router.post(
    '/meetings/:id/materials',
    // A cross-site form cannot set this header without a CORS preflight the hub never grants.
    (req: Request, res: Response, next: NextFunction) => {
      if (!req.get('x-file-name')) return void res.status(400).json(errorJson(meetingsErrors.fileName()));
      next();
    },
    express.raw({ type: () => true, limit: MAX_MATERIAL_BYTES }),
    async (req: Request, res: Response) => {
      let name: string;
      try {
        name = decodeURIComponent(req.get('x-file-name')!);
      } catch {
        return void res.status(400).json(errorJson(meetingsErrors.fileName()));
      }
      const item = typeof req.query.agendaItemId === 'string' && req.query.agendaItemId ? req.query.agendaItemId : null;
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      try {
        const result = await manager(res).addMaterial(String(req.params.id), item, name, body);
        if (!result.ok) return void res.status(result.error.code === 'meetings/not_found' ? 404 : 400).json(errorJson(result.error));
        const m = result.material;
        res.status(201).json({ ok: true, error: null, material: { id: m.id, fileName: m.fileName, contentType: m.contentType, sizeBytes: m.sizeBytes, sha256: m.sha256, visibility: m.visibility, downloadPath: `/files/meeting-materials/${m.id}` } });
      } catch (err) {
        const status = authStatus(err);
        if (status) return void res.status(status).json({ ok: false, error: { code: status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', message: (err as Error).message, messageEn: status === 401 ? 'Sign in first.' : 'Not allowed.', field: null } });
        logger.error('material upload failed', { error: err instanceof Error ? err.message : String(err) });
        res.status(500).json({ ok: false, error: { code: 'INTERNAL', message: '内部エラーが発生しました。時間をおいて再度お試しください。', messageEn: 'Internal error.', field: null } });
      }
    },
  );

  router.get('/meeting-materials/:id', async (req: Request, res: Response) => {
    try {
      const file = await manager(res).materialForDownload(String(req.params.id));
      if (!file) return void res.status(404).type('text/plain; charset=utf-8').send('資料が見つかりません。');
      sendDownload(res, file.meta, file.content);
    } catch (err) {
      failText(res, err, 'material download');
    }
  });

  router.get('/meetings/:id/attendance.csv', async (req: Request, res: Response) => {
    try {
      const list = await manager(res).attendanceList(String(req.params.id));
      if (!list) return void res.status(404).type('text/plain; charset=utf-8').send('会議が見つかりません。');
      const lines = [ATTENDANCE_HEADERS.map(csvCell).join(',')];
      for (const r of list.rows) {
        lines.push(
          [list.title, list.when, r.organisationName, ROLE_JA[r.role], r.rsvp ? RSVP_JA[r.rsvp] : '未回答', r.proxyName ?? '', r.attendance ? ATTENDANCE_JA[r.attendance] : '未記録', r.attendeeName ?? '', r.attendanceNote ?? r.rsvpNote ?? '', r.attendanceRecordedAt ? jst.format(r.attendanceRecordedAt) : '']
            .map(csvCell)
            .join(','),
        );
      }
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="attendance-${String(req.params.id).slice(0, 8)}.csv"; filename*=UTF-8''${encodeURIComponent(`${list.title} 出欠.csv`)}`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(`\uFEFF${lines.join('\r\n')}\r\n`);
    } catch (err) {
      failText(res, err, 'attendance export');
    }
  });

  router.get('/meetings/:id/meeting.ics', async (req: Request, res: Response) => {
    try {
      const result = await manager(res).meetingIcs(String(req.params.id));
      if (!result) return void res.status(404).type('text/plain; charset=utf-8').send('会議が見つかりません。');
      if (!result.ok) return void res.status(409).type('text/plain; charset=utf-8').send(result.error.messageJa);
      res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${result.fileName}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(result.ics);
    } catch (err) {
      failText(res, err, 'meeting ics');
    }
  });

  router.use((err: { type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (err?.type === 'entity.too.large') return void res.status(413).json(errorJson(meetingsErrors.fileTooLarge(MAX_MATERIAL_BYTES / 1024 / 1024)));
    next(err);
  });
  return router;
}

/** GET /calendar/:token.ics — no session: the secret token in the URL is the credential. */
export function calendarFeedHandler(deps: MeetingFiles, logger: Logger) {
  return async (req: Request, res: Response) => {
    const token = String(req.params.token ?? '');
    try {
      const ics = await deps.calendarFeed(token);
      if (!ics) return void res.status(404).type('text/plain; charset=utf-8').send('カレンダーが見つかりません。URLを再発行した場合は新しいURLを登録してください。');
      res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
      res.setHeader('Cache-Control', 'private, max-age=300');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.send(ics);
    } catch (err) {
      // The token never goes to the log.
      logger.error('calendar feed failed', { error: err instanceof Error ? err.message : String(err) });
      res.status(500).type('text/plain; charset=utf-8').send('内部エラーが発生しました。');
    }
  };
}
