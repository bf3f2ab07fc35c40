/**
 * The referral rules: who may see which firm and referral, consent before any data crosses bodies,
 * the APPI provision record for every crossing, the referral's states, the response clock with its
 * reminders and escalations, and the notices that close the loop. One manager per request.
 *
 * Visibility: a body sees the firms it holds and those shared with it under a consent in force; it
 * sees the referrals it sent, and those it received while their consent stands. A referral or firm
 * the body may not see answers exactly like one that does not exist.
 */
import crypto from 'node:crypto';
import DataLoader from 'dataloader';
import type { ConsentCategory, ConsentMethod, DeclineReason, OutcomeResult, OutcomeStage, ReferralStatus, ReferralUrgency, SupportType } from '../../generated/prisma/enums';
import { forbidden, unauthenticated } from '../shared/auth-errors';
import type { DomainError } from '../shared/errors';
import type { Prisma } from '../../generated/prisma/client';
import { businessCalendar, jstDayStart, responseDeadline, toJstDay } from '../shared/business-days';
import { isUuid, type Connection } from '../shared/pagination';
import { can, type Permission } from '../shared/permissions';
import type { Viewer } from '../shared/viewer';
import { isPrefectureCode } from '../directory/prefectures';
import { checkAttachment, MAX_ATTACHMENTS_PER_REFERRAL } from './attachments';
import { firmMatchKey, isJsicDivision, normaliseKana, validateCorporateNumber, validateKana } from './firm-identity';
import { allowedActions, ANSWERING_ACTIONS, refusal, RULES, type ReferralAction, type Side, type TransitionAction } from './referral-states';
import { referralsErrors, type ReferralsError } from './referrals.errors';
import type { AttachmentMeta, ConsentRow, DuplicateFlagRow, FirmRow, HoldingRow, InboxBox, Page, ProvisionRow, ReferralEventRow, ReferralRow, ReferralsStore } from './referrals.store';

export type Result<T> = ({ ok: true; error: null } & T) | { ok: false; error: DomainError };

const MAX_PAGE = 100;
const DAY_MS = 86_400_000;
export const DEFAULT_RESPONSE_DAYS = 3;
const REQUIRED_FOR_REFERRAL: ConsentCategory[] = ['PROFILE', 'ISSUES'];
const CATEGORY_JA: Record<ConsentCategory, string> = { PROFILE: '基本情報', FINANCIALS: '財務・規模情報', ISSUES: '経営課題・相談内容', DOCUMENTS: '添付資料' };
export const DECLINE_REASON_JA: Record<DeclineReason, string> = {
  OUT_OF_SCOPE: '支援対象外',
  NO_CAPACITY: '受入余力なし',
  OUT_OF_AREA: '対象地域外',
  FIRM_UNREACHABLE: '企業と連絡がつかない',
  ALREADY_SUPPORTED: '既に他機関が支援中',
  OTHER: 'その他',
};
const STAGE_JA: Record<OutcomeStage, string> = { ISSUE_SETTING: '課題設定まで', ISSUE_SOLVING: '課題解決の実行まで', SELF_RUNNING: '自走化' };
const RESULT_JA: Record<OutcomeResult, string> = { RESOLVED: '解決', PARTLY_RESOLVED: '一部解決', NOT_RESOLVED: '未解決', FIRM_WITHDREW: '企業の意向で終了' };

export interface FirmView {
  row: FirmRow;
  access: 'HOLDER' | 'SHARED';
  categories: ConsentCategory[];
  figures: HoldingRow | null;
}

export interface ReferralView {
  row: ReferralRow;
  side: Side;
}

export interface ClockView {
  businessDays: number;
  dueAt: Date;
  escalatesAt: Date | null;
  businessDaysLeft: number | null;
  overdue: boolean;
  answeredAt: Date | null;
}

export interface FiguresInput {
  capitalYen?: number | null;
  employees?: number | null;
  annualSalesYen?: number | null;
  fiscalYearEndMonth?: number | null;
}

export interface FirmInput {
  corporateNumber?: string | null;
  nameJa: string;
  nameKana: string;
  prefectureCode: string;
  industryDivision: string;
  industryCode?: string | null;
  representativeName?: string | null;
  representativeTitle?: string | null;
  figures?: FiguresInput | null;
}

export interface ConsentInput {
  firmId: string;
  recipientOrganisationId: string;
  categories: ConsentCategory[];
  method: ConsentMethod;
  obtainedAt: string;
  givenBy: string;
}

export interface ReferralInput {
  firmId: string;
  recipientOrganisationId: string;
  consentId: string;
  supportType: SupportType;
  urgency?: ReferralUrgency | null;
  reason: string;
  summary: string;
}

export interface OutcomeInput {
  summary: string;
  stage: OutcomeStage;
  result: OutcomeResult;
}

interface Acting {
  accountId: string;
  organisationId: string;
}

/** Where the recipient of each scheduled notice comes from, and when it fires. */
const NOTICE_KEYS = (id: string) => ({ reminder: `referral-reminder:${id}`, overdue: `referral-overdue:${id}`, escalation: `referral-escalation:${id}` });

export const referenceOf = (n: number) => `R-${String(n).padStart(6, '0')}`;

function text(value: string | null | undefined, field: string, labelJa: string, max: number, required: boolean): Result<{ value: string | null }> {
  const v = (value ?? '').normalize('NFC').trim();
  if (!v) return required ? { ok: false, error: referralsErrors.required(field, labelJa, max) } : { ok: true, error: null, value: null };
  if (v.length > max) return { ok: false, error: referralsErrors.tooLong(field, labelJa, max) };
  return { ok: true, error: null, value: v };
}

function cursorOf(key: Date | string, id: string): string {
  return Buffer.from(JSON.stringify([key instanceof Date ? key.toISOString() : key, id]), 'utf8').toString('base64url');
}

function pageOf(first: number | null | undefined, after: string | null | undefined): Page {
  const take = first ?? 50;
  if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE) throw referralsErrors.invalidPageSize(MAX_PAGE);
  if (!after) return { take };
  try {
    if (!/^[A-Za-z0-9_-]{1,400}$/.test(after)) throw new Error('shape');
    const [key, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof key !== 'string' || typeof id !== 'string' || !isUuid(id) || key.length > 200) throw new Error('shape');
    return { take, after: { key, id } };
  } catch {
    throw referralsErrors.invalidCursor();
  }
}

function connection<T>(result: { rows: T[]; hasNextPage: boolean; totalCount: number }, keyOf: (row: T) => [Date | string, string]): Connection<T> {
  const last = result.rows[result.rows.length - 1];
  return { nodes: result.rows, pageInfo: { hasNextPage: result.hasNextPage, endCursor: last ? cursorOf(...keyOf(last)) : null }, totalCount: result.totalCount };
}

/** 'YYYY-MM-DD' (a JST day) or an ISO instant; not in the future, not before 2000. */
function parsePastInstant(value: string, now: Date): Date | null {
  let d: Date;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    d = jstDayStart(value);
    if (toJstDay(d) !== value) return null;
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value)) d = new Date(value);
  else return null;
  if (Number.isNaN(d.getTime()) || d.getTime() > now.getTime() + 5 * 60_000 || d.getUTCFullYear() < 2000) return null;
  return d;
}


