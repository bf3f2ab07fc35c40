/**
 * GET /files/reports/dashboard.csv — the dashboard's figures as one CSV that opens in Excel (UTF-8 with
 * BOM, CRLF, Japanese headers): the same filter as the reportDashboard query, the same rules (through
 * the reports manager), and suppressed cells written as such.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from '../services/shared/logger';
import type { Viewer } from '../services/shared/viewer';
import type { Count, Dashboard, ReportsManager } from '../services/reports/reports.manager';
import { csvCell } from './auth';
import { authStatus } from './files';

const STAGE_JA: Record<string, string> = { TARGETING: '支援対象', MUTUAL_UNDERSTANDING: '双方の理解', TRUST_BUILDING: '信頼関係の構築', AWARENESS: '気づき・腹落ち', INTRINSIC_MOTIVATION: '内発的動機づけ', PROBLEM_SOLVING: '課題解決', FOLLOW_UP: 'フォローアップ・自走化' };
const REASON_JA: Record<string, string> = { OUT_OF_SCOPE: '支援対象外', NO_CAPACITY: '受入余力なし', OUT_OF_AREA: '対象地域外', FIRM_UNREACHABLE: '企業と連絡がつかない', ALREADY_SUPPORTED: '既に他機関が支援中', OTHER: 'その他' };
const CATEGORY_JA: Record<string, string> = { COMMERCE_AND_INDUSTRY: '商工団体', PROFESSIONAL: '士業団体', FINANCIAL: '金融機関等', ADMINISTRATIVE_AGENCY: '独立行政法人', OBSERVER: 'オブザーバー', PUBLIC_BODY: '公的機関' };
const LEVEL_JA: Record<string, string> = { NOT_YET: 'まだ支援が必要', PARTLY: '一部自走', SELF_RUNNING: '自走化' };
const ANSWER_JA: Record<string, string> = {
  VERY_SATISFIED: '大変満足',
  SATISFIED: '満足',
  DISSATISFIED: '不満',
  STRONGLY: '大いに気づき・納得できた',
  YES: '気づき・納得できた',
  NOT_MUCH: 'あまり気づき・納得できなかった',
  A_LOT: '大いに変化した',
  SOME: 'ある程度変化した',
  NONE: '全く変化しなかった',
};
const CHANGE_NOT_MUCH = 'あまり変化しなかった';
const METRIC_JA: Record<string, string> = { FIRMS_SUPPORTED: '支援企業数', ENGAGEMENTS_COMPLETED: '完了した伴走支援', REFERRALS_ACCEPTED: '受け入れた紹介' };
const HEADERS = ['区分', '項目', '内訳', '件数・値', '受入件数', '割合'];

export interface ReportFiles {
  reportsFor: (viewer: Viewer) => ReportsManager;
  /** Body names for the body-to-body flows. */
  organisationNames: (ids: string[]) => Promise<Map<string, string>>;
}

const cell = (c: Count) => (c.suppressed ? '秘匿' : String(c.value ?? 0));
const pct = (v: number | null) => (v === null ? '' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null) => (v === null ? '' : String(Math.round(v * 100) / 100));

