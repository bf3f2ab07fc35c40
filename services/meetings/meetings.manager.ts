/**
 * The meeting rules: who sees what (the secretariat everything; bodies invited as members the published
 * agenda, materials, attendance, circulated and approved minutes and the action items; observers only
 * what is published to them), numbering 第N回, dates (no new meeting in the past unless recorded as
 * held; a tentative period until fixed), the agenda and its materials, invitations, RSVP and attendance,
 * minutes from draft through circulation to approval (then frozen; corrections are new versions with a
 * reason; the public version masks internal notes and firm names), decisions, and action items that are
 * carried to the next meeting until done, with reminders before they fall due.
 */
import crypto from 'node:crypto';
import DataLoader from 'dataloader';
import type { ActionItemStatus, AttendanceStatus, MaterialVisibility, MeetingRole, MeetingSeriesKind, MeetingStatus, PeriodPart, Rsvp } from '../../generated/prisma/enums';
import { forbidden, unauthenticated } from '../shared/auth-errors';
import { jstDayStart, toJstDay } from '../shared/business-days';
import type { DomainError } from '../shared/errors';
import { sniffFile } from '../shared/file-kinds';
import { isUuid } from '../shared/pagination';
import { can, type Permission } from '../shared/permissions';
import type { Viewer } from '../shared/viewer';
import { icsCalendar, type CalendarEvent } from './ical';
import { LEGAL_FORM_SQL, maskText } from './masking';
import { meetingsErrors } from './meetings.errors';
import type { ActionItemRow, AgendaItemRow, CommentRow, DecisionRow, EntryRow, InvitationRow, MaterialRow, MeetingRow, MeetingsStore, MinutesRow, SeriesRow } from './meetings.store';

export type Result<T> = ({ ok: true; error: null } & T) | { ok: false; error: DomainError };
export type MeetingAccess = 'SECRETARIAT' | 'MEMBER' | 'OBSERVER';

export const MAX_MATERIAL_BYTES = 20 * 1024 * 1024;
export const MAX_MATERIALS_PER_MEETING = 60;
export const MATERIAL_EXTENSIONS = ['pdf', 'docx', 'xlsx', 'pptx', 'doc', 'xls', 'ppt'] as const;
/** Reminders go out this many days before an action item falls due, at 09:00 Japan time. */
export const REMINDER_DAYS_BEFORE = 3;
const PART_START: Record<PeriodPart, number> = { EARLY: 1, MID: 11, LATE: 21 };
const PART_END: Record<PeriodPart, number> = { EARLY: 10, MID: 20, LATE: 31 };
const PART_JA: Record<PeriodPart, string> = { EARLY: '上旬', MID: '中旬', LATE: '下旬' };
export const ROLE_JA: Record<MeetingRole, string> = { MEMBER: '委員', OBSERVER: 'オブザーバー' };
const OPEN_STATUSES: ActionItemStatus[] = ['OPEN', 'IN_PROGRESS'];
export const ACTION_REVIEW_TITLE = '前回までのアクションアイテムの確認';
const ACTION_REVIEW_DESCRIPTION = 'これまでの会議で決まったアクションアイテムのうち、完了していないものの状況を確認します。';

export interface MeetingView {
  row: MeetingRow;
  access: MeetingAccess;
}

export interface MinutesView {
  row: MinutesRow;
  isPublic: boolean;
  meeting: MeetingView;
}

interface Acting {
  accountId: string;
  organisationId: string;
}

// ── Input checks ──────────────────────────────────────────────────────────────────────────────

function text(value: string | null | undefined, field: string, labelJa: string, max: number, required: boolean): Result<{ value: string | null }> {
  const v = (value ?? '').normalize('NFC').trim();
  if (!v) return required ? { ok: false, error: meetingsErrors.required(field, labelJa, max) } : { ok: true, error: null, value: null };
  if (v.length > max) return { ok: false, error: meetingsErrors.tooLong(field, labelJa, max) };
  return { ok: true, error: null, value: v };
}

/** 'YYYY-MM-DD' that exists on the calendar. */
export function isRealDay(value: string | null | undefined): value is string {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value && value >= '2000-01-01' && value <= '2100-12-31';
}

