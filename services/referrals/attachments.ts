/**
 * What may be attached to a referral: a short list of office formats, checked by extension and by the
 * file's first bytes (a renamed executable is refused), at most 10 MB each.
 */
import { referralsErrors, type ReferralsError } from './referrals.errors';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_REFERRAL = 10;

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

interface Kind {
  contentType: string;
  magic: number[] | 'text';
}

const KINDS: Record<string, Kind> = {
  pdf: { contentType: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: ZIP },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: ZIP },
  pptx: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', magic: ZIP },
  doc: { contentType: 'application/msword', magic: OLE },
  xls: { contentType: 'application/vnd.ms-excel', magic: OLE },
  ppt: { contentType: 'application/vnd.ms-powerpoint', magic: OLE },
  png: { contentType: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  jpg: { contentType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  jpeg: { contentType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  csv: { contentType: 'text/csv', magic: 'text' },
  txt: { contentType: 'text/plain', magic: 'text' },
};

export const ALLOWED_EXTENSIONS = Object.keys(KINDS);

/** A file name people can read back: no directories, no control characters, NFC. */
export function cleanFileName(raw: string): string | null {
  const base = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const name = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  if (!name || name.length > 200 || name === '.' || name === '..') return null;
  return name;
}

export type CheckedFile = { ok: true; fileName: string; contentType: string } | { ok: false; error: ReferralsError };

/** Checks a file's name, size and first bytes; the stored type comes from the extension, never from the sender. */
export function checkAttachment(rawName: string, bytes: Uint8Array): CheckedFile {
  const fileName = cleanFileName(rawName);
  if (!fileName) return { ok: false, error: referralsErrors.fileName() };
  if (bytes.length === 0) return { ok: false, error: referralsErrors.fileEmpty() };
  if (bytes.length > MAX_ATTACHMENT_BYTES) return { ok: false, error: referralsErrors.fileTooLarge(MAX_ATTACHMENT_BYTES / 1024 / 1024) };
  const ext = fileName.includes('.') ? fileName.split('.').pop()!.toLowerCase() : '';
  const kind = KINDS[ext];
  if (!kind) return { ok: false, error: referralsErrors.fileType() };
  if (kind.magic === 'text') {
    if (bytes.subarray(0, 8192).includes(0)) return { ok: false, error: referralsErrors.fileType() };
  } else if (!kind.magic.every((b, i) => bytes[i] === b)) {
    return { ok: false, error: referralsErrors.fileType() };
  }
  return { ok: true, fileName, contentType: kind.contentType };
}
