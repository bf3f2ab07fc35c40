/**
 * The engagement rules: need-to-know access (the lead and the members who accepted), the seven
 * stages (going back needs a reason), the team from invitation to leaving (capacity and conflicts of
 * interest acknowledged, consent for members from other bodies, the provision record when firm data
 * reaches them), outcome figures and their six-monthly reminder, and the audit of every firm read.
 */
import DataLoader from 'dataloader';
import type { EngagementStage, IssueStatus, Qualification, SelfRelianceLevel, Speciality, SupportType, TeamSlot } from '../../generated/prisma/enums';
import { forbidden, unauthenticated } from '../shared/auth-errors';
import { jstDayStart, toJstDay } from '../shared/business-days';
import type { DomainError } from '../shared/errors';
import { isUuid, type Connection } from '../shared/pagination';
import { can, type Permission } from '../shared/permissions';
import type { Viewer } from '../shared/viewer';
import { isPrefectureCode } from '../directory/prefectures';
import { normaliseForSearch } from '../directory/search-text';
import { engagementsErrors } from './engagements.errors';
import type { ConsentRow, EngagementRow, EngagementsStore, IssueRow, OutcomeRow, SessionRow, StageChangeRow, TeamMemberRow } from './engagements.store';

export type Result<T> = ({ ok: true; error: null } & T) | { ok: false; error: DomainError };

export const STAGES: readonly EngagementStage[] = ['TARGETING', 'MUTUAL_UNDERSTANDING', 'TRUST_BUILDING', 'AWARENESS', 'INTRINSIC_MOTIVATION', 'PROBLEM_SOLVING', 'FOLLOW_UP'];
export const STAGE_JA: Record<EngagementStage, string> = {
  TARGETING: '支援対象',
  MUTUAL_UNDERSTANDING: '双方の理解',
  TRUST_BUILDING: '信頼関係の構築',
  AWARENESS: '気づき・腹落ち',
  INTRINSIC_MOTIVATION: '内発的動機づけ',
  PROBLEM_SOLVING: '課題解決',
  FOLLOW_UP: 'フォローアップ・自走化',
};
const SLOT_JA: Record<TeamSlot, string> = { LEAD: 'リーダー', FACILITATOR: 'ファシリテーター', SPECIALIST: '専門家', FINANCIAL_INSTITUTION: '金融機関', LOCAL_ADVISOR: '地域の支援者', OTHER: 'その他' };
const MAX_PAGE = 100;
/** Figures beyond this (one quadrillion yen) are typing mistakes, not firms. */
const MAX_YEN = 1e15;
const OUTCOME_INTERVAL_MONTHS = 6;

export const referenceOf = (n: number) => `E-${String(n).padStart(6, '0')}`;

export interface EngagementView {
  row: EngagementRow;
  isLead: boolean;
  /** The firm's data may be shown (profile and issues). */
  firmVisible: boolean;
  /** Outcome figures may be shown (the owner body, or a consent covering FINANCIALS). */
  figuresVisible: boolean;
}

export interface SupporterView {
  personId: string;
  organisationIds: string[];
  load: number;
  capacity: number;
}

interface Acting {
  accountId: string;
  organisationId: string;
}

function text(value: string | null | undefined, field: string, labelJa: string, max: number, required: boolean): Result<{ value: string | null }> {
  const v = (value ?? '').normalize('NFC').trim();
  if (!v) return required ? { ok: false, error: engagementsErrors.required(field, labelJa, max) } : { ok: true, error: null, value: null };
  if (v.length > max) return { ok: false, error: engagementsErrors.tooLong(field, labelJa, max) };
  return { ok: true, error: null, value: v };
}

/** A JST calendar day 'YYYY-MM-DD' not in the future, as the Date Prisma stores for @db.Date. */
function pastDay(value: string | null | undefined, now: Date): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const start = jstDayStart(value);
  if (toJstDay(start) !== value || value > toJstDay(now) || value < '2000-01-01') return null;
  return new Date(`${value}T00:00:00.000Z`);
}

const isoDay = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);

function offsetPage(first: number | null | undefined, after: string | null | undefined): { take: number; skip: number } {
  const take = first ?? 50;
  if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE) throw engagementsErrors.invalidPageSize(MAX_PAGE);
  if (!after) return { take, skip: 0 };
  const m = /^o:(\d{1,7})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!m || !/^[A-Za-z0-9_-]{1,40}$/.test(after)) throw engagementsErrors.invalidCursor();
  return { take, skip: Number(m[1]) };
}