/** The dashboard as CSV rows: section, item, breakdown, value, accepted, share. */
export function dashboardRows(d: Dashboard, names: Map<string, string>): string[][] {
  const rows: string[][] = [];
  const add = (section: string, item: string, detail: string, value: string, accepted = '', share = '') => rows.push([section, item, detail, value, accepted, share]);
  add('期間', d.periodLabel, `${d.from}〜${d.to}`, '');
  if (d.suppressing) add('注記', '秘匿', `${d.suppressionThreshold}件未満の件数は秘匿`, '');
  const r = d.referrals;
  add('紹介', '送付', '', cell(r.sent));
  add('紹介', '受付', '', cell(r.received));
  add('紹介', '回答済み', '', cell(r.answered));
  add('紹介', '受入', '', cell(r.accepted));
  add('紹介', '辞退', '', cell(r.declined));
  add('紹介', '回付', '', cell(r.forwarded));
  add('紹介', '受入率', '', pct(r.acceptanceRate));
  add('紹介', '回答までの営業日数', '中央値', num(r.responseDaysMedian));
  add('紹介', '回答までの営業日数', '90パーセンタイル', num(r.responseDaysP90));
  for (const x of r.declinesByReason) add('辞退理由', REASON_JA[x.reason] ?? x.reason, '', cell(x.count));
  const e = d.engagements;
  add('伴走支援', '開始', '', cell(e.opened));
  add('伴走支援', '完了', '', cell(e.completed));
  add('伴走支援', '支援企業数', '', cell(e.firmsSupported));
  for (const x of e.funnel) add('段階（到達）', STAGE_JA[x.stage] ?? x.stage, '', cell(x.count));
  for (const x of e.teamsByBodies) add('チームの機関数', x.bodies === 4 ? '4機関以上' : `${x.bodies}機関`, '', cell(x.count));
  for (const f of d.network.byCategory) add('紹介の流れ（区分）', `${CATEGORY_JA[f.fromKey] ?? f.fromKey} → ${CATEGORY_JA[f.toKey] ?? f.toKey}`, '', cell(f.sent), cell(f.accepted));
  for (const f of d.network.byBody) add('紹介の流れ（機関）', `${names.get(f.fromKey) ?? f.fromKey} → ${names.get(f.toKey) ?? f.toKey}`, '', cell(f.sent), cell(f.accepted));
  const o = d.outcomes;
  add('成果', '測定済みの伴走支援', '', cell(o.measured));
  for (const [label, s] of [['売上高', o.sales], ['営業利益', o.operatingProfit], ['付加価値額', o.valueAdded], ['従業員数', o.employees]] as const) {
    add('成果', label, '変化の中央値', num(s.medianChange));
    if (s.medianPercent !== null) add('成果', label, '変化率の中央値', `${num(s.medianPercent)}%`);
    for (const b of s.distribution) add('成果の分布', label, b.label, cell(b.count));
  }
  for (const x of o.selfReliance) add('自走化の評価', LEVEL_JA[x.level] ?? x.level, '', cell(x.count));
  add('本質的課題', '解決', '', cell(o.issuesResolved));
  add('本質的課題', '設定（見送りを除く）', '', cell(o.issuesTotal));
  add('満足度アンケート', '発行', '', cell(d.survey.issued));
  add('満足度アンケート', '回答', '', cell(d.survey.answered));
  for (const [q, list] of [['①総合満足度', d.survey.overall], ['②本質的課題への気づき・納得', d.survey.awareness], ['③自走化に向けた行動・意識の変化', d.survey.change]] as const) {
    for (const a of list) add('満足度アンケート', q, q.startsWith('③') && a.answer === 'NOT_MUCH' ? CHANGE_NOT_MUCH : (ANSWER_JA[a.answer] ?? a.answer), cell(a.count), '', pct(a.share));
  }
  for (const t of d.targets) add('目標', METRIC_JA[t.metric] ?? t.metric, `目標 ${t.target}`, t.actual === null ? '秘匿' : String(t.actual), '', pct(t.progress));
  return rows;
}

export function reportFilesRouter(deps: ReportFiles, logger: Logger): Router {
  const router = express.Router();
  router.get('/reports/dashboard.csv', async (req: Request, res: Response) => {
    const one = (k: string): string | undefined => (typeof req.query[k] === 'string' && req.query[k] !== '' ? (req.query[k] as string) : undefined);
    const fy = one('fiscalYear');
    const filter = { fiscalYear: fy === undefined ? null : Number(fy), from: one('from') ?? null, to: one('to') ?? null, organisationId: one('organisationId') ?? null, category: one('category') ?? null, prefectureCode: one('prefectureCode') ?? null };
    try {
      const result = await deps.reportsFor(res.locals.viewer as Viewer).dashboard(filter);
      if (!result.ok) return void res.status(400).type('text/plain; charset=utf-8').send(result.error.messageJa);
      const d = result.dashboard;
      const names = await deps.organisationNames([...new Set(d.network.byBody.flatMap((f) => [f.fromKey, f.toKey]))]);
      const lines = [HEADERS, ...dashboardRows(d, names)].map((row) => row.map(csvCell).join(','));
      const stamp = d.fiscalYear !== null ? `FY${d.fiscalYear}` : `${d.from}_${d.to}`;
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="banso-report-${stamp}.csv"; filename*=UTF-8''${encodeURIComponent(`伴走支援 実績報告 ${d.periodLabel}.csv`)}`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(`\uFEFF${lines.join('\r\n')}\r\n`);
    } catch (err) {
      const status = authStatus(err);
      if (status) return void res.status(status).type('text/plain; charset=utf-8').send((err as Error).message);
      logger.error('report export failed', { error: err instanceof Error ? err.message : String(err) });
      res.status(500).type('text/plain; charset=utf-8').send('内部エラーが発生しました。');
    }
  });
  return router;
}