const isTime = (v: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v);
const dbDay = (day: string) => new Date(`${day}T00:00:00.000Z`);
export const isoDay = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);
const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The instant a meeting starts (its day's start when no time is set), or null while tentative. */
export function startOf(row: Pick<MeetingRow, 'date' | 'startTime'>): Date | null {
  const day = isoDay(row.date);
  if (!day) return null;
  return new Date(`${day}T${row.startTime ?? '00:00'}:00+09:00`);
}

export function endOf(row: Pick<MeetingRow, 'date' | 'endTime'>): Date | null {
  const day = isoDay(row.date);
  if (!day || !row.endTime) return null;
  return new Date(`${day}T${row.endTime}:00+09:00`);
}

const wareki = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

/** 令和8年12月15日 14:00〜16:00, or 令和6年9月下旬 while tentative. */
export function whenJa(row: Pick<MeetingRow, 'date' | 'startTime' | 'endTime' | 'tentativeYear' | 'tentativeMonth' | 'tentativePart'>): string {
  if (row.date) {
    const day = wareki.format(new Date(`${isoDay(row.date)}T12:00:00Z`));
    return row.startTime ? `${day} ${row.startTime}${row.endTime ? `〜${row.endTime}` : ''}` : day;
  }
  if (row.tentativeYear && row.tentativeMonth) {
    const ym = wareki.format(new Date(Date.UTC(row.tentativeYear, row.tentativeMonth - 1, 15, 12))).replace(/\d+日$/, '');
    return `${ym}${row.tentativePart ? PART_JA[row.tentativePart] : ''}（予定）`;
  }
  return '日程未定';
}

interface Schedule {
  date: Date | null;
  startTime: string | null;
  endTime: string | null;
  tentativeYear: number | null;
  tentativeMonth: number | null;
  tentativePart: PeriodPart | null;
  sortDate: Date;
  place: string | null;
  onlineUrl: string | null;
  /** The last day it can take place (the date, or the end of the tentative period). */
  lastDay: string;
}

interface ScheduleInput {
  date?: string | null;
  startTime?: string | null;
  endTime?: string | null;
  tentativeYear?: number | null;
  tentativeMonth?: number | null;
  tentativePart?: PeriodPart | null;
  place?: string | null;
  onlineUrl?: string | null;
}

function checkSchedule(input: ScheduleInput): Result<{ schedule: Schedule }> {
  const place = text(input.place, 'place', '開催場所', 200, false);
  if (!place.ok) return place;
  let onlineUrl: string | null = null;
  if (input.onlineUrl && input.onlineUrl.trim()) {
    const raw = input.onlineUrl.trim();
    try {
      const u = new URL(raw);
      if (u.protocol !== 'https:' || raw.length > 500) return { ok: false, error: meetingsErrors.invalidUrl() };
      onlineUrl = u.toString();
    } catch {
      return { ok: false, error: meetingsErrors.invalidUrl() };
    }
  }
  const startTime = input.startTime?.trim() || null;
  const endTime = input.endTime?.trim() || null;
  if (startTime && !isTime(startTime)) return { ok: false, error: meetingsErrors.invalidTime('startTime') };
  if (endTime && (!isTime(endTime) || !startTime || endTime <= startTime)) return { ok: false, error: meetingsErrors.invalidTime('endTime') };
  const base = { startTime, endTime, place: place.value, onlineUrl };
  if (input.date) {
    if (!isRealDay(input.date)) return { ok: false, error: meetingsErrors.invalidDate() };
    return { ok: true, error: null, schedule: { ...base, date: dbDay(input.date), tentativeYear: null, tentativeMonth: null, tentativePart: null, sortDate: dbDay(input.date), lastDay: input.date } };
  }
  const { tentativeYear: y, tentativeMonth: m, tentativePart: part } = input;
  if (!y || !m || !part || !Number.isInteger(y) || !Number.isInteger(m) || y < 2000 || y > 2100 || m < 1 || m > 12) return { ok: false, error: meetingsErrors.invalidPeriod() };
  const mm = String(m).padStart(2, '0');
  const first = `${y}-${mm}-${String(PART_START[part]).padStart(2, '0')}`;
  const last = `${y}-${mm}-${String(Math.min(PART_END[part], lastDayOfMonth(y, m))).padStart(2, '0')}`;
  return { ok: true, error: null, schedule: { ...base, date: null, tentativeYear: y, tentativeMonth: m, tentativePart: part, sortDate: dbDay(first), lastDay: last } };
}

/** A dated meeting as a calendar event, linking back to its page. */
function calendarEventOf(row: MeetingRow, title: string, publicUrl: string): CalendarEvent | null {
  const day = isoDay(row.date);
  if (!day) return null;
  const url = new URL(`/meetings/${row.id}`, publicUrl).toString();
  const where = [row.place, row.onlineUrl ? `オンライン: ${row.onlineUrl}` : null].filter(Boolean).join(' / ');
  return {
    uid: `meeting-${row.id}@banso-hub`,
    sequence: row.version,
    summary: row.status === 'CANCELLED' ? `【中止】${title}` : title,
    description: [`${title}`, `日時: ${whenJa(row)}`, row.onlineUrl ? `オンライン会議: ${row.onlineUrl}` : null, `詳細・資料: ${url}`].filter(Boolean).join('\n'),
    location: where || null,
    url,
    date: day,
    startTime: row.startTime,
    endTime: row.endTime,
    status: row.status === 'CANCELLED' ? 'CANCELLED' : 'CONFIRMED',
    updatedAt: row.updatedAt,
  };
}

export const meetingTitle = (number: number, series: Pick<SeriesRow, 'nameJa'>) => `第${number}回 ${series.nameJa}`;

export class MeetingsManager {
  private readonly meetingLoader: DataLoader<string, MeetingRow | null>;
  private readonly seriesLoader: DataLoader<string, SeriesRow | null>;
  private readonly agendaLoader: DataLoader<string, AgendaItemRow[]>;
  private readonly materialsLoader: DataLoader<string, MaterialRow[]>;
  private readonly invitationsLoader: DataLoader<string, InvitationRow[]>;
  private readonly minutesLoader: DataLoader<string, MinutesRow[]>;
  private readonly entriesLoader: DataLoader<string, EntryRow[]>;
  private readonly commentsLoader: DataLoader<string, CommentRow[]>;
  private readonly decisionsLoader: DataLoader<string, DecisionRow[]>;
  private readonly actionItemsLoader: DataLoader<string, ActionItemRow[]>;

  constructor(
    private readonly store: MeetingsStore,
    private readonly viewer: Viewer,
    private readonly publicUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    const byId = <T extends { id: string }>(load: (ids: readonly string[]) => Promise<T[]>) =>
      new DataLoader<string, T | null>(async (ids) => {
        const rows = new Map((await load(ids)).map((r) => [r.id, r]));
        return ids.map((id) => rows.get(id) ?? null);
      });
    const grouped = <T>(load: (ids: readonly string[]) => Promise<T[]>, key: (row: T) => string) =>
      new DataLoader<string, T[]>(async (ids) => {
        const rows = await load(ids);
        return ids.map((id) => rows.filter((r) => key(r) === id));
      });
    this.meetingLoader = byId((ids) => store.meetingsByIds(ids));
    this.seriesLoader = byId((ids) => store.seriesByIds(ids));
    this.agendaLoader = grouped((ids) => store.agendaOf(ids), (r) => r.meetingId);
    this.materialsLoader = grouped((ids) => store.materialsOf(ids), (r) => r.meetingId);
    this.invitationsLoader = grouped((ids) => store.invitationsOf(ids), (r) => r.meetingId);
    this.minutesLoader = grouped((ids) => store.minutesOf(ids), (r) => r.meetingId);
    this.entriesLoader = grouped((ids) => store.entriesOf(ids), (r) => r.versionId);
    this.commentsLoader = grouped((ids) => store.commentsOf(ids), (r) => r.versionId);
    this.decisionsLoader = grouped((ids) => store.decisionsOf(ids), (r) => r.meetingId);
    this.actionItemsLoader = grouped((ids) => store.actionItemsOf(ids), (r) => r.meetingId);
  }

  // ── Who the viewer is ───────────────────────────────────────────────────────────────────────

  private acting(permission: Permission): Acting {
    const v = this.viewer;
    if (!v.accountId || !v.organisationId) throw unauthenticated();
    if (!can(v, permission, v.organisationId)) throw forbidden();
    return { accountId: v.accountId, organisationId: v.organisationId };
  }

  private get isSecretariat(): boolean {
    return !!this.viewer.accountId && can(this.viewer, 'meetings.manage');
  }

  private async accessTo(row: MeetingRow): Promise<MeetingAccess | null> {
    if (!this.viewer.accountId || !this.viewer.organisationId) return null;
    if (this.isSecretariat) return 'SECRETARIAT';
    const own = (await this.invitationsLoader.load(row.id)).find((i) => i.organisationId === this.viewer.organisationId);
    return own ? own.role : null;
  }

  private async view(id: string): Promise<MeetingView | null> {
    if (!isUuid(id)) return null;
    const row = await this.meetingLoader.load(id);
    if (!row) return null;
    const access = await this.accessTo(row);
    return access ? { row, access } : null;
  }

  private async fresh(id: string, access: MeetingAccess): Promise<MeetingView> {
    this.meetingLoader.clear(id);
    for (const l of [this.agendaLoader, this.materialsLoader, this.invitationsLoader, this.minutesLoader, this.decisionsLoader, this.actionItemsLoader]) l.clear(id);
    this.entriesLoader.clearAll();
    this.commentsLoader.clearAll();
    const row = await this.meetingLoader.load(id);
    return { row: row!, access };
  }

  private today(): string {
    return toJstDay(this.now());
  }

  // ── Reads ───────────────────────────────────────────────────────────────────────────────────

  async seriesList(): Promise<SeriesRow[]> {
    this.acting('meetings.read');
    const all = await this.store.allSeries();
    if (this.isSecretariat) return all;
    const visible = new Set(await this.store.seriesIdsOfBodies([this.viewer.organisationId!]));
    return all.filter((s) => visible.has(s.id));
  }

  async series(id: string): Promise<SeriesRow | null> {
    if (!isUuid(id)) return null;
    return (await this.seriesList()).find((s) => s.id === id) ?? null;
  }

  /** A series another object points at (a meeting's series, a parent series); the viewer sees that object. */
  seriesQuiet(id: string): Promise<SeriesRow | null> {
    return this.seriesLoader.load(id);
  }

  async meetingsOfSeries(seriesId: string): Promise<MeetingView[]> {
    const rows = await this.store.meetingsOfSeries([seriesId]);
    const views = await Promise.all(rows.map(async (row) => ({ row, access: await this.accessTo(row) })));
    return views.filter((v): v is MeetingView => v.access !== null);
  }

  async meeting(id: string): Promise<MeetingView | null> {
    this.acting('meetings.read');
    return this.view(id);
  }

  /** For federation and references from other meetings: null when the viewer may not see it. */
  meetingQuiet(id: string): Promise<MeetingView | null> {
    return this.view(id);
  }

  async upcoming(first: number | null | undefined): Promise<MeetingView[]> {
    const a = this.acting('meetings.read');
    const take = Math.min(Math.max(first ?? 20, 1), 100);
    const rows = await this.store.upcoming(dbDay(this.today()), this.isSecretariat ? 'ALL' : [a.organisationId], take);
    const views = await Promise.all(rows.map((r) => this.view(r.id)));
    return views.filter((v): v is MeetingView => !!v);
  }

  seriesOf(v: MeetingView): Promise<SeriesRow | null> {
    return this.seriesLoader.load(v.row.seriesId);
  }

  async title(v: MeetingView): Promise<string> {
    const series = await this.seriesOf(v);
    return meetingTitle(v.row.number, series ?? { nameJa: '' });
  }

  private agendaVisible(v: MeetingView): boolean {
    return v.access === 'SECRETARIAT' || !!v.row.agendaPublishedAt;
  }

  async agenda(v: MeetingView): Promise<AgendaItemRow[]> {
    return this.agendaVisible(v) ? this.agendaLoader.load(v.row.id) : [];
  }

  async materials(v: MeetingView, agendaItemId?: string): Promise<MaterialRow[]> {
    if (!this.agendaVisible(v)) return [];
    const all = await this.materialsLoader.load(v.row.id);
    const visible = v.access === 'OBSERVER' ? all.filter((m) => m.visibility === 'PUBLIC') : all;
    return agendaItemId === undefined ? visible : visible.filter((m) => m.agendaItemId === agendaItemId);
  }

  async invitations(v: MeetingView): Promise<InvitationRow[]> {
    const all = await this.invitationsLoader.load(v.row.id);
    return v.access === 'OBSERVER' ? all.filter((i) => i.organisationId === this.viewer.organisationId) : all;
  }

  async myInvitation(v: MeetingView): Promise<InvitationRow | null> {
    return (await this.invitationsLoader.load(v.row.id)).find((i) => i.organisationId === this.viewer.organisationId) ?? null;
  }

  canRespond(inv: InvitationRow): boolean {
    const v = this.viewer;
    if (!v.accountId) return false;
    if (this.isSecretariat) return true;
    if (inv.organisationId !== v.organisationId) return false;
    return inv.attendeeAccountId === v.accountId || v.roles.includes('ORG_ADMIN');
  }

  private async versions(meetingId: string): Promise<MinutesRow[]> {
    return this.minutesLoader.load(meetingId); // newest first
  }

  /** The minutes the viewer reads: the secretariat the newest; members the newest circulated or approved. */
  async minutes(v: MeetingView): Promise<MinutesView | null> {
    const versions = await this.versions(v.row.id);
    if (v.access === 'SECRETARIAT') return versions[0] ? { row: versions[0], isPublic: false, meeting: v } : null;
    if (v.access === 'MEMBER') {
      const row = versions.find((m) => m.status !== 'DRAFT');
      return row ? { row, isPublic: false, meeting: v } : null;
    }
    return null;
  }

  async minutesHistory(v: MeetingView): Promise<MinutesRow[]> {
    if (v.access === 'OBSERVER') return [];
    const versions = await this.versions(v.row.id);
    return v.access === 'SECRETARIAT' ? versions : versions.filter((m) => m.status !== 'DRAFT');
  }

  async publicMinutes(v: MeetingView): Promise<MinutesView | null> {
    const row = (await this.versions(v.row.id)).find((m) => m.status === 'APPROVED');
    return row ? { row, isPublic: true, meeting: v } : null;
  }

  async entries(m: MinutesView): Promise<Array<{ agendaItemId: string; agendaItemTitle: string; body: string; internalNote: string | null }>> {
    const [entries, agenda] = await Promise.all([this.entriesLoader.load(m.row.id), this.agendaLoader.load(m.meeting.row.id)]);
    const order = new Map(agenda.map((a) => [a.id, a]));
    return entries
      .filter((e) => order.has(e.agendaItemId))
      .sort((a, b) => order.get(a.agendaItemId)!.position - order.get(b.agendaItemId)!.position)
      .map((e) =>
        m.isPublic
          ? { agendaItemId: e.agendaItemId, agendaItemTitle: e.publicTitle ?? '', body: e.publicBody ?? '', internalNote: null }
          : { agendaItemId: e.agendaItemId, agendaItemTitle: order.get(e.agendaItemId)!.title, body: e.body, internalNote: e.internalNote },
      );
  }

  async comments(m: MinutesView): Promise<CommentRow[]> {
    if (m.isPublic || m.meeting.access === 'OBSERVER') return [];
    return this.commentsLoader.load(m.row.id);
  }

  private async hasApproved(meetingId: string): Promise<boolean> {
    return (await this.versions(meetingId)).some((m) => m.status === 'APPROVED');
  }

  async decisions(v: MeetingView, agendaItemId?: string): Promise<DecisionRow[]> {
    if (v.access === 'OBSERVER' && !(await this.hasApproved(v.row.id))) return [];
    const all = await this.decisionsLoader.load(v.row.id);
    return agendaItemId === undefined ? all : all.filter((d) => d.agendaItemId === agendaItemId);
  }

  async actionItems(v: MeetingView, agendaItemId?: string): Promise<ActionItemRow[]> {
    if (v.access === 'OBSERVER') return [];
    const all = await this.actionItemsLoader.load(v.row.id);
    return agendaItemId === undefined ? all : all.filter((d) => d.agendaItemId === agendaItemId);
  }

  /** The series' action items raised before this meeting and still open when it takes place. */
  async carriedActionItems(v: MeetingView): Promise<ActionItemRow[]> {
    if (v.access === 'OBSERVER') return [];
    const start = startOf(v.row);
    const past = v.row.status === 'HELD' || (start !== null && start < this.now());
    return this.store.carried(v.row.seriesId, v.row.number, past ? (start ?? this.now()) : null);
  }

  async myActionItems(includeClosed: boolean): Promise<ActionItemRow[]> {
    const a = this.acting('meetings.read');
    return this.store.actionItemsOwnedBy(a.accountId, [a.organisationId], includeClosed);
  }

  actionItemCanUpdate(item: ActionItemRow): boolean {
    const v = this.viewer;
    if (!v.accountId) return false;
    return this.isSecretariat || item.ownerAccountId === v.accountId || (!!item.ownerOrganisationId && item.ownerOrganisationId === v.organisationId);
  }

  actionItemOverdue(item: ActionItemRow): boolean {
    return OPEN_STATUSES.includes(item.status) && isoDay(item.dueOn)! < this.today();
  }

  /** Title of the meeting an action item came from (the viewer sees the item, so its meeting's name). */
  async meetingTitleOf(meetingId: string): Promise<string> {
    const row = await this.meetingLoader.load(meetingId);
    if (!row) return '';
    const series = await this.seriesLoader.load(row.seriesId);
    return meetingTitle(row.number, series ?? { nameJa: '' });
  }

  async calendarFeed(): Promise<{ url: string | null; createdAt: Date } | null> {
    const a = this.acting('calendar.feed');
    const feed = await this.store.feedOf(a.accountId);
    return feed ? { url: null, createdAt: feed.createdAt } : null;
  }

  // ── Series (secretariat) ────────────────────────────────────────────────────────────────────

  async createSeries(input: { slug: string; kind: MeetingSeriesKind; nameJa: string; nameEn: string; description?: string | null; themes?: string[] | null; parentSeriesId?: string | null; bodies?: Array<{ organisationId: string; role: MeetingRole }> | null }): Promise<Result<{ series: SeriesRow }>> {
    this.acting('meetings.manage');
    const slug = input.slug?.trim() ?? '';
    if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(slug)) return { ok: false, error: meetingsErrors.invalidSlug() };
    const nameJa = text(input.nameJa, 'nameJa', '会議体の名称', 100, true);
    if (!nameJa.ok) return nameJa;
    const nameEn = text(input.nameEn, 'nameEn', '英語の名称', 200, true);
    if (!nameEn.ok) return nameEn;
    const description = text(input.description, 'description', '説明', 2000, false);
    if (!description.ok) return description;
    const themes: string[] = [];
    for (const t of input.themes ?? []) {
      const theme = text(t, 'themes', 'テーマ', 200, true);
      if (!theme.ok) return theme;
      themes.push(theme.value!);
    }
    if (input.parentSeriesId && !(isUuid(input.parentSeriesId) && (await this.seriesLoader.load(input.parentSeriesId)))) return { ok: false, error: meetingsErrors.seriesNotFound('parentSeriesId') };
    const bodies = input.bodies ?? [];
    for (const b of bodies) if (!isUuid(b.organisationId) || !(await this.store.organisationExists(b.organisationId))) return { ok: false, error: meetingsErrors.unknownBody('bodies') };
    if (await this.store.seriesBySlug(slug)) return { ok: false, error: meetingsErrors.slugTaken() };
    const unique = [...new Map(bodies.map((b) => [b.organisationId, b])).values()];
    const series = await this.store.createSeries({ slug, kind: input.kind, nameJa: nameJa.value!, nameEn: nameEn.value!, description: description.value, themes, parentSeriesId: input.parentSeriesId ?? null }, unique);
    return { ok: true, error: null, series };
  }

  async setSeriesBody(seriesId: string, organisationId: string, role: MeetingRole | null | undefined): Promise<Result<{ series: SeriesRow }>> {
    this.acting('meetings.manage');
    const series = isUuid(seriesId) ? await this.seriesLoader.load(seriesId) : null;
    if (!series) return { ok: false, error: meetingsErrors.seriesNotFound() };
    if (!isUuid(organisationId) || !(await this.store.organisationExists(organisationId))) return { ok: false, error: meetingsErrors.unknownBody() };
    await this.store.setSeriesBody(seriesId, organisationId, role ?? null);
    this.seriesLoader.clear(seriesId);
    return { ok: true, error: null, series: (await this.seriesLoader.load(seriesId))! };
  }

  // ── Meetings (secretariat) ──────────────────────────────────────────────────────────────────

  private async managed(meetingId: string): Promise<Result<{ v: MeetingView; a: Acting }>> {
    const a = this.acting('meetings.manage');
    const v = await this.view(meetingId);
    if (!v) return { ok: false, error: meetingsErrors.notFound() };
    return { ok: true, error: null, v, a };
  }

  async schedule(input: ScheduleInput & { seriesId: string; number?: number | null; alreadyHeld?: boolean | null }): Promise<Result<{ meeting: MeetingView }>> {
    const a = this.acting('meetings.manage');
    const series = isUuid(input.seriesId) ? await this.seriesLoader.load(input.seriesId) : null;
    if (!series) return { ok: false, error: meetingsErrors.seriesNotFound() };
    if (input.number !== null && input.number !== undefined && (!Number.isInteger(input.number) || input.number < 1 || input.number > 999)) return { ok: false, error: meetingsErrors.invalidNumber() };
    const checked = checkSchedule(input);
    if (!checked.ok) return checked;
    const s = checked.schedule;
    const held = !!input.alreadyHeld;
    const today = this.today();
    if (held) {
      if (!s.date) return { ok: false, error: meetingsErrors.invalidDate() };
      if (s.lastDay > today) return { ok: false, error: meetingsErrors.futureHeld() };
    } else if (s.lastDay < today) {
      return { ok: false, error: meetingsErrors.pastDate() };
    }
    const { lastDay: _lastDay, ...data } = s;
    try {
      const id = await this.store.transaction(async (tx) => {
        const number = input.number ?? (await tx.maxNumber(series.id)) + 1;
        if (await tx.numberTaken(series.id, number)) throw meetingsErrors.duplicateNumber(number);
        const row = await tx.createMeeting({ ...data, seriesId: series.id, number, status: held ? 'HELD' : 'SCHEDULED', createdByAccountId: a.accountId });
        await tx.invite(row.id, series.bodies.map((b) => ({ organisationId: b.organisationId, role: b.role })));
        if (!held && (await tx.hasOpenActionItems(series.id))) await tx.addAgendaItem({ meetingId: row.id, kind: 'ACTION_REVIEW', title: ACTION_REVIEW_TITLE, publicDescription: ACTION_REVIEW_DESCRIPTION }, true);
        return row.id;
      });
      return { ok: true, error: null, meeting: await this.fresh(id, 'SECRETARIAT') };
    } catch (err) {
      if ((err as { code?: string }).code === 'meetings/duplicate_number') return { ok: false, error: err as DomainError };
      // Two secretaries scheduling at once: the unique (series, number) decides.
      if ((err as { code?: string }).code === 'P2002') return { ok: false, error: meetingsErrors.duplicateNumber(input.number ?? (await this.store.maxNumber(series.id))) };
      throw err;
    }
  }

  async update(id: string, expectedVersion: number, input: ScheduleInput): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managed(id);
    if (!m.ok) return m;
    const checked = checkSchedule(input);
    if (!checked.ok) return checked;
    const { lastDay, ...data } = checked.schedule;
    const today = this.today();
    if (m.v.row.status === 'SCHEDULED' && lastDay < today) return { ok: false, error: meetingsErrors.pastDate() };
    if (m.v.row.status === 'HELD' && (!data.date || lastDay > today)) return { ok: false, error: meetingsErrors.futureHeld() };
    if (!(await this.store.updateMeetingIfVersion(id, expectedVersion, data))) return { ok: false, error: meetingsErrors.stale() };
    return { ok: true, error: null, meeting: await this.fresh(id, m.v.access) };
  }

  async setStatus(id: string, expectedVersion: number, status: MeetingStatus, reason: string | null | undefined): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managed(id);
    if (!m.ok) return m;
    if (m.v.row.status === status) return { ok: false, error: meetingsErrors.sameStatus() };
    const why = text(reason, 'reason', '理由', 500, status === 'CANCELLED');
    if (!why.ok) return { ok: false, error: meetingsErrors.invalidStatus() };
    const day = isoDay(m.v.row.date);
    if (status === 'HELD' && (!day || day > this.today())) return { ok: false, error: meetingsErrors.futureHeld() };
    if (!(await this.store.updateMeetingIfVersion(id, expectedVersion, { status, statusReason: why.value }))) return { ok: false, error: meetingsErrors.stale() };
    return { ok: true, error: null, meeting: await this.fresh(id, m.v.access) };
  }

  // ── Agenda (secretariat) ────────────────────────────────────────────────────────────────────

  private async checkItem(input: { title: string; presenterOrganisationId?: string | null; presenterName?: string | null; durationMinutes?: number | null; publicDescription?: string | null; internalNotes?: string | null }) {
    const title = text(input.title, 'title', '議題', 200, true);
    if (!title.ok) return title;
    const presenterName = text(input.presenterName, 'presenterName', '説明者', 100, false);
    if (!presenterName.ok) return presenterName;
    const publicDescription = text(input.publicDescription, 'publicDescription', '説明', 4000, false);
    if (!publicDescription.ok) return publicDescription;
    const internalNotes = text(input.internalNotes, 'internalNotes', '議長用メモ', 4000, false);
    if (!internalNotes.ok) return internalNotes;
    const d = input.durationMinutes;
    if (d !== null && d !== undefined && (!Number.isInteger(d) || d < 1 || d > 600)) return { ok: false as const, error: meetingsErrors.tooLong('durationMinutes', '所要時間（1〜600分）', 600) };
    const org = input.presenterOrganisationId ?? null;
    if (org && !(isUuid(org) && (await this.store.organisationExists(org)))) return { ok: false as const, error: meetingsErrors.unknownBody('presenterOrganisationId') };
    return { ok: true as const, error: null, data: { title: title.value!, presenterName: presenterName.value, publicDescription: publicDescription.value, internalNotes: internalNotes.value, durationMinutes: d ?? null, presenterOrganisationId: org } };
  }

  async addItem(meetingId: string, input: Parameters<MeetingsManager['checkItem']>[0]): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managed(meetingId);
    if (!m.ok) return m;
    if (m.v.row.status === 'CANCELLED') return { ok: false, error: meetingsErrors.cancelled() };
    const c = await this.checkItem(input);
    if (!c.ok) return c;
    await this.store.transaction(async (tx) => {
      await tx.addAgendaItem({ meetingId, ...c.data });
      await tx.touchMeeting(meetingId);
    });
    return { ok: true, error: null, meeting: await this.fresh(meetingId, m.v.access) };
  }

  private async managedItem(itemId: string): Promise<Result<{ v: MeetingView; item: AgendaItemRow }>> {
    this.acting('meetings.manage');
    const item = isUuid(itemId) ? await this.store.agendaItem(itemId) : null;
    if (!item) return { ok: false, error: meetingsErrors.itemNotFound() };
    const m = await this.managed(item.meetingId);
    if (!m.ok) return m;
    return { ok: true, error: null, v: m.v, item };
  }

  async updateItem(itemId: string, input: Parameters<MeetingsManager['checkItem']>[0]): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managedItem(itemId);
    if (!m.ok) return m;
    const c = await this.checkItem(input);
    if (!c.ok) return c;
    await this.store.transaction(async (tx) => {
      await tx.updateAgendaItem(itemId, c.data);
      await tx.touchMeeting(m.v.row.id);
    });
    return { ok: true, error: null, meeting: await this.fresh(m.v.row.id, m.v.access) };
  }

  async removeItem(itemId: string): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managedItem(itemId);
    if (!m.ok) return m;
    if (await this.store.itemHasMinutes(itemId)) return { ok: false, error: meetingsErrors.itemInMinutes() };
    await this.store.transaction(async (tx) => {
      await tx.removeAgendaItem(itemId);
      await tx.touchMeeting(m.v.row.id);
    });
    return { ok: true, error: null, meeting: await this.fresh(m.v.row.id, m.v.access) };
  }

  async reorder(meetingId: string, expectedVersion: number, itemIds: string[]): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managed(meetingId);
    if (!m.ok) return m;
    const current = (await this.agendaLoader.load(meetingId)).map((i) => i.id);
    if (itemIds.length !== current.length || new Set(itemIds).size !== itemIds.length || !itemIds.every((id) => current.includes(id))) return { ok: false, error: meetingsErrors.badOrder() };
    const ok = await this.store.transaction(async (tx) => {
      if (!(await tx.updateMeetingIfVersion(meetingId, expectedVersion, {}))) return false;
      await tx.setPositions(itemIds);
      return true;
    });
    if (!ok) return { ok: false, error: meetingsErrors.stale() };
    return { ok: true, error: null, meeting: await this.fresh(meetingId, m.v.access) };
  }

  /** Accounts told about a meeting: each invited body's named attendee, or else its admins. */
  private async invitees(meetingId: string, roles: MeetingRole[], attendedOnly = false): Promise<{ accountIds: string[]; organisationIds: string[] }> {
    let invitations = (await this.store.invitationsOf([meetingId])).filter((i) => roles.includes(i.role));
    if (attendedOnly && invitations.some((i) => i.attendance)) invitations = invitations.filter((i) => i.attendance === 'PRESENT' || i.attendance === 'PROXY');
    const admins = await this.store.adminsOf(invitations.filter((i) => !i.attendeeAccountId).map((i) => i.organisationId));
    const accountIds = [...new Set([...invitations.flatMap((i) => (i.attendeeAccountId ? [i.attendeeAccountId] : [])), ...admins.map((x) => x.accountId)])];
    return { accountIds, organisationIds: [...new Set(invitations.map((i) => i.organisationId))] };
  }

  async publishAgenda(meetingId: string, expectedVersion: number): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managed(meetingId);
    if (!m.ok) return m;
    if (m.v.row.status === 'CANCELLED') return { ok: false, error: meetingsErrors.cancelled() };
    if ((await this.agendaLoader.load(meetingId)).length === 0) return { ok: false, error: meetingsErrors.emptyAgenda() };
    const title = await this.title(m.v);
    const told = await this.invitees(meetingId, ['MEMBER', 'OBSERVER']);
    const ok = await this.store.transaction(async (tx) => {
      if (!(await tx.updateMeetingIfVersion(meetingId, expectedVersion, { agendaPublishedAt: this.now() }))) return false;
      if (told.accountIds.length || told.organisationIds.length) await tx.publish('meetings.agenda_published', { meetingId, title, ...told, whenJa: whenJa(m.v.row), place: m.v.row.place ?? (m.v.row.onlineUrl ? 'オンライン' : null) });
      return true;
    });
    if (!ok) return { ok: false, error: meetingsErrors.stale() };
    return { ok: true, error: null, meeting: await this.fresh(meetingId, m.v.access) };
  }

  // ── Materials ───────────────────────────────────────────────────────────────────────────────

  /** Stores an uploaded material (secretariat); the gateway's POST /files/meetings/:id/materials. */
  async addMaterial(meetingId: string, agendaItemId: string | null, rawName: string, bytes: Uint8Array): Promise<Result<{ material: MaterialRow }>> {
    const m = await this.managed(meetingId);
    if (!m.ok) return m;
    if (agendaItemId && !(await this.agendaLoader.load(meetingId)).some((i) => i.id === agendaItemId)) return { ok: false, error: meetingsErrors.itemNotFound('agendaItemId') };
    const checked = sniffFile(rawName, bytes, MATERIAL_EXTENSIONS, MAX_MATERIAL_BYTES);
    if (!checked.ok) {
      const error = { name: meetingsErrors.fileName(), empty: meetingsErrors.fileEmpty(), size: meetingsErrors.fileTooLarge(MAX_MATERIAL_BYTES / 1024 / 1024), type: meetingsErrors.fileType() }[checked.problem];
      return { ok: false, error };
    }
    if ((await this.store.countMaterials(meetingId)) >= MAX_MATERIALS_PER_MEETING) return { ok: false, error: meetingsErrors.tooManyFiles(MAX_MATERIALS_PER_MEETING) };
    const material = await this.store.transaction(async (tx) => {
      const row = await tx.addMaterial({
        meetingId,
        agendaItemId,
        fileName: checked.fileName,
        contentType: checked.contentType,
        sizeBytes: bytes.length,
        sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
        content: Buffer.from(bytes),
        uploadedByAccountId: m.a.accountId,
      });
      await tx.touchMeeting(meetingId);
      return row;
    });
    return { ok: true, error: null, material };
  }

  /** A material for download, when the viewer may see it (observers: public ones of a published agenda). */
  async materialForDownload(id: string): Promise<{ meta: MaterialRow; content: Uint8Array } | null> {
    this.acting('meetings.read');
    const meta = isUuid(id) ? await this.store.material(id) : null;
    if (!meta) return null;
    const v = await this.view(meta.meetingId);
    if (!v || !(await this.materials(v)).some((x) => x.id === id)) return null;
    const content = await this.store.materialContent(id);
    return content ? { meta, content } : null;
  }

  private async managedMaterial(materialId: string): Promise<Result<{ v: MeetingView; material: MaterialRow }>> {
    this.acting('meetings.manage');
    const material = isUuid(materialId) ? await this.store.material(materialId) : null;
    if (!material) return { ok: false, error: meetingsErrors.itemNotFound('materialId') };
    const m = await this.managed(material.meetingId);
    if (!m.ok) return m;
    return { ok: true, error: null, v: m.v, material };
  }

  async setMaterialVisibility(materialId: string, visibility: MaterialVisibility): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managedMaterial(materialId);
    if (!m.ok) return m;
    await this.store.transaction(async (tx) => {
      await tx.setMaterialVisibility(materialId, visibility);
      await tx.touchMeeting(m.v.row.id);
    });
    return { ok: true, error: null, meeting: await this.fresh(m.v.row.id, m.v.access) };
  }

  async removeMaterial(materialId: string): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managedMaterial(materialId);
    if (!m.ok) return m;
    await this.store.transaction(async (tx) => {
      await tx.removeMaterial(materialId);
      await tx.touchMeeting(m.v.row.id);
    });
    return { ok: true, error: null, meeting: await this.fresh(m.v.row.id, m.v.access) };
  }

  // ── Invitations and attendance ──────────────────────────────────────────────────────────────

  async invite(meetingId: string, input: { organisationId: string; role: MeetingRole; attendeeAccountId?: string | null }): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managed(meetingId);
    if (!m.ok) return m;
    if (m.v.row.status === 'CANCELLED') return { ok: false, error: meetingsErrors.cancelled() };
    if (!isUuid(input.organisationId) || !(await this.store.organisationExists(input.organisationId))) return { ok: false, error: meetingsErrors.unknownBody() };
    const attendee = input.attendeeAccountId || null;
    if (attendee && !(isUuid(attendee) && (await this.store.accountInBody(attendee, input.organisationId)))) return { ok: false, error: meetingsErrors.unknownAccount('attendeeAccountId') };
    if ((await this.invitationsLoader.load(meetingId)).some((i) => i.organisationId === input.organisationId)) return { ok: false, error: meetingsErrors.alreadyInvited() };
    await this.store.transaction(async (tx) => {
      await tx.invite(meetingId, [{ organisationId: input.organisationId, role: input.role, attendeeAccountId: attendee }]);
      await tx.touchMeeting(meetingId);
    });
    return { ok: true, error: null, meeting: await this.fresh(meetingId, m.v.access) };
  }

  async removeInvitation(invitationId: string): Promise<Result<{ meeting: MeetingView }>> {
    this.acting('meetings.manage');
    const inv = isUuid(invitationId) ? await this.store.invitation(invitationId) : null;
    if (!inv) return { ok: false, error: meetingsErrors.invitationNotFound() };
    const m = await this.managed(inv.meetingId);
    if (!m.ok) return m;
    await this.store.transaction(async (tx) => {
      await tx.removeInvitation(invitationId);
      await tx.touchMeeting(inv.meetingId);
    });
    return { ok: true, error: null, meeting: await this.fresh(inv.meetingId, m.v.access) };
  }

  async respond(invitationId: string, rsvp: Rsvp, proxyName: string | null | undefined, note: string | null | undefined): Promise<Result<{ meeting: MeetingView }>> {
    const a = this.acting('meetings.rsvp');
    const inv = isUuid(invitationId) ? await this.store.invitation(invitationId) : null;
    const v = inv ? await this.view(inv.meetingId) : null;
    if (!inv || !v) return { ok: false, error: meetingsErrors.invitationNotFound() };
    if (!this.canRespond(inv)) return { ok: false, error: meetingsErrors.notYourInvitation() };
    if (v.row.status !== 'SCHEDULED') return { ok: false, error: v.row.status === 'CANCELLED' ? meetingsErrors.cancelled() : meetingsErrors.notFound('invitationId') };
    const proxy = text(proxyName, 'proxyName', '代理出席者の氏名', 100, rsvp === 'PROXY');
    if (!proxy.ok) return { ok: false, error: meetingsErrors.proxyNameRequired() };
    const n = text(note, 'note', '備考', 500, false);
    if (!n.ok) return n;
    await this.store.transaction(async (tx) => {
      await tx.answer(invitationId, a.accountId, rsvp, rsvp === 'PROXY' ? proxy.value : null, n.value, this.now());
      await tx.touchMeeting(inv.meetingId);
    });
    return { ok: true, error: null, meeting: await this.fresh(inv.meetingId, v.access) };
  }

  async recordAttendance(invitationId: string, attendance: AttendanceStatus, attendeeName: string | null | undefined, note: string | null | undefined): Promise<Result<{ meeting: MeetingView }>> {
    const a = this.acting('meetings.manage');
    const inv = isUuid(invitationId) ? await this.store.invitation(invitationId) : null;
    if (!inv) return { ok: false, error: meetingsErrors.invitationNotFound() };
    const m = await this.managed(inv.meetingId);
    if (!m.ok) return m;
    if (m.v.row.status === 'CANCELLED') return { ok: false, error: meetingsErrors.cancelled() };
    const day = isoDay(m.v.row.date);
    if (!day || day > this.today()) return { ok: false, error: meetingsErrors.notHeldYet() };
    const name = text(attendeeName, 'attendeeName', '出席者の氏名', 100, attendance === 'PROXY');
    if (!name.ok) return { ok: false, error: attendance === 'PROXY' ? { ...meetingsErrors.proxyNameRequired(), field: 'attendeeName' } as DomainError : name.error };
    const n = text(note, 'note', '備考', 500, false);
    if (!n.ok) return n;
    await this.store.transaction(async (tx) => {
      await tx.recordAttendance(invitationId, a.accountId, attendance, attendance === 'ABSENT' ? null : name.value, n.value, this.now());
      await tx.touchMeeting(inv.meetingId);
    });
    return { ok: true, error: null, meeting: await this.fresh(inv.meetingId, m.v.access) };
  }

  /** Rows for the attendance CSV and printable list (secretariat and members). */
  async attendanceList(meetingId: string): Promise<{ title: string; when: string; rows: Array<InvitationRow & { organisationName: string }> } | null> {
    this.acting('meetings.read');
    const v = await this.view(meetingId);
    if (!v || v.access === 'OBSERVER') return null;
    const rows = await this.invitationsLoader.load(meetingId);
    const names = await this.store.organisationNames(rows.map((r) => r.organisationId));
    return { title: await this.title(v), when: whenJa(v.row), rows: rows.map((r) => ({ ...r, organisationName: names.get(r.organisationId) ?? '' })) };
  }

  // ── Minutes ─────────────────────────────────────────────────────────────────────────────────

  async saveEntry(meetingId: string, agendaItemId: string, body: string, internalNote: string | null | undefined): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managed(meetingId);
    if (!m.ok) return m;
    if (m.v.row.status === 'CANCELLED') return { ok: false, error: meetingsErrors.cancelled() };
    if (!(await this.agendaLoader.load(meetingId)).some((i) => i.id === agendaItemId)) return { ok: false, error: meetingsErrors.itemNotFound('agendaItemId') };
    const b = text(body, 'body', '議事録', 20000, true);
    if (!b.ok) return b;
    const note = text(internalNote, 'internalNote', '内部メモ', 5000, false);
    if (!note.ok) return note;
    const current = (await this.versions(meetingId))[0];
    if (current?.status === 'APPROVED') return { ok: false, error: meetingsErrors.minutesFrozen() };
    await this.store.transaction(async (tx) => {
      const versionId = current ? current.id : (await tx.createMinutesVersion({ meetingId, version: 1, createdByAccountId: m.a.accountId }, [])).id;
      await tx.upsertEntry(versionId, agendaItemId, b.value!, note.value);
      await tx.touchMeeting(meetingId);
    });
    return { ok: true, error: null, meeting: await this.fresh(meetingId, m.v.access) };
  }

  async setMaskTerms(meetingId: string, terms: string[]): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managed(meetingId);
    if (!m.ok) return m;
    const cleaned = [...new Set(terms.map((t) => t.normalize('NFC').trim()).filter(Boolean))];
    if (cleaned.length > 100 || cleaned.some((t) => t.length > 100)) return { ok: false, error: meetingsErrors.tooLong('terms', '非公開にする語句（100件・各100文字まで）', 100) };
    await this.store.setMaskTerms(meetingId, cleaned);
    return { ok: true, error: null, meeting: await this.fresh(meetingId, m.v.access) };
  }

  async circulate(meetingId: string, expectedVersion: number, commentsDueOn: string | null | undefined): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managed(meetingId);
    if (!m.ok) return m;
    const current = (await this.versions(meetingId))[0];
    if (!current) return { ok: false, error: meetingsErrors.minutesEmpty() };
    if (current.status === 'APPROVED') return { ok: false, error: meetingsErrors.minutesFrozen() };
    if ((await this.entriesLoader.load(current.id)).length === 0) return { ok: false, error: meetingsErrors.minutesEmpty() };
    if (commentsDueOn && (!isRealDay(commentsDueOn) || commentsDueOn < this.today())) return { ok: false, error: meetingsErrors.invalidDate('commentsDueOn') };
    const title = await this.title(m.v);
    const told = await this.invitees(meetingId, ['MEMBER'], true);
    const ok = await this.store.transaction(async (tx) => {
      if (!(await tx.updateMeetingIfVersion(meetingId, expectedVersion, {}))) return false;
      await tx.setMinutesStatus(current.id, current.status, { status: 'CIRCULATED', circulatedAt: this.now(), commentsDueOn: commentsDueOn ? dbDay(commentsDueOn) : null });
      if (told.accountIds.length || told.organisationIds.length) await tx.publish('meetings.minutes_circulated', { meetingId, title, ...told, version: current.version, commentsDueOn: commentsDueOn ?? null });
      return true;
    });
    if (!ok) return { ok: false, error: meetingsErrors.stale() };
    return { ok: true, error: null, meeting: await this.fresh(meetingId, m.v.access) };
  }

  async comment(meetingId: string, agendaItemId: string | null | undefined, body: string): Promise<Result<{ meeting: MeetingView }>> {
    const a = this.acting('minutes.comment');
    const v = await this.view(meetingId);
    if (!v) return { ok: false, error: meetingsErrors.notFound() };
    const current = (await this.versions(meetingId))[0];
    if (!current || current.status !== 'CIRCULATED') return { ok: false, error: meetingsErrors.minutesNotCirculated() };
    if (v.access !== 'SECRETARIAT') {
      const own = await this.myInvitation(v);
      if (!own || own.role !== 'MEMBER' || own.attendance === 'ABSENT') return { ok: false, error: meetingsErrors.notAttendee() };
    }
    if (agendaItemId && !(await this.agendaLoader.load(meetingId)).some((i) => i.id === agendaItemId)) return { ok: false, error: meetingsErrors.itemNotFound('agendaItemId') };
    const b = text(body, 'body', '意見', 4000, true);
    if (!b.ok) return b;
    await this.store.addComment({ versionId: current.id, agendaItemId: agendaItemId || null, accountId: a.accountId, organisationId: a.organisationId, body: b.value! });
    return { ok: true, error: null, meeting: await this.fresh(meetingId, v.access) };
  }

  async approve(meetingId: string, expectedVersion: number, approvedAtMeetingId: string | null | undefined): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managed(meetingId);
    if (!m.ok) return m;
    const current = (await this.versions(meetingId))[0];
    if (!current) return { ok: false, error: meetingsErrors.minutesEmpty() };
    if (current.status === 'APPROVED') return { ok: false, error: meetingsErrors.minutesFrozen() };
    if (current.status !== 'CIRCULATED') return { ok: false, error: meetingsErrors.minutesNotCirculated() };
    if (approvedAtMeetingId) {
      const at = isUuid(approvedAtMeetingId) ? await this.meetingLoader.load(approvedAtMeetingId) : null;
      if (!at || at.seriesId !== m.v.row.seriesId || at.number <= m.v.row.number) return { ok: false, error: meetingsErrors.approvalMeeting() };
    }
    const [entries, agenda] = await Promise.all([this.entriesLoader.load(current.id), this.agendaLoader.load(meetingId)]);
    const titles = new Map(agenda.map((i) => [i.id, i.title]));
    const all = entries.map((e) => `${titles.get(e.agendaItemId) ?? ''}\n${e.body}`).join('\n');
    const [firms, cores, keep] = await Promise.all([this.store.firmNamesIn(all), this.store.firmCoreNamesIn(all, LEGAL_FORM_SQL), this.store.organisationNamesIn(all)]);
    const words = { firms: [...firms, ...cores], terms: m.v.row.maskTerms, keep };
    const title = await this.title(m.v);
    const told = await this.invitees(meetingId, ['MEMBER'], true);
    const ok = await this.store.transaction(async (tx) => {
      if (!(await tx.updateMeetingIfVersion(meetingId, expectedVersion, {}))) return false;
      for (const e of entries) await tx.setPublicText(e.id, maskText(e.body, words), maskText(titles.get(e.agendaItemId) ?? '', words));
      if (!(await tx.setMinutesStatus(current.id, 'CIRCULATED', { status: 'APPROVED', approvedAt: this.now(), approvedByAccountId: m.a.accountId, approvedAtMeetingId: approvedAtMeetingId || null }))) return false;
      if (told.accountIds.length || told.organisationIds.length) await tx.publish('meetings.minutes_approved', { meetingId, title, ...told, version: current.version });
      return true;
    });
    if (!ok) return { ok: false, error: meetingsErrors.stale() };
    return { ok: true, error: null, meeting: await this.fresh(meetingId, m.v.access) };
  }

  async startRevision(meetingId: string, expectedVersion: number, reason: string): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managed(meetingId);
    if (!m.ok) return m;
    const current = (await this.versions(meetingId))[0];
    if (!current || current.status !== 'APPROVED') return { ok: false, error: meetingsErrors.noApprovedMinutes() };
    const why = text(reason, 'reason', '理由', 500, true);
    if (!why.ok) return { ok: false, error: meetingsErrors.reasonRequired() };
    const entries = await this.entriesLoader.load(current.id);
    const ok = await this.store.transaction(async (tx) => {
      if (!(await tx.updateMeetingIfVersion(meetingId, expectedVersion, {}))) return false;
      await tx.createMinutesVersion(
        { meetingId, version: current.version + 1, reason: why.value, createdByAccountId: m.a.accountId },
        entries.map((e) => ({ agendaItemId: e.agendaItemId, body: e.body, internalNote: e.internalNote })),
      );
      return true;
    });
    if (!ok) return { ok: false, error: meetingsErrors.stale() };
    return { ok: true, error: null, meeting: await this.fresh(meetingId, m.v.access) };
  }

  // ── Decisions and action items ──────────────────────────────────────────────────────────────

  async addDecision(meetingId: string, agendaItemId: string, textValue: string): Promise<Result<{ meeting: MeetingView }>> {
    const m = await this.managed(meetingId);
    if (!m.ok) return m;
    if (!(await this.agendaLoader.load(meetingId)).some((i) => i.id === agendaItemId)) return { ok: false, error: meetingsErrors.itemNotFound('agendaItemId') };
    const t = text(textValue, 'text', '決定事項', 2000, true);
    if (!t.ok) return t;
    await this.store.transaction(async (tx) => {
      await tx.addDecision({ meetingId, agendaItemId, text: t.value!, createdByAccountId: m.a.accountId });
      await tx.touchMeeting(meetingId);
    });
    return { ok: true, error: null, meeting: await this.fresh(meetingId, m.v.access) };
  }

  async removeDecision(decisionId: string): Promise<Result<{ meeting: MeetingView }>> {
    this.acting('meetings.manage');
    const d = isUuid(decisionId) ? await this.store.decision(decisionId) : null;
    if (!d) return { ok: false, error: meetingsErrors.itemNotFound('decisionId') };
    const m = await this.managed(d.meetingId);
    if (!m.ok) return m;
    if (await this.hasApproved(d.meetingId)) return { ok: false, error: meetingsErrors.decisionInMinutes() };
    await this.store.transaction(async (tx) => {
      await tx.removeDecision(decisionId);
      await tx.touchMeeting(d.meetingId);
    });
    return { ok: true, error: null, meeting: await this.fresh(d.meetingId, m.v.access) };
  }

  /** Who is told about an action item: its owner, or else the owner body's admins. */
  private async owners(item: Pick<ActionItemRow, 'ownerAccountId' | 'ownerOrganisationId'>): Promise<{ accountIds: string[]; organisationIds: string[] }> {
    const organisationIds = item.ownerOrganisationId ? [item.ownerOrganisationId] : [];
    const accountIds = item.ownerAccountId ? [item.ownerAccountId] : (await this.store.adminsOf(organisationIds)).map((x) => x.accountId);
    return { accountIds: [...new Set(accountIds)], organisationIds };
  }

  /** 09:00 Japan time REMINDER_DAYS_BEFORE days before the due day, or on the day when that has passed. */
  private reminderAt(dueOn: string): Date | null {
    const due = jstDayStart(dueOn).getTime();
    const early = new Date(due - REMINDER_DAYS_BEFORE * 86_400_000 + 9 * 3_600_000);
    if (early > this.now()) return early;
    const onDay = new Date(due + 9 * 3_600_000);
    return onDay > this.now() ? onDay : null;
  }

  /** Inside a transaction: everything it needs is read beforehand (the embedded database has one connection). */
  private async scheduleReminder(tx: MeetingsStore, item: ActionItemRow, title: string, told: { accountIds: string[]; organisationIds: string[] }): Promise<void> {
    const dueOn = isoDay(item.dueOn)!;
    const at = this.reminderAt(dueOn);
    if (!at) return;
    await tx.schedule(`meeting-action-due:${item.id}`, at, 'meetings.action_item_due', { meetingId: item.meetingId, title, ...told, actionItemId: item.id, itemTitle: item.title, dueOn });
  }

  async addActionItem(meetingId: string, agendaItemId: string, input: { title: string; description?: string | null; ownerOrganisationId?: string | null; ownerAccountId?: string | null; dueOn: string }): Promise<Result<{ actionItem: ActionItemRow }>> {
    const m = await this.managed(meetingId);
    if (!m.ok) return m;
    if (!(await this.agendaLoader.load(meetingId)).some((i) => i.id === agendaItemId)) return { ok: false, error: meetingsErrors.itemNotFound('agendaItemId') };
    const title = text(input.title, 'title', 'アクションアイテム', 200, true);
    if (!title.ok) return title;
    const description = text(input.description, 'description', '内容', 2000, false);
    if (!description.ok) return description;
    const org = input.ownerOrganisationId || null;
    const account = input.ownerAccountId || null;
    if (!org && !account) return { ok: false, error: meetingsErrors.ownerRequired() };
    if (org && !(isUuid(org) && (await this.store.organisationExists(org)))) return { ok: false, error: meetingsErrors.unknownBody('ownerOrganisationId') };
    if (account && !(isUuid(account) && (org ? await this.store.accountInBody(account, org) : await this.store.accountExists(account)))) return { ok: false, error: meetingsErrors.unknownAccount('ownerAccountId') };
    if (!isRealDay(input.dueOn) || input.dueOn < (isoDay(m.v.row.date) ?? this.today())) return { ok: false, error: meetingsErrors.invalidDate('dueOn') };
    const meetingName = await this.title(m.v);
    const told = await this.owners({ ownerAccountId: account, ownerOrganisationId: org });
    const item = await this.store.transaction(async (tx) => {
      const row = await tx.addActionItem({ seriesId: m.v.row.seriesId, meetingId, agendaItemId, title: title.value!, description: description.value, ownerOrganisationId: org, ownerAccountId: account, dueOn: dbDay(input.dueOn), createdByAccountId: m.a.accountId });
      await tx.publish('meetings.action_item_assigned', { meetingId, title: meetingName, ...told, actionItemId: row.id, itemTitle: row.title, dueOn: input.dueOn });
      await this.scheduleReminder(tx, row, meetingName, told);
      // Open items go on the agenda of the series' next meetings.
      for (const later of await tx.laterScheduled(m.v.row.seriesId, m.v.row.number)) {
        if (!(await tx.hasActionReview(later.id))) {
          await tx.addAgendaItem({ meetingId: later.id, kind: 'ACTION_REVIEW', title: ACTION_REVIEW_TITLE, publicDescription: ACTION_REVIEW_DESCRIPTION }, true);
          await tx.touchMeeting(later.id);
        }
      }
      await tx.touchMeeting(meetingId);
      return row;
    });
    return { ok: true, error: null, actionItem: item };
  }

  async setActionItemStatus(id: string, expectedVersion: number, status: ActionItemStatus, note: string | null | undefined): Promise<Result<{ actionItem: ActionItemRow }>> {
    this.acting('action_items.update');
    const item = isUuid(id) ? await this.store.actionItem(id) : null;
    const visible = item && (this.actionItemCanUpdate(item) || (await this.view(item.meetingId))?.access === 'MEMBER');
    if (!item || !visible) return { ok: false, error: meetingsErrors.itemNotFound('id') };
    if (!this.actionItemCanUpdate(item)) return { ok: false, error: meetingsErrors.notOwner() };
    if (item.status === status) return { ok: false, error: meetingsErrors.sameStatus() };
    const n = text(note, 'note', '状況メモ', 1000, false);
    if (!n.ok) return n;
    const closing = !OPEN_STATUSES.includes(status);
    const meetingName = await this.meetingTitleOf(item.meetingId);
    const told = await this.owners(item);
    const ok = await this.store.transaction(async (tx) => {
      if (!(await tx.updateActionItemIfVersion(id, expectedVersion, { status, statusNote: n.value, doneAt: closing ? this.now() : null }))) return false;
      if (closing) await tx.cancelNotice(`meeting-action-due:${id}`);
      else if (!OPEN_STATUSES.includes(item.status)) await this.scheduleReminder(tx, { ...item, status }, meetingName, told);
      return true;
    });
    if (!ok) return { ok: false, error: meetingsErrors.stale() };
    return { ok: true, error: null, actionItem: (await this.store.actionItem(id))! };
  }

  // ── Calendar ────────────────────────────────────────────────────────────────────────────────

  /** The meeting as an .ics file; an error for one not yet fixed to a date. */
  async meetingIcs(meetingId: string): Promise<Result<{ fileName: string; ics: string }> | null> {
    this.acting('meetings.read');
    const v = await this.view(meetingId);
    if (!v) return null;
    const title = await this.title(v);
    const event = calendarEventOf(v.row, title, this.publicUrl);
    if (!event) return { ok: false, error: meetingsErrors.tentativeNoCalendar() };
    return { ok: true, error: null, fileName: `meeting-${v.row.number}-${event.date}.ics`, ics: icsCalendar(title, [event], this.now()) };
  }

  async resetFeed(): Promise<Result<{ feed: { url: string; createdAt: Date } }>> {
    const a = this.acting('calendar.feed');
    const token = crypto.randomBytes(32).toString('base64url');
    const { createdAt } = await this.store.setFeed(a.accountId, hashFeedToken(token), this.now());
    return { ok: true, error: null, feed: { url: new URL(`/calendar/${token}.ics`, this.publicUrl).toString(), createdAt } };
  }

  async revokeFeed(): Promise<Result<{ feed: null }>> {
    const a = this.acting('calendar.feed');
    await this.store.removeFeed(a.accountId);
    return { ok: true, error: null, feed: null };
  }
}

export function hashFeedToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/**
 * A personal feed, read without a session (calendar apps fetch it): the meetings the account's bodies
 * are invited to (every meeting for the secretariat) from a year ago on, dated ones only. Null for an
 * unknown or revoked token.
 */
export async function calendarFeedFor(store: MeetingsStore, token: string, publicUrl: string, now = new Date()): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const feed = await store.feedByTokenHash(hashFeedToken(token));
  if (!feed) return null;
  const memberships = await store.membershipsOf(feed.accountId);
  if (memberships.length === 0) return null;
  const secretariat = memberships.some((m) => m.roles.includes('SECRETARIAT'));
  const from = dbDay(toJstDay(new Date(now.getTime() - 365 * 86_400_000)));
  const rows = await store.calendarMeetings(from, secretariat ? 'ALL' : memberships.map((m) => m.organisationId));
  const series = new Map((await store.seriesByIds([...new Set(rows.map((r) => r.seriesId))])).map((s) => [s.id, s]));
  const events = rows.flatMap((r) => {
    const e = calendarEventOf(r, meetingTitle(r.number, series.get(r.seriesId) ?? { nameJa: '' }), publicUrl);
    return e ? [e] : [];
  });
  return icsCalendar('伴走ハブ 会議予定', events, now);
}

