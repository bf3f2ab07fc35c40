import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { onScopeDispose, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { request, type GraphQLErrorEntry } from '@/lib/graphql-client';

export interface QueryState<TData, TVariables> {
  /** Latest data (kept while a refetch runs, so the page does not flash). */
  data: ShallowRef<TData | null>;
  /** Set when there is nothing to show: network failure or errors without data. */
  error: ShallowRef<Error | null>;
  /** Errors that came alongside data: the data is partial. */
  warnings: ShallowRef<readonly GraphQLErrorEntry[]>;
  loading: Ref<boolean>;
  /** True while `fetchMore` runs. */
  loadingMore: Ref<boolean>;
  /** Set when the last `fetchMore` failed; what was already shown stays. */
  moreError: ShallowRef<Error | null>;
  /** Runs the query again with the current variables. */
  refetch: () => Promise<void>;
  /** Fetches with extra variables and merges the result into `data` (for cursor pagination). */
  fetchMore: (
    variables: Partial<TVariables>,
    merge: (previous: TData, next: TData) => TData,
  ) => Promise<void>;
}

/**
 * Runs a typed query whenever its variables change and exposes loading / error / data.
 * Responses that arrive after newer variables are dropped, so fast typing cannot show stale results.
 */
export function useQuery<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: () => NoInfer<TVariables>,
  options: { enabled?: () => boolean } = {},
): QueryState<TData, TVariables> {
  const data = shallowRef<TData | null>(null);
  const error = shallowRef<Error | null>(null);
  const warnings = shallowRef<readonly GraphQLErrorEntry[]>([]);
  const loading = ref(false);
  const loadingMore = ref(false);
  const moreError = shallowRef<Error | null>(null);

  let controller: AbortController | null = null;
  let generation = 0;

  async function run(vars: TVariables): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    const mine = ++generation;
    loading.value = true;
    loadingMore.value = false;
    moreError.value = null;
    error.value = null;
    try {
      const result = await request(document, vars, { signal: current.signal });
      if (mine !== generation) return;
      data.value = result.data;
      warnings.value = result.errors;
    } catch (cause) {
      if (mine !== generation || isAbort(cause)) return;
      data.value = null;
      warnings.value = [];
      error.value = cause instanceof Error ? cause : new Error(String(cause));
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function fetchMore(
    extra: Partial<TVariables>,
    merge: (previous: TData, next: TData) => TData,
  ): Promise<void> {
    const mine = generation;
    loadingMore.value = true;
    moreError.value = null;
    try {
      const result = await request(document, { ...variables(), ...extra }, {
        signal: controller?.signal,
      });
      if (mine !== generation || data.value === null) return;
      data.value = merge(data.value, result.data);
      warnings.value = [...warnings.value, ...result.errors];
    } catch (cause) {
      if (mine !== generation || isAbort(cause)) return;
      moreError.value = cause instanceof Error ? cause : new Error(String(cause));
    } finally {
      if (mine === generation) loadingMore.value = false;
    }
  }

  const stop = watch(
    () => (options.enabled?.() ?? true ? JSON.stringify(variables()) : null),
    (key) => {
      if (key === null) return;
      void run(variables());
    },
    { immediate: true },
  );

  onScopeDispose(() => {
    stop();
    generation += 1;
    controller?.abort();
  });

  return {
    data,
    error,
    warnings,
    loading,
    loadingMore,
    moreError,
    refetch: () => run(variables()),
    fetchMore,
  };
}

function isAbort(cause: unknown): boolean {
  return cause instanceof DOMException && cause.name === 'AbortError';
}
