/**
 * Failures a caller of the referrals subgraph can cause, each with a Japanese message to show and
 * the field to show it at. No message says whether another body's firm or referral exists.
 */
import { DomainError } from '../shared/errors';

export const ReferralsErrorCode = {
  notFound: 'referrals/not_found',
  firmNotFound: 'referrals/firm_not_found',
  invalidField: 'referrals/invalid_field',
  invalidPrefecture: 'referrals/invalid_prefecture',
  invalidIndustry: 'referrals/invalid_industry',
  invalidFigure: 'referrals/invalid_figure',
  invalidDate: 'referrals/invalid_date',
  noCategories: 'referrals/no_categories',
  ownBody: 'referrals/own_body',
  unknownBody: 'referrals/unknown_body',
  noConsent: 'referrals/no_consent',
  consentScope: 'referrals/consent_scope',
  consentWithdrawn: 'referrals/consent_withdrawn',
  illegalTransition: 'referrals/illegal_transition',
  alreadyAccepted: 'referrals/already_accepted',
  wrongSide: 'referrals/wrong_side',
  stale: 'referrals/stale',
  notStaff: 'referrals/not_staff',
  fileTooLarge: 'referrals/file_too_large',
  fileType: 'referrals/file_type',
  fileEmpty: 'referrals/file_empty',
  fileName: 'referrals/file_name',
  tooManyFiles: 'referrals/too_many_files',
  invalidPageSize: 'referrals/invalid_page_size',
  invalidCursor: 'referrals/invalid_cursor',
  duplicateResolved: 'referrals/duplicate_resolved',
  distinctNumbers: 'referrals/distinct_numbers',
  invalidResponseDays: 'referrals/invalid_response_days',
} as const;
export type ReferralsErrorCode = (typeof ReferralsErrorCode)[keyof typeof ReferralsErrorCode];

export class ReferralsError extends DomainError<ReferralsErrorCode> {}

const e = (code: ReferralsErrorCode, ja: string, en: string, field?: string) => new ReferralsError(code, ja, en, field);

const STATUS_JA: Record<string, string> = {
  DRAFT: '下書き',
  SENT: '送付済み',
  ACCEPTED: '受付済み',
  DECLINED: '辞退',
  FORWARDED: '他機関へ回付済み',
  IN_PROGRESS: '対応中',
  ON_HOLD: '保留中',
  COMPLETED: '完了',
  CANCELLED: '取り下げ',
};

