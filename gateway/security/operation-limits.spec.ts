import fs from 'node:fs';
import path from 'node:path';
import { GraphQLError, Source, buildSchema, parse, print, specifiedRules, validate, type DocumentNode, type FragmentDefinitionNode } from 'graphql';
import { DEFAULT_GRAPHQL_LIMITS } from '../../services/shared/config';
import { REPO_ROOT } from '../../services/registry';
import {
  COST_MODEL,
  OperationLimitCodes,
  countTokens,
  estimateCosts,
  formatLimitErrors,
  maxAliasesRule,
  maxCostRule,
  maxDepthRule,
  operationLimitRules,
  operationParseOptions,
} from './operation-limits';

/** The directory's shape in miniature: connections with `first`, unpaginated lists, an entity cycle. */
const schema = buildSchema(/* GraphQL */ `
  type Query {
    organisations(first: Int = 50, after: String): OrganisationConnection!
    organisation(id: ID!): Organisation
    prefectures: [Prefecture!]!
  }
  type OrganisationConnection { nodes: [Organisation!]! pageInfo: PageInfo! totalCount: Int! }
  type PersonConnection { nodes: [Person!]! pageInfo: PageInfo! totalCount: Int! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Organisation {
    id: ID!
    nameJa: String!
    parent: Organisation
    children: [Organisation!]!
    members(first: Int = 50, after: String): PersonConnection!
  }
  type Person { id: ID! nameJa: String! qualifications: [String!]! affiliations: [Affiliation!]! }
  type Affiliation { title: String organisation: Organisation! }
  type Prefecture { code: String! nameJa: String! }
`);

function limitErrors(query: string, rules = operationLimitRules()) {
  return validate(schema, parse(query), rules).map((e) => ({ message: e.message, ...(e.extensions as { code: string; messageEn: string; limit: number; actual?: number }) }));
}

function cost(query: string): number {
  return Object.values(estimateCosts(schema, parse(query)))[0];
}

/** `{ organisation(id: "x") { parent { parent { … id } } } }` with `levels` fields in the deepest path. */
function nested(levels: number): string {
  return `{ organisation(id: "x") ${'{ parent '.repeat(levels - 2)}{ id }${' }'.repeat(levels - 2)} }`;
}

describe('depth', () => {
  test('a query one level deeper than the limit is refused with QUERY_TOO_DEEP and a Japanese message', () => {
    expect(limitErrors(nested(12))).toEqual([]);
    const [error] = limitErrors(nested(13));
    expect(error).toMatchObject({ code: OperationLimitCodes.tooDeep, limit: 12, actual: 13 });
    expect(error.message).toContain('深');
    expect(error.messageEn).toMatch(/depth 13, limit 12/);
  });

  test('fields inside fragments and inline fragments count where they are spread', () => {
    const query = `
      query Deep { organisation(id: "x") { ...A } }
      fragment A on Organisation { parent { ... on Organisation { parent { ...B } } } }
      fragment B on Organisation { parent { parent { id } } }`;
    // organisation › parent › parent › parent › parent › id
    expect(limitErrors(query, [maxDepthRule(6)])).toEqual([]);
    expect(limitErrors(query, [maxDepthRule(5)])).toEqual([expect.objectContaining({ code: 'QUERY_TOO_DEEP', actual: 6 })]);
  });

  test('a fragment cycle does not hang the rules (graphql reports the cycle itself)', () => {
    const query = `
      { organisation(id: "x") { ...A } }
      fragment A on Organisation { parent { ...B } }
      fragment B on Organisation { children { ...A } }`;
    const errors = validate(schema, parse(query), [...specifiedRules, ...operationLimitRules()]);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/Cannot spread fragment "A" within itself/);
  });

  test('introspection is measured by its own switch, not by depth (the standard query is 15 deep)', () => {
    const introspection = '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }';
    expect(limitErrors(introspection)).toEqual([]);
  });
});

