/**
 * Authorisation failures: GraphQL errors with a code and a Japanese message that reveals nothing
 * about whether the object exists.
 */
import { GraphQLError } from 'graphql';

export function unauthenticated(): GraphQLError {
  return new GraphQLError('サインインが必要です。', {
    extensions: { code: 'UNAUTHENTICATED', messageEn: 'Sign in to do this.', http: { status: 200 } },
  });
}

export function forbidden(): GraphQLError {
  return new GraphQLError('この操作を行う権限がないか、対象が見つかりません。', {
    extensions: { code: 'FORBIDDEN', messageEn: 'You may not do this, or it does not exist.' },
  });
}
