/**
 * The mutations behind the referral page's buttons, each answering the same shape so the page handles
 * them alike (see useReferral's `run`).
 */
import {
  AcceptReferralDocument,
  CancelReferralDocument,
  HoldReferralDocument,
  ResumeReferralDocument,
  SendReferralDocument,
  StartReferralDocument,
} from '@/gql/graphql';
import { request } from '@/lib/graphql-client';
import type { ReferralMutationResult } from './useReferral';

type Target = { id: string; expectedVersion: number };

/** Actions whose only input is a note (optional unless the action says why: holding and withdrawing). */
export type NoteAction = 'ACCEPT' | 'START' | 'RESUME' | 'HOLD' | 'CANCEL';

export const NOTE_REQUIRED: Readonly<Record<NoteAction, boolean>> = { ACCEPT: false, START: false, RESUME: false, HOLD: true, CANCEL: true };

export async function noteActionCall(action: NoteAction, target: Target, note: string | null): Promise<ReferralMutationResult> {
  switch (action) {
    case 'ACCEPT':
      return (await request(AcceptReferralDocument, { ...target, note })).data.acceptReferral;
    case 'START':
      return (await request(StartReferralDocument, { ...target, note })).data.startReferral;
    case 'RESUME':
      return (await request(ResumeReferralDocument, { ...target, note })).data.resumeReferral;
    case 'HOLD':
      return (await request(HoldReferralDocument, { ...target, note: note ?? '' })).data.holdReferral;
    case 'CANCEL':
      return (await request(CancelReferralDocument, { ...target, note: note ?? '' })).data.cancelReferral;
  }
}

export async function sendCall(target: Target): Promise<ReferralMutationResult> {
  return (await request(SendReferralDocument, target)).data.sendReferral;
}
