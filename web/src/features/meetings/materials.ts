/**
 * Meeting materials: the checks the page can make before uploading (the server checks again and its
 * message wins), and the upload itself — POST /files/meetings/{id}/materials?agendaItemId= with the raw
 * bytes, the file's type as Content-Type and its name percent-encoded in X-File-Name (a header a
 * cross-site form cannot send).
 */
import { NetworkError } from '@/lib/graphql-client';

/** 20 MB, as the gateway enforces. */
export const MAX_MATERIAL_BYTES = 20 * 1024 * 1024;
export const MATERIAL_EXTENSIONS = ['pdf', 'docx', 'xlsx', 'pptx', 'doc', 'xls', 'ppt'] as const;
/** For the file input's `accept`: a hint to the picker, not a check. */
export const MATERIAL_ACCEPT = MATERIAL_EXTENSIONS.map((ext) => `.${ext}`).join(',');

export interface UploadError {
  code: string;
  message: string;
  messageEn: string;
  field: string | null;
}

export interface UploadedMaterial {
  id: string;
  fileName: string;
}

export type UploadOutcome = { ok: true; material: UploadedMaterial | null } | { ok: false; status: number; error: UploadError | null };

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

function readMaterial(value: unknown): UploadedMaterial | null {
  if (!isRecord(value) || typeof value.id !== 'string') return null;
  return { id: value.id, fileName: typeof value.fileName === 'string' ? value.fileName : '' };
}

/**
 * Uploads one material for an agenda item. Resolves with the server's error when it refused the file
 * (400, 413); rejects with NetworkError when there was no usable answer.
 */
export async function uploadMaterial(meetingId: string, agendaItemId: string | null, file: File): Promise<UploadOutcome> {
  const query = agendaItemId ? `?agendaItemId=${encodeURIComponent(agendaItemId)}` : '';
  let response: Response;
  try {
    response = await fetch(`/files/meetings/${encodeURIComponent(meetingId)}/materials${query}`, {
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
  if (response.ok && isRecord(json) && json.ok === true) return { ok: true, material: readMaterial(json.material) };
  const error = isRecord(json) ? readError(json.error) : null;
  // A 413 from a proxy in front of the gateway comes without our JSON; the page still knows why.
  if (error || response.status === 413 || response.status === 400 || response.status === 404) return { ok: false, status: response.status, error };
  throw new NetworkError(`unexpected upload response (${response.status})`, response.status);
}
