import { computed, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { WebhookEndpointsDocument, type WebhookEndpointRowFragment } from '@/gql/graphql';
import { useQuery } from '@/composables/useQuery';

/** One kind of event an endpoint may subscribe to (the notifications catalogue). */
export interface EventTypeOption {
  eventType: string;
  labelJa: string;
  labelEn: string;
}

/** A body's webhook endpoints, re-read when the viewer switches body, with local updates after each change. */
export function useWebhooks(organisationId: () => string | null) {
  const { locale } = useI18n();
  const query = useQuery(WebhookEndpointsDocument, () => ({ organisationId: organisationId() ?? '' }), {
    enabled: () => organisationId() !== null,
  });

  const endpoints = shallowRef<WebhookEndpointRowFragment[]>([]);
  watch(
    query.data,
    (data) => {
      endpoints.value = data ? [...data.webhookEndpoints] : [];
    },
    { immediate: true },
  );

  const eventTypes = computed<readonly EventTypeOption[]>(() => query.data.value?.notificationPreferences.events ?? []);
  /** The event's name in the UI language; a type the catalogue does not know is shown as its code. */
  function eventLabel(type: string): string {
    const option = eventTypes.value.find((e) => e.eventType === type);
    if (!option) return type;
    return locale.value === 'en' ? option.labelEn : option.labelJa;
  }

  function add(endpoint: WebhookEndpointRowFragment): void {
    endpoints.value = [endpoint, ...endpoints.value.filter((e) => e.id !== endpoint.id)];
  }
  function replace(endpoint: WebhookEndpointRowFragment): void {
    endpoints.value = endpoints.value.map((e) => (e.id === endpoint.id ? endpoint : e));
  }
  function drop(id: string): void {
    endpoints.value = endpoints.value.filter((e) => e.id !== id);
  }

  return {
    endpoints,
    eventTypes,
    eventLabel,
    loading: computed(() => query.loading.value && query.data.value === null),
    error: query.error,
    partial: computed(() => query.warnings.value.length > 0),
    refetch: query.refetch,
    add,
    replace,
    drop,
  };
}
