import { shallowRef } from 'vue';

// One polite live region for the app (rendered in App.vue): changes that happen away from the
// focused control — signed out, switched body — are read out without moving focus.
const message = shallowRef('');

/** Reads a short message to screen-reader users. */
export function announce(text: string): void {
  // Clearing first makes the same text be read again.
  message.value = '';
  window.setTimeout(() => {
    message.value = text;
  }, 50);
}

export function useAnnouncement() {
  return message;
}
