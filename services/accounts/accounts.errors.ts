import { DomainError } from '../shared/errors';

export const AccountsErrorCode = {
  invalidCredentials: 'accounts/invalid_credentials',
  rateLimited: 'accounts/rate_limited',
  invalidEmail: 'accounts/invalid_email',
  weakPassword: 'accounts/weak_password',
  invalidDisplayName: 'accounts/invalid_display_name',
  noRoles: 'accounts/no_roles',
  roleNotGrantable: 'accounts/role_not_grantable',
  invitationInvalid: 'accounts/invitation_invalid',
  alreadyMember: 'accounts/already_member',
  notAMember: 'accounts/not_a_member',
  lastAdmin: 'accounts/last_admin',
  invalidPageSize: 'accounts/invalid_page_size',
  invalidCursor: 'accounts/invalid_cursor',
  invalidDate: 'accounts/invalid_date',
  signInFirst: 'accounts/sign_in_first',
} as const;
export type AccountsErrorCode = (typeof AccountsErrorCode)[keyof typeof AccountsErrorCode];

export class AccountsError extends DomainError<AccountsErrorCode> {}

const e = (code: AccountsErrorCode, ja: string, en: string, field?: string) => new AccountsError(code, ja, en, field);

export const accountsErrors = {
  invalidCredentials: () => e(AccountsErrorCode.invalidCredentials, 'メールアドレスまたはパスワードが正しくありません。', 'The email address or password is not correct.'),
  rateLimited: () =>
    e(AccountsErrorCode.rateLimited, 'サインインの失敗が続いたため、しばらく受け付けを停止しています。15分ほど待ってから再度お試しください。', 'Too many failed attempts. Please wait about 15 minutes and try again.'),
  invalidEmail: (field = 'email') => e(AccountsErrorCode.invalidEmail, 'メールアドレスの形式が正しくありません。', 'Enter a valid email address.', field),
  weakPassword: () =>
    e(AccountsErrorCode.weakPassword, 'パスワードは12文字以上で、メールアドレスや「password」などの推測されやすい語を含まないものにしてください。', 'Use a password of at least 12 characters that is not easy to guess.', 'password'),
  invalidDisplayName: () => e(AccountsErrorCode.invalidDisplayName, '表示名を1〜60文字で入力してください。', 'Enter a display name of 1–60 characters.', 'displayName'),
  noRoles: () => e(AccountsErrorCode.noRoles, '役割を1つ以上選んでください。', 'Choose at least one role.', 'roles'),
  roleNotGrantable: () =>
    e(AccountsErrorCode.roleNotGrantable, '事務局・オブザーバー・ハブ管理者の役割はハブ管理者だけが付与できます。', 'Only a hub admin can grant the secretariat, observer and hub admin roles.', 'roles'),
  invitationInvalid: () =>
    e(AccountsErrorCode.invitationInvalid, 'この招待リンクは無効です。期限切れ・使用済み・取り消し済みの可能性があります。招待した方に新しいリンクを依頼してください。', 'This invitation link is not valid (expired, used or withdrawn). Ask for a new one.', 'token'),
  alreadyMember: () => e(AccountsErrorCode.alreadyMember, 'この方はすでにこの組織のスタッフです。', 'This person is already on the staff of this body.', 'email'),
  notAMember: () => e(AccountsErrorCode.notAMember, 'この組織に所属していません。', 'Not a member of this body.', 'organisationId'),
  lastAdmin: () => e(AccountsErrorCode.lastAdmin, '組織管理者が一人もいなくなるため、この変更はできません。', 'The body would be left without an organisation admin.', 'roles'),
  invalidPageSize: (max: number) => e(AccountsErrorCode.invalidPageSize, `件数 (first) は 1〜${max} で指定してください。`, `first must be between 1 and ${max}.`, 'first'),
  invalidCursor: () => e(AccountsErrorCode.invalidCursor, 'ページ位置 (after) が正しくありません。', 'after is not a cursor this list issued.', 'after'),
  signInFirst: () =>
    e(AccountsErrorCode.signInFirst, 'このメールアドレスのアカウントをすでにお持ちです。サインインしてから、もう一度この招待リンクを開いてください。', 'You already have an account: sign in, then open this invitation link again.', 'token'),
  invalidDate: (field: string) => e(AccountsErrorCode.invalidDate, '日付は YYYY-MM-DD の形式で入力してください。', 'Dates are YYYY-MM-DD.', field),
};
