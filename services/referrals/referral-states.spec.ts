import { allowedActions, isAllowed, refusal, RULES, type ReferralAction } from './referral-states';
import type { ReferralStatus } from '../../generated/prisma/enums';

const STATUSES: ReferralStatus[] = ['DRAFT', 'SENT', 'ACCEPTED', 'DECLINED', 'FORWARDED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'CANCELLED'];

describe('referral states', () => {
  test('the sender drafts, sends and may withdraw until the referral is closed', () => {
    expect(allowedActions('DRAFT', 'SENDER')).toEqual(['SEND', 'CANCEL', 'EDIT', 'ATTACH']);
    expect(allowedActions('SENT', 'SENDER')).toEqual(['CANCEL', 'ATTACH']);
    expect(allowedActions('IN_PROGRESS', 'SENDER')).toEqual(['CANCEL', 'ATTACH']);
    expect(allowedActions('COMPLETED', 'SENDER')).toEqual([]);
  });

  test('the receiver answers a sent referral, then works it to completion', () => {
    expect(allowedActions('SENT', 'RECIPIENT')).toEqual(['ACCEPT', 'DECLINE', 'FORWARD', 'ASSIGN']);
    expect(allowedActions('ACCEPTED', 'RECIPIENT')).toEqual(['FORWARD', 'START', 'HOLD', 'COMPLETE', 'ASSIGN']);
    expect(allowedActions('IN_PROGRESS', 'RECIPIENT')).toEqual(['HOLD', 'COMPLETE', 'ASSIGN']);
    expect(allowedActions('ON_HOLD', 'RECIPIENT')).toEqual(['RESUME', 'COMPLETE', 'ASSIGN']);
  });

  test('closed referrals allow nothing to either side', () => {
    for (const status of ['DECLINED', 'FORWARDED', 'COMPLETED', 'CANCELLED'] as const) {
      expect(allowedActions(status, 'SENDER')).toEqual([]);
      expect(allowedActions(status, 'RECIPIENT')).toEqual([]);
    }
  });

  test('the receiver never sees a draft, and no action is open to both sides', () => {
    expect(allowedActions('DRAFT', 'RECIPIENT')).toEqual([]);
    for (const status of STATUSES) {
      const both = allowedActions(status, 'SENDER').filter((a) => allowedActions(status, 'RECIPIENT').includes(a));
      expect(both).toEqual([]);
    }
  });

  test('every transition leads to a status from which its own action is no longer allowed (no loops)', () => {
    for (const [action, rule] of Object.entries(RULES) as Array<[ReferralAction, (typeof RULES)[ReferralAction]]>) {
      if (!rule.to) continue;
      expect(isAllowed(action, rule.to, rule.side)).toBe(false);
    }
  });

  test('accepting twice says so; other refusals name the status in Japanese', () => {
    expect(refusal('ACCEPT', 'SENT', 'RECIPIENT')).toBeNull();
    for (const status of ['ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED'] as const) {
      expect(refusal('ACCEPT', status, 'RECIPIENT')!.code).toBe('referrals/already_accepted');
    }
    const declined = refusal('ACCEPT', 'DECLINED', 'RECIPIENT')!;
    expect(declined.code).toBe('referrals/illegal_transition');
    expect(declined.messageJa).toBe('この紹介は「辞退」のため、受け付けることはできません。');
    expect(refusal('COMPLETE', 'SENT', 'RECIPIENT')!.messageJa).toBe('この紹介は「送付済み」のため、完了にすることはできません。');
  });
});
