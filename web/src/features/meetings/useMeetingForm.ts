import { computed, nextTick, ref, shallowRef } from 'vue';
import type { MeetingOutcome } from './useMeeting';

/**
 * The state every meeting form shares: our own checks on submit, the server's message next to the
 * field it names (or above the buttons), "someone else was first" as a notice, and focus on the first
 * field with a message. Field ids are `${idPrefix}-${field}`. What the person typed is never cleared
 * on failure.
 */
export function useMeetingForm<F extends string>(idPrefix: string, fields: readonly F[], check: (field: F) => string | null = () => null) {
  const busy = ref(false);
  const submitted = ref(false);
  const outcome = shallowRef<MeetingOutcome | null>(null);

  function serverField(): F | null {
    const o = outcome.value;
    if (!o || o.ok || o.stale || !o.error?.field) return null;
    const name = o.error.field.split('.').pop() ?? '';
    return (fields as readonly string[]).includes(name) ? (name as F) : null;
  }

  function errorFor(field: F): string | null {
    const o = outcome.value;
    if (o && !o.ok && serverField() === field) return o.message;
    return submitted.value ? check(field) : null;
  }

  /** A failure that belongs to no field, or the notice that the page was reloaded. */
  const formError = computed(() => {
    const o = outcome.value;
    return o && !o.ok && serverField() === null ? o.message : null;
  });
  const stale = computed(() => {
    const o = outcome.value;
    return !!o && !o.ok && o.stale;
  });

  /** Forgets the server's message for a field once the person edits it. */
  function edited(field: F): void {
    if (serverField() === field) outcome.value = null;
  }

  async function focusFirstError(): Promise<void> {
    await nextTick();
    const field = fields.find((f) => errorFor(f));
    const el = field ? document.getElementById(`${idPrefix}-${field}`) : document.getElementById(`${idPrefix}-form-error`);
    if (!el) return;
    const control = el.matches('input, select, textarea') ? el : el.querySelector<HTMLElement>('input:not(:disabled), select, textarea');
    (control ?? el).focus();
  }

  /** Checks, then runs the change; true when it went through. */
  async function send(action: () => Promise<MeetingOutcome>): Promise<boolean> {
    if (busy.value) return false;
    submitted.value = true;
    outcome.value = null;
    if (fields.some((f) => check(f))) {
      await focusFirstError();
      return false;
    }
    busy.value = true;
    let result: MeetingOutcome;
    try {
      result = await action();
    } finally {
      busy.value = false;
    }
    if (!result.ok) {
      outcome.value = result;
      await focusFirstError();
      return false;
    }
    submitted.value = false;
    return true;
  }

  /** Shows a failure that did not come through `send` (an upload). */
  function fail(result: MeetingOutcome): void {
    outcome.value = result;
  }

  function reset(): void {
    submitted.value = false;
    outcome.value = null;
  }

  /** aria-describedby for a field: its hint (when it has one) and its message (when shown). */
  function describedBy(field: F, hint = false): string | undefined {
    return [hint ? `${idPrefix}-${field}-hint` : '', errorFor(field) ? `${idPrefix}-${field}-error` : ''].filter(Boolean).join(' ') || undefined;
  }

  return { busy, submitted, outcome, errorFor, formError, stale, edited, send, fail, reset, describedBy, focusFirstError };
}
