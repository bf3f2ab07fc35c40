/**
 * Process configuration: read from the environment once, validated, and reported all together.
 * Nothing else in the code base reads process.env.
 */
import path from 'node:path';
import { z } from 'zod';
import { SUBGRAPHS } from '../registry';

// 0 asks the OS for a free port (tests); the actual URL is printed at start.
const port = z.coerce.number().int().min(0).max(65535);
const url = z.string().url();

/** Per-operation limits the gateway enforces before anything reaches a subgraph (gateway/security). */
export interface GraphQLLimits {
  /** Deepest field nesting in an operation, fragments followed. */
  maxDepth: number;
  /** Aliases in an operation, fragments followed. */
  maxAliases: number;
  /** Lexical tokens in a document; a larger document is not parsed at all. */
  maxTokens: number;
  /** Static cost estimate: one per field, multiplied by the size of the lists around it. */
  maxCost: number;
}

/** Roomy for the web app's operations (and introspection outside production), tight for abuse. */
export const DEFAULT_GRAPHQL_LIMITS: Readonly<GraphQLLimits> = { maxDepth: 12, maxAliases: 30, maxTokens: 1000, maxCost: 20_000 };
const graphqlLimit = z.coerce.number().int().min(1);

function envName(name: string): string {
  return name.toUpperCase();
}

const subgraphUrlShape = Object.fromEntries(
  SUBGRAPHS.map((s) => [`${envName(s.name)}_URL`, url.optional()]),
) as Record<string, z.ZodOptional<z.ZodString>>;
const subgraphPortShape = Object.fromEntries(
  SUBGRAPHS.map((s) => [`${envName(s.name)}_PORT`, port.default(s.defaultPort)]),
) as Record<string, z.ZodDefault<typeof port>>;

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: port.default(4000),
    HOST: z.string().min(1).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    /** Host the subgraphs bind to when run by `npm start` (they are internal; the gateway is public). */
    SUBGRAPH_HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    GRAPHQL_MAX_DEPTH: graphqlLimit.default(DEFAULT_GRAPHQL_LIMITS.maxDepth),
    GRAPHQL_MAX_ALIASES: graphqlLimit.default(DEFAULT_GRAPHQL_LIMITS.maxAliases),
    GRAPHQL_MAX_TOKENS: graphqlLimit.default(DEFAULT_GRAPHQL_LIMITS.maxTokens),
    GRAPHQL_MAX_COST: graphqlLimit.default(DEFAULT_GRAPHQL_LIMITS.maxCost),
    /** Signs the gateway's viewer tokens to the subgraphs (and derives their key pair). */
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    /** The address people use to reach the hub (invitation links). */
    PUBLIC_URL: url.optional(),
    /** BullMQ's Redis. Unset: a private redis-server from PATH (embedded mode), else notices wait. */
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
    REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _ only').default('banso'),
    /** Outgoing mail server. Unset: mails are written as .eml files to DATA_DIR/mail. */
    SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
    MAIL_FROM: z.string().min(3).default('伴走ハブ <no-reply@banso-hub.invalid>'),
    /** Webhooks to http:// and private addresses (a body's test system on localhost). Default: only in the embedded demo mode. */
    WEBHOOKS_ALLOW_PRIVATE: z.enum(['true', 'false']).optional(),
    /** Which parts of the notification pipeline this process runs: relay and workers, one of them, or none. */
    NOTIFICATIONS_PIPELINE: z.enum(['on', 'off', 'relay', 'workers']).default('on'),
    /** How long a worker's hold on a job lasts; a worker that died is noticed after about this long. */
    NOTIFICATIONS_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    ...subgraphUrlShape,
    ...subgraphPortShape,
  });

/** Rules across variables; checked on the raw values so they are reported with the rest. */
function crossChecks(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (env.NODE_ENV === 'production' && !env.DATABASE_URL) problems.push('DATABASE_URL is required when NODE_ENV=production');
  if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) problems.push('SESSION_SECRET (32+ characters) is required when NODE_ENV=production');
  const delivers = !env.NOTIFICATIONS_PIPELINE || env.NOTIFICATIONS_PIPELINE === 'on' || env.NOTIFICATIONS_PIPELINE === 'workers';
  if (env.NODE_ENV === 'production' && delivers && !env.SMTP_URL) problems.push('SMTP_URL is required when NODE_ENV=production and this process delivers notifications (or set NOTIFICATIONS_PIPELINE=relay)');
  return problems;
}

