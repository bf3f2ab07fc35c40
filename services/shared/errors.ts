/**
 * Domain errors: failures a caller can cause, with a namespaced code ('directory/invalid_argument'),
 * a message the UI can show (Japanese first) and the offending field. One function maps them, and
 * anything unexpected, to GraphQL errors; stack traces never leave the server.
 */
import { GraphQLError } from 'graphql';

export class DomainError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    /** Japanese message for people. */
    readonly messageJa: string,
    /** English message for people and logs. */
    readonly messageEn: string,
    readonly field?: string,
  ) {
    super(messageEn);
    this.name = 'DomainError';
  }
}

/** GraphQL `extensions.code` for each kind of failure. */
export const GraphQLCodes = {
  badUserInput: 'BAD_USER_INPUT',
  notFound: 'NOT_FOUND',
  internal: 'INTERNAL_SERVER_ERROR',
} as const;

export function toGraphQLError(err: unknown): GraphQLError {
  if (err instanceof GraphQLError) return err;
  if (err instanceof DomainError) {
    return new GraphQLError(err.messageJa, {
      extensions: {
        code: GraphQLCodes.badUserInput,
        domainCode: err.code,
        messageEn: err.messageEn,
        ...(err.field ? { field: err.field } : {}),
      },
    });
  }
  return new GraphQLError('内部エラーが発生しました。時間をおいて再度お試しください。', {
    extensions: { code: GraphQLCodes.internal },
  });
}
