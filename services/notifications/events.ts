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

const URGENCY_JA: Record<string, string> = { NORMAL: '', HIGH: '【急ぎ】', URGENT: '【至急】' };

/** What every referral notice carries: the referral, who is told, and the body it concerns. */
const referralNotice = z.object({
  referralId: uuid,
  reference: z.string().regex(/^R-\d{6,}$/),
  recipientOrganisationId: uuid,
  accountIds: z.array(uuid),
});

/** What every meeting notice carries: the meeting, who is told, and the bodies it concerns. */
const meetingNotice = z.object({
  meetingId: uuid,
  title: z.string().min(1),
  organisationIds: z.array(uuid),
  accountIds: z.array(uuid),
});

/** What every engagement notice carries: the engagement, who is told, and the body it concerns. */
const engagementNotice = z.object({
  engagementId: uuid,
  reference: z.string().regex(/^E-\d{6,}$/),
  organisationId: uuid,
  accountIds: z.array(uuid),
});

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
  'referrals.received': define({
    labelJa: '自組織に紹介が届いたとき',
    labelEn: 'A referral reaches my body',
    organisations: (p) => [p.recipientOrganisationId],
    defaults: { inApp: true, email: true },
    schema: referralNotice.extend({ senderOrganisationName: z.string().min(1), firmName: z.string().min(1), urgency: z.enum(['NORMAL', 'HIGH', 'URGENT']), dueAt: z.string().datetime() }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `${URGENCY_JA[p.urgency]}${p.senderOrganisationName}から紹介が届きました（${p.reference}）`,
      titleEn: `New referral ${p.reference} from ${p.senderOrganisationName}`,
      bodyJa: `${p.firmName} の紹介です。回答期限: ${formatJst(p.dueAt)}`,
      bodyEn: `Firm: ${p.firmName}. Answer by ${p.dueAt}.`,
      link: `/referrals/${p.referralId}`,
    }),
  }),
  'referrals.response_due': define({
    labelJa: '紹介の回答期限が近いとき',
    labelEn: 'A referral’s answer is due soon',
    organisations: (p) => [p.recipientOrganisationId],
    defaults: { inApp: true, email: true },
    schema: referralNotice.extend({ senderOrganisationName: z.string().min(1), dueAt: z.string().datetime() }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `紹介 ${p.reference} の回答期限は本日です`,
      titleEn: `Referral ${p.reference} must be answered today`,
      bodyJa: `${p.senderOrganisationName}からの紹介にまだ回答していません。期限: ${formatJst(p.dueAt)}`,
      bodyEn: `The referral from ${p.senderOrganisationName} has not been answered. Due ${p.dueAt}.`,
      link: `/referrals/${p.referralId}`,
    }),
  }),
  'referrals.overdue': define({
    labelJa: '紹介の回答期限を過ぎたとき（受け手の管理者・担当者へ）',
    labelEn: 'A referral to my body is overdue (admins, assignee)',
    organisations: (p) => [p.recipientOrganisationId],
    defaults: { inApp: true, email: true },
    schema: referralNotice.extend({ senderOrganisationName: z.string().min(1), dueAt: z.string().datetime() }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `紹介 ${p.reference} が回答期限を過ぎています`,
      titleEn: `Referral ${p.reference} is overdue`,
      bodyJa: `${p.senderOrganisationName}からの紹介に回答がないまま期限（${formatJst(p.dueAt)}）を過ぎました。受付・辞退・他機関への回付のいずれかをお願いします。翌営業日も回答がない場合は協議会事務局に通知されます。`,
      bodyEn: `The referral from ${p.senderOrganisationName} passed its deadline (${p.dueAt}) unanswered. The council secretariat is told after one more business day.`,
      link: `/referrals/${p.referralId}`,
    }),
  }),
  'referrals.escalated': define({
    labelJa: '回答のない紹介の報告（協議会事務局へ）',
    labelEn: 'Unanswered referrals (council secretariat)',
    organisations: (p) => (p.secretariatOrganisationId ? [p.secretariatOrganisationId] : []),
    defaults: { inApp: true, email: true },
    // No firm data: the secretariat is not party to the referral.
    schema: referralNotice.extend({ senderOrganisationName: z.string().min(1), recipientOrganisationName: z.string().min(1), dueAt: z.string().datetime(), secretariatOrganisationId: uuid.nullable() }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `紹介 ${p.reference} に回答がありません（${p.recipientOrganisationName}）`,
      titleEn: `Referral ${p.reference} is unanswered (${p.recipientOrganisationName})`,
      bodyJa: `${p.senderOrganisationName}から${p.recipientOrganisationName}への紹介が、回答期限（${formatJst(p.dueAt)}）を1営業日過ぎても未回答です。受け手の機関への確認をお願いします。`,
      bodyEn: `The referral from ${p.senderOrganisationName} to ${p.recipientOrganisationName} is one business day past its deadline (${p.dueAt}) without an answer.`,
      link: null,
    }),
  }),
  'referrals.accepted': define({
    labelJa: '送った紹介が受け付けられたとき',
    labelEn: 'A referral I sent is accepted',
    organisations: (p) => [p.senderOrganisationId],
    defaults: { inApp: true, email: true },
    schema: referralNotice.extend({ senderOrganisationId: uuid, recipientOrganisationName: z.string().min(1), firmName: z.string().min(1) }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `${p.recipientOrganisationName}が紹介 ${p.reference} を受け付けました`,
      titleEn: `${p.recipientOrganisationName} accepted referral ${p.reference}`,
      bodyJa: `${p.firmName} の支援が始まります。`,
      bodyEn: `Support for ${p.firmName} begins.`,
      link: `/referrals/${p.referralId}`,
    }),
  }),
  'referrals.declined': define({
    labelJa: '送った紹介が辞退されたとき',
    labelEn: 'A referral I sent is declined',
    organisations: (p) => [p.senderOrganisationId],
    defaults: { inApp: true, email: true },
    schema: referralNotice.extend({ senderOrganisationId: uuid, recipientOrganisationName: z.string().min(1), firmName: z.string().min(1), reasonJa: z.string().min(1), note: z.string().nullable() }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `${p.recipientOrganisationName}が紹介 ${p.reference} を辞退しました`,
      titleEn: `${p.recipientOrganisationName} declined referral ${p.reference}`,
      bodyJa: `${p.firmName}: 理由「${p.reasonJa}」${p.note ? `\n${p.note}` : ''}`,
      bodyEn: `${p.firmName}: ${p.reasonJa}${p.note ? `\n${p.note}` : ''}`,
      link: `/referrals/${p.referralId}`,
    }),
  }),
  'referrals.forwarded': define({
    labelJa: '送った紹介が他機関に回されたとき',
    labelEn: 'A referral I sent is forwarded to another body',
    organisations: (p) => [p.senderOrganisationId],
    defaults: { inApp: true, email: true },
    schema: referralNotice.extend({ senderOrganisationId: uuid, recipientOrganisationName: z.string().min(1), forwardedToName: z.string().min(1), firmName: z.string().min(1) }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `紹介 ${p.reference} は${p.forwardedToName}に回されました`,
      titleEn: `Referral ${p.reference} was forwarded to ${p.forwardedToName}`,
      bodyJa: `${p.recipientOrganisationName}が ${p.firmName} の紹介を${p.forwardedToName}に回しました。`,
      bodyEn: `${p.recipientOrganisationName} forwarded the referral of ${p.firmName} to ${p.forwardedToName}.`,
      link: `/referrals/${p.referralId}`,
    }),
  }),
  'referrals.completed': define({
    labelJa: '送った紹介の支援が完了したとき',
    labelEn: 'Support for a firm I referred is completed',
    organisations: (p) => [p.senderOrganisationId],
    defaults: { inApp: true, email: true },
    schema: referralNotice.extend({ senderOrganisationId: uuid, recipientOrganisationName: z.string().min(1), firmName: z.string().min(1), stageJa: z.string().min(1), resultJa: z.string().min(1), summary: z.string().min(1) }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `紹介 ${p.reference} の支援が完了しました（${p.resultJa}）`,
      titleEn: `Referral ${p.reference} completed (${p.resultJa})`,
      bodyJa: `${p.recipientOrganisationName}による ${p.firmName} への支援: 到達段階「${p.stageJa}」、結果「${p.resultJa}」\n${p.summary}`,
      bodyEn: `${p.recipientOrganisationName} supported ${p.firmName}: stage ${p.stageJa}, result ${p.resultJa}\n${p.summary}`,
      link: `/referrals/${p.referralId}`,
    }),
  }),
  'referrals.cancelled': define({
    labelJa: '受けた紹介が取り下げられたとき',
    labelEn: 'A referral to my body is withdrawn',
    organisations: (p) => [p.recipientOrganisationId],
    defaults: { inApp: true, email: true },
    // After a consent withdrawal the receiver may no longer see the firm: no firm data here.
    schema: referralNotice.extend({ senderOrganisationName: z.string().min(1), consentWithdrawn: z.boolean() }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `${p.senderOrganisationName}からの紹介 ${p.reference} は取り下げられました`,
      titleEn: `Referral ${p.reference} from ${p.senderOrganisationName} was withdrawn`,
      bodyJa: p.consentWithdrawn ? '企業が情報提供への同意を撤回しました。この紹介の企業情報は閲覧できなくなりました。' : '紹介元が紹介を取り下げました。',
      bodyEn: p.consentWithdrawn ? 'The firm withdrew its consent; its data is no longer available to your body.' : 'The sender withdrew the referral.',
      link: p.consentWithdrawn ? null : `/referrals/${p.referralId}`,
    }),
  }),
  'engagements.invited': define({
    labelJa: 'チームへの参加依頼が届いたとき',
    labelEn: 'I am invited onto a support team',
    organisations: (p) => [p.organisationId],
    defaults: { inApp: true, email: true },
    // No firm data before the invitee accepts.
    schema: engagementNotice.extend({ ownerName: z.string().min(1), slotJa: z.string().min(1), leadName: z.string().min(1) }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `${p.ownerName}の伴走支援チーム（${p.reference}）への参加依頼`,
      titleEn: `Invitation to the support team ${p.reference} of ${p.ownerName}`,
      bodyJa: `${p.leadName}さんから「${p.slotJa}」としての参加依頼が届いています。伴走支援の画面から回答してください。`,
      bodyEn: `${p.leadName} invites you as ${p.slotJa}. Answer on the engagements page.`,
      link: '/engagements',
    }),
  }),
  'engagements.invitation_answered': define({
    labelJa: 'チームへの参加依頼に回答があったとき（リーダーへ）',
    labelEn: 'A team invitation I sent is answered',
    organisations: (p) => [p.organisationId],
    defaults: { inApp: true, email: true },
    schema: engagementNotice.extend({ personName: z.string().min(1), accepted: z.boolean(), reason: z.string().nullable() }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `${p.personName}さんが${p.reference}のチームへの参加を${p.accepted ? '承諾' : '辞退'}しました`,
      titleEn: `${p.personName} ${p.accepted ? 'accepted' : 'declined'} a place on ${p.reference}`,
      bodyJa: p.accepted ? 'チームに加わりました。' : `理由: ${p.reason ?? ''}`,
      bodyEn: p.accepted ? 'They joined the team.' : `Reason: ${p.reason ?? ''}`,
      link: `/engagements/${p.engagementId}`,
    }),
  }),
  'engagements.stage_changed': define({
    labelJa: '担当する伴走支援の段階が変わったとき',
    labelEn: 'The stage of an engagement I am on changes',
    organisations: (p) => [p.organisationId],
    defaults: { inApp: true, email: false },
    schema: engagementNotice.extend({ fromJa: z.string().min(1), toJa: z.string().min(1), reason: z.string().nullable() }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `${p.reference}の段階が「${p.toJa}」になりました`,
      titleEn: `${p.reference} moved to ${p.toJa}`,
      bodyJa: `「${p.fromJa}」から「${p.toJa}」へ。${p.reason ? `理由: ${p.reason}` : ''}`,
      bodyEn: `From ${p.fromJa} to ${p.toJa}.${p.reason ? ` Reason: ${p.reason}` : ''}`,
      link: `/engagements/${p.engagementId}`,
    }),
  }),
  'engagements.session_logged': define({
    labelJa: '担当する伴走支援に面談記録が追加されたとき',
    labelEn: 'A session is logged on an engagement I am on',
    organisations: (p) => [p.organisationId],
    defaults: { inApp: true, email: false },
    schema: engagementNotice.extend({ heldOn: z.string().min(10), recordedByName: z.string().min(1) }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `${p.reference}に面談記録（${p.heldOn}）が追加されました`,
      titleEn: `A session (${p.heldOn}) was logged on ${p.reference}`,
      bodyJa: `記録者: ${p.recordedByName}`,
      bodyEn: `Recorded by ${p.recordedByName}`,
      link: `/engagements/${p.engagementId}`,
    }),
  }),
  'engagements.outcome_due': define({
    labelJa: '成果指標の測定時期になったとき（リーダーへ）',
    labelEn: 'Outcome figures are due (team lead)',
    organisations: (p) => [p.organisationId],
    defaults: { inApp: true, email: true },
    schema: engagementNotice.extend({ lastMeasuredOn: z.string().min(10) }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `${p.reference}の成果指標を測定する時期です`,
      titleEn: `Outcome figures for ${p.reference} are due`,
      bodyJa: `前回の測定（${p.lastMeasuredOn}）から6か月が経ちました。売上高・営業利益・付加価値額・従業員数を記録してください。`,
      bodyEn: `Six months since the last measurement (${p.lastMeasuredOn}). Record sales, operating profit, value added and employees.`,
      link: `/engagements/${p.engagementId}`,
    }),
  }),
  'meetings.agenda_published': define({
    labelJa: '会議の議事次第が公開されたとき',
    labelEn: 'The agenda of a meeting my body is invited to is published',
    organisations: (p) => p.organisationIds,
    defaults: { inApp: true, email: true },
    schema: meetingNotice.extend({ whenJa: z.string().min(1), place: z.string().nullable() }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `${p.title}の議事次第が公開されました`,
      titleEn: `The agenda of ${p.title} is published`,
      bodyJa: `日時: ${p.whenJa}${p.place ? `　場所: ${p.place}` : ''}。出欠のご回答をお願いします。`,
      bodyEn: `When: ${p.whenJa}${p.place ? `; where: ${p.place}` : ''}. Please answer whether you attend.`,
      link: `/meetings/${p.meetingId}`,
    }),
  }),
  'meetings.minutes_circulated': define({
    labelJa: '議事録（案）が回覧されたとき',
    labelEn: 'Draft minutes of a meeting my body attended are circulated',
    organisations: (p) => p.organisationIds,
    defaults: { inApp: true, email: true },
    schema: meetingNotice.extend({ version: z.number().int().positive(), commentsDueOn: z.string().nullable() }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `${p.title}の議事録（案）第${p.version}版が回覧されました`,
      titleEn: `Draft minutes (version ${p.version}) of ${p.title} are circulated`,
      bodyJa: p.commentsDueOn ? `${p.commentsDueOn}までにご意見をお寄せください。` : 'ご意見があればお寄せください。',
      bodyEn: p.commentsDueOn ? `Comments by ${p.commentsDueOn}, please.` : 'Comments welcome.',
      link: `/meetings/${p.meetingId}`,
    }),
  }),
  'meetings.minutes_approved': define({
    labelJa: '議事録が承認されたとき',
    labelEn: 'Minutes of a meeting my body attended are approved',
    organisations: (p) => p.organisationIds,
    defaults: { inApp: true, email: false },
    schema: meetingNotice.extend({ version: z.number().int().positive() }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `${p.title}の議事録（第${p.version}版）が承認されました`,
      titleEn: `Minutes (version ${p.version}) of ${p.title} are approved`,
      bodyJa: '承認済みの議事録は確定し、公開版が作成されました。',
      bodyEn: 'The approved minutes are final; the public version is made.',
      link: `/meetings/${p.meetingId}`,
    }),
  }),
  'meetings.action_item_assigned': define({
    labelJa: '会議のアクションアイテムの担当になったとき',
    labelEn: 'An action item from a meeting is assigned to me or my body',
    organisations: (p) => p.organisationIds,
    defaults: { inApp: true, email: true },
    schema: meetingNotice.extend({ actionItemId: uuid, itemTitle: z.string().min(1), dueOn: z.string().length(10) }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `アクションアイテム「${p.itemTitle}」の担当になりました`,
      titleEn: `Action item assigned: ${p.itemTitle}`,
      bodyJa: `${p.title}で決まりました。期限: ${p.dueOn}`,
      bodyEn: `Agreed at ${p.title}. Due ${p.dueOn}.`,
      link: '/my/action-items',
    }),
  }),
  'meetings.action_item_due': define({
    labelJa: 'アクションアイテムの期限が近づいたとき',
    labelEn: 'An action item I or my body own falls due soon',
    organisations: (p) => p.organisationIds,
    defaults: { inApp: true, email: true },
    schema: meetingNotice.extend({ actionItemId: uuid, itemTitle: z.string().min(1), dueOn: z.string().length(10) }),
    recipients: (p) => p.accountIds,
    render: (p) => ({
      titleJa: `アクションアイテム「${p.itemTitle}」の期限（${p.dueOn}）が近づいています`,
      titleEn: `Action item "${p.itemTitle}" is due ${p.dueOn}`,
      bodyJa: `${p.title}で決まったアクションアイテムです。対応状況を更新してください。`,
      bodyEn: `From ${p.title}. Please update its status.`,
      link: '/my/action-items',
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