export interface SubgraphEndpoint {
  name: string;
  port: number;
  /** Where the gateway reaches the subgraph. */
  url: string;
}

export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  host: string | undefined;
  /** Set → PostgreSQL through @prisma/adapter-pg; unset → embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  subgraphHost: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  subgraphs: SubgraphEndpoint[];
  graphqlLimits: GraphQLLimits;
  /** Unset outside production: the single-process hub then makes a random one per start. */
  sessionSecret: string | undefined;
  sessionIdleMinutes: number;
  publicUrl: string;
  /** Demo accounts are created only in the embedded (demo) mode. */
  demoMode: boolean;
  notifications: {
    redisUrl: string | undefined;
    redisPrefix: string;
    smtpUrl: string | undefined;
    mailFrom: string;
    runRelay: boolean;
    runWorkers: boolean;
    lockMs: number;
    /** Webhooks may go to http:// and private addresses (WEBHOOKS_ALLOW_PRIVATE; by default only in the embedded demo). */
    allowInsecureWebhooks: boolean;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`configuration error: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment (default: process.env). Throws ConfigError naming every bad variable. */
export function parseConfig(rawEnv: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (FOO= in a shell, ${FOO:-} in compose) means "not set".
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== '')) as NodeJS.ProcessEnv;
  const result = schema.safeParse(env);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((i) => describeIssue(env, String(i.path[0] ?? '?'), i.message))),
    ...crossChecks(env),
  ];
  if (!result.success || problems.length) throw new ConfigError(problems);
  const e = result.data as z.infer<typeof schema> & Record<string, unknown>;
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    subgraphHost: e.SUBGRAPH_HOST,
    logLevel: e.LOG_LEVEL,
    graphqlLimits: { maxDepth: e.GRAPHQL_MAX_DEPTH, maxAliases: e.GRAPHQL_MAX_ALIASES, maxTokens: e.GRAPHQL_MAX_TOKENS, maxCost: e.GRAPHQL_MAX_COST },
    sessionSecret: e.SESSION_SECRET,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT || 4000}`,
    demoMode: !e.DATABASE_URL && e.NODE_ENV !== 'production',
    notifications: {
      redisUrl: e.REDIS_URL,
      redisPrefix: e.REDIS_PREFIX,
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      runRelay: e.NOTIFICATIONS_PIPELINE === 'on' || e.NOTIFICATIONS_PIPELINE === 'relay',
      runWorkers: e.NOTIFICATIONS_PIPELINE === 'on' || e.NOTIFICATIONS_PIPELINE === 'workers',
      lockMs: e.NOTIFICATIONS_LOCK_MS,
      allowInsecureWebhooks: e.WEBHOOKS_ALLOW_PRIVATE ? e.WEBHOOKS_ALLOW_PRIVATE === 'true' : !e.DATABASE_URL && e.NODE_ENV !== 'production',
    },
    subgraphs: SUBGRAPHS.map((s) => {
      const subgraphPort = e[`${envName(s.name)}_PORT`] as number;
      const explicit = e[`${envName(s.name)}_URL`] as string | undefined;
      return { name: s.name, port: subgraphPort, url: explicit ?? `http://127.0.0.1:${subgraphPort}/graphql` };
    }),
  };
}

function describeIssue(env: NodeJS.ProcessEnv, name: string, message: string): string {
  const raw = env[name];
  return `${name} ${message}${raw !== undefined ? ` (got "${redact(raw)}")` : ''}`;
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig();
  return cached;
}

/** Hides credentials in connection strings before they reach a log or an error message. */
export function redact(value: string): string {
  return value.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/** Runs a process entry point: configuration and start-up failures print one line and exit 1. */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`伴走ハブ: ${message}\n`);
    process.exit(1);
  });
}
