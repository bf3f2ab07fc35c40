/**
 * The catalogue of events producers may publish: each type's payload schema, who is told, and what the
 * notice says (Japanese first). A malformed event is refused at the producer.
 */
import { z } from 'zod';

const uuid = z.string().uuid();
const ROLE_LABELS: Record<string, string> = {
  ORG_ADMIN: '組織管理者',
  SUPPORTER: '支援担当者',
  TEAM_LEAD: 'チームリーダー',
  SECRETARIAT: '事務局',
  OBSERVER: 'オブザーバー',
  HUB_ADMIN: 'ハブ管理者',
};

export interface RenderedNotice {
  titleJa: string;
  titleEn: string;
  bodyJa: string;
  bodyEn: string;
  link: string | null;
}

interface EventDefinition<S extends z.ZodTypeAny> {
  /** What the preferences page calls this kind of notice. */
  labelJa: string;
  labelEn: string;
  schema: S;
  /** Accounts told about it. */
  recipients: (payload: z.infer<S>) => string[];
  /** Bodies it concerns: their webhook endpoints receive it. */
  organisations: (payload: z.infer<S>) => string[];
  /** Channels when the person has not chosen (email can be turned off per type). */
  defaults: { inApp: boolean; email: boolean };
  render: (payload: z.infer<S>) => RenderedNotice;
}

function define<S extends z.ZodTypeAny>(d: EventDefinition<S>): EventDefinition<S> {
  return d;
}

export const EVENTS = {
  'accounts.roles_changed': define({
    labelJa: '自分の役割の変更',
    labelEn: 'Changes to my roles',
    organisations: (p) => [p.organisationId],
    defaults: { inApp: true, email: true },
    schema: z.object({ accountId: uuid, organisationId: uuid, organisationName: z.string().min(1), roles: z.array(z.string()).min(1) }),
    recipients: (p) => [p.accountId],
    render: (p) => ({
      titleJa: `${p.organisationName}での役割が変更されました`,
      titleEn: `Your roles at ${p.organisationName} changed`,
      bodyJa: `現在の役割: ${p.roles.map((r) => ROLE_LABELS[r] ?? r).join('、')}`,
      bodyEn: `Your roles are now: ${p.roles.join(', ')}`,
      link: null,
    }),
  }),
  'accounts.staff_removed': define({
    labelJa: '組織のスタッフから外されたとき',
    labelEn: 'Removal from a body\'s staff',
    organisations: (p) => [p.organisationId],
    defaults: { inApp: true, email: true },
    schema: z.object({ accountId: uuid, organisationId: uuid, organisationName: z.string().min(1) }),
    recipients: (p) => [p.accountId],
    render: (p) => ({
      titleJa: `${p.organisationName}のスタッフから外れました`,
      titleEn: `You were removed from the staff of ${p.organisationName}`,
      bodyJa: 'この組織として行っていた操作はできなくなりました。心当たりがない場合は組織の管理者にお問い合わせください。',
      bodyEn: 'You can no longer act for this body. Contact its admin if this is unexpected.',
      link: null,
    }),
  }),
  'accounts.invitation_expiring': define({
    labelJa: '招待の期限が近いとき（招待した人へ）',
    labelEn: 'An invitation I sent is about to expire',
    organisations: (p) => [p.organisationId],
    defaults: { inApp: true, email: true },
    schema: z.object({ invitationId: uuid, inviterAccountId: uuid, organisationId: uuid, organisationName: z.string().min(1), email: z.string().min(3), expiresAt: z.string().datetime() }),
    recipients: (p) => [p.inviterAccountId],
    render: (p) => ({
      titleJa: `${p.email} さんへの招待がまもなく期限切れです`,
      titleEn: `Your invitation to ${p.email} expires soon`,
      bodyJa: `${p.organisationName}への招待はまだ受け入れられていません。期限: ${formatJst(p.expiresAt)}。必要なら招待を出し直してください。`,
      bodyEn: `The invitation to ${p.organisationName} has not been accepted yet. It expires ${p.expiresAt}. Invite again if needed.`,
      link: '/admin/staff',
    }),
  }),
} as const;

function formatJst(iso: string): string {
  return new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Tokyo' }).format(new Date(iso));
}

export type EventType = keyof typeof EVENTS;
export type EventPayload<T extends EventType> = z.infer<(typeof EVENTS)[T]['schema']>;

export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

/** The catalogue's functions are typed per event; the pipeline handles every type alike through this view. */
export interface AnyEventDefinition {
  labelJa: string;
  labelEn: string;
  schema: z.ZodTypeAny;
  recipients(payload: unknown): string[];
  organisations(payload: unknown): string[];
  defaults: { inApp: boolean; email: boolean };
  render(payload: unknown): RenderedNotice;
}

export function eventDefinition(type: EventType): AnyEventDefinition {
  return EVENTS[type] as unknown as AnyEventDefinition;
}

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENTS, type);
}
