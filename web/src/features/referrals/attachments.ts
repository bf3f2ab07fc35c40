/**
 * Attachments of a referral: the checks the page can make before uploading (the server checks again
 * and its message wins), and the upload itself — POST /files/referrals/{id}/attachments with the raw
 * bytes, the file's type as Content-Type and its name percent-encoded in X-File-Name.
 */
import { NetworkError } from '@/lib/graphql-client';

/** 10 MB, as the gateway enforces. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const ATTACHMENT_EXTENSIONS = ['pdf', 'docx', 'xlsx', 'pptx', 'doc', 'xls', 'png', 'jpg', 'jpeg', 'csv', 'txt'] as const;
/** For the file input's `accept`: a hint to the picker, not a check. */
export const ATTACHMENT_ACCEPT = ATTACHMENT_EXTENSIONS.map((ext) => `.${ext}`).join(',');

export type AttachmentProblem = 'too_large' | 'type' | 'empty';

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** What is wrong with a file before it is sent, or null. The type is judged by the name's extension. */
export function checkAttachment(file: Pick<File, 'name' | 'size'>): AttachmentProblem | null {
  if (!(ATTACHMENT_EXTENSIONS as readonly string[]).includes(extensionOf(file.name))) return 'type';
  if (file.size === 0) return 'empty';
  if (file.size > MAX_ATTACHMENT_BYTES) return 'too_large';
  return null;
}

/** A file size people read: 850 KB, 2.4 MB. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export interface UploadError {
  code: string;
  message: string;
  messageEn: string;
  field: string | null;
}

export type UploadOutcome = { ok: true } | { ok: false; status: number; error: UploadError | null };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readError(value: unknown): UploadError | null {
  if (!isRecord(value) || typeof value.code !== 'string' || typeof value.message !== 'string') return null;
  return {
    code: value.code,
    message: value.message,
    messageEn: typeof value.messageEn === 'string' ? value.messageEn : value.message,
    field: typeof value.field === 'string' ? value.field : null,
  };
}

/**
 * Uploads one file to a draft. Resolves with the server's error when it refused the file (400, 413);
 * rejects with NetworkError when there was no usable answer.
 */
export async function uploadAttachment(referralId: string, file: File): Promise<UploadOutcome> {
  let response: Response;
  try {
    response = await fetch(`/files/referrals/${encodeURIComponent(referralId)}/attachments`, {
      method: 'POST',
      body: file,
      headers: {
        'Content-Type': file.type || 'application/octet-stream',
        'X-File-Name': encodeURIComponent(file.name),
        accept: 'application/json',
      },
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw new NetworkError('upload failed', null, { cause });
  }
  let json: unknown = null;
  if (/json/i.test(response.headers.get('content-type') ?? '')) {
    try {
      json = await response.json();
    } catch {
      json = null;
    }
  }
  if (response.ok && isRecord(json) && json.ok === true) return { ok: true };
  const error = isRecord(json) ? readError(json.error) : null;
  // A 413 from a proxy in front of the gateway comes without our JSON; the page still knows why.
  if (error || response.status === 413 || response.status === 400) return { ok: false, status: response.status, error };
  throw new NetworkError(`unexpected upload response (${response.status})`, response.status);
}