function connection<T>(nodes: T[], skip: number, totalCount: number): Connection<T> {
  const next = skip + nodes.length;
  return { nodes, pageInfo: { hasNextPage: next < totalCount, endCursor: nodes.length ? Buffer.from(`o:${next}`).toString('base64url') : null }, totalCount };
}

export class EngagementsManager {
  private readonly engagementLoader: DataLoader<string, EngagementView | null>;
  private readonly membersLoader: DataLoader<string, TeamMemberRow[]>;
  private readonly stageLoader: DataLoader<string, StageChangeRow[]>;
  private readonly issuesLoader: DataLoader<string, IssueRow[]>;
  private readonly sessionsLoader: DataLoader<string, SessionRow[]>;
  private readonly outcomesLoader: DataLoader<string, OutcomeRow[]>;
  private readonly accountOfPerson: DataLoader<string, string | null>;
  private personIdPromise: Promise<string | null> | undefined;

  constructor(
    private readonly store: EngagementsStore,
    private readonly viewer: Viewer,
    private readonly now: () => Date = () => new Date(),
  ) {
    const grouped = <T extends { engagementId: string }>(load: (ids: readonly string[]) => Promise<T[]>) =>
      new DataLoader<string, T[]>(async (ids) => {
        const rows = await load(ids);
        return ids.map((id) => rows.filter((r) => r.engagementId === id));
      });
    this.membersLoader = grouped((ids) => store.members(ids));
    this.stageLoader = grouped((ids) => store.stageChanges(ids));
    this.issuesLoader = grouped((ids) => store.issues(ids));
    this.sessionsLoader = grouped((ids) => store.sessions(ids));
    this.outcomesLoader = grouped((ids) => store.outcomes(ids));
    this.accountOfPerson = new DataLoader(async (ids) => {
      const map = await store.accountsOfPersons(ids);
      return ids.map((id) => map.get(id) ?? null);
    });
    this.engagementLoader = new DataLoader(async (ids) => {
      const rows = await store.engagementsByIds(ids);
      const views = await Promise.all(rows.map((r) => this.viewOf(r)));
      const byId = new Map(views.filter((v): v is EngagementView => !!v).map((v) => [v.row.id, v]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  // ── Who the viewer is ───────────────────────────────────────────────────────────────────────

  private acting(permission: Permission): Acting {
    const v = this.viewer;
    if (!v.accountId || !v.organisationId) throw unauthenticated();
    if (!can(v, permission, v.organisationId)) throw forbidden();
    return { accountId: v.accountId, organisationId: v.organisationId };
  }

  private personId(): Promise<string | null> {
    if (!this.viewer.accountId) return Promise.resolve(null);
    this.personIdPromise ??= this.store.personIdOf(this.viewer.accountId);
    return this.personIdPromise;
  }

  /** What the viewer may see of an engagement: nothing unless lead or accepted member. */
  private async viewOf(row: EngagementRow): Promise<EngagementView | null> {
    const accountId = this.viewer.accountId;
    if (!accountId) return null;
    const isLead = row.leadAccountId === accountId;
    const personId = await this.personId();
    const membership = personId ? (await this.membersLoader.load(row.id)).find((m) => m.personId === personId && m.status === 'ACCEPTED') : undefined;
    if (!isLead && !membership) return null;
    // The lead and members of the owner body see what the owner body sees; others what their consent covers.
    const body = isLead || !membership || membership.organisationId === row.ownerOrganisationId ? row.ownerOrganisationId : membership.organisationId;
    let firmVisible = false;
    let figuresVisible = false;
    if (body === row.ownerOrganisationId) {
      firmVisible = !!(await this.store.firmVisibleTo(row.firmId, body));
      figuresVisible = true;
    } else if (membership?.consentId) {
      const consent = await this.store.consent(membership.consentId);
      const live = !!consent && !consent.withdrawnAt && consent.firmId === row.firmId;
      firmVisible = live && consent!.categories.includes('PROFILE');
      figuresVisible = live && consent!.categories.includes('FINANCIALS');
    }
    return { row, isLead, firmVisible, figuresVisible };
  }

  private async load(id: string): Promise<EngagementView | null> {
    return isUuid(id ?? '') ? this.engagementLoader.load(id.toLowerCase()) : null;
  }

  private async reload(id: string): Promise<EngagementView> {
    for (const l of [this.engagementLoader, this.membersLoader, this.stageLoader, this.issuesLoader, this.sessionsLoader, this.outcomesLoader]) l.clear(id);
    return (await this.engagementLoader.load(id))!;
  }

  /** Every read of firm data through an engagement is recorded (who, which firm, which engagement). */
  private async audit(views: EngagementView[], what: string): Promise<void> {
    const v = this.viewer;
    const seen = views.filter((e) => e.firmVisible);
    if (!v.accountId || seen.length === 0) return;
    await this.store.logFirmReads(seen.map((e) => ({ accountId: v.accountId!, organisationId: v.organisationId, firmId: e.row.firmId, engagementId: e.row.id, what })));
  }

  // ── Reading ─────────────────────────────────────────────────────────────────────────────────

  async engagement(id: string): Promise<EngagementView | null> {
    this.acting('engagements.read');
    const view = await this.load(id);
    if (view) await this.audit([view], 'engagement');
    return view;
  }

  /** For references from elsewhere (no audit row: the referencing page records its own read). */
  engagementQuiet(id: string): Promise<EngagementView | null> {
    return this.load(id);
  }

  async mine(stage: EngagementStage | null | undefined, includeClosed: boolean | null | undefined, first?: number | null, after?: string | null): Promise<Connection<EngagementView>> {
    const a = this.acting('engagements.read');
    const page = offsetPage(first, after);
    const { rows, totalCount } = await this.store.mine(a.accountId, await this.personId(), stage ?? null, !!includeClosed, page.take, page.skip);
    const views = (await Promise.all(rows.map((r) => this.viewOf(r)))).filter((v): v is EngagementView => !!v);
    for (const v of views) this.engagementLoader.prime(v.row.id, v);
    await this.audit(views, 'engagement_list');
    return connection(views, page.skip, totalCount);
  }

  async invitations(): Promise<Array<{ member: TeamMemberRow; engagement: EngagementRow }>> {
    if (!this.viewer.accountId) throw unauthenticated();
    const personId = await this.personId();
    if (!personId) return [];
    const members = await this.store.invitationsOf(personId);
    const engagements = new Map((await this.store.engagementsByIds(members.map((m) => m.engagementId))).map((e) => [e.id, e]));
    return members.flatMap((member) => (engagements.has(member.engagementId) ? [{ member, engagement: engagements.get(member.engagementId)! }] : []));
  }

  team(v: EngagementView): Promise<TeamMemberRow[]> {
    return this.membersLoader.load(v.row.id);
  }

  stageHistory(v: EngagementView): Promise<StageChangeRow[]> {
    return this.stageLoader.load(v.row.id);
  }

  issues(v: EngagementView): Promise<IssueRow[]> {
    return this.issuesLoader.load(v.row.id);
  }

  sessions(v: EngagementView): Promise<SessionRow[]> {
    return this.sessionsLoader.load(v.row.id);
  }

  async outcomes(v: EngagementView): Promise<OutcomeRow[]> {
    return v.figuresVisible ? this.outcomesLoader.load(v.row.id) : [];
  }

  async firmName(v: EngagementView): Promise<string | null> {
    if (!v.firmVisible) return null;
    return (await this.store.firmNames([v.row.firmId])).get(v.row.firmId) ?? null;
  }

  accountOf(personId: string): Promise<string | null> {
    return this.accountOfPerson.load(personId);
  }

  async supporterSearch(
    filter: { qualifications?: Qualification[] | null; specialities?: Speciality[] | null; regionCode?: string | null; search?: string | null; availableOnly?: boolean | null } | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<SupporterView>> {
    this.acting('engagements.lead');
    const f = filter ?? {};
    if (f.regionCode && !isPrefectureCode(f.regionCode)) throw engagementsErrors.invalidPrefecture();
    const page = offsetPage(first ?? 30, after);
    const search = f.search ? normaliseForSearch(f.search).slice(0, 100) : null;
    const { rows, totalCount } = await this.store.searchSupporters(
      { qualifications: f.qualifications ?? [], specialities: f.specialities ?? [], regionCode: f.regionCode ?? null, searchText: search || null, availableOnly: !!f.availableOnly },
      page.take,
      page.skip,
    );
    const memberships = await this.store.membershipsOfPeople(rows.map((r) => r.id));
    const nodes = rows.map((r) => ({ personId: r.id, load: r.load, capacity: r.capacity, organisationIds: memberships.filter((m) => m.personId === r.id).map((m) => m.organisationId) }));
    return connection(nodes, page.skip, totalCount);
  }

  // ── Opening and running an engagement ───────────────────────────────────────────────────────

  async open(input: { firmId: string; referralId?: string | null; supportType: SupportType; mainBankOrganisationId?: string | null }): Promise<Result<{ engagement: EngagementView }>> {
    const a = this.acting('engagements.lead');
    const firm = isUuid(input.firmId ?? '') ? await this.store.firmVisibleTo(input.firmId.toLowerCase(), a.organisationId) : null;
    if (!firm) return { ok: false, error: engagementsErrors.firmNotFound() };
    let referralId: string | null = null;
    if (input.referralId) {
      const referral = isUuid(input.referralId) ? await this.store.referral(input.referralId.toLowerCase()) : null;
      if (!referral || referral.firmId !== firm.id || referral.recipientOrganisationId !== a.organisationId || !['ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED'].includes(referral.status)) {
        return { ok: false, error: engagementsErrors.referralNotUsable() };
      }
      if (await this.store.engagementByReferral(referral.id)) return { ok: false, error: engagementsErrors.alreadyOpened() };
      referralId = referral.id;
    }
    let mainBank: string | null = null;
    if (input.mainBankOrganisationId) {
      const org = isUuid(input.mainBankOrganisationId) ? await this.store.organisation(input.mainBankOrganisationId.toLowerCase()) : null;
      if (!org) return { ok: false, error: engagementsErrors.unknownBody('mainBankOrganisationId') };
      mainBank = org.id;
    }
    const now = this.now();
    const id = await this.store.transaction(async (tx) => {
      const row = await tx.createEngagement({ firmId: firm.id, ownerOrganisationId: a.organisationId, leadAccountId: a.accountId, referralId, supportType: input.supportType, mainBankOrganisationId: mainBank, stageChangedAt: now, createdAt: now });
      await tx.addStageChange({ engagementId: row.id, fromStage: null, toStage: 'TARGETING', actorAccountId: a.accountId, at: now });
      return row.id;
    });
    return { ok: true, error: null, engagement: await this.reload(id) };
  }

  /** The lead's change to the engagement itself, guarded by its version. */
  private async leadChange(id: string, expectedVersion: number, change: (v: EngagementView, a: Acting) => Promise<Result<{ apply: (tx: EngagementsStore) => Promise<boolean> }>>): Promise<Result<{ engagement: EngagementView }>> {
    const a = this.acting('engagements.read');
    const v = await this.load(id);
    if (!v) return { ok: false, error: engagementsErrors.notFound() };
    if (!v.isLead) return { ok: false, error: engagementsErrors.notLead() };
    if (v.row.status === 'CLOSED') return { ok: false, error: engagementsErrors.closed() };
    if (v.row.version !== expectedVersion) return { ok: false, error: engagementsErrors.stale() };
    const prepared = await change(v, a);
    if (!prepared.ok) return prepared;
    const ok = await this.store.transaction((tx) => prepared.apply(tx));
    if (!ok) return { ok: false, error: engagementsErrors.stale() };
    return { ok: true, error: null, engagement: await this.reload(v.row.id) };
  }

  changeStage(id: string, expectedVersion: number, stage: EngagementStage, reason: string | null | undefined) {
    return this.leadChange(id, expectedVersion, async (v, a) => {
      const from = v.row.stage;
      if (from === stage) return { ok: false, error: engagementsErrors.sameStage() };
      const back = STAGES.indexOf(stage) < STAGES.indexOf(from);
      const r = text(reason, 'reason', '段階を戻す理由', 1000, false);
      if (!r.ok) return r;
      if (back && !r.value) return { ok: false, error: engagementsErrors.reasonRequired() };
      const recipients = await this.teamAccounts(v, a.accountId);
      const now = this.now();
      return {
        ok: true,
        error: null,
        apply: async (tx) => {
          if (!(await tx.updateEngagement(v.row.id, expectedVersion, { stage, stageChangedAt: now }))) return false;
          await tx.addStageChange({ engagementId: v.row.id, fromStage: from, toStage: stage, reason: r.value, actorAccountId: a.accountId, at: now });
          await tx.publish('engagements.stage_changed', { engagementId: v.row.id, reference: referenceOf(v.row.number), organisationId: v.row.ownerOrganisationId, accountIds: recipients, fromJa: STAGE_JA[from], toJa: STAGE_JA[stage], reason: r.value });
          return true;
        },
      };
    });
  }

  setPlan(id: string, expectedVersion: number, plan: string, agreedOn: string) {
    return this.leadChange(id, expectedVersion, async (v) => {
      const p = text(plan, 'plan', '支援計画', 8000, true);
      if (!p.ok) return p;
      const day = pastDay(agreedOn, this.now());
      if (!day) return { ok: false, error: engagementsErrors.invalidDate('agreedOn') };
      return { ok: true, error: null, apply: (tx) => tx.updateEngagement(v.row.id, expectedVersion, { supportPlan: p.value, supportPlanAgreedOn: day }) };
    });
  }

  assess(id: string, expectedVersion: number, level: SelfRelianceLevel, note: string | null | undefined) {
    return this.leadChange(id, expectedVersion, async (v) => {
      const n = text(note, 'note', '評価のメモ', 2000, false);
      if (!n.ok) return n;
      return { ok: true, error: null, apply: (tx) => tx.updateEngagement(v.row.id, expectedVersion, { selfReliance: level, selfRelianceNote: n.value }) };
    });
  }

  close(id: string, expectedVersion: number) {
    return this.leadChange(id, expectedVersion, async (v) => ({ ok: true, error: null, apply: (tx) => tx.updateEngagement(v.row.id, expectedVersion, { status: 'CLOSED', closedAt: this.now() }) }));
  }

  /** A team member's record (issues, sessions, outcomes): lead or accepted member, engagement open. */
  private async memberRecord(engagementId: string): Promise<Result<{ v: EngagementView; a: Acting }>> {
    const a = this.acting('engagements.read');
    const v = await this.load(engagementId);
    if (!v) return { ok: false, error: engagementsErrors.notFound('engagementId') };
    if (v.row.status === 'CLOSED') return { ok: false, error: engagementsErrors.closed() };
    return { ok: true, error: null, v, a };
  }

  async addIssue(engagementId: string, title: string, description: string | null | undefined): Promise<Result<{ engagement: EngagementView }>> {
    const m = await this.memberRecord(engagementId);
    if (!m.ok) return m;
    const t = text(title, 'title', '本質的課題', 200, true);
    if (!t.ok) return t;
    const d = text(description, 'description', '説明', 4000, false);
    if (!d.ok) return d;
    await this.store.addIssue({ engagementId: m.v.row.id, title: t.value!, description: d.value, createdById: m.a.accountId });
    return { ok: true, error: null, engagement: await this.reload(m.v.row.id) };
  }

  async setIssueStatus(issueId: string, status: IssueStatus): Promise<Result<{ engagement: EngagementView }>> {
    const issue = isUuid(issueId ?? '') ? await this.store.issue(issueId.toLowerCase()) : null;
    if (!issue) return { ok: false, error: engagementsErrors.notFound('issueId') };
    const m = await this.memberRecord(issue.engagementId);
    if (!m.ok) return { ok: false, error: engagementsErrors.notFound('issueId') };
    await this.store.setIssueStatus(issue.id, status);
    return { ok: true, error: null, engagement: await this.reload(m.v.row.id) };
  }

  async logSession(input: { engagementId: string; heldOn: string; participants: string[]; notes: string; nextSteps?: string | null }): Promise<Result<{ engagement: EngagementView }>> {
    const m = await this.memberRecord(input.engagementId);
    if (!m.ok) return m;
    const day = pastDay(input.heldOn, this.now());
    if (!day) return { ok: false, error: engagementsErrors.invalidDate('heldOn') };
    const participants = (input.participants ?? []).map((p) => p.normalize('NFC').trim()).filter(Boolean);
    if (participants.length === 0 || participants.length > 30 || participants.some((p) => p.length > 100)) return { ok: false, error: engagementsErrors.required('participants', '参加者', 100) };
    const notes = text(input.notes, 'notes', '面談の内容', 8000, true);
    if (!notes.ok) return notes;
    const next = text(input.nextSteps, 'nextSteps', '次回までの取組', 4000, false);
    if (!next.ok) return next;
    const recipients = await this.teamAccounts(m.v, m.a.accountId);
    const recordedByName = (await this.store.displayNameOf(m.a.accountId)) ?? '';
    await this.store.transaction(async (tx) => {
      await tx.addSession({ engagementId: m.v.row.id, heldOn: day, participants, notes: notes.value!, nextSteps: next.value, recordedById: m.a.accountId });
      await tx.publish('engagements.session_logged', {
        engagementId: m.v.row.id,
        reference: referenceOf(m.v.row.number),
        organisationId: m.v.row.ownerOrganisationId,
        accountIds: recipients,
        heldOn: input.heldOn,
        recordedByName: recordedByName || '（記録者）',
      });
    });
    return { ok: true, error: null, engagement: await this.reload(m.v.row.id) };
  }

  async recordOutcome(input: { engagementId: string; measuredOn: string; baseline: boolean; salesYen?: number | null; operatingProfitYen?: number | null; valueAddedYen?: number | null; employees?: number | null; note?: string | null }): Promise<Result<{ engagement: EngagementView }>> {
    const m = await this.memberRecord(input.engagementId);
    if (!m.ok) return m;
    if (!m.v.figuresVisible) return { ok: false, error: engagementsErrors.notFound('engagementId') };
    const day = pastDay(input.measuredOn, this.now());
    if (!day) return { ok: false, error: engagementsErrors.invalidDate('measuredOn') };
    const yen = (v: number | null | undefined, field: string, labelJa: string, allowNegative: boolean): Result<{ value: bigint | null }> => {
      if (v === null || v === undefined) return { ok: true, error: null, value: null };
      if (!Number.isFinite(v) || !Number.isInteger(v) || Math.abs(v) > MAX_YEN || (!allowNegative && v < 0)) return { ok: false, error: engagementsErrors.invalidFigure(field, labelJa) };
      return { ok: true, error: null, value: BigInt(v) };
    };
    const sales = yen(input.salesYen, 'salesYen', '売上高', false);
    if (!sales.ok) return sales;
    const profit = yen(input.operatingProfitYen, 'operatingProfitYen', '営業利益', true);
    if (!profit.ok) return profit;
    const value = yen(input.valueAddedYen, 'valueAddedYen', '付加価値額', true);
    if (!value.ok) return value;
    if (input.employees !== null && input.employees !== undefined && (!Number.isInteger(input.employees) || input.employees < 0 || input.employees > 1_000_000)) return { ok: false, error: engagementsErrors.invalidEmployees() };
    if ([sales.value, profit.value, value.value, input.employees].every((x) => x === null || x === undefined)) return { ok: false, error: engagementsErrors.noFigures() };
    const n = text(input.note, 'note', 'メモ', 2000, false);
    if (!n.ok) return n;
    const due = new Date(day);
    due.setUTCMonth(due.getUTCMonth() + OUTCOME_INTERVAL_MONTHS);
    const dueAt = new Date(jstDayStart(isoDay(due)!).getTime() + 9 * 3600_000);
    await this.store.transaction(async (tx) => {
      await tx.addOutcome({ engagementId: m.v.row.id, measuredOn: day, baseline: input.baseline, salesYen: sales.value, operatingProfitYen: profit.value, valueAddedYen: value.value, employees: input.employees ?? null, note: n.value, recordedById: m.a.accountId });
      // The next measurement is due six months on; a later record moves the reminder.
      await tx.schedule(`engagement-outcome-due:${m.v.row.id}`, dueAt, 'engagements.outcome_due', {
        engagementId: m.v.row.id,
        reference: referenceOf(m.v.row.number),
        organisationId: m.v.row.ownerOrganisationId,
        accountIds: [m.v.row.leadAccountId],
        lastMeasuredOn: input.measuredOn,
      });
    });
    return { ok: true, error: null, engagement: await this.reload(m.v.row.id) };
  }

  /** Accounts of the lead and the accepted members, except the one acting. */
  private async teamAccounts(v: EngagementView, except: string): Promise<string[]> {
    const members = (await this.membersLoader.load(v.row.id)).filter((m) => m.status === 'ACCEPTED');
    const accounts = await this.store.accountsOfPersons(members.map((m) => m.personId));
    return [...new Set([v.row.leadAccountId, ...accounts.values()])].filter((id) => id !== except);
  }

  // ── The team ────────────────────────────────────────────────────────────────────────────────

  async invite(input: { engagementId: string; personId: string; organisationId: string; slot: TeamSlot; capacityNote?: string | null; conflictAcknowledgement?: string | null; consentId?: string | null }): Promise<Result<{ member: TeamMemberRow; warning: string | null }>> {
    const a = this.acting('engagements.lead');
    const v = await this.load(input.engagementId);
    if (!v) return { ok: false, error: engagementsErrors.notFound('engagementId') };
    if (!v.isLead) return { ok: false, error: engagementsErrors.notLead() };
    if (v.row.status === 'CLOSED') return { ok: false, error: engagementsErrors.closed() };
    const person = isUuid(input.personId ?? '') ? await this.store.person(input.personId.toLowerCase()) : null;
    if (!person) return { ok: false, error: engagementsErrors.unknownPerson() };
    const orgId = (input.organisationId ?? '').toLowerCase();
    const memberships = await this.store.membershipsOfPeople([person.id]);
    if (!memberships.some((m) => m.organisationId === orgId)) return { ok: false, error: engagementsErrors.notMemberOfBody() };
    const team = await this.membersLoader.load(v.row.id);
    if (team.some((m) => m.personId === person.id && (m.status === 'INVITED' || m.status === 'ACCEPTED'))) return { ok: false, error: engagementsErrors.alreadyOnTeam() };

    // Capacity: warn, and allow with a reason.
    const load = await this.store.loadOf(person.id);
    const capNote = text(input.capacityNote, 'capacityNote', '上限を超えて招待する理由', 500, false);
    if (!capNote.ok) return capNote;
    const atCapacity = load >= person.capacity;
    if (atCapacity && !capNote.value) return { ok: false, error: engagementsErrors.capacityNoteRequired() };

    // Conflict of interest: a financial institution other than the firm's main bank.
    const org = await this.store.organisation(orgId);
    const conflict = org?.category === 'FINANCIAL' && v.row.mainBankOrganisationId && v.row.mainBankOrganisationId !== orgId ? 'COMPETING_BANK' : null;
    const ack = text(input.conflictAcknowledgement, 'conflictAcknowledgement', '利益相反の確認と理由', 500, false);
    if (!ack.ok) return ack;
    if (conflict && !ack.value) return { ok: false, error: engagementsErrors.conflictAckRequired() };

    // Need to know: a member from another body gets the firm's data only under its consent.
    let consent: ConsentRow | null = null;
    if (orgId !== v.row.ownerOrganisationId) {
      consent = input.consentId && isUuid(input.consentId) ? await this.store.consent(input.consentId.toLowerCase()) : null;
      const fits = consent && consent.firmId === v.row.firmId && consent.providerOrganisationId === v.row.ownerOrganisationId && consent.recipientOrganisationId === orgId && !consent.withdrawnAt && consent.categories.includes('PROFILE') && consent.categories.includes('ISSUES');
      if (!fits) return { ok: false, error: engagementsErrors.consentRequired() };
    }
    const invitee = await this.store.accountsOfPersons([person.id]);
    const ownerName = (await this.store.organisation(v.row.ownerOrganisationId))?.nameJa ?? '伴走支援チーム';
    const leadName = (await this.store.displayNameOf(a.accountId)) || 'チームリーダー';
    const now = this.now();
    const member = await this.store.transaction(async (tx) => {
      const row = await tx.addMember({
        engagementId: v.row.id,
        personId: person.id,
        organisationId: orgId,
        slot: input.slot,
        invitedById: a.accountId,
        invitedAt: now,
        capacityNote: atCapacity ? capNote.value : null,
        conflict,
        conflictAcknowledgement: conflict ? ack.value : null,
        consentId: consent?.id ?? null,
      });
      await tx.publish('engagements.invited', {
        engagementId: v.row.id,
        reference: referenceOf(v.row.number),
        organisationId: orgId,
        accountIds: invitee.has(person.id) ? [invitee.get(person.id)!] : [],
        ownerName,
        slotJa: SLOT_JA[input.slot],
        leadName,
      });
      return row;
    });
    this.membersLoader.clear(v.row.id);
    return { ok: true, error: null, member, warning: atCapacity ? 'AT_CAPACITY' : conflict };
  }

  async respond(memberId: string, accept: boolean, reason: string | null | undefined): Promise<Result<{ member: TeamMemberRow; warning: string | null }>> {
    this.acting('teams.respond');
    const personId = await this.personId();
    const member = isUuid(memberId ?? '') ? await this.store.member(memberId.toLowerCase()) : null;
    if (!member || !personId || member.personId !== personId || member.status !== 'INVITED') return { ok: false, error: engagementsErrors.invitationNotFound() };
    const r = text(reason, 'reason', '辞退の理由', 1000, !accept);
    if (!r.ok) return r;
    const [engagement] = await this.store.engagementsByIds([member.engagementId]);
    if (!engagement || engagement.status === 'CLOSED') return { ok: false, error: engagementsErrors.closed() };
    const consent = accept && member.consentId ? await this.store.consent(member.consentId) : null;
    if (accept && member.consentId && (!consent || consent.withdrawnAt)) return { ok: false, error: engagementsErrors.consentRequired() };
    const firm = consent ? await this.store.firmVisibleTo(engagement.firmId, engagement.ownerOrganisationId) : null;
    const personName = (await this.store.person(personId))?.nameJa ?? '招待した支援者';
    const now = this.now();
    const ok = await this.store.transaction(async (tx) => {
      if (!(await tx.updateMember(member.id, 'INVITED', { status: accept ? 'ACCEPTED' : 'DECLINED', respondedAt: now, declineReason: accept ? null : r.value }))) return false;
      if (accept && consent && firm) {
        // The firm's data now reaches the member's body: 第三者提供記録.
        await tx.recordProvision({
          at: now,
          providerOrganisationId: engagement.ownerOrganisationId,
          recipientOrganisationId: member.organisationId,
          firm,
          consent,
          dataItems: consent.categories.filter((c) => c !== 'DOCUMENTS'),
          referralId: null,
          recordedByAccountId: this.viewer.accountId!,
        });
      }
      await tx.publish('engagements.invitation_answered', {
        engagementId: engagement.id,
        reference: referenceOf(engagement.number),
        organisationId: engagement.ownerOrganisationId,
        accountIds: [engagement.leadAccountId],
        personName,
        accepted: accept,
        reason: accept ? null : r.value,
      });
      return true;
    });
    if (!ok) return { ok: false, error: engagementsErrors.invitationNotFound() };
    return { ok: true, error: null, member: (await this.store.member(member.id))!, warning: null };
  }

  async remove(memberId: string, reason: string): Promise<Result<{ member: TeamMemberRow; warning: string | null }>> {
    this.acting('engagements.read');
    const member = isUuid(memberId ?? '') ? await this.store.member(memberId.toLowerCase()) : null;
    const v = member ? await this.load(member.engagementId) : null;
    if (!member || !v) return { ok: false, error: engagementsErrors.memberNotFound() };
    if (!v.isLead) return { ok: false, error: engagementsErrors.notLead() };
    const r = text(reason, 'reason', '外す理由', 1000, true);
    if (!r.ok) return r;
    if (member.status !== 'INVITED' && member.status !== 'ACCEPTED') return { ok: false, error: engagementsErrors.memberNotFound() };
    const ok = await this.store.updateMember(member.id, member.status, { status: 'REMOVED', endedAt: this.now(), declineReason: r.value });
    if (!ok) return { ok: false, error: engagementsErrors.memberNotFound() };
    return { ok: true, error: null, member: (await this.store.member(member.id))!, warning: null };
  }

  async leave(memberId: string): Promise<Result<{ member: TeamMemberRow; warning: string | null }>> {
    this.acting('teams.respond');
    const personId = await this.personId();
    const member = isUuid(memberId ?? '') ? await this.store.member(memberId.toLowerCase()) : null;
    if (!member || !personId || member.personId !== personId || member.status !== 'ACCEPTED') return { ok: false, error: engagementsErrors.memberNotFound() };
    const ok = await this.store.updateMember(member.id, 'ACCEPTED', { status: 'LEFT', endedAt: this.now() });
    if (!ok) return { ok: false, error: engagementsErrors.memberNotFound() };
    return { ok: true, error: null, member: (await this.store.member(member.id))!, warning: null };
  }
}