export const referralsErrors = {
  notFound: (field = 'id') => e(ReferralsErrorCode.notFound, '紹介が見つかりません。', 'No such referral.', field),
  firmNotFound: (field = 'firmId') => e(ReferralsErrorCode.firmNotFound, '企業が見つかりません。', 'No such firm.', field),
  required: (field: string, labelJa: string, max: number) =>
    e(ReferralsErrorCode.invalidField, `${labelJa}を${max}文字以内で入力してください。`, `Enter ${field} (at most ${max} characters).`, field),
  tooLong: (field: string, labelJa: string, max: number) => e(ReferralsErrorCode.invalidField, `${labelJa}は${max}文字以内で入力してください。`, `${field} is at most ${max} characters.`, field),
  invalidPrefecture: (field = 'prefectureCode') => e(ReferralsErrorCode.invalidPrefecture, '都道府県を選んでください。', 'Choose a prefecture (JIS X 0401 code).', field),
  invalidIndustry: (field = 'industryDivision') => e(ReferralsErrorCode.invalidIndustry, '業種（日本標準産業分類の大分類 A〜T）を選んでください。', 'Choose an industry (JSIC 2023 major division A–T).', field),
  invalidFigure: (field: string, labelJa: string) => e(ReferralsErrorCode.invalidFigure, `${labelJa}は0以上の数で入力してください。`, `${field} must be a number of zero or more.`, field),
  invalidMonth: (field: string) => e(ReferralsErrorCode.invalidFigure, '決算月は1〜12で入力してください。', 'The fiscal year end is a month, 1–12.', field),
  invalidDate: (field: string) => e(ReferralsErrorCode.invalidDate, '日付は YYYY-MM-DD の形式で、今日以前の日を入力してください。', 'Enter a date (YYYY-MM-DD) not in the future.', field),
  noCategories: () => e(ReferralsErrorCode.noCategories, '同意の対象となる情報を1つ以上選んでください。', 'Choose at least one category of data.', 'categories'),
  ownBody: (field = 'recipientOrganisationId') => e(ReferralsErrorCode.ownBody, '自組織を紹介先・提供先にすることはできません。', 'A body cannot refer a firm to itself.', field),
  unknownBody: (field = 'recipientOrganisationId') => e(ReferralsErrorCode.unknownBody, '紹介先の機関が見つかりません。', 'No such body.', field),
  noConsent: (field = 'consentId') =>
    e(ReferralsErrorCode.noConsent, 'この紹介先への情報提供について、企業の同意が記録されていません。先に同意を記録してください。', "The firm's consent to share its data with this body is not recorded. Record it first.", field),
  consentScope: (missingJa: string, field = 'consentId') =>
    e(ReferralsErrorCode.consentScope, `同意の範囲に「${missingJa}」が含まれていません。`, `The consent does not cover ${missingJa}.`, field),
  consentWithdrawn: (field = 'consentId') => e(ReferralsErrorCode.consentWithdrawn, 'この同意は撤回されています。', 'This consent was withdrawn.', field),
  illegalTransition: (status: string, actionJa: string) =>
    e(ReferralsErrorCode.illegalTransition, `この紹介は「${STATUS_JA[status] ?? status}」のため、${actionJa}ことはできません。`, `A referral that is ${status} cannot be changed this way.`, 'status'),
  wrongSide: (side: 'SENDER' | 'RECIPIENT') =>
    side === 'SENDER'
      ? e(ReferralsErrorCode.wrongSide, 'この操作は紹介元の機関だけが行えます。', 'Only the sending body can do this.', 'id')
      : e(ReferralsErrorCode.wrongSide, 'この操作は紹介先（受け手）の機関だけが行えます。', 'Only the receiving body can do this.', 'id'),
  alreadyAccepted: () => e(ReferralsErrorCode.alreadyAccepted, 'この紹介はすでに受け付けられています。', 'This referral was already accepted.', 'status'),
  stale: () =>
    e(ReferralsErrorCode.stale, '他の方が先にこの紹介を更新しました。最新の内容を確認してから、もう一度操作してください。', 'Someone else updated this first. Reload and try again.', 'expectedVersion'),
  staleFirm: () => e(ReferralsErrorCode.stale, '他の方が先にこの企業情報を更新しました。最新の内容を確認してから、もう一度保存してください。', 'Someone else updated this firm first. Reload and try again.', 'expectedVersion'),
  notStaff: () => e(ReferralsErrorCode.notStaff, '担当者には受け手の機関のスタッフを選んでください。', "The assignee must be on the receiving body's staff.", 'assigneeAccountId'),
  fileTooLarge: (maxMb: number) => e(ReferralsErrorCode.fileTooLarge, `ファイルが大きすぎます。${maxMb}MB以下のファイルを添付してください。`, `The file is too large (at most ${maxMb} MB).`, 'file'),
  fileType: () =>
    e(ReferralsErrorCode.fileType, '添付できるのは PDF・Word・Excel・PowerPoint・PNG・JPEG・CSV・テキストのファイルです。', 'Attach PDF, Word, Excel, PowerPoint, PNG, JPEG, CSV or text files.', 'file'),
  fileEmpty: () => e(ReferralsErrorCode.fileEmpty, 'ファイルが空です。', 'The file is empty.', 'file'),
  fileName: () => e(ReferralsErrorCode.fileName, 'ファイル名を200文字以内にしてください。', 'The file name must be 1–200 characters.', 'file'),
  tooManyFiles: (max: number) => e(ReferralsErrorCode.tooManyFiles, `添付できるファイルは1件の紹介につき${max}件までです。`, `At most ${max} files per referral.`, 'file'),
  invalidPageSize: (max: number) => e(ReferralsErrorCode.invalidPageSize, `件数 (first) は 1〜${max} で指定してください。`, `first must be between 1 and ${max}.`, 'first'),
  invalidCursor: () => e(ReferralsErrorCode.invalidCursor, 'ページ位置 (after) が正しくありません。', 'after is not a cursor this list issued.', 'after'),
  duplicateResolved: () => e(ReferralsErrorCode.duplicateResolved, 'この重複の疑いはすでに処理されています。', 'This possible duplicate was already resolved.', 'id'),
  distinctNumbers: () =>
    e(ReferralsErrorCode.distinctNumbers, '法人番号が異なるため、同一企業として統合できません。「別の企業」としてください。', 'The two records have different corporate numbers: they are different firms.', 'resolution'),
  invalidResponseDays: () => e(ReferralsErrorCode.invalidResponseDays, '回答期限は1〜20営業日で指定してください。', 'The response time is 1–20 business days.', 'days'),
};
