/**
 * Per-operation limits for the public gateway: depth, aliases, tokens and a static cost estimate,
 * so one request cannot make the hub (or the subgraphs behind it) do unbounded work. Depth, aliases
 * and cost are graphql-js validation rules, which Apollo runs once per distinct document (it caches
 * validated documents); tokens are enforced by graphql's own parser (`parse(source, { maxTokens })`,
 * Apollo's `parseOptions`), which stops lexing as soon as the limit is passed.
 */
import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  TypeInfo,
  ValidationContext,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { DEFAULT_GRAPHQL_LIMITS, type GraphQLLimits } from '../../services/shared/config';

export const OperationLimitCodes = {
  tooDeep: 'QUERY_TOO_DEEP',
  tooManyAliases: 'TOO_MANY_ALIASES',
  tooComplex: 'QUERY_TOO_COMPLEX',
  tooLarge: 'OPERATION_TOO_LARGE',
  batchingDisabled: 'BATCHING_DISABLED',
} as const;

/**
 * How the cost estimate sizes lists it cannot see. Every field costs 1, and a list multiplies the cost
 * of what is selected inside it by its expected length:
 * - a paginated field (`first`/`last`) by that number — a connection's page size applies to the lists
 *   directly inside it (`organisations(first: 20) { nodes … }` is 20 nodes);
 * - a page size given as a variable by the largest page any service serves, since the client may pick it;
 * - a page size left out by the argument's default (50 in this schema);
 * - any other list by `unpaginatedListSize`. The conventions page every list that can grow, so the
 *   unpaginated ones are short by design (affiliations, regions, branches, roles); 10 keeps the
 *   organisation page (100 supporters with their affiliations and regions) well inside the budget,
 *   while nested pages still multiply out of it quickly.
 */
export const COST_MODEL = {
  unpaginatedListSize: 10,
  /** MAX_PAGE_SIZE of the directory and accounts services. */
  variablePageSize: 100,
} as const;

/** A limit a client crossed: Japanese message for people, English in `extensions.messageEn`. */
export class OperationLimitError extends GraphQLError {
  constructor(
    readonly code: (typeof OperationLimitCodes)[keyof typeof OperationLimitCodes],
    messageJa: string,
    readonly messageEn: string,
    details: { limit: number; actual?: number },
    nodes?: ASTNode | readonly ASTNode[],
  ) {
    super(messageJa, { nodes, extensions: { code, messageEn, ...details } });
    this.name = 'OperationLimitError';
  }
}

function fullLimits(limits: Partial<GraphQLLimits> | undefined): GraphQLLimits {
  return { ...DEFAULT_GRAPHQL_LIMITS, ...limits };
}

function operationLabel(operation: OperationDefinitionNode): string {
  return operation.name ? ` (${operation.name.value})` : '';
}

/** Fields answered from the gateway's own schema; production refuses them outright (no introspection). */
function isIntrospectionField(node: FieldNode): boolean {
  return node.name.value === '__schema' || node.name.value === '__type';
}

/**
 * Folds a measure over an operation with fragments followed. Each fragment is measured once per key
 * (so a document that spreads fragments into each other exponentially is still measured in linear
 * time) and a fragment cycle counts as 0: NoFragmentCyclesRule reports it, and it must not hang us.
 */
function fragmentMemo<T>(context: ValidationContext, measure: (fragment: FragmentDefinitionNode, key: string) => T, zero: T) {
  const memo = new Map<string, T>();
  const inProgress = new Set<string>();
  return (name: string, key = name): T => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    const fragment = context.getFragment(name);
    if (!fragment || inProgress.has(key)) return zero;
    inProgress.add(key);
    const value = measure(fragment, key);
    inProgress.delete(key);
    memo.set(key, value);
    return value;
  };
}

/** Deepest nesting of fields: `{ a { b } }` is 2. Inline fragments and spreads add no level. */
export function maxDepthRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragmentDepth = fragmentMemo(context, (fragment) => depthOf(fragment.selectionSet), 0);
    function depthOf(selectionSet: SelectionSetNode): number {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        let depth: number;
        if (selection.kind === Kind.FIELD) {
          if (isIntrospectionField(selection)) continue;
          depth = 1 + (selection.selectionSet ? depthOf(selection.selectionSet) : 0);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          depth = depthOf(selection.selectionSet);
        } else {
          depth = fragmentDepth(selection.name.value);
        }
        if (depth > deepest) deepest = depth;
      }
      return deepest;
    }
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet);
        if (depth > maxDepth) {
          context.reportError(
            new OperationLimitError(
              OperationLimitCodes.tooDeep,
              `クエリの入れ子が深すぎます${operationLabel(operation)}：深さ ${depth}（上限 ${maxDepth}）。`,
              `The query is nested too deeply${operationLabel(operation)}: depth ${depth}, limit ${maxDepth}.`,
              { limit: maxDepth, actual: depth },
              operation,
            ),
          );
        }
      },
    };
  };
}

