/** Every queue and job name in one place. */
export const Queues = {
  /** One job per outbox event (job id = event id). */
  events: 'notification-events',
  /** One job per email (job id = `${eventId}.${accountId}`). */
  email: 'notification-email',
} as const;

export const Jobs = {
  deliverEvent: 'deliver-event',
  sendEmail: 'send-email',
} as const;

/** Retries with exponential backoff; failed jobs are kept for hub admins to inspect and retry. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
} as const;
