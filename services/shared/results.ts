import type { DomainError } from './errors';

/**
 * A manager's `{ ok, error }` result in the schemas' shape: the error's Japanese message as
 * `message`, its English one as `messageEn`, the offending field or null.
 */
export function toResultPayload<T extends { ok: boolean; error: unknown }>(result: T) {
  if (result.ok) return result;
  const e = result.error as Pick<DomainError, 'code' | 'messageJa' | 'messageEn' | 'field'>;
  return { ok: false, error: { code: e.code, message: e.messageJa, messageEn: e.messageEn, field: e.field ?? null } };
}
