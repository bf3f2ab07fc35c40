/** Failures a caller of the reports subgraph can cause, each with a Japanese message and its field. */
import { DomainError } from '../shared/errors';

export const ReportsErrorCode = {
  invalidPeriod: 'reports/invalid_period',
  invalidRange: 'reports/invalid_range',
  rangeTooLong: 'reports/range_too_long',
  bodyNotAllowed: 'reports/organisation_not_allowed',
  unknownBody: 'reports/unknown_body',
  invalidPrefecture: 'reports/invalid_prefecture',
  invalidTarget: 'reports/invalid_target',
  engagementNotFound: 'reports/engagement_not_found',
  engagementNotClosed: 'reports/engagement_not_closed',
  surveyNotFound: 'reports/survey_not_found',
  surveyAnswered: 'reports/survey_answered',
  surveyExpired: 'reports/survey_expired',
  commentTooLong: 'reports/comment_too_long',
} as const;
export type ReportsErrorCode = (typeof ReportsErrorCode)[keyof typeof ReportsErrorCode];

export class ReportsError extends DomainError<ReportsErrorCode> {}

const e = (code: ReportsErrorCode, ja: string, en: string, field?: string) => new ReportsError(code, ja, en, field);

export const reportsErrors = {
  invalidPeriod: () => e(ReportsErrorCode.invalidPeriod, '年度（2000〜2100）か、期間の開始日と終了日（YYYY-MM-DD）を指定してください。', 'Give a fiscal year (2000–2100) or a from and to date (YYYY-MM-DD).', 'fiscalYear'),
  invalidRange: () => e(ReportsErrorCode.invalidRange, '期間の開始日が終了日より後になっています。開始日は終了日以前の日付にしてください。', 'The start of the range is after its end.', 'from'),
  rangeTooLong: () => e(ReportsErrorCode.rangeTooLong, '期間は5年以内で指定してください。', 'The range is at most five years.', 'to'),
  bodyNotAllowed: () => e(ReportsErrorCode.bodyNotAllowed, '他の機関の報告は表示できません。自組織の報告だけを見ることができます。', "You may see your own body's reports only.", 'organisationId'),
  unknownBody: () => e(ReportsErrorCode.unknownBody, '機関が見つかりません。', 'No such body.', 'organisationId'),
  invalidPrefecture: () => e(ReportsErrorCode.invalidPrefecture, '都道府県コードは JIS X 0401 の 2 桁 (01〜47) で指定してください。', 'prefectureCode must be a JIS X 0401 code.', 'prefectureCode'),
  invalidTarget: () => e(ReportsErrorCode.invalidTarget, '目標値は0以上1,000,000以下の整数で入力してください（0で目標を削除します）。', 'The target is a whole number from 0 to 1,000,000 (0 removes it).', 'target'),
  engagementNotFound: () => e(ReportsErrorCode.engagementNotFound, '伴走支援案件が見つかりません。', 'No such engagement.', 'engagementId'),
  engagementNotClosed: () => e(ReportsErrorCode.engagementNotClosed, '満足度アンケートは、伴走支援を終了した後に発行できます。', 'The survey is issued once the engagement is closed.', 'engagementId'),
  surveyNotFound: () => e(ReportsErrorCode.surveyNotFound, 'アンケートが見つかりません。リンクをもう一度ご確認ください。', 'No such survey; check the link.', 'token'),
  surveyAnswered: () => e(ReportsErrorCode.surveyAnswered, 'このアンケートには回答済みです。ご協力ありがとうございました。', 'This survey has already been answered. Thank you.', 'token'),
  surveyExpired: () => e(ReportsErrorCode.surveyExpired, 'このアンケートの回答期限が過ぎています。支援を担当した機関にお問い合わせください。', 'This survey link has expired; please ask the body that supported you.', 'token'),
  commentTooLong: () => e(ReportsErrorCode.commentTooLong, 'ご意見は2,000文字以内で入力してください。', 'The comment is at most 2,000 characters.', 'comment'),
};
