import { DomainError } from '../shared/errors';

export const NotificationsErrorCode = {
  malformedEvent: 'notifications/malformed_event',
  unknownEventType: 'notifications/unknown_event_type',
  invalidWebhookUrl: 'notifications/invalid_webhook_url',
} as const;
export type NotificationsErrorCode = (typeof NotificationsErrorCode)[keyof typeof NotificationsErrorCode];

export class NotificationsError extends DomainError<NotificationsErrorCode> {}

export const notificationsErrors = {
  unknownEventType: (type: string) =>
    new NotificationsError(NotificationsErrorCode.unknownEventType, `不明な通知イベントです: ${type}`, `Unknown notification event type: ${type}`, 'type'),
  malformedEvent: (type: string, problems: string) =>
    new NotificationsError(NotificationsErrorCode.malformedEvent, `通知イベント ${type} の内容が正しくありません: ${problems}`, `Malformed ${type} event: ${problems}`, 'payload'),
};

export const NotificationsUserErrorCode = {
  notFound: 'notifications/not_found',
  unknownEventTypeChoice: 'notifications/unknown_event_type_choice',
  tooManyEndpoints: 'notifications/too_many_endpoints',
  invalidDescription: 'notifications/invalid_description',
  invalidPageSize: 'notifications/invalid_page_size',
  queueUnavailable: 'notifications/queue_unavailable',
  jobNotFailed: 'notifications/job_not_failed',
} as const;

export class NotificationsUserError extends DomainError<(typeof NotificationsUserErrorCode)[keyof typeof NotificationsUserErrorCode]> {}

export const notificationsUserErrors = {
  notFound: () => new NotificationsUserError(NotificationsUserErrorCode.notFound, '見つかりません。', 'Not found.'),
  unknownEventTypeChoice: (type: string) =>
    new NotificationsUserError(NotificationsUserErrorCode.unknownEventTypeChoice, `通知の種類「${type.slice(0, 60)}」はありません。`, `There is no notice type "${type.slice(0, 60)}".`, 'eventTypes'),
  tooManyEndpoints: (max: number) =>
    new NotificationsUserError(NotificationsUserErrorCode.tooManyEndpoints, `Webhookは1組織あたり${max}件まで登録できます。`, `A body may register at most ${max} webhooks.`, 'url'),
  invalidDescription: (max: number) =>
    new NotificationsUserError(NotificationsUserErrorCode.invalidDescription, `説明は${max}文字以内で入力してください。`, `Keep the description within ${max} characters.`, 'description'),
  invalidPageSize: (max: number) =>
    new NotificationsUserError(NotificationsUserErrorCode.invalidPageSize, `件数は1〜${max}で指定してください。`, `Ask for 1 to ${max} items.`, 'first'),
  queueUnavailable: () =>
    new NotificationsUserError(NotificationsUserErrorCode.queueUnavailable, '通知キューに接続できません。しばらくしてからもう一度お試しください。', 'The notification queue is unreachable. Try again shortly.'),
  jobNotFailed: () =>
    new NotificationsUserError(NotificationsUserErrorCode.jobNotFailed, 'このジョブは失敗状態ではないため再実行できません。', 'This job has not failed, so it cannot be retried.'),
};

/** Why a webhook URL was refused at registration; each has its own message. */
export type WebhookUrlProblem = 'malformed' | 'scheme' | 'https' | 'userinfo' | 'fragment' | 'length' | 'private';

const WEBHOOK_URL_MESSAGES: Record<WebhookUrlProblem, (max: number) => [ja: string, en: string]> = {
  malformed: () => ['WebhookのURLの形式が正しくありません。', 'The webhook URL is not a valid URL.'],
  scheme: () => ['WebhookのURLは http:// または https:// で始まる必要があります。', 'The webhook URL must start with http:// or https://.'],
  https: () => ['WebhookのURLは https:// で始まる必要があります。', 'The webhook URL must start with https://.'],
  userinfo: () => ['WebhookのURLにユーザー名やパスワードを含めることはできません。', 'The webhook URL must not contain a user name or password.'],
  fragment: () => ['WebhookのURLに「#」以降（フラグメント）を含めることはできません。', 'The webhook URL must not contain a fragment (#...).'],
  length: (max) => [`WebhookのURLは${max}文字以内で入力してください。`, `Keep the webhook URL within ${max} characters.`],
  private: () => ['WebhookのURLに localhost や社内ネットワークのアドレスは指定できません。', 'The webhook URL must point to a public address, not localhost or a private network.'],
};

export const webhookErrors = {
  invalidUrl: (problem: WebhookUrlProblem, maxLength = 2000) => {
    const [ja, en] = WEBHOOK_URL_MESSAGES[problem](maxLength);
    return new NotificationsError(NotificationsErrorCode.invalidWebhookUrl, ja, en, 'url');
  },
};
