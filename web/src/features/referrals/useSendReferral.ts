import { ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  CreateReferralDocument,
  ReferralVersionDocument,
  SendReferralDocument,
  UpdateReferralDraftDocument,
  type CreateReferralInput,
  type ReferralDetailFragment,
  type ReferralErrorFieldsFragment,
} from '@/gql/graphql';
import { useLocalisedMessage } from '@/composables/useLocalisedMessage';
import { request } from '@/lib/graphql-client';
import { serverMessage } from '@/lib/graphql-errors';
import { uploadAttachment } from './attachments';

/** Where sending stopped, and what to show and where. */
export interface SendFailure {
  stage: 'save' | 'upload' | 'send';
  /** The input field the server named (`reason`, `consentId`, `file` …), if any. */
  field: string | null;
  message: string;
}

export type SendPhase = 'idle' | 'saving' | 'uploading' | 'sending';
export type SendResult = { ok: true; referral: ReferralDetailFragment } | { ok: false; failure: SendFailure };

/**
 * Sending a referral in three steps — save a draft, upload each attachment to it, send it — so that a
 * failure part-way leaves a draft with everything typed. Trying again carries on from the same draft:
 * it is updated with the form's current content, only files not yet uploaded are sent, then it is sent.
 */
export function useSendReferral() {
  const { t, locale } = useI18n();
  const localised = useLocalisedMessage();
  const draft = shallowRef<{ id: string; reference: string } | null>(null);
  const uploaded = new Set<File>();
  const phase = ref<SendPhase>('idle');
  const progress = ref({ done: 0, total: 0 });

  const fail = (stage: SendFailure['stage'], error: ReferralErrorFieldsFragment | null, fallback: string): SendResult => ({
    ok: false,
    failure: { stage, field: error?.field ?? null, message: error ? localised(error) : fallback },
  });
  const thrown = (stage: SendFailure['stage'], cause: unknown, fallback: string): SendResult => ({
    ok: false,
    failure: { stage, field: null, message: (cause instanceof Error && serverMessage(cause, locale.value)) || fallback },
  });

  async function currentVersion(id: string): Promise<number | null> {
    const result = await request(ReferralVersionDocument, { id });
    return result.data.referral?.version ?? null;
  }

  async function save(input: CreateReferralInput): Promise<SendResult | null> {
    phase.value = 'saving';
    const existing = draft.value;
    try {
      if (!existing) {
        const outcome = (await request(CreateReferralDocument, { input })).data.createReferral;
        if (!outcome.ok || !outcome.referral) return fail('save', outcome.error, t('referralNew.saveFailed'));
        draft.value = { id: outcome.referral.id, reference: outcome.referral.reference };
        return null;
      }
      const version = await currentVersion(existing.id);
      if (version === null) return fail('save', null, t('referralNew.draftGone'));
      const outcome = (
        await request(UpdateReferralDraftDocument, {
          input: {
            id: existing.id,
            expectedVersion: version,
            recipientOrganisationId: input.recipientOrganisationId,
            consentId: input.consentId,
            supportType: input.supportType,
            urgency: input.urgency ?? 'NORMAL',
            reason: input.reason,
            summary: input.summary,
          },
        })
      ).data.updateReferralDraft;
      return outcome.ok ? null : fail('save', outcome.error, t('referralNew.saveFailed'));
    } catch (cause) {
      return thrown('save', cause, t('referralNew.saveFailed'));
    }
  }

  async function upload(id: string, files: readonly File[]): Promise<SendResult | null> {
    const pending = files.filter((f) => !uploaded.has(f));
    phase.value = 'uploading';
    progress.value = { done: files.length - pending.length, total: files.length };
    for (const file of pending) {
      try {
        const outcome = await uploadAttachment(id, file);
        if (!outcome.ok) {
          const reason = outcome.error ? localised(outcome.error) : outcome.status === 413 ? t('referralNew.tooLargeGeneric') : t('referralNew.uploadFailedGeneric');
          return { ok: false, failure: { stage: 'upload', field: 'file', message: t('referralNew.uploadFailed', { name: file.name, message: reason }) } };
        }
      } catch {
        return { ok: false, failure: { stage: 'upload', field: 'file', message: t('referralNew.uploadFailed', { name: file.name, message: t('referralNew.uploadNetwork') }) } };
      }
      uploaded.add(file);
      progress.value = { done: progress.value.done + 1, total: files.length };
    }
    return null;
  }

  async function send(input: CreateReferralInput, files: readonly File[]): Promise<SendResult> {
    try {
      const saveFailure = await save(input);
      if (saveFailure) return saveFailure;
      const id = draft.value?.id;
      if (!id) return fail('save', null, t('referralNew.saveFailed'));
      const uploadFailure = await upload(id, files);
      if (uploadFailure) return uploadFailure;
      phase.value = 'sending';
      try {
        // Each upload moves the draft's version on; send against the one the server has now.
        const version = await currentVersion(id);
        if (version === null) return fail('send', null, t('referralNew.draftGone'));
        const outcome = (await request(SendReferralDocument, { id, expectedVersion: version })).data.sendReferral;
        if (!outcome.ok || !outcome.referral) return fail('send', outcome.error, t('referralNew.sendFailed'));
        return { ok: true, referral: outcome.referral };
      } catch (cause) {
        return thrown('send', cause, t('referralNew.sendFailed'));
      }
    } finally {
      phase.value = 'idle';
    }
  }

  return { draft, phase, progress, send };
}
