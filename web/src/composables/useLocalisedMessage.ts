import { useI18n } from 'vue-i18n';

/** A message the server wrote in both languages (UserError, the /auth endpoints). */
export interface BilingualMessage {
  message: string;
  messageEn: string;
}

/** Picks the server's Japanese `message` or English `messageEn` to match the UI language. */
export function useLocalisedMessage(): (error: BilingualMessage) => string {
  const { locale } = useI18n();
  return (error) => (locale.value === 'en' && error.messageEn ? error.messageEn : error.message);
}