export class ReferralsManager {
  private readonly firmLoader: DataLoader<string, FirmView | null>;
  private readonly referralLoader: DataLoader<string, ReferralView | null>;
  private readonly consentLoader: DataLoader<string, ConsentRow | null>;
  private readonly eventsLoader: DataLoader<string, ReferralEventRow[]>;
  private readonly attachmentsLoader: DataLoader<string, AttachmentMeta[]>;
  private readonly forwardLoader: DataLoader<string, { id: string; recipientOrganisationId: string } | null>;
  private readonly calendar = businessCalendar();

  /** Business days from sending to the first answer (0 when answered on the day it arrived), for reports. */
  private businessDaysToAnswer(sentAt: Date | null, answeredAt: Date): number | null {
    return sentAt ? Math.max(0, this.calendar.businessDaysBetween(toJstDay(sentAt), toJstDay(answeredAt))) : null;
  }

  constructor(
    private readonly store: ReferralsStore,
    private readonly viewer: Viewer,
    private readonly now: () => Date = () => new Date(),
  ) {
    const org = viewer.organisationId;
    this.firmLoader = new DataLoader(async (ids) => {
      if (!org) return ids.map(() => null);
      const rows = await store.firmsVisibleTo(ids, org);
      const shared = await store.sharedConsents(rows.filter((r) => !r.holdings.some((h) => h.organisationId === org)).map((r) => r.id), org);
      const byId = new Map(rows.map((r) => [r.id, this.firmView(r, org, shared)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    this.referralLoader = new DataLoader(async (ids) => {
      const rows = org ? await store.referralsByIds(ids.filter(isUuid)) : [];
      const byId = new Map<string, ReferralView>();
      for (const row of rows) {
        const side = this.sideOf(row, org);
        if (side) byId.set(row.id, { row, side });
      }
      return ids.map((id) => byId.get(id) ?? null);
    });
    this.consentLoader = new DataLoader(async (ids) => {
      const rows = await store.consentsByIds(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    this.eventsLoader = new DataLoader(async (ids) => {
      const rows = await store.eventsOf(ids);
      return ids.map((id) => rows.filter((r) => r.referralId === id));
    });
    this.attachmentsLoader = new DataLoader(async (ids) => {
      const rows = await store.attachmentsOf(ids);
      return ids.map((id) => rows.filter((r) => r.referralId === id));
    });
    this.forwardLoader = new DataLoader(async (ids) => {
      const rows = await store.referralsForwardedFrom(ids);
      return ids.map((id) => rows.find((r) => r.forwardedFromId === id) ?? null);
    });
  }

  // ── Who the viewer is ───────────────────────────────────────────────────────────────────────

  private acting(permission: Permission): Acting {
    const v = this.viewer;
    if (!v.accountId || !v.organisationId) throw unauthenticated();
    if (!can(v, permission, v.organisationId)) throw forbidden();
    return { accountId: v.accountId, organisationId: v.organisationId };
  }

  private sideOf(row: ReferralRow, org: string | null): Side | null {
    if (!org) return null;
    if (row.senderOrganisationId === org) return 'SENDER';
    if (row.recipientOrganisationId === org && row.status !== 'DRAFT' && row.consent && !row.consent.withdrawnAt) return 'RECIPIENT';
    return null;
  }

  private firmView(row: FirmRow, org: string, shared: Array<{ firmId: string; providerOrganisationId: string; categories: ConsentCategory[] }>): FirmView {
    const own = row.holdings.find((h) => h.organisationId === org);
    if (own) return { row, access: 'HOLDER', categories: ['PROFILE', 'FINANCIALS', 'ISSUES', 'DOCUMENTS'], figures: own };
    const mine = shared.filter((c) => c.firmId === row.id);
    const categories = [...new Set(mine.flatMap((c) => c.categories))];
    const financial = mine.find((c) => c.categories.includes('FINANCIALS'));
    const figures = financial ? (row.holdings.find((h) => h.organisationId === financial.providerOrganisationId) ?? null) : null;
    return { row, access: 'SHARED', categories, figures };
  }

  // ── Firms ───────────────────────────────────────────────────────────────────────────────────

  async firm(id: string): Promise<FirmView | null> {
    this.acting('firms.read');
    return isUuid(id) ? this.firmLoader.load(id.toLowerCase()) : null;
  }

  /** For references from other rows the viewer already may see (a referral's firm). */
  firmQuiet(id: string): Promise<FirmView | null> {
    return this.firmLoader.load(id);
  }

  async firmByCorporateNumber(input: string): Promise<FirmView | null> {
    this.acting('firms.read');
    const checked = validateCorporateNumber(input);
    if (!checked.ok) throw checked.error;
    const row = await this.store.firmByCorporateNumber(checked.value);
    return row ? this.firmLoader.load(row.id) : null;
  }

  async firms(search: string | null | undefined, first?: number | null, after?: string | null): Promise<Connection<FirmView>> {
    const a = this.acting('firms.read');
    const page = pageOf(first, after);
    const s = (search ?? '').normalize('NFKC').trim();
    const term = s ? (/^[\u30a0-\u30ff\u3040-\u309f\s]+$/.test(s) ? normaliseKana(s) : s).slice(0, 100) : undefined;
    const result = await this.store.findFirms(a.organisationId, term, page);
    const shared = await this.store.sharedConsents(result.rows.filter((r) => !r.holdings.some((h) => h.organisationId === a.organisationId)).map((r) => r.id), a.organisationId);
    const views = result.rows.map((r) => this.firmView(r, a.organisationId, shared));
    return connection({ ...result, rows: views }, (v) => [v.row.nameKana, v.row.id]);
  }

  private checkFirmInput(input: FirmInput): Result<{ data: { nameJa: string; nameKana: string; prefectureCode: string; industryDivision: string; industryCode: string | null; representativeName: string | null; representativeTitle: string | null; matchKey: string }; figures: Pick<HoldingRow, 'capitalYen' | 'employees' | 'annualSalesYen' | 'fiscalYearEndMonth'> }> {
    const name = text(input.nameJa, 'nameJa', '商号（企業名）', 200, true);
    if (!name.ok) return name;
    const kana = validateKana(input.nameKana ?? '');
    if (!kana.ok) return { ok: false, error: kana.error };
    if (!isPrefectureCode(input.prefectureCode ?? '')) return { ok: false, error: referralsErrors.invalidPrefecture() };
    const division = (input.industryDivision ?? '').trim().toUpperCase();
    if (!isJsicDivision(division)) return { ok: false, error: referralsErrors.invalidIndustry() };
    const industryCode = text(input.industryCode, 'industryCode', '業種コード', 10, false);
    if (!industryCode.ok) return industryCode;
    if (industryCode.value && !/^\d{2,4}$/.test(industryCode.value)) return { ok: false, error: referralsErrors.invalidIndustry('industryCode') };
    const repName = text(input.representativeName, 'representativeName', '代表者氏名', 100, false);
    if (!repName.ok) return repName;
    const repTitle = text(input.representativeTitle, 'representativeTitle', '代表者の役職', 50, false);
    if (!repTitle.ok) return repTitle;
    const f = input.figures ?? {};
    const money = (v: number | null | undefined, field: string, labelJa: string): Result<{ value: bigint | null }> => {
      if (v === null || v === undefined) return { ok: true, error: null, value: null };
      if (!Number.isFinite(v) || v < 0 || v > 1e15 || !Number.isInteger(v)) return { ok: false, error: referralsErrors.invalidFigure(`figures.${field}`, labelJa) };
      return { ok: true, error: null, value: BigInt(v) };
    };
    const capital = money(f.capitalYen, 'capitalYen', '資本金');
    if (!capital.ok) return capital;
    const sales = money(f.annualSalesYen, 'annualSalesYen', '年商');
    if (!sales.ok) return sales;
    if (f.employees !== null && f.employees !== undefined && (!Number.isInteger(f.employees) || f.employees < 0 || f.employees > 1_000_000)) {
      return { ok: false, error: referralsErrors.invalidFigure('figures.employees', '従業員数') };
    }
    if (f.fiscalYearEndMonth !== null && f.fiscalYearEndMonth !== undefined && (!Number.isInteger(f.fiscalYearEndMonth) || f.fiscalYearEndMonth < 1 || f.fiscalYearEndMonth > 12)) {
      return { ok: false, error: referralsErrors.invalidMonth('figures.fiscalYearEndMonth') };
    }
    return {
      ok: true,
      error: null,
      data: {
        nameJa: name.value!,
        nameKana: kana.value,
        prefectureCode: input.prefectureCode,
        industryDivision: division,
        industryCode: industryCode.value,
        representativeName: repName.value,
        representativeTitle: repTitle.value,
        matchKey: firmMatchKey(name.value!, input.prefectureCode),
      },
      figures: { capitalYen: capital.value, annualSalesYen: sales.value, employees: f.employees ?? null, fiscalYearEndMonth: f.fiscalYearEndMonth ?? null },
    };
  }

  async registerFirm(input: FirmInput): Promise<Result<{ firm: FirmView; linkedExisting: boolean; possibleDuplicates: FirmView[] }>> {
    const a = this.acting('firms.register');
    let corporateNumber: string | null = null;
    if (input.corporateNumber && input.corporateNumber.trim()) {
      const checked = validateCorporateNumber(input.corporateNumber);
      if (!checked.ok) return { ok: false, error: checked.error };
      corporateNumber = checked.value;
    }
    const checked = this.checkFirmInput(input);
    if (!checked.ok) return checked;
    const outcome = await this.store.transaction(async (tx) => {
      if (corporateNumber) {
        const existing = await tx.firmByCorporateNumber(corporateNumber);
        if (existing) {
          // One firm, one record: the body becomes a holder of it with its own figures.
          await tx.upsertHolding(existing.id, a.organisationId, checked.figures);
          return { id: existing.id, linkedExisting: true, duplicates: [] as string[] };
        }
      }
      const firm = await tx.createFirm(
        { ...checked.data, corporateNumber, createdByOrganisationId: a.organisationId, createdByAccountId: a.accountId },
        { organisationId: a.organisationId, ...checked.figures },
      );
      const candidates = (await tx.firmsWithMatchKey(firm.matchKey, firm.id)).map((c) => c.id);
      await tx.flagDuplicates(firm.id, candidates);
      return { id: firm.id, linkedExisting: false, duplicates: candidates };
    });
    const firm = (await this.firmLoader.load(outcome.id))!;
    const possibleDuplicates = (await this.firmLoader.loadMany(outcome.duplicates)).filter((f): f is FirmView => !!f && !(f instanceof Error));
    return { ok: true, error: null, firm, linkedExisting: outcome.linkedExisting, possibleDuplicates };
  }

  async updateFirm(input: FirmInput & { id: string; expectedVersion: number }): Promise<Result<{ firm: FirmView; linkedExisting: boolean; possibleDuplicates: FirmView[] }>> {
    const a = this.acting('firms.register');
    const current = isUuid(input.id) ? await this.firmLoader.load(input.id.toLowerCase()) : null;
    if (!current || current.access !== 'HOLDER') return { ok: false, error: referralsErrors.firmNotFound('id') };
    const checked = this.checkFirmInput(input);
    if (!checked.ok) return checked;
    const outcome = await this.store.transaction(async (tx) => {
      if (!(await tx.updateFirm(current.row.id, input.expectedVersion, checked.data))) return null;
      await tx.upsertHolding(current.row.id, a.organisationId, checked.figures);
      const candidates = current.row.matchKey === checked.data.matchKey ? [] : (await tx.firmsWithMatchKey(checked.data.matchKey, current.row.id)).map((c) => c.id);
      await tx.flagDuplicates(current.row.id, candidates);
      return candidates;
    });
    if (!outcome) return { ok: false, error: referralsErrors.staleFirm() };
    this.firmLoader.clear(current.row.id);
    const possibleDuplicates = (await this.firmLoader.loadMany(outcome)).filter((f): f is FirmView => !!f && !(f instanceof Error));
    return { ok: true, error: null, firm: (await this.firmLoader.load(current.row.id))!, linkedExisting: false, possibleDuplicates };
  }

  async duplicates(): Promise<Array<{ flag: DuplicateFlagRow; firm: FirmView; candidate: FirmView }>> {
    const a = this.acting('firms.merge');
    const hubAdmin = this.viewer.roles.includes('HUB_ADMIN');
    const flags = await this.store.openDuplicateFlags(hubAdmin ? null : a.organisationId);
    const out = [];
    for (const flag of flags) {
      const [firm, candidate] = await Promise.all([this.firmForFlag(flag.firmId, hubAdmin), this.firmForFlag(flag.candidateId, hubAdmin)]);
      if (firm && candidate) out.push({ flag, firm, candidate });
    }
    return out;
  }

  /** A hub admin deciding on a flag sees both records as a holder would (the merge is audited by the flag). */
  private async firmForFlag(id: string, hubAdmin: boolean): Promise<FirmView | null> {
    if (!hubAdmin) return this.firmLoader.load(id);
    const row = await this.store.firmById(id);
    return row ? { row, access: 'SHARED', categories: ['PROFILE'], figures: null } : null;
  }

  async resolveDuplicate(id: string, resolution: 'MERGED' | 'DISTINCT'): Promise<Result<object>> {
    const a = this.acting('firms.merge');
    const hubAdmin = this.viewer.roles.includes('HUB_ADMIN');
    const visible = isUuid(id) ? (await this.store.openDuplicateFlags(hubAdmin ? null : a.organisationId)).find((f) => f.id === id.toLowerCase()) : undefined;
    if (!visible) {
      const flag = isUuid(id) ? await this.store.duplicateFlag(id.toLowerCase()) : null;
      // Already decided: say so to whoever may see the record that remains.
      const seesIt = flag?.resolvedAt && (hubAdmin || (await this.firmLoader.load(flag.candidateId)) || (await this.firmLoader.load(flag.firmId)));
      return { ok: false, error: seesIt ? referralsErrors.duplicateResolved() : referralsErrors.firmNotFound('id') };
    }
    if (resolution === 'MERGED') {
      // Two different 法人番号 are two legal entities, whatever their names say.
      const [dup, survivor] = await Promise.all([this.store.firmById(visible.firmId), this.store.firmById(visible.candidateId)]);
      if (dup?.corporateNumber && survivor?.corporateNumber && dup.corporateNumber !== survivor.corporateNumber) return { ok: false, error: referralsErrors.distinctNumbers() };
    }
    const done = await this.store.transaction(async (tx) => {
      if (!(await tx.resolveDuplicateFlag(visible.id, resolution, a.accountId))) return false;
      // The newer record (the one flagged) folds into the older candidate.
      if (resolution === 'MERGED') await tx.mergeFirm(visible.firmId, visible.candidateId, a.accountId);
      return true;
    });
    return done ? { ok: true, error: null } : { ok: false, error: referralsErrors.duplicateResolved() };
  }

  // ── Consents ────────────────────────────────────────────────────────────────────────────────

  consent(id: string): Promise<ConsentRow | null> {
    return this.consentLoader.load(id);
  }

  /** Consents of a firm the viewer's body gave or received (the firm must be visible). */
  async consentsOfFirm(firm: FirmView): Promise<ConsentRow[]> {
    const org = this.viewer.organisationId;
    return org ? this.store.consentsOfFirm(firm.row.id, org) : [];
  }

  async recordConsent(input: ConsentInput): Promise<Result<{ consent: ConsentRow }>> {
    const a = this.acting('consents.record');
    const firm = isUuid(input.firmId) ? await this.firmLoader.load(input.firmId.toLowerCase()) : null;
    if (!firm) return { ok: false, error: referralsErrors.firmNotFound() };
    const recipient = await this.checkRecipient(input.recipientOrganisationId, a);
    if (!recipient.ok) return recipient;
    const categories = [...new Set(input.categories)];
    if (categories.length === 0) return { ok: false, error: referralsErrors.noCategories() };
    // A body can pass on only what it may see itself.
    const beyond = categories.find((c) => !firm.categories.includes(c));
    if (beyond) return { ok: false, error: referralsErrors.consentScope(CATEGORY_JA[beyond], 'categories') };
    const obtainedAt = parsePastInstant(input.obtainedAt ?? '', this.now());
    if (!obtainedAt) return { ok: false, error: referralsErrors.invalidDate('obtainedAt') };
    const givenBy = text(input.givenBy, 'givenBy', '同意した方（企業側）', 100, true);
    if (!givenBy.ok) return givenBy;
    const consent = await this.store.createConsent({
      firmId: firm.row.id,
      providerOrganisationId: a.organisationId,
      recipientOrganisationId: recipient.id,
      categories,
      method: input.method,
      obtainedAt,
      givenBy: givenBy.value!,
      recordedByAccountId: a.accountId,
    });
    return { ok: true, error: null, consent };
  }

  /**
   * Withdraws a consent the viewer's body recorded. Open referrals under it are cancelled (their
   * receivers are told, without firm data), and the recipient no longer sees the firm through it.
   */
  async withdrawConsent(id: string, note: string | null | undefined): Promise<Result<{ consent: ConsentRow }>> {
    const a = this.acting('consents.record');
    const consent = isUuid(id) ? await this.store.consentById(id.toLowerCase()) : null;
    if (!consent || consent.providerOrganisationId !== a.organisationId) return { ok: false, error: referralsErrors.notFound('id') };
    if (consent.withdrawnAt) return { ok: false, error: referralsErrors.consentWithdrawn('id') };
    const n = text(note, 'note', 'メモ', 1000, false);
    if (!n.ok) return n;
    const senderName = (await this.store.organisationNames([a.organisationId])).get(a.organisationId) ?? '紹介元';
    const now = this.now();
    // Everything inside the transaction: a referral changed meanwhile is cancelled all the same.
    await this.store.transaction(async (tx) => {
      if (!(await tx.withdrawConsent(consent.id, a.accountId, n.value, now))) return;
      const cancelled = await tx.cancelOpenUnderConsent(consent.id, now);
      const staff = new Map<string, string[]>();
      for (const r of cancelled) {
        if (!staff.has(r.recipientOrganisationId)) staff.set(r.recipientOrganisationId, await tx.staffWithRoles(r.recipientOrganisationId, ['ORG_ADMIN', 'SUPPORTER']));
        await tx.addEvent({ referralId: r.id, kind: 'consent_withdrawn', fromStatus: r.fromStatus, toStatus: 'CANCELLED', actorAccountId: a.accountId, actorOrganisationId: a.organisationId, note: n.value, at: now });
        await tx.cancelScheduled(Object.values(NOTICE_KEYS(r.id)));
        await tx.publish('referrals.cancelled', {
          referralId: r.id,
          reference: referenceOf(r.number),
          recipientOrganisationId: r.recipientOrganisationId,
          accountIds: staff.get(r.recipientOrganisationId) ?? [],
          senderOrganisationName: senderName,
          consentWithdrawn: true,
        });
      }
    });
    return { ok: true, error: null, consent: (await this.store.consentById(consent.id))! };
  }

  private async checkRecipient(id: string, a: Acting, field = 'recipientOrganisationId'): Promise<Result<{ id: string; name: string }>> {
    if (!isUuid(id ?? '')) return { ok: false, error: referralsErrors.unknownBody(field) };
    const orgId = id.toLowerCase();
    if (orgId === a.organisationId) return { ok: false, error: referralsErrors.ownBody(field) };
    const name = (await this.store.organisationNames([orgId])).get(orgId);
    if (!name) return { ok: false, error: referralsErrors.unknownBody(field) };
    return { ok: true, error: null, id: orgId, name };
  }

  /** A consent in force, recorded by the body, for this firm and recipient, covering what a referral carries. */
  private checkConsent(consent: ConsentRow | null, firmId: string, providerId: string, recipientId: string, field = 'consentId'): ReferralsError | null {
    if (!consent || consent.firmId !== firmId || consent.providerOrganisationId !== providerId || consent.recipientOrganisationId !== recipientId) return referralsErrors.noConsent(field);
    if (consent.withdrawnAt) return referralsErrors.consentWithdrawn(field);
    const missing = REQUIRED_FOR_REFERRAL.find((c) => !consent.categories.includes(c));
    return missing ? referralsErrors.consentScope(CATEGORY_JA[missing], field) : null;
  }

  // ── Provision records ───────────────────────────────────────────────────────────────────────

  private provisionScope(): string | null {
    const a = this.acting('provision_records.read');
    return this.viewer.roles.includes('HUB_ADMIN') ? null : a.organisationId;
  }

  private provisionFilter(filter: { from?: string | null; to?: string | null; firmId?: string | null } | null | undefined): { from?: Date; to?: Date; firmId?: string } {
    const f = filter ?? {};
    const day = (v: string | null | undefined, field: string): Date | undefined => {
      if (!v) return undefined;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || toJstDay(jstDayStart(v)) !== v) throw referralsErrors.invalidDate(field);
      return jstDayStart(v);
    };
    const from = day(f.from, 'filter.from');
    const toDay = day(f.to, 'filter.to');
    if (f.firmId && !isUuid(f.firmId)) throw referralsErrors.firmNotFound('filter.firmId');
    return { from, to: toDay ? new Date(toDay.getTime() + DAY_MS) : undefined, firmId: f.firmId?.toLowerCase() };
  }

  async provisionRecords(filter: { from?: string | null; to?: string | null; firmId?: string | null } | null | undefined, first?: number | null, after?: string | null): Promise<Connection<ProvisionRow>> {
    const scope = this.provisionScope();
    const result = await this.store.provisionRecords(scope, this.provisionFilter(filter), pageOf(first, after));
    return connection(result, (r) => [r.providedAt, r.id]);
  }

  /** Every record the viewer may read, for the CSV export (checked before the first row). */
  exportProvisionRecords(filter: { from?: string | null; to?: string | null; firmId?: string | null }): AsyncGenerator<ProvisionRow> {
    const scope = this.provisionScope();
    return this.store.allProvisionRecords(scope, this.provisionFilter(filter));
  }

  /** Names of bodies (for the CSV export of records the viewer may already read). */
  organisationNames(ids: string[]): Promise<Map<string, string>> {
    return this.store.organisationNames(ids);
  }

  // ── Referrals: reading ──────────────────────────────────────────────────────────────────────

  async referral(id: string): Promise<ReferralView | null> {
    this.acting('referrals.read');
    return isUuid(id) ? this.referralLoader.load(id.toLowerCase()) : null;
  }

  /** A referral linked from one the viewer sees (forwardedFrom / forwardedTo); null unless visible too. */
  referralQuiet(id: string): Promise<ReferralView | null> {
    return this.referralLoader.load(id);
  }

  forwardedTo(id: string): Promise<{ id: string; recipientOrganisationId: string } | null> {
    return this.forwardLoader.load(id);
  }

  async inbox(box: InboxBox, first?: number | null, after?: string | null): Promise<Connection<ReferralView>> {
    const a = this.acting('referrals.read');
    const result = await this.store.inbox(a.organisationId, box, pageOf(first, after), this.now());
    const views = result.rows.map((row) => ({ row, side: 'RECIPIENT' as const }));
    for (const v of views) this.referralLoader.prime(v.row.id, v);
    const byDeadline = box === 'NEW' || box === 'OVERDUE';
    return connection({ ...result, rows: views }, (v) => [(byDeadline ? v.row.responseDueAt : v.row.updatedAt) ?? v.row.createdAt, v.row.id]);
  }

  async sent(statuses: ReferralStatus[] | null | undefined, first?: number | null, after?: string | null): Promise<Connection<ReferralView>> {
    const a = this.acting('referrals.read');
    const result = await this.store.sent(a.organisationId, statuses ?? undefined, pageOf(first, after));
    const views = result.rows.map((row) => ({ row, side: 'SENDER' as const }));
    for (const v of views) this.referralLoader.prime(v.row.id, v);
    return connection({ ...result, rows: views }, (v) => [v.row.createdAt, v.row.id]);
  }

  async counts(): Promise<{ new: number; overdue: number; inProgress: number; sentOpen: number }> {
    const a = this.acting('referrals.read');
    return this.store.counts(a.organisationId, this.now());
  }

  async referralsOfFirm(firm: FirmView): Promise<ReferralView[]> {
    const org = this.viewer.organisationId;
    if (!org || !can(this.viewer, 'referrals.read', org)) return [];
    const rows = await this.store.referralsOfFirm(firm.row.id, org);
    return rows.flatMap((row) => {
      const side = this.sideOf(row, org);
      return side ? [{ row, side }] : [];
    });
  }

  timeline(v: ReferralView): Promise<ReferralEventRow[]> {
    return this.eventsLoader.load(v.row.id);
  }

  async attachments(v: ReferralView): Promise<AttachmentMeta[]> {
    if (v.side === 'RECIPIENT' && !v.row.consent?.categories.includes('DOCUMENTS')) return [];
    return this.attachmentsLoader.load(v.row.id);
  }

  allowedActions(v: ReferralView): ReferralAction[] {
    const org = this.viewer.organisationId;
    const holds = (p: Permission) => can(this.viewer, p, org);
    return allowedActions(v.row.status, v.side).filter((action) => (RULES[action].side === 'SENDER' ? holds('referrals.send') : holds('referrals.respond')));
  }

  clock(v: ReferralView): ClockView | null {
    const r = v.row;
    if (!r.sentAt || !r.responseDueAt || !r.responseBusinessDays) return null;
    const now = this.now();
    const answeredAt = r.respondedAt;
    const stopped = answeredAt !== null || r.status === 'CANCELLED';
    return {
      businessDays: r.responseBusinessDays,
      dueAt: r.responseDueAt,
      escalatesAt: r.escalatesAt,
      answeredAt,
      overdue: answeredAt ? answeredAt > r.responseDueAt : !stopped && now > r.responseDueAt,
      businessDaysLeft: stopped ? null : this.calendar.businessDaysBetween(toJstDay(now), toJstDay(r.responseDueAt)),
    };
  }

  // ── Referrals: changing ─────────────────────────────────────────────────────────────────────

  private checkContent(input: { supportType: SupportType; reason: string; summary: string }): Result<{ reason: string; summary: string }> {
    const reason = text(input.reason, 'reason', '紹介の理由', 2000, true);
    if (!reason.ok) return reason;
    const summary = text(input.summary, 'summary', '相談の概要', 4000, true);
    if (!summary.ok) return summary;
    return { ok: true, error: null, reason: reason.value!, summary: summary.value! };
  }

  async createReferral(input: ReferralInput, send: boolean): Promise<Result<{ referral: ReferralView }>> {
    const a = this.acting('referrals.send');
    const firm = isUuid(input.firmId ?? '') ? await this.firmLoader.load(input.firmId.toLowerCase()) : null;
    if (!firm) return { ok: false, error: referralsErrors.firmNotFound() };
    const recipient = await this.checkRecipient(input.recipientOrganisationId, a);
    if (!recipient.ok) return recipient;
    const consent = isUuid(input.consentId ?? '') ? await this.consentLoader.load(input.consentId.toLowerCase()) : null;
    const consentError = this.checkConsent(consent, firm.row.id, a.organisationId, recipient.id);
    if (consentError) return { ok: false, error: consentError };
    const content = this.checkContent(input);
    if (!content.ok) return content;
    const prepared = send ? await this.prepareSend(recipient.id, a.organisationId) : null;
    const now = this.now();
    const id = await this.store.transaction(async (tx) => {
      const row = await tx.createReferral({
        firmId: firm.row.id,
        consentId: consent!.id,
        senderOrganisationId: a.organisationId,
        senderAccountId: a.accountId,
        recipientOrganisationId: recipient.id,
        supportType: input.supportType,
        urgency: input.urgency ?? 'NORMAL',
        reason: content.reason,
        summary: content.summary,
        createdAt: now,
      });
      await tx.addEvent({ referralId: row.id, kind: 'created', toStatus: 'DRAFT', actorAccountId: a.accountId, actorOrganisationId: a.organisationId, at: now });
      if (prepared && !(await this.sendWithin(tx, row, firm, consent!, a, prepared, now))) throw new Error('a new draft changed under its own transaction');
      return row.id;
    });
    return { ok: true, error: null, referral: (await this.reload(id))! };
  }

  async updateDraft(input: ReferralInput & { id: string; expectedVersion: number; urgency: ReferralUrgency }): Promise<Result<{ referral: ReferralView }>> {
    const a = this.acting('referrals.send');
    const v = await this.load(input.id);
    if (!v) return { ok: false, error: referralsErrors.notFound() };
    const refused = this.refuse(v, 'EDIT', input.expectedVersion);
    if (refused) return { ok: false, error: refused };
    const recipient = await this.checkRecipient(input.recipientOrganisationId, a);
    if (!recipient.ok) return recipient;
    const consent = isUuid(input.consentId ?? '') ? await this.consentLoader.load(input.consentId.toLowerCase()) : null;
    const consentError = this.checkConsent(consent, v.row.firmId, a.organisationId, recipient.id);
    if (consentError) return { ok: false, error: consentError };
    const content = this.checkContent(input);
    if (!content.ok) return content;
    const now = this.now();
    const ok = await this.store.transaction(async (tx) => {
      const changed = await tx.updateReferral(v.row.id, input.expectedVersion, 'DRAFT', {
        recipientOrganisationId: recipient.id,
        consentId: consent!.id,
        supportType: input.supportType,
        urgency: input.urgency,
        reason: content.reason,
        summary: content.summary,
      });
      if (changed) await tx.addEvent({ referralId: v.row.id, kind: 'edited', actorAccountId: a.accountId, actorOrganisationId: a.organisationId, at: now });
      return changed;
    });
    if (!ok) return { ok: false, error: referralsErrors.stale() };
    return { ok: true, error: null, referral: (await this.reload(v.row.id))! };
  }

  private async load(id: string): Promise<ReferralView | null> {
    return isUuid(id ?? '') ? this.referralLoader.load(id.toLowerCase()) : null;
  }

  private async reload(id: string): Promise<ReferralView | null> {
    this.referralLoader.clear(id);
    this.eventsLoader.clear(id);
    this.attachmentsLoader.clear(id);
    return this.referralLoader.load(id);
  }

  /** Why this side may not do the action now (already done, stale view, wrong status), or null. */
  private refuse(v: ReferralView, action: ReferralAction, expectedVersion: number): ReferralsError | null {
    const byStatus = refusal(action, v.row.status, v.side);
    if (byStatus && byStatus.code === 'referrals/already_accepted') return byStatus;
    if (v.row.version !== expectedVersion) return referralsErrors.stale();
    if (byStatus) return RULES[action].side !== v.side ? referralsErrors.wrongSide(RULES[action].side) : byStatus;
    return null;
  }

  /** Reads done before the send's transaction (on the embedded database a read outside a transaction waits for it). */
  private async prepareSend(recipientId: string, senderId: string) {
    const [days, names, staff, admins, secretariat] = await Promise.all([
      this.store.responseDays(recipientId),
      this.store.organisationNames([recipientId, senderId]),
      this.store.staffWithRoles(recipientId, ['ORG_ADMIN', 'SUPPORTER']),
      this.store.staffWithRoles(recipientId, ['ORG_ADMIN']),
      this.store.secretariatStaff(),
    ]);
    return { days: days ?? DEFAULT_RESPONSE_DAYS, names, staff, admins, secretariat };
  }

  /**
   * DRAFT → SENT inside the caller's transaction: starts the clock, records the provision, tells the
   * receiver and schedules the reminder, the overdue notice and the escalation.
   */
  private async sendWithin(tx: ReferralsStore, row: ReferralRow, firm: FirmView, consent: ConsentRow, a: Acting, p: Awaited<ReturnType<ReferralsManager['prepareSend']>>, now: Date, version = row.version): Promise<boolean> {
    const dueAt = responseDeadline(now, p.days, this.calendar);
    const escalatesAt = new Date(jstDayStart(this.calendar.nextBusinessDay(toJstDay(dueAt))).getTime() + DAY_MS - 1);
    if (!(await tx.updateReferral(row.id, version, 'DRAFT', { status: 'SENT', sentAt: now, responseBusinessDays: p.days, responseDueAt: dueAt, escalatesAt }))) return false;
    await tx.addEvent({ referralId: row.id, kind: 'sent', fromStatus: 'DRAFT', toStatus: 'SENT', actorAccountId: a.accountId, actorOrganisationId: a.organisationId, at: now, details: { dueAt: dueAt.toISOString(), businessDays: p.days } });
    const attachments = await tx.countAttachments(row.id);
    await this.recordProvision(tx, firm, consent, row.id, a, now, consent.categories.filter((c) => c !== 'DOCUMENTS' || attachments > 0));
    const reference = referenceOf(row.number);
    const senderName = p.names.get(row.senderOrganisationId) ?? '紹介元';
    const recipientName = p.names.get(row.recipientOrganisationId) ?? '紹介先';
    const base = { referralId: row.id, reference, recipientOrganisationId: row.recipientOrganisationId, senderOrganisationName: senderName, dueAt: dueAt.toISOString() };
    await tx.publish('referrals.received', { ...base, accountIds: p.staff, firmName: firm.row.nameJa, urgency: row.urgency });
    const keys = NOTICE_KEYS(row.id);
    const reminderAt = new Date(jstDayStart(toJstDay(dueAt)).getTime() + 9 * 3600_000);
    if (reminderAt > now) await tx.schedule(keys.reminder, reminderAt, 'referrals.response_due', { ...base, accountIds: p.staff });
    await tx.schedule(keys.overdue, new Date(dueAt.getTime() + 1), 'referrals.overdue', { ...base, accountIds: p.admins });
    await tx.schedule(keys.escalation, new Date(escalatesAt.getTime() + 1), 'referrals.escalated', {
      ...base,
      accountIds: p.secretariat.accountIds,
      recipientOrganisationName: recipientName,
      secretariatOrganisationId: p.secretariat.organisationId,
    });
    return true;
  }

  private recordProvision(tx: ReferralsStore, firm: FirmView, consent: ConsentRow, referralId: string, a: Acting, now: Date, dataItems: ConsentCategory[]): Promise<void> {
    return tx.recordProvision({
      at: now,
      providerOrganisationId: a.organisationId,
      recipientOrganisationId: consent.recipientOrganisationId,
      firm: firm.row,
      consent,
      dataItems,
      referralId,
      recordedByAccountId: a.accountId,
    });
  }


  async send(id: string, expectedVersion: number): Promise<Result<{ referral: ReferralView }>> {
    const a = this.acting('referrals.send');
    const v = await this.load(id);
    if (!v) return { ok: false, error: referralsErrors.notFound() };
    const refused = this.refuse(v, 'SEND', expectedVersion);
    if (refused) return { ok: false, error: refused };
    const firm = await this.firmLoader.load(v.row.firmId);
    if (!firm) return { ok: false, error: referralsErrors.firmNotFound() };
    const consent = v.row.consentId ? await this.store.consentById(v.row.consentId) : null;
    const consentError = this.checkConsent(consent, v.row.firmId, a.organisationId, v.row.recipientOrganisationId);
    if (consentError) return { ok: false, error: consentError };
    const prepared = await this.prepareSend(v.row.recipientOrganisationId, a.organisationId);
    const sent = await this.store.transaction((tx) => this.sendWithin(tx, v.row, firm, consent!, a, prepared, this.now(), expectedVersion));
    if (!sent) return { ok: false, error: referralsErrors.stale() };
    return { ok: true, error: null, referral: (await this.reload(v.row.id))! };
  }

  /**
   * A receiver's transition (accept, decline, start, hold, resume, complete) or the sender's cancel:
   * one guarded update, its timeline entry, and the notice that closes the loop.
   */
  private async transition(
    id: string,
    expectedVersion: number,
    action: Exclude<TransitionAction, 'SEND' | 'FORWARD'>,
    opts: { note?: string | null; data?: Record<string, unknown>; details?: Record<string, unknown> } = {},
  ): Promise<Result<{ referral: ReferralView }>> {
    const a = this.acting(RULES[action].side === 'SENDER' ? 'referrals.send' : 'referrals.respond');
    const v = await this.load(id);
    if (!v) return { ok: false, error: referralsErrors.notFound() };
    const refused = this.refuse(v, action, expectedVersion);
    if (refused) return { ok: false, error: refused };
    const r = v.row;
    const to = RULES[action].to!;
    const now = this.now();
    const answers = ANSWERING_ACTIONS.includes(action) && !r.respondedAt;
    const closes = to === 'DECLINED' || to === 'COMPLETED' || to === 'CANCELLED';
    const names = await this.store.organisationNames([r.senderOrganisationId, r.recipientOrganisationId]);
    const receiverStaff = action === 'CANCEL' && r.status !== 'DRAFT' ? await this.store.staffWithRoles(r.recipientOrganisationId, ['ORG_ADMIN', 'SUPPORTER']) : [];
    const firmName = (await this.firmLoader.load(r.firmId))?.row.nameJa ?? '（企業）';
    const ok = await this.store.transaction(async (tx) => {
      const data = {
        status: to,
        ...(answers ? { respondedAt: now, respondedBusinessDays: this.businessDaysToAnswer(r.sentAt, now) } : {}),
        ...(closes ? { closedAt: now } : {}),
        ...(action === 'ACCEPT' && !r.assigneeAccountId ? { assigneeAccountId: a.accountId } : {}),
        ...(opts.data ?? {}),
      };
      if (!(await tx.updateReferral(r.id, expectedVersion, r.status, data))) return false;
      await tx.addEvent({ referralId: r.id, kind: RULES[action].kind, fromStatus: r.status, toStatus: to, actorAccountId: a.accountId, actorOrganisationId: a.organisationId, note: opts.note ?? null, at: now, ...(opts.details ? { details: opts.details as Prisma.InputJsonValue } : {}) });
      if (answers || closes) await tx.cancelScheduled(Object.values(NOTICE_KEYS(r.id)));
      const toSender = { referralId: r.id, reference: referenceOf(r.number), recipientOrganisationId: r.recipientOrganisationId, accountIds: [r.senderAccountId], senderOrganisationId: r.senderOrganisationId, recipientOrganisationName: names.get(r.recipientOrganisationId) ?? '紹介先', firmName };
      if (action === 'ACCEPT') await tx.publish('referrals.accepted', toSender);
      if (action === 'DECLINE') await tx.publish('referrals.declined', { ...toSender, reasonJa: DECLINE_REASON_JA[opts.data!.declineReason as DeclineReason], note: opts.note ?? null });
      if (action === 'COMPLETE') {
        const o = opts.details as { stage: OutcomeStage; result: OutcomeResult; summary: string };
        await tx.publish('referrals.completed', { ...toSender, stageJa: STAGE_JA[o.stage], resultJa: RESULT_JA[o.result], summary: o.summary });
      }
      if (action === 'CANCEL' && r.status !== 'DRAFT') {
        await tx.publish('referrals.cancelled', { referralId: r.id, reference: referenceOf(r.number), recipientOrganisationId: r.recipientOrganisationId, accountIds: receiverStaff, senderOrganisationName: names.get(r.senderOrganisationId) ?? '紹介元', consentWithdrawn: false });
      }
      return true;
    });
    if (!ok) return { ok: false, error: referralsErrors.stale() };
    return { ok: true, error: null, referral: (await this.reload(r.id))! };
  }

  accept(id: string, expectedVersion: number, note?: string | null) {
    const n = text(note, 'note', 'メモ', 2000, false);
    return n.ok ? this.transition(id, expectedVersion, 'ACCEPT', { note: n.value }) : Promise.resolve(n);
  }

  decline(id: string, expectedVersion: number, reason: DeclineReason, note?: string | null) {
    const n = text(note, 'note', '辞退の理由（詳細）', 2000, reason === 'OTHER');
    return n.ok ? this.transition(id, expectedVersion, 'DECLINE', { note: n.value, data: { declineReason: reason, declineNote: n.value } }) : Promise.resolve(n);
  }

  start(id: string, expectedVersion: number, note?: string | null) {
    const n = text(note, 'note', 'メモ', 2000, false);
    return n.ok ? this.transition(id, expectedVersion, 'START', { note: n.value }) : Promise.resolve(n);
  }

  hold(id: string, expectedVersion: number, note: string) {
    const n = text(note, 'note', '保留の理由', 2000, true);
    return n.ok ? this.transition(id, expectedVersion, 'HOLD', { note: n.value }) : Promise.resolve(n);
  }

  resume(id: string, expectedVersion: number, note?: string | null) {
    const n = text(note, 'note', 'メモ', 2000, false);
    return n.ok ? this.transition(id, expectedVersion, 'RESUME', { note: n.value }) : Promise.resolve(n);
  }

  complete(id: string, expectedVersion: number, outcome: OutcomeInput) {
    const s = text(outcome?.summary, 'outcome.summary', '支援の内容と結果', 4000, true);
    if (!s.ok) return Promise.resolve(s);
    const details = { summary: s.value!, stage: outcome.stage, result: outcome.result };
    return this.transition(id, expectedVersion, 'COMPLETE', { data: { outcomeSummary: s.value, outcomeStage: outcome.stage, outcomeResult: outcome.result }, details });
  }

  cancel(id: string, expectedVersion: number, note: string) {
    const n = text(note, 'note', '取り下げの理由', 2000, true);
    return n.ok ? this.transition(id, expectedVersion, 'CANCEL', { note: n.value }) : Promise.resolve(n);
  }

  /**
   * The receiver passes the referral on: the original is closed as FORWARDED and a new referral from
   * the receiver to the next body is sent at once, under a consent the receiver recorded for it.
   */
  async forward(id: string, expectedVersion: number, recipientOrganisationId: string, consentId: string, note?: string | null): Promise<Result<{ referral: ReferralView }>> {
    const a = this.acting('referrals.respond');
    if (!can(this.viewer, 'referrals.send', a.organisationId)) throw forbidden();
    const v = await this.load(id);
    if (!v) return { ok: false, error: referralsErrors.notFound() };
    const refused = this.refuse(v, 'FORWARD', expectedVersion);
    if (refused) return { ok: false, error: refused };
    const r = v.row;
    const target = await this.checkRecipient(recipientOrganisationId, a);
    if (!target.ok) return target;
    const firm = await this.firmLoader.load(r.firmId);
    if (!firm) return { ok: false, error: referralsErrors.firmNotFound() };
    const consent = isUuid(consentId ?? '') ? await this.store.consentById(consentId.toLowerCase()) : null;
    const consentError = this.checkConsent(consent, r.firmId, a.organisationId, target.id);
    if (consentError) return { ok: false, error: consentError };
    const n = text(note, 'note', '回付の理由', 2000, false);
    if (!n.ok) return n;
    const prepared = await this.prepareSend(target.id, a.organisationId);
    const names = await this.store.organisationNames([r.senderOrganisationId, r.recipientOrganisationId, target.id]);
    const now = this.now();
    const ok = await this.store.transaction(async (tx) => {
      if (!(await tx.updateReferral(r.id, expectedVersion, r.status, { status: 'FORWARDED', closedAt: now, ...(r.respondedAt ? {} : { respondedAt: now, respondedBusinessDays: this.businessDaysToAnswer(r.sentAt, now) }) }))) return false;
      await tx.cancelScheduled(Object.values(NOTICE_KEYS(r.id)));
      const next = await tx.createReferral({
        firmId: r.firmId,
        consentId: consent!.id,
        senderOrganisationId: a.organisationId,
        senderAccountId: a.accountId,
        recipientOrganisationId: target.id,
        forwardedFromId: r.id,
        supportType: r.supportType,
        urgency: r.urgency,
        reason: n.value ? `${n.value}\n\n（${names.get(r.senderOrganisationId) ?? '紹介元'}からの紹介 ${referenceOf(r.number)} の理由）\n${r.reason}` : r.reason,
        summary: r.summary,
        createdAt: now,
      });
      await tx.addEvent({ referralId: r.id, kind: 'forwarded', fromStatus: r.status, toStatus: 'FORWARDED', actorAccountId: a.accountId, actorOrganisationId: a.organisationId, note: n.value, at: now, details: { forwardedTo: next.id, organisationId: target.id } });
      await tx.addEvent({ referralId: next.id, kind: 'created', toStatus: 'DRAFT', actorAccountId: a.accountId, actorOrganisationId: a.organisationId, at: now, details: { forwardedFrom: r.id } });
      if (!(await this.sendWithin(tx, next, firm, consent!, a, prepared, now))) throw new Error('a new referral changed under its own transaction');
      await tx.publish('referrals.forwarded', {
        referralId: r.id,
        reference: referenceOf(r.number),
        recipientOrganisationId: r.recipientOrganisationId,
        accountIds: [r.senderAccountId],
        senderOrganisationId: r.senderOrganisationId,
        recipientOrganisationName: names.get(r.recipientOrganisationId) ?? '紹介先',
        forwardedToName: target.name,
        firmName: firm.row.nameJa,
      });
      return true;
    });
    if (!ok) return { ok: false, error: referralsErrors.stale() };
    return { ok: true, error: null, referral: (await this.reload(r.id))! };
  }

  async assign(id: string, expectedVersion: number, assigneeAccountId: string | null | undefined): Promise<Result<{ referral: ReferralView }>> {
    const a = this.acting('referrals.respond');
    const v = await this.load(id);
    if (!v) return { ok: false, error: referralsErrors.notFound() };
    const refused = this.refuse(v, 'ASSIGN', expectedVersion);
    if (refused) return { ok: false, error: refused };
    const assignee = assigneeAccountId ? assigneeAccountId.toLowerCase() : null;
    if (assignee && (!isUuid(assignee) || !(await this.store.isStaffOf(assignee, a.organisationId)))) return { ok: false, error: referralsErrors.notStaff() };
    const now = this.now();
    const ok = await this.store.transaction(async (tx) => {
      if (!(await tx.updateReferral(v.row.id, expectedVersion, v.row.status, { assigneeAccountId: assignee }))) return false;
      await tx.addEvent({ referralId: v.row.id, kind: 'assigned', actorAccountId: a.accountId, actorOrganisationId: a.organisationId, at: now, details: { assigneeAccountId: assignee } });
      return true;
    });
    if (!ok) return { ok: false, error: referralsErrors.stale() };
    return { ok: true, error: null, referral: (await this.reload(v.row.id))! };
  }

  // ── Attachments ─────────────────────────────────────────────────────────────────────────────

  async addAttachment(referralId: string, rawName: string, bytes: Uint8Array): Promise<Result<{ attachment: AttachmentMeta }>> {
    const a = this.acting('referrals.send');
    const v = await this.load(referralId);
    if (!v || v.side !== 'SENDER') return { ok: false, error: referralsErrors.notFound('referralId') };
    const byStatus = refusal('ATTACH', v.row.status, v.side);
    if (byStatus) return { ok: false, error: byStatus };
    const consent = v.row.consentId ? await this.store.consentById(v.row.consentId) : null;
    if (!consent || consent.withdrawnAt) return { ok: false, error: referralsErrors.noConsent('file') };
    if (!consent.categories.includes('DOCUMENTS')) return { ok: false, error: referralsErrors.consentScope(CATEGORY_JA.DOCUMENTS, 'file') };
    const checked = checkAttachment(rawName, bytes);
    if (!checked.ok) return checked;
    const firm = v.row.status === 'DRAFT' ? null : await this.firmLoader.load(v.row.firmId);
    const now = this.now();
    const attachment = await this.store.transaction(async (tx) => {
      if ((await tx.countAttachments(v.row.id)) >= MAX_ATTACHMENTS_PER_REFERRAL) return null;
      const meta = await tx.addAttachment({
        referralId: v.row.id,
        fileName: checked.fileName,
        contentType: checked.contentType,
        sizeBytes: bytes.length,
        sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
        content: Uint8Array.from(bytes),
        uploadedByAccountId: a.accountId,
        uploadedAt: now,
      });
      await tx.addEvent({ referralId: v.row.id, kind: 'attachment_added', actorAccountId: a.accountId, actorOrganisationId: a.organisationId, at: now, details: { attachmentId: meta.id, fileName: meta.fileName } });
      // Already with the receiver: this file crosses bodies now.
      if (firm) await this.recordProvision(tx, firm, consent, v.row.id, a, now, ['DOCUMENTS']);
      return meta;
    });
    if (!attachment) return { ok: false, error: referralsErrors.tooManyFiles(MAX_ATTACHMENTS_PER_REFERRAL) };
    return { ok: true, error: null, attachment };
  }

  async removeAttachment(id: string): Promise<Result<object>> {
    const a = this.acting('referrals.send');
    const meta = isUuid(id ?? '') ? await this.store.attachmentMeta(id.toLowerCase()) : null;
    const v = meta ? await this.load(meta.referralId) : null;
    if (!meta || !v || v.side !== 'SENDER') return { ok: false, error: referralsErrors.notFound() };
    if (v.row.status !== 'DRAFT') return { ok: false, error: referralsErrors.illegalTransition(v.row.status, '添付ファイルを削除する') };
    await this.store.transaction(async (tx) => {
      await tx.removeAttachment(meta.id);
      await tx.addEvent({ referralId: v.row.id, kind: 'attachment_removed', actorAccountId: a.accountId, actorOrganisationId: a.organisationId, at: this.now(), details: { fileName: meta.fileName } });
    });
    return { ok: true, error: null };
  }

  /** The file, for a viewer whose body may see the referral and its documents; null otherwise. */
  async attachmentForDownload(id: string): Promise<{ meta: AttachmentMeta; content: Uint8Array } | null> {
    this.acting('referrals.read');
    const meta = isUuid(id ?? '') ? await this.store.attachmentMeta(id.toLowerCase()) : null;
    const v = meta ? await this.load(meta.referralId) : null;
    if (!meta || !v || !(await this.attachments(v)).some((x) => x.id === meta.id)) return null;
    const row = await this.store.attachmentContent(meta.id);
    return row ? { meta, content: row.content } : null;
  }

  // ── Settings ────────────────────────────────────────────────────────────────────────────────

  async settings(organisationId: string): Promise<{ organisationId: string; responseBusinessDays: number }> {
    const v = this.viewer;
    if (!v.accountId || !v.organisationId) throw unauthenticated();
    if (!isUuid(organisationId)) throw referralsErrors.unknownBody('organisationId');
    const id = organisationId.toLowerCase();
    // Anyone working with referrals may know a body's response time; those who may set it may read it.
    if (!can(v, 'referrals.read', v.organisationId) && !can(v, 'referrals.settings', id)) throw forbidden();
    return { organisationId: id, responseBusinessDays: (await this.store.responseDays(id)) ?? DEFAULT_RESPONSE_DAYS };
  }

  async setResponseDays(organisationId: string, days: number): Promise<Result<{ settings: { organisationId: string; responseBusinessDays: number } }>> {
    const v = this.viewer;
    if (!v.accountId || !v.organisationId) throw unauthenticated();
    if (!isUuid(organisationId) || !can(v, 'referrals.settings', organisationId.toLowerCase())) throw forbidden();
    if (!Number.isInteger(days) || days < 1 || days > 20) return { ok: false, error: referralsErrors.invalidResponseDays() };
    const id = organisationId.toLowerCase();
    if (!(await this.store.organisationNames([id])).has(id)) return { ok: false, error: referralsErrors.unknownBody('organisationId') };
    await this.store.setResponseDays(id, days);
    return { ok: true, error: null, settings: { organisationId: id, responseBusinessDays: days } };
  }
}
