/**
 * Identity of a firm as people type it: 法人番号 (with its check digit), フリガナ, a key for spotting
 * duplicate registrations, and the JSIC 2023 major divisions. Pure functions; the Firms manager
 * decides what to do with the results.
 */
import { DomainError } from '../shared/errors';

// ── Errors ──────────────────────────────────────────────────────────────────────────────────────

export const FirmIdentityErrorCode = {
  corporateNumberFormat: 'firms/corporate_number_format',
  corporateNumberCheckDigit: 'firms/corporate_number_check_digit',
  kanaInvalid: 'firms/kana_invalid',
} as const;
export type FirmIdentityErrorCode = (typeof FirmIdentityErrorCode)[keyof typeof FirmIdentityErrorCode];

export class FirmIdentityError extends DomainError<FirmIdentityErrorCode> {
  constructor(code: FirmIdentityErrorCode, messageJa: string, messageEn: string, field?: string) {
    super(code, messageJa, messageEn, field);
    this.name = 'FirmIdentityError';
  }
}

export const firmIdentityErrors = {
  corporateNumberFormat: (field = 'corporateNumber') =>
    new FirmIdentityError(
      FirmIdentityErrorCode.corporateNumberFormat,
      '法人番号は13桁の数字で入力してください。',
      'A corporate number must be 13 digits.',
      field,
    ),
  corporateNumberCheckDigit: (field = 'corporateNumber') =>
    new FirmIdentityError(
      FirmIdentityErrorCode.corporateNumberCheckDigit,
      '法人番号の検査用数字が一致しません。番号をご確認ください。',
      'The corporate number’s check digit does not match; please check the number.',
      field,
    ),
  kanaInvalid: (field = 'nameKana') =>
    new FirmIdentityError(FirmIdentityErrorCode.kanaInvalid, 'フリガナはカタカナで入力してください。', 'The reading must be written in katakana.', field),
};

/** Outcome of a validation the user can fail: the normalised value, or an error the UI can show. */
export type FirmIdentityResult<T> = { ok: true; value: T } | { ok: false; error: FirmIdentityError };

// ── 法人番号 ─────────────────────────────────────────────────────────────────────────────────────

// Separators people paste from forms and PDFs: ASCII/ideographic spaces and the hyphen look-alikes
// (including ー, which Japanese IMEs produce when "-" is typed in kana mode).
const CORPORATE_NUMBER_SEPARATORS = /[\s\u3000\-\u2010-\u2015\u2212\uFF0D\u30FC\uFF70]/g;

/** 13 ASCII digits from what a person typed (full-width digits, spaces, hyphens allowed), or null. */
export function normaliseCorporateNumber(input: string): string | null {
  // Only ０–９ are folded (not NFKC), so ① or ¹ are not silently read as digits.
  const digits = input
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(CORPORATE_NUMBER_SEPARATORS, '');
  return /^[0-9]{13}$/.test(digits) ? digits : null;
}

/**
 * The check digit (1–9) for a 12-digit base number (会社法人等番号 etc.):
 * 9 − (Σ Pₙ·Qₙ mod 9), Pₙ the n-th digit from the right, Qₙ = 1 for odd n and 2 for even n
 * (法人番号の指定等に関する省令 第2条).
 */
export function corporateNumberCheckDigit(twelve: string): number {
  if (!/^[0-9]{12}$/.test(twelve)) throw new RangeError(`corporateNumberCheckDigit needs 12 ASCII digits, got ${JSON.stringify(twelve)}`);
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    const p = twelve.charCodeAt(12 - n) - 48;
    sum += p * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9);
}

/**
 * Normalises and checks a 法人番号. Catches every single-digit typo except a 0↔9 swap in the
 * base number, which the scheme cannot detect (it changes the sum by a multiple of 9).
 */
export function validateCorporateNumber(input: string, field = 'corporateNumber'): FirmIdentityResult<string> {
  const value = normaliseCorporateNumber(input);
  if (value === null) return { ok: false, error: firmIdentityErrors.corporateNumberFormat(field) };
  if (Number(value[0]) !== corporateNumberCheckDigit(value.slice(1))) {
    return { ok: false, error: firmIdentityErrors.corporateNumberCheckDigit(field) };
  }
  return { ok: true, value };
}

