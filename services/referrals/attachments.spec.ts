import { checkAttachment, cleanFileName, MAX_ATTACHMENT_BYTES } from './attachments';

const pdf = Buffer.from('%PDF-1.7\nbody');
const docx = Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);

describe('attachments', () => {
  test('office formats pass by extension and first bytes; the stored type comes from the extension', () => {
    expect(checkAttachment('決算書.pdf', pdf)).toEqual({ ok: true, fileName: '決算書.pdf', contentType: 'application/pdf' });
    expect(checkAttachment('計画.DOCX', docx)).toMatchObject({ ok: true, contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    expect(checkAttachment('メモ.txt', Buffer.from('売上は横ばい', 'utf8'))).toMatchObject({ ok: true, contentType: 'text/plain' });
  });

  test('a disallowed type, a renamed binary, an empty or too large file are refused', () => {
    expect(checkAttachment('setup.exe', Buffer.from('MZ'))).toMatchObject({ ok: false, error: { code: 'referrals/file_type' } });
    expect(checkAttachment('invoice.pdf', Buffer.from('MZ not a pdf'))).toMatchObject({ ok: false, error: { code: 'referrals/file_type' } });
    expect(checkAttachment('data.csv', Buffer.from([0x61, 0x00, 0x62]))).toMatchObject({ ok: false, error: { code: 'referrals/file_type' } });
    expect(checkAttachment('noext', pdf)).toMatchObject({ ok: false, error: { code: 'referrals/file_type' } });
    expect(checkAttachment('a.pdf', Buffer.alloc(0))).toMatchObject({ ok: false, error: { code: 'referrals/file_empty' } });
    const big = Buffer.concat([pdf, Buffer.alloc(MAX_ATTACHMENT_BYTES)]);
    const r = checkAttachment('a.pdf', big);
    expect(r).toMatchObject({ ok: false, error: { code: 'referrals/file_too_large', messageJa: 'ファイルが大きすぎます。10MB以下のファイルを添付してください。' } });
  });

  test('file names lose directories and control characters; empty or overlong names are refused', () => {
    expect(cleanFileName('C:\\Users\\me\\決算書.pdf')).toBe('決算書.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b\r\n.pdf')).toBe('ab.pdf');
    expect(cleanFileName('   ')).toBeNull();
    expect(cleanFileName(`${'あ'.repeat(201)}.pdf`)).toBeNull();
  });
});
