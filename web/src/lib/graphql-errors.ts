import { GraphQLRequestError, type GraphQLErrorEntry } from './graphql-client';

/** The codes the gateway uses for authorisation failures. */
export type AccessCode = 'UNAUTHENTICATED' | 'FORBIDDEN';

/** The `extensions.code` of an error entry, if any. */
export function errorCode(entry: GraphQLErrorEntry): string | null {
  const code = entry.extensions?.code;
  return typeof code === 'string' ? code : null;
}

/** The first authorisation failure in a list of errors (partial data) or in a thrown request error. */
export function accessFailure(source: readonly GraphQLErrorEntry[] | Error | null | undefined): AccessCode | null {
  const entries = source instanceof GraphQLRequestError ? source.errors : Array.isArray(source) ? source : [];
  for (const entry of entries) {
    const code = errorCode(entry);
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return code;
  }
  return null;
}

/** Errors whose path starts with the given field names (e.g. ['organisation', 'members']). */
export function errorsAt(entries: readonly GraphQLErrorEntry[], path: readonly (string | number)[]): GraphQLErrorEntry[] {
  return entries.filter((entry) => path.every((segment, i) => entry.path?.[i] === segment));
}

/**
 * The server's own wording for an error, in the UI language when it sent one (Japanese in `message`,
 * English in `extensions.messageEn`); null when there is nothing meant for people.
 */
export function serverMessage(error: Error, locale: string): string | null {
  if (!(error instanceof GraphQLRequestError)) return null;
  const entry = error.errors.find((e) => errorCode(e) === 'UNAUTHENTICATED' || errorCode(e) === 'FORBIDDEN');
  if (!entry) return null;
  const en = entry.extensions?.messageEn;
  return locale === 'en' && typeof en === 'string' ? en : entry.message;
}

/**
 * The server's wording for a failure the person can act on that came as a GraphQL error
 * (`BAD_USER_INPUT`, e.g. the notification queue is unreachable), in the UI language; null otherwise.
 */
export function userInputMessage(error: Error, locale: string): string | null {
  if (!(error instanceof GraphQLRequestError)) return null;
  const entry = error.errors.find((e) => errorCode(e) === 'BAD_USER_INPUT');
  if (!entry) return null;
  const en = entry.extensions?.messageEn;
  return locale === 'en' && typeof en === 'string' ? en : entry.message;
}
