/**
 * What each role may do: the one table every service enforces (through its manager) and the README
 * shows. Later services add their rows here. A permission with `ownOrganisation` reaches only the body
 * the viewer acts for; hub admins reach every body.
 */
import type { RoleName, Viewer } from './viewer';

type Holders = readonly RoleName[] | 'ANYONE' | 'SIGNED_IN';

export interface PermissionRule {
  holders: Holders;
  ownOrganisation: boolean;
  ja: string;
  en: string;
}

export const PERMISSIONS = {
  'directory.organisations.read': { holders: 'ANYONE', ownOrganisation: false, ja: '組織ディレクトリを見る', en: 'Read the directory of bodies' },
  'directory.people.read': { holders: 'SIGNED_IN', ownOrganisation: false, ja: '支援者の情報を見る', en: "Read supporters' details" },
  'accounts.self.read': { holders: 'SIGNED_IN', ownOrganisation: false, ja: '自分のアカウントと所属を見る・切り替える', en: 'Read and switch own memberships' },
  'accounts.staff.read': { holders: ['ORG_ADMIN', 'HUB_ADMIN'], ownOrganisation: true, ja: '自組織のスタッフを見る', en: "List their body's staff" },
  'accounts.staff.invite': { holders: ['ORG_ADMIN', 'HUB_ADMIN'], ownOrganisation: true, ja: '自組織にスタッフを招待する', en: 'Invite staff to their body' },
  'accounts.staff.set_roles': { holders: ['ORG_ADMIN', 'HUB_ADMIN'], ownOrganisation: true, ja: '自組織のスタッフの役割を変更する', en: "Change their body's staff roles" },
  'accounts.staff.remove': { holders: ['ORG_ADMIN', 'HUB_ADMIN'], ownOrganisation: true, ja: '自組織のスタッフを外す', en: 'Remove staff from their body' },
  'audit.read': { holders: ['HUB_ADMIN'], ownOrganisation: false, ja: '監査ログを見る', en: 'Browse the audit log' },
  'audit.export': { holders: ['HUB_ADMIN'], ownOrganisation: false, ja: '監査ログを出力する', en: 'Export the audit log' },
  'notifications.self': { holders: 'SIGNED_IN', ownOrganisation: false, ja: '自分の通知と通知設定を見る・変更する', en: 'Read own notices and set own notification preferences' },
  'notifications.webhooks.manage': { holders: ['ORG_ADMIN', 'HUB_ADMIN'], ownOrganisation: true, ja: '自組織のWebhookを登録・管理し配信履歴を見る', en: "Manage their body's webhooks and read their delivery log" },
  'notifications.jobs.manage': { holders: ['HUB_ADMIN'], ownOrganisation: false, ja: '失敗した通知ジョブを見る・再実行する', en: 'Inspect and retry failed notification jobs' },
  'firms.read': { holders: ['ORG_ADMIN', 'SUPPORTER', 'TEAM_LEAD'], ownOrganisation: true, ja: '自組織が保有する企業・共有を受けた企業を見る', en: 'Read the firms their body holds or that were shared with it' },
  'firms.register': { holders: ['ORG_ADMIN', 'SUPPORTER'], ownOrganisation: true, ja: '企業を登録・編集する', en: 'Register and edit firms' },
  'firms.merge': { holders: ['ORG_ADMIN', 'HUB_ADMIN'], ownOrganisation: true, ja: '重複の疑いがある企業を統合する・別企業と判断する', en: 'Merge likely duplicate firms or mark them distinct' },
  'consents.record': { holders: ['ORG_ADMIN', 'SUPPORTER'], ownOrganisation: true, ja: '企業の同意を記録する・撤回を記録する', en: "Record a firm's consent and its withdrawal" },
  'referrals.read': { holders: ['ORG_ADMIN', 'SUPPORTER', 'TEAM_LEAD'], ownOrganisation: true, ja: '自組織が送った・受けた紹介を見る', en: 'Read referrals their body sent or received' },
  'referrals.send': { holders: ['ORG_ADMIN', 'SUPPORTER'], ownOrganisation: true, ja: '企業を他機関に紹介する・取り下げる', en: 'Refer firms to other bodies and withdraw referrals' },
  'referrals.respond': { holders: ['ORG_ADMIN', 'SUPPORTER'], ownOrganisation: true, ja: '受けた紹介に回答し、担当・進捗・結果を記録する', en: 'Answer referrals received, assign them and record progress and outcome' },
  'referrals.settings': { holders: ['ORG_ADMIN', 'HUB_ADMIN'], ownOrganisation: true, ja: '紹介への回答期限（営業日数）を設定する', en: 'Set how many business days the body has to answer a referral' },
  'provision_records.read': { holders: ['ORG_ADMIN', 'HUB_ADMIN'], ownOrganisation: true, ja: '第三者提供記録を見る・出力する', en: 'Read and export third-party provision records' },
  'engagements.read': { holders: ['ORG_ADMIN', 'SUPPORTER', 'TEAM_LEAD'], ownOrganisation: false, ja: '自分がリーダー・メンバーの伴走支援案件を見る・記録する', en: 'Read and record on engagements they lead or are a team member of' },
  'engagements.lead': { holders: ['TEAM_LEAD'], ownOrganisation: true, ja: '伴走支援案件を開始し、チームを編成・運営する', en: 'Open engagements and assemble and run their teams' },
  'meetings.manage': { holders: ['SECRETARIAT'], ownOrganisation: false, ja: '会議体・会議を作成し、議事次第・資料・招待・出欠・議事録・決定事項・アクションアイテムを管理する', en: 'Create series and meetings; manage agendas, materials, invitations, attendance, minutes, decisions and action items' },
  'meetings.read': { holders: 'SIGNED_IN', ownOrganisation: false, ja: '自組織が招待された会議を見る（オブザーバーは公開されたものだけ）', en: 'Read meetings their body is invited to (observers: only what is published to them)' },
  'meetings.rsvp': { holders: 'SIGNED_IN', ownOrganisation: true, ja: '自組織への会議の招待に出欠を回答する（指名された本人または組織管理者）', en: "Answer their body's meeting invitation (the named attendee or an admin of the body)" },
  'minutes.comment': { holders: 'SIGNED_IN', ownOrganisation: true, ja: '委員として出席した会議の回覧中の議事録に意見を出す', en: 'Comment on circulated minutes of a meeting their body attended as a member' },
  'action_items.update': { holders: 'SIGNED_IN', ownOrganisation: false, ja: '自分・自組織が担当するアクションアイテムの状況を更新する', en: 'Update the status of action items they or their body own' },
  'calendar.feed': { holders: 'SIGNED_IN', ownOrganisation: false, ja: '自分の会議予定のカレンダー購読URLを発行・停止する', en: 'Create and revoke their personal meeting calendar feed' },
  'reports.read': { holders: ['SECRETARIAT', 'ORG_ADMIN'], ownOrganisation: false, ja: '実績報告・ネットワーク分析を見る・出力する（組織管理者は自組織分のみ）', en: 'Read and export reports and network analytics (organisation admins: their own body only)' },
  'reports.targets': { holders: ['SECRETARIAT'], ownOrganisation: false, ja: '年度ごとの目標を設定する', en: 'Set yearly targets' },
  'surveys.issue': { holders: ['TEAM_LEAD'], ownOrganisation: true, ja: '終了した伴走支援の満足度アンケートのリンクを発行する（リーダー）', en: 'Issue the satisfaction survey link of a closed engagement they lead' },
  'surveys.answer': { holders: 'ANYONE', ownOrganisation: false, ja: '満足度アンケートに回答する（リンクを受け取った企業、アカウント不要）', en: 'Answer a satisfaction survey (the firm with the link, no account)' },
  'teams.respond': { holders: 'SIGNED_IN', ownOrganisation: false, ja: '自分へのチーム参加依頼に回答する・チームを抜ける', en: 'Answer own team invitations and leave a team' },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSIONS;

/** Roles an organisation admin may hand out in their own body; the rest only a hub admin grants. */
export const ROLES_GRANTABLE_BY_ORG_ADMIN: readonly RoleName[] = ['ORG_ADMIN', 'SUPPORTER', 'TEAM_LEAD'];

/**
 * Whether the viewer holds the permission, for the given body when the permission is scoped to one.
 */
export function can(viewer: Viewer, permission: Permission, organisationId?: string | null): boolean {
  const rule: PermissionRule = PERMISSIONS[permission];
  if (rule.holders === 'ANYONE') return true;
  if (!viewer.accountId) return false;
  if (rule.holders === 'SIGNED_IN') return true;
  if (viewer.roles.includes('HUB_ADMIN') && (rule.holders as readonly RoleName[]).includes('HUB_ADMIN')) return true;
  if (!rule.holders.some((r) => viewer.roles.includes(r))) return false;
  if (rule.ownOrganisation && organisationId !== undefined) return organisationId !== null && organisationId === viewer.organisationId;
  return true;
}

/** Permissions the viewer holds in the body they act for. */
export function permissionsOf(viewer: Viewer): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(viewer, p, viewer.organisationId));
}