describe('aliases', () => {
  const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: prefectures { code }`).join(' ')} }`;

  test('more aliases than the limit are refused with TOO_MANY_ALIASES', () => {
    expect(limitErrors(aliased(30), [maxAliasesRule(30)])).toEqual([]);
    expect(limitErrors(aliased(31), [maxAliasesRule(30)])).toEqual([expect.objectContaining({ code: 'TOO_MANY_ALIASES', limit: 30, actual: 31 })]);
  });

  test('aliases in a fragment count every time the fragment is spread, nested ones too', () => {
    const query = `
      { organisation(id: "x") { ...Names p: parent { ...Names } } }
      fragment Names on Organisation { a: nameJa b: nameJa c: children { d: id } }`;
    expect(limitErrors(query, [maxAliasesRule(8)])).toEqual([expect.objectContaining({ actual: 9 })]);
  });
});

describe('cost', () => {
  test('every field costs 1 and a list multiplies what is selected inside it', () => {
    expect(cost('{ organisation(id: "x") { id nameJa } }')).toBe(3);
    expect(cost('{ prefectures { code nameJa } }')).toBe(1 + COST_MODEL.unpaginatedListSize * 2);
  });

  test('a connection multiplies its nodes by `first`, or by its default page when `first` is left out', () => {
    expect(cost('{ organisations(first: 20) { totalCount nodes { id } } }')).toBe(1 + (1 + (1 + 20 * 1)));
    expect(cost('{ organisations { nodes { id } } }')).toBe(1 + (1 + 50));
  });

  test('a page size given as a variable is costed at the largest page a service serves', () => {
    expect(cost('query ($n: Int) { organisations(first: $n) { nodes { id } } }')).toBe(1 + (1 + COST_MODEL.variablePageSize));
  });

  test('nested connections multiply: 100 bodies × 100 supporters × their affiliations is refused', () => {
    const query = '{ organisations(first: 100) { nodes { members(first: 100) { nodes { affiliations { organisation { id } } } } } } }';
    // affiliations 1 + 10 × 2; supporters 1 + 100 × 21; bodies 1 + 100 × (1 + 2101); the root field 1
    expect(cost(query)).toBe(210_202);
    const [error] = limitErrors(query);
    expect(error).toMatchObject({ code: OperationLimitCodes.tooComplex, limit: DEFAULT_GRAPHQL_LIMITS.maxCost });
    expect(error.message).toMatch(/推定コスト/);

    expect(limitErrors('{ organisations(first: 20) { nodes { id members(first: 10) { nodes { id nameJa } } } } }')).toEqual([]);
  });

  test('a connection page size reaches its nodes through a fragment', () => {
    const query = '{ organisations(first: 7) { ...Page } } fragment Page on OrganisationConnection { nodes { id } }';
    expect(cost(query)).toBe(1 + (1 + 7));
  });

  test('fragments spread into each other exponentially are measured quickly and refused', () => {
    // 2^40 copies of `nameJa` once expanded; memoised measuring keeps this linear in the document.
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Organisation { ...F${i + 1} ...F${i + 1} }`).join('\n');
    const query = `{ organisation(id: "x") { ...F0 } }\n${fragments}\nfragment F40 on Organisation { a: nameJa }`;
    const started = Date.now();
    const errors = limitErrors(query);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(errors.map((e) => e.code).sort()).toEqual(['QUERY_TOO_COMPLEX', 'TOO_MANY_ALIASES']);
  });

  test('each operation of a document is measured on its own', () => {
    const errors = validate(schema, parse('query Small { prefectures { code } } query Big { organisations(first: 100) { nodes { children { members { nodes { id } } } } } }'), [maxCostRule(20_000)]);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('(Big)');
  });
});

describe('tokens', () => {
  test('the parser stops at the token limit instead of reading the whole document', () => {
    const huge = `{ ${'__typename '.repeat(50_000)}}`;
    expect(() => parse(huge, operationParseOptions({ maxTokens: 1000 }))).toThrow(GraphQLError);
    expect(() => parse(`{ ${'__typename '.repeat(998)}}`, operationParseOptions({ maxTokens: 1000 }))).not.toThrow();
    expect(countTokens(huge, 1001)).toBe(1001);
  });
});

describe('error shaping', () => {
  const passThrough = (formatted: import('graphql').GraphQLFormattedError) => formatted;

  test('a parse error caused by the token limit becomes OPERATION_TOO_LARGE; other syntax errors stay as they are', () => {
    const format = formatLimitErrors(passThrough, { limits: { maxTokens: 10 }, production: true });
    const tooLong = (() => {
      try {
        parse('{ a b c d e f g h i j k l }', { maxTokens: 10 });
      } catch (err) {
        return err as GraphQLError;
      }
      throw new Error('expected a parse error');
    })();
    const formatted = format({ message: tooLong.message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, tooLong);
    expect(formatted).toMatchObject({ extensions: { code: 'OPERATION_TOO_LARGE', limit: 10 } });
    expect(formatted.message).toMatch(/トークン/);

    const syntax = new GraphQLError('Syntax Error: Expected Name, found <EOF>.', { source: new Source('{ a') });
    expect(format({ message: syntax.message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, syntax).extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  test('a limit error keeps its own code although Apollo relabels validation errors', () => {
    const [original] = validate(schema, parse(nested(13)), operationLimitRules());
    const apolloWrapped = new GraphQLError(original.message, { originalError: original, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const formatted = formatLimitErrors(passThrough, { production: true })({ message: original.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, apolloWrapped);
    expect(formatted.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', messageEn: expect.stringMatching(/nested too deeply/) });
  });

  test('suggestions are stripped in production only', () => {
    const message = 'Variable "$role" got invalid value "OBSERVR"; Value "OBSERVR" does not exist in "CouncilRole" enum. Did you mean the enum value "OBSERVER"?';
    const error = new GraphQLError(message);
    const formatted = { message, extensions: { code: 'BAD_USER_INPUT' } };
    expect(formatLimitErrors(passThrough, { production: true })(formatted, error).message).not.toMatch(/Did you mean|OBSERVER"/);
    expect(formatLimitErrors(passThrough, { production: false })(formatted, error).message).toMatch(/Did you mean/);
  });
});

describe("the web app's own operations", () => {
  /** Every operation in web/src, with the fragments it uses, as the client sends it. */
  function webOperations(): Array<{ name: string; document: DocumentNode }> {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory() && entry.name !== 'gql') walk(full);
        else if (entry.name.endsWith('.graphql')) files.push(full);
      }
    };
    walk(path.join(REPO_ROOT, 'web/src'));
    const definitions = files.flatMap((f) => parse(fs.readFileSync(f, 'utf8')).definitions);
    const fragments = new Map(definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((d) => [d.name.value, d]));
    return definitions.flatMap((d) => {
      if (d.kind !== 'OperationDefinition') return [];
      const used = new Set<string>();
      const collect = (text: string) => {
        for (const [, name] of text.matchAll(/\.\.\.\s*([A-Za-z_]\w*)/g)) {
          if (!used.has(name) && fragments.has(name)) {
            used.add(name);
            collect(print(fragments.get(name)!));
          }
        }
      };
      collect(print(d));
      return [{ name: d.name?.value ?? '(anonymous)', document: { kind: 'Document' as never, definitions: [d, ...[...used].map((n) => fragments.get(n)!)] } }];
    });
  }

  test('stay within the default limits with room to grow', () => {
    const apiSchema = buildSchema(fs.readFileSync(path.join(REPO_ROOT, 'schema/api.graphql'), 'utf8'));
    const operations = webOperations();
    expect(operations.length).toBeGreaterThan(3);
    const half = { maxDepth: DEFAULT_GRAPHQL_LIMITS.maxDepth / 2, maxAliases: DEFAULT_GRAPHQL_LIMITS.maxAliases, maxCost: DEFAULT_GRAPHQL_LIMITS.maxCost / 2 };
    for (const { name, document } of operations) {
      const problems = validate(apiSchema, document, operationLimitRules(half)).map((e) => e.message);
      expect({ name, problems }).toEqual({ name, problems: [] });
      expect({ name, tokens: countTokens(print(document)) < DEFAULT_GRAPHQL_LIMITS.maxTokens / 4 }).toEqual({ name, tokens: true });
    }
  });
});