/** Aliases in an operation, counted wherever they sit, fragments followed (a spread counts each time). */
export function maxAliasesRule(maxAliases: number): ValidationRule {
  return (context) => {
    const fragmentAliases = fragmentMemo(context, (fragment) => aliasesIn(fragment.selectionSet), 0);
    function aliasesIn(selectionSet: SelectionSetNode): number {
      let count = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.alias) count += 1;
          if (selection.selectionSet) count += aliasesIn(selection.selectionSet);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          count += aliasesIn(selection.selectionSet);
        } else {
          count += fragmentAliases(selection.name.value);
        }
      }
      return count;
    }
    return {
      OperationDefinition(operation) {
        const count = aliasesIn(operation.selectionSet);
        if (count > maxAliases) {
          context.reportError(
            new OperationLimitError(
              OperationLimitCodes.tooManyAliases,
              `1 つの操作で使える別名（エイリアス）は ${maxAliases} 個までです${operationLabel(operation)}：${count} 個。`,
              `An operation may use at most ${maxAliases} aliases${operationLabel(operation)}; this one uses ${count}.`,
              { limit: maxAliases, actual: count },
              operation,
            ),
          );
        }
      },
    };
  };
}

/** The page size a field asks for: `first`/`last` as written, a variable's worst case, or the argument's default. */
function pageSizeOf(node: FieldNode, field: GraphQLField<unknown, unknown> | undefined): number | undefined {
  for (const name of ['first', 'last']) {
    const argument = node.arguments?.find((a) => a.name.value === name);
    if (argument) {
      if (argument.value.kind === Kind.INT) return Math.max(0, Number.parseInt(argument.value.value, 10));
      if (argument.value.kind === Kind.VARIABLE) return COST_MODEL.variablePageSize;
      return undefined; // null or a wrong type: another rule or the service refuses it
    }
    const fallback = field?.args.find((a) => a.name === name)?.defaultValue;
    if (typeof fallback === 'number') return fallback;
  }
  return undefined;
}

/** Static cost of one operation under COST_MODEL. */
function operationCost(context: ValidationContext, operation: OperationDefinitionNode): number {
  const schema = context.getSchema();
  const fragmentCost = fragmentMemo(
    context,
    (fragment, key) => {
      const pageSize = key.split('|')[1];
      return costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), pageSize ? Number(pageSize) : undefined);
    },
    0,
  );
  // `pageSize` is the page of the connection field around this selection, which its lists take on.
  function costOf(selectionSet: SelectionSetNode, parentType: GraphQLNamedType | undefined, pageSize: number | undefined): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (isIntrospectionField(selection)) continue;
        const field = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[selection.name.value] : undefined;
        const ownPage = pageSizeOf(selection, field);
        const isList = field !== undefined && isListType(getNullableType(field.type));
        const length = isList ? (ownPage ?? pageSize ?? COST_MODEL.unpaginatedListSize) : 1;
        const inner = selection.selectionSet
          ? costOf(selection.selectionSet, field ? getNamedType(field.type) : undefined, isList ? undefined : ownPage)
          : 0;
        total += 1 + length * inner;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        total += costOf(selection.selectionSet, type, pageSize);
      } else {
        total += fragmentCost(selection.name.value, `${selection.name.value}|${pageSize ?? ''}`);
      }
    }
    return total;
  }
  const root = schema.getRootType(operation.operation);
  return costOf(operation.selectionSet, root ?? undefined, undefined);
}

