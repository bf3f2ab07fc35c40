import { ref } from 'vue';

/**
 * Copying a read-only field's value (a one-time link or secret). When the clipboard is refused
 * (permissions, insecure context) the text is selected for a manual copy and `copied` says so.
 */
export function useCopyField() {
  const input = ref<HTMLInputElement | null>(null);
  const copied = ref<'ok' | 'failed' | null>(null);

  async function copy(): Promise<void> {
    const text = input.value?.value ?? '';
    try {
      await navigator.clipboard.writeText(text);
      copied.value = 'ok';
    } catch {
      input.value?.focus();
      input.value?.select();
      copied.value = 'failed';
    }
  }

  return { input, copied, copy };
}
