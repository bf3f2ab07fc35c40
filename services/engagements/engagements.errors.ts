/**
 * Failures a caller of the engagements subgraph can cause, each with a Japanese message and the field
 * to show it at. No message says whether an engagement the viewer may not see exists.
 */
import { DomainError } from '../shared/errors';

export const EngagementsErrorCode = {
  notFound: 'engagements/not_found',
  firmNotFound: 'engagements/firm_not_found',
  referralNotUsable: 'engagements/referral_not_usable',
  alreadyOpened: 'engagements/already_opened',
  notLead: 'engagements/not_lead',
  stale: 'engagements/stale',
  closed: 'engagements/closed',
  reasonRequired: 'engagements/reason_required',
  sameStage: 'engagements/same_stage',
  invalidField: 'engagements/invalid_field',
  invalidDate: 'engagements/invalid_date',
  invalidFigure: 'engagements/invalid_figure',
  noFigures: 'engagements/no_figures',
  unknownPerson: 'engagements/unknown_person',
  notMemberOfBody: 'engagements/not_member_of_body',
  alreadyOnTeam: 'engagements/already_on_team',
  capacityNoteRequired: 'engagements/capacity_note_required',
  conflictAckRequired: 'engagements/conflict_ack_required',
  consentRequired: 'engagements/consent_required',
  invitationNotFound: 'engagements/invitation_not_found',
  memberNotFound: 'engagements/member_not_found',
  unknownBody: 'engagements/unknown_body',
  invalidPageSize: 'engagements/invalid_page_size',
  invalidCursor: 'engagements/invalid_cursor',
  invalidPrefecture: 'engagements/invalid_prefecture',
} as const;
export type EngagementsErrorCode = (typeof EngagementsErrorCode)[keyof typeof EngagementsErrorCode];

export class EngagementsError extends DomainError<EngagementsErrorCode> {}

const e = (code: EngagementsErrorCode, ja: string, en: string, field?: string) => new EngagementsError(code, ja, en, field);

export const engagementsErrors = {
  notFound: (field = 'id') => e(EngagementsErrorCode.notFound, '伴走支援案件が見つかりません。', 'No such engagement.', field),
  firmNotFound: () => e(EngagementsErrorCode.firmNotFound, '企業が見つかりません。', 'No such firm.', 'firmId'),
  referralNotUsable: () =>
    e(EngagementsErrorCode.referralNotUsable, '自組織が受け付けたこの企業の紹介を選んでください（受付済み・対応中のもの）。', 'Choose an accepted referral of this firm to your body.', 'referralId'),
  alreadyOpened: () => e(EngagementsErrorCode.alreadyOpened, 'この紹介からはすでに伴走支援案件が開始されています。', 'An engagement was already opened from this referral.', 'referralId'),
  notLead: () => e(EngagementsErrorCode.notLead, 'この操作はチームリーダーだけが行えます。', 'Only the team lead can do this.', 'id'),
  stale: () => e(EngagementsErrorCode.stale, '他の方が先にこの案件を更新しました。最新の内容を確認してから、もう一度操作してください。', 'Someone else updated this first. Reload and try again.', 'expectedVersion'),
  closed: () => e(EngagementsErrorCode.closed, 'この案件は終了しています。', 'This engagement is closed.', 'id'),
  reasonRequired: (field = 'reason') => e(EngagementsErrorCode.reasonRequired, '段階を戻す理由を入力してください。', 'Give a reason for moving the stage back.', field),
  sameStage: () => e(EngagementsErrorCode.sameStage, '現在と同じ段階です。', 'That is the current stage.', 'stage'),
  required: (field: string, labelJa: string, max: number) => e(EngagementsErrorCode.invalidField, `${labelJa}を${max}文字以内で入力してください。`, `Enter ${field} (at most ${max} characters).`, field),
  tooLong: (field: string, labelJa: string, max: number) => e(EngagementsErrorCode.invalidField, `${labelJa}は${max}文字以内で入力してください。`, `${field} is at most ${max} characters.`, field),
  invalidDate: (field: string) => e(EngagementsErrorCode.invalidDate, '日付は YYYY-MM-DD の形式で、今日以前の日を入力してください。', 'Enter a date (YYYY-MM-DD) not in the future.', field),
  invalidFigure: (field: string, labelJa: string) => e(EngagementsErrorCode.invalidFigure, `${labelJa}は円単位の整数で、現実的な範囲で入力してください。`, `${field} must be a whole number of yen in a plausible range.`, field),
  invalidEmployees: () => e(EngagementsErrorCode.invalidFigure, '従業員数は0以上の整数で入力してください。', 'Employees must be a whole number of zero or more.', 'employees'),
  noFigures: () => e(EngagementsErrorCode.noFigures, '成果指標を1つ以上入力してください。', 'Enter at least one figure.', 'salesYen'),
  unknownPerson: () => e(EngagementsErrorCode.unknownPerson, '支援者が見つかりません。', 'No such supporter.', 'personId'),
  notMemberOfBody: () => e(EngagementsErrorCode.notMemberOfBody, 'この支援者はその機関に所属していません。', 'The supporter does not belong to that body.', 'organisationId'),
  alreadyOnTeam: () => e(EngagementsErrorCode.alreadyOnTeam, 'この支援者はすでにチームにいるか、招待中です。', 'This supporter is already on the team or invited.', 'personId'),
  capacityNoteRequired: () =>
    e(EngagementsErrorCode.capacityNoteRequired, 'この支援者は担当件数が上限に達しています。それでも招待する理由を入力してください。', 'This supporter is at capacity; give a reason to invite them anyway.', 'capacityNote'),
  conflictAckRequired: () =>
    e(EngagementsErrorCode.conflictAckRequired, '企業のメインバンクと競合する金融機関の方です。利益相反を確認した旨と理由を入力してください。', "This supporter's bank competes with the firm's main bank; acknowledge the conflict with a reason.", 'conflictAcknowledgement'),
  consentRequired: () =>
    e(EngagementsErrorCode.consentRequired, '他機関の支援者を招待するには、その機関への情報提供について企業の同意（基本情報・経営課題を含む）が必要です。', "A supporter from another body needs the firm's consent for that body (profile and issues).", 'consentId'),
  invitationNotFound: () => e(EngagementsErrorCode.invitationNotFound, '回答できる招待が見つかりません。', 'No invitation to answer.', 'memberId'),
  memberNotFound: () => e(EngagementsErrorCode.memberNotFound, 'チームメンバーが見つかりません。', 'No such team member.', 'memberId'),
  unknownBody: (field: string) => e(EngagementsErrorCode.unknownBody, '機関が見つかりません。', 'No such body.', field),
  invalidPageSize: (max: number) => e(EngagementsErrorCode.invalidPageSize, `件数 (first) は 1〜${max} で指定してください。`, `first must be between 1 and ${max}.`, 'first'),
  invalidCursor: () => e(EngagementsErrorCode.invalidCursor, 'ページ位置 (after) が正しくありません。', 'after is not a cursor this list issued.', 'after'),
  invalidPrefecture: () => e(EngagementsErrorCode.invalidPrefecture, '都道府県コードは JIS X 0401 の 2 桁 (01〜47) で指定してください。', 'regionCode must be a JIS X 0401 code.', 'filter.regionCode'),
};