/** Refuses operations whose static cost estimate (see COST_MODEL) exceeds `maxCost`. */
export function maxCostRule(maxCost: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const cost = operationCost(context, operation);
      // `!(≤)` also refuses NaN (0 × Infinity), should a document ever overflow the estimate.
      if (!(cost <= maxCost)) {
        const shown = Number.isFinite(cost) && cost < 1e12 ? String(cost) : 'very large';
        context.reportError(
          new OperationLimitError(
            OperationLimitCodes.tooComplex,
            `クエリが大きすぎます${operationLabel(operation)}：推定コスト ${shown}（上限 ${maxCost}）。` +
              `一覧の件数（first）を減らすか、入れ子の一覧を分けて取得してください。`,
            `The query is too expensive${operationLabel(operation)}: estimated cost ${shown}, limit ${maxCost}. ` +
              `Ask for smaller pages (first) or fetch nested lists separately.`,
            { limit: maxCost, ...(Number.isFinite(cost) ? { actual: cost } : {}) },
            operation,
          ),
        );
      }
    },
  });
}

/** The validation rules for Apollo's `validationRules`. */
export function operationLimitRules(limits?: Partial<GraphQLLimits>): ValidationRule[] {
  const l = fullLimits(limits);
  return [maxDepthRule(l.maxDepth), maxAliasesRule(l.maxAliases), maxCostRule(l.maxCost)];
}

/** Apollo's `parseOptions`: graphql's parser aborts once a document passes `maxTokens`. */
export function operationParseOptions(limits?: Partial<GraphQLLimits>): ParseOptions {
  return { maxTokens: fullLimits(limits).maxTokens };
}

/** Lexical tokens in a document, counting no further than `stopAfter` (so a huge document costs little). */
export function countTokens(source: string | Source, stopAfter = Number.POSITIVE_INFINITY): number {
  const lexer = new Lexer(typeof source === 'string' ? new Source(source) : source);
  let count = 0;
  try {
    while (count < stopAfter && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // A lexical error ends the count; the parser reports it as a syntax error.
  }
  return count;
}

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e instanceof Error && chain.length < 5; e = (e as GraphQLError).originalError) chain.push(e);
  return chain;
}

/** graphql-js appends "Did you mean …?" to some messages, naming fields, types and enum values. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/**
 * Wraps the gateway's formatError. Apollo replaces a validation rule's `extensions.code` with
 * GRAPHQL_VALIDATION_FAILED and a parser error's with GRAPHQL_PARSE_FAILED, so the limit errors get
 * their own code and message back here; the refusal of batched requests gets a message in Japanese.
 * In production, suggestions are also stripped from errors Apollo's `hideSchemaDetailsFromClientErrors`
 * does not reach (variable values are coerced at execution, not validation).
 */
export function formatLimitErrors(next: FormatError, opts: { limits?: Partial<GraphQLLimits>; production: boolean }): FormatError {
  const { maxTokens } = fullLimits(opts.limits);
  return (formatted, error) => {
    let shaped = formatted;
    const code = formatted.extensions?.code;
    const limitError = causes(error).find((e): e is OperationLimitError => e instanceof OperationLimitError);
    if (limitError) {
      shaped = { message: limitError.message, locations: formatted.locations, extensions: { ...limitError.extensions } };
    } else if (code === 'GRAPHQL_PARSE_FAILED' && error instanceof GraphQLError && error.source && countTokens(error.source, maxTokens + 1) > maxTokens) {
      shaped = {
        message: `クエリが長すぎます：字句（トークン）は ${maxTokens} 個までです。`,
        extensions: { code: OperationLimitCodes.tooLarge, messageEn: `The document is too large: at most ${maxTokens} tokens.`, limit: maxTokens },
      };
    } else if (code === 'BAD_REQUEST' && formatted.message === 'Operation batching disabled.') {
      shaped = {
        message: '1 回のリクエストで送れる操作は 1 つだけです。操作ごとに分けて送ってください。',
        extensions: { code: OperationLimitCodes.batchingDisabled, messageEn: 'Send one operation per request; batched requests are not accepted.' },
      };
    } else if (opts.production && SUGGESTION.test(formatted.message)) {
      shaped = { ...formatted, message: formatted.message.replace(SUGGESTION, '') };
    }
    return next(shaped, error);
  };
}

/** The static cost of each operation in a document (tests and tooling), by the rule's own measure. */
export function estimateCosts(schema: GraphQLSchema, document: DocumentNode): Record<string, number> {
  const context = new ValidationContext(schema, document, new TypeInfo(schema), () => undefined);
  const costs: Record<string, number> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) costs[definition.name?.value ?? ''] = operationCost(context, definition);
  }
  return costs;
}