// ── フリガナ ─────────────────────────────────────────────────────────────────────────────────────

/**
 * A reading in the form we store: NFKC (half-width ｶﾅ → full-width, ｳﾞ → ヴ), hiragana → katakana,
 * spaces trimmed and collapsed to one ASCII space.
 */
export function normaliseKana(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\u3041-\u3096\u309D\u309E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60))
    .replace(/\s+/g, ' ')
    .trim();
}

// Katakana letters ァ–ヺ, ・, ー, ヽ ヾ, and single spaces between words.
const KATAKANA_READING = /^[\u30A1-\u30FE]+(?: [\u30A1-\u30FE]+)*$/;

/** Whether the input, once normalised, is a non-empty katakana reading (katakana, ー, ・, spaces). */
export function isKana(input: string): boolean {
  return KATAKANA_READING.test(normaliseKana(input));
}

/** The normalised reading, or 'firms/kana_invalid' (empty input is invalid too; optionality is the caller's call). */
export function validateKana(input: string, field = 'nameKana'): FirmIdentityResult<string> {
  const value = normaliseKana(input);
  return KATAKANA_READING.test(value) ? { ok: true, value } : { ok: false, error: firmIdentityErrors.kanaInvalid(field) };
}

// ── Duplicate-candidate key ─────────────────────────────────────────────────────────────────────

// Words for the kind of legal person, not the firm's identity (matched after NFKC, lower case and
// space removal). Longest first so 一般社団法人 wins over 社団法人.
const LEGAL_FORM_WORDS = [
  '株式会社', '有限会社', '合同会社', '合資会社', '合名会社', '相互会社', '有限責任事業組合',
  '一般社団法人', '一般財団法人', '公益社団法人', '公益財団法人', '社団法人', '財団法人',
  '特定非営利活動法人', 'npo法人', '社会福祉法人', '社会医療法人', '医療法人社団', '医療法人財団', '医療法人',
  '学校法人', '宗教法人', '地方独立行政法人', '独立行政法人', '国立大学法人', '農事組合法人',
  '税理士法人', '弁護士法人', '弁理士法人', '監査法人', '司法書士法人', '行政書士法人', '社会保険労務士法人', '土地家屋調査士法人',
].sort((a, b) => b.length - a.length);

// Bracketed abbreviations: (株) (有) (一社) …; NFKC has already turned ㈱ ㈲ ㈳ ㈴ ㈶ ㈾ ㈻ and （株） into these.
const LEGAL_FORM_ABBREVIATIONS = ['株', '有', '合', '資', '名', '同', '社', '財', '一社', '一財', '公社', '公財', '特非', 'npo', '医', '福', '学', '宗', '独'];

const LEGAL_FORM_PATTERN = new RegExp(
  [...LEGAL_FORM_WORDS, ...LEGAL_FORM_ABBREVIATIONS.map((a) => `\\(${a}\\)`)].join('|'),
  'g',
);

// English forms, only as the last word(s) so "Zinc" keeps its "inc".
const LATIN_LEGAL_SUFFIX =
  /(?:^|[\s,])(?:co\.?,?\s*ltd|company\s+limited|kabushiki\s+kaisha|incorporated|inc|corporation|corp|llc|l\.l\.c|k\.\s?k|kk|g\.\s?k|ltd|limited)\.?\s*$/;

const SPACE_AND_PUNCTUATION = /[\s\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}]/gu;

const JIS_PREFECTURE_CODE = /^(?:0[1-9]|[1-3][0-9]|4[0-7])$/;

/**
 * A key under which the same firm, written differently, collides within one prefecture:
 * 「株式会社 山田製作所」 and 「㈱山田製作所」 in 15 both give '15:山田製作所'. Candidates only —
 * different firms can share a key, so a person confirms the match.
 */
