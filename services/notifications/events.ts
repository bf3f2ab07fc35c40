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
  schema: S;
  recipients: (payload: z.infer<S>) => string[];
  render: (payload: z.infer<S>) => RenderedNotice;
}

function define<S extends z.ZodTypeAny>(d: EventDefinition<S>): EventDefinition<S> {
  return d;
}

export const EVENTS = {
  'accounts.roles_changed': define({
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
} as const;

export type EventType = keyof typeof EVENTS;
export type EventPayload<T extends EventType> = z.infer<(typeof EVENTS)[T]['schema']>;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENTS, type);
}
