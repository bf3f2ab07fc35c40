/**
 * Uploaded files the hub accepts: the type comes from the extension and must match the file's first
 * bytes (a renamed executable is refused), never from what the sender claims. Each service chooses
 * which kinds it takes and how large, and words its own messages.
 */
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

interface Kind {
  contentType: string;
  magic: number[] | 'text';
}

export const FILE_KINDS: Record<string, Kind> = {
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

export type FileKindName = keyof typeof FILE_KINDS;

/** A file name people can read back: no directories, no control characters, NFC. */
export function cleanFileName(raw: string): string | null {
  const base = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const name = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  if (!name || name.length > 200 || name === '.' || name === '..') return null;
  return name;
}

export type SniffedFile = { ok: true; fileName: string; contentType: string } | { ok: false; problem: 'name' | 'empty' | 'size' | 'type' };

/** Checks a file's name, size and first bytes against the kinds a service accepts. */
export function sniffFile(rawName: string, bytes: Uint8Array, accepted: readonly string[], maxBytes: number): SniffedFile {
  const fileName = cleanFileName(rawName);
  if (!fileName) return { ok: false, problem: 'name' };
  if (bytes.length === 0) return { ok: false, problem: 'empty' };
  if (bytes.length > maxBytes) return { ok: false, problem: 'size' };
  const ext = fileName.includes('.') ? fileName.split('.').pop()!.toLowerCase() : '';
  const kind = accepted.includes(ext) ? FILE_KINDS[ext] : undefined;
  if (!kind) return { ok: false, problem: 'type' };
  if (kind.magic === 'text') {
    if (bytes.subarray(0, 8192).includes(0)) return { ok: false, problem: 'type' };
  } else if (!kind.magic.every((b, i) => bytes[i] === b)) {
    return { ok: false, problem: 'type' };
  }
  return { ok: true, fileName, contentType: kind.contentType };
}
