import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** One entry of a GraphQL response's `errors` list (only the parts the UI uses). */
export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

/** The request never produced a usable GraphQL response (offline, gateway down, HTML error page…). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    message: string,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The server answered, but with errors and no data at all. */
export class GraphQLRequestError extends Error {
  override readonly name = 'GraphQLRequestError';
  constructor(readonly errors: readonly GraphQLErrorEntry[]) {
    super(errors.map((e) => e.message).join('; ') || 'GraphQL request failed');
  }
}

/** A response with data; `errors` is non-empty when the data is partial. */
export interface GraphQLResult<TData> {
  data: TData;
  errors: readonly GraphQLErrorEntry[];
}

export interface RequestOptions {
  signal?: AbortSignal;
}

const ENDPOINT = '/graphql';

// Printing is cheap but not free; documents are module-level constants, so cache by identity.
const printed = new WeakMap<object, string>();
function source(document: TypedDocumentNode<unknown, never>): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

function operationName(document: TypedDocumentNode<unknown, never>): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition') return definition.name?.value;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Runs one operation against the gateway. Resolves with data (possibly partial, with errors);
 * rejects with NetworkError or GraphQLRequestError when there is no data to show.
 */
export async function request<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  options: RequestOptions = {},
): Promise<GraphQLResult<TData>> {
  const doc = document as unknown as TypedDocumentNode<unknown, never>;
  let response: Response;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: {
        accept: 'application/graphql-response+json, application/json',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ query: source(doc), operationName: operationName(doc), variables }),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new NetworkError('fetch failed', null, { cause });
  }

  // With application/graphql-response+json a request error comes with a 4xx status and a JSON
  // body, so read the body whenever it is JSON, whatever the status.
  const contentType = response.headers.get('content-type') ?? '';
  if (!/json/i.test(contentType)) {
    throw new NetworkError(`unexpected response (${response.status})`, response.status);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw new NetworkError('invalid JSON response', response.status, { cause });
  }
  if (!isRecord(body)) throw new NetworkError('invalid GraphQL response', response.status);

  const errors = Array.isArray(body.errors) ? (body.errors as GraphQLErrorEntry[]) : [];
  if (isRecord(body.data)) return { data: body.data as TData, errors };
  if (errors.length > 0) throw new GraphQLRequestError(errors);
  throw new NetworkError(`no data in response (${response.status})`, response.status);
}