export function firmMatchKey(name: string, prefectureCode: string): string {
  // A bad code here is a bug in the caller (the manager validates input), not a user error.
  if (!JIS_PREFECTURE_CODE.test(prefectureCode)) throw new RangeError(`firmMatchKey needs a JIS X 0401 prefecture code (01–47), got ${JSON.stringify(prefectureCode)}`);
  // Circled ㊑ ㊒ fold under NFKC to a bare 株/有, which cannot be stripped safely; bracket them first.
  let text = name.replace(/㊑/g, '(株)').replace(/㊒/g, '(有)').normalize('NFKC').toLowerCase();
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(LATIN_LEGAL_SUFFIX, '');
  }
  const compact = text.replace(/\s+/g, '');
  const key = compact.replace(LEGAL_FORM_PATTERN, '').replace(SPACE_AND_PUNCTUATION, '');
  // A name that is nothing but a legal form would otherwise collide with every other such name.
  const body = key || name.normalize('NFKC').toLowerCase().replace(SPACE_AND_PUNCTUATION, '');
  return `${prefectureCode}:${body}`;
}

// ── JSIC 2023 (日本標準産業分類 令和5年7月改定, 第14回改定) ──────────────────────────────────────

export type JsicDivisionCode = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'N' | 'O' | 'P' | 'Q' | 'R' | 'S' | 'T';

export interface JsicDivision {
  code: JsicDivisionCode;
  nameJa: string;
  nameEn: string;
}

const DIVISIONS: JsicDivision[] = [
  { code: 'A', nameJa: '農業，林業', nameEn: 'Agriculture and forestry' },
  { code: 'B', nameJa: '漁業', nameEn: 'Fisheries' },
  { code: 'C', nameJa: '鉱業，採石業，砂利採取業', nameEn: 'Mining and quarrying of stone and gravel' },
  { code: 'D', nameJa: '建設業', nameEn: 'Construction' },
  { code: 'E', nameJa: '製造業', nameEn: 'Manufacturing' },
  { code: 'F', nameJa: '電気・ガス・熱供給・水道業', nameEn: 'Electricity, gas, heat supply and water' },
  { code: 'G', nameJa: '情報通信業', nameEn: 'Information and communications' },
  { code: 'H', nameJa: '運輸業，郵便業', nameEn: 'Transport and postal activities' },
  { code: 'I', nameJa: '卸売業，小売業', nameEn: 'Wholesale and retail trade' },
  { code: 'J', nameJa: '金融業，保険業', nameEn: 'Finance and insurance' },
  { code: 'K', nameJa: '不動産業，物品賃貸業', nameEn: 'Real estate and goods rental and leasing' },
  { code: 'L', nameJa: '学術研究，専門・技術サービス業', nameEn: 'Scientific research, professional and technical services' },
  { code: 'M', nameJa: '宿泊業，飲食サービス業', nameEn: 'Accommodations, eating and drinking services' },
  { code: 'N', nameJa: '生活関連サービス業，娯楽業', nameEn: 'Living-related and personal services and amusement services' },
  { code: 'O', nameJa: '教育，学習支援業', nameEn: 'Education, learning support' },
  { code: 'P', nameJa: '医療，福祉', nameEn: 'Medical, health care and welfare' },
  { code: 'Q', nameJa: '複合サービス事業', nameEn: 'Compound services' },
  { code: 'R', nameJa: 'サービス業（他に分類されないもの）', nameEn: 'Services, not elsewhere classified' },
  { code: 'S', nameJa: '公務（他に分類されるものを除く）', nameEn: 'Government, except elsewhere classified' },
  { code: 'T', nameJa: '分類不能の産業', nameEn: 'Industries unable to classify' },
];
/** The 20 major divisions (大分類), names as published by 総務省 (with its full-width ，). */
export const JSIC_DIVISIONS: ReadonlyArray<Readonly<JsicDivision>> = Object.freeze(DIVISIONS.map((d) => Object.freeze(d)));

const JSIC_CODES: ReadonlySet<string> = new Set(JSIC_DIVISIONS.map((d) => d.code));

/** Whether `code` is a JSIC 2023 major-division letter (upper case, exactly one letter). */
export function isJsicDivision(code: string): code is JsicDivisionCode {
  return JSIC_CODES.has(code);
}
