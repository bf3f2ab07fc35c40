import { DomainError } from '../shared/errors';

export const NotificationsErrorCode = {
  malformedEvent: 'notifications/malformed_event',
  unknownEventType: 'notifications/unknown_event_type',
} as const;
export type NotificationsErrorCode = (typeof NotificationsErrorCode)[keyof typeof NotificationsErrorCode];

export class NotificationsError extends DomainError<NotificationsErrorCode> {}

export const notificationsErrors = {
  unknownEventType: (type: string) =>
    new NotificationsError(NotificationsErrorCode.unknownEventType, `不明な通知イベントです: ${type}`, `Unknown notification event type: ${type}`, 'type'),
  malformedEvent: (type: string, problems: string) =>
    new NotificationsError(NotificationsErrorCode.malformedEvent, `通知イベント ${type} の内容が正しくありません: ${problems}`, `Malformed ${type} event: ${problems}`, 'payload'),
};
