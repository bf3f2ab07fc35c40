/**
 * The referral's life: which side may do what in which status, and where each transition leads.
 * Pure, so the whole table is unit-tested; the manager asks it before every change.
 */
import type { ReferralStatus } from '../../generated/prisma/enums';
import { referralsErrors, type ReferralsError } from './referrals.errors';

export type Side = 'SENDER' | 'RECIPIENT';

export type TransitionAction = 'SEND' | 'ACCEPT' | 'DECLINE' | 'FORWARD' | 'START' | 'HOLD' | 'RESUME' | 'COMPLETE' | 'CANCEL';
export type OtherAction = 'EDIT' | 'ASSIGN' | 'ATTACH';
export type ReferralAction = TransitionAction | OtherAction;

interface Rule {
  side: Side;
  from: readonly ReferralStatus[];
  /** Where a transition leads; absent for actions that keep the status. */
  to?: ReferralStatus;
  /** The timeline's name for it. */
  kind: string;
  /** Completes 「この紹介は…のため、___ことはできません」. */
  ja: string;
}

const OPEN: readonly ReferralStatus[] = ['SENT', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD'];

export const RULES: Record<ReferralAction, Rule> = {
  SEND: { side: 'SENDER', from: ['DRAFT'], to: 'SENT', kind: 'sent', ja: '送信する' },
  ACCEPT: { side: 'RECIPIENT', from: ['SENT'], to: 'ACCEPTED', kind: 'accepted', ja: '受け付ける' },
  DECLINE: { side: 'RECIPIENT', from: ['SENT'], to: 'DECLINED', kind: 'declined', ja: '辞退する' },
  FORWARD: { side: 'RECIPIENT', from: ['SENT', 'ACCEPTED'], to: 'FORWARDED', kind: 'forwarded', ja: '他機関へ回す' },
  START: { side: 'RECIPIENT', from: ['ACCEPTED'], to: 'IN_PROGRESS', kind: 'started', ja: '着手する' },
  HOLD: { side: 'RECIPIENT', from: ['ACCEPTED', 'IN_PROGRESS'], to: 'ON_HOLD', kind: 'held', ja: '保留にする' },
  RESUME: { side: 'RECIPIENT', from: ['ON_HOLD'], to: 'IN_PROGRESS', kind: 'resumed', ja: '再開する' },
  COMPLETE: { side: 'RECIPIENT', from: ['ACCEPTED', 'IN_PROGRESS', 'ON_HOLD'], to: 'COMPLETED', kind: 'completed', ja: '完了にする' },
  CANCEL: { side: 'SENDER', from: ['DRAFT', ...OPEN], to: 'CANCELLED', kind: 'cancelled', ja: '取り下げる' },
  EDIT: { side: 'SENDER', from: ['DRAFT'], kind: 'edited', ja: '編集する' },
  ASSIGN: { side: 'RECIPIENT', from: OPEN, kind: 'assigned', ja: '担当者を変更する' },
  ATTACH: { side: 'SENDER', from: ['DRAFT', ...OPEN], kind: 'attachment_added', ja: 'ファイルを添付する' },
};

/** Statuses in which the receiver has answered (the response clock stops). */
export const ANSWERING_ACTIONS: readonly TransitionAction[] = ['ACCEPT', 'DECLINE', 'FORWARD'];
export const CLOSED_STATUSES: readonly ReferralStatus[] = ['DECLINED', 'FORWARDED', 'COMPLETED', 'CANCELLED'];
export const OPEN_STATUSES = OPEN;

export function isAllowed(action: ReferralAction, status: ReferralStatus, side: Side): boolean {
  const rule = RULES[action];
  return rule.side === side && rule.from.includes(status);
}

/** Everything the side may do now, in the order the UI shows buttons. */
export function allowedActions(status: ReferralStatus, side: Side): ReferralAction[] {
  return (Object.keys(RULES) as ReferralAction[]).filter((a) => isAllowed(a, status, side));
}

/** Why the action is refused, or null when it may go ahead. */
export function refusal(action: ReferralAction, status: ReferralStatus, side: Side): ReferralsError | null {
  if (isAllowed(action, status, side)) return null;
  if (action === 'ACCEPT' && side === 'RECIPIENT' && ['ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED'].includes(status)) return referralsErrors.alreadyAccepted();
  return referralsErrors.illegalTransition(status, RULES[action].ja);
}
