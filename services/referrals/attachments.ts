/**
 * What may be attached to a referral: a short list of office formats, checked by extension and by the
 * file's first bytes (a renamed executable is refused), at most 10 MB each.
 */
import { cleanFileName, FILE_KINDS, sniffFile } from '../shared/file-kinds';
import { referralsErrors, type ReferralsError } from './referrals.errors';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_REFERRAL = 10;

export const ALLOWED_EXTENSIONS = Object.keys(FILE_KINDS);

export { cleanFileName };

export type CheckedFile = { ok: true; fileName: string; contentType: string } | { ok: false; error: ReferralsError };

/** Checks a file's name, size and first bytes; the stored type comes from the extension, never from the sender. */
export function checkAttachment(rawName: string, bytes: Uint8Array): CheckedFile {
  const checked = sniffFile(rawName, bytes, ALLOWED_EXTENSIONS, MAX_ATTACHMENT_BYTES);
  if (checked.ok) return checked;
  const error = {
    name: referralsErrors.fileName(),
    empty: referralsErrors.fileEmpty(),
    size: referralsErrors.fileTooLarge(MAX_ATTACHMENT_BYTES / 1024 / 1024),
    type: referralsErrors.fileType(),
  }[checked.problem];
  return { ok: false, error };
}
