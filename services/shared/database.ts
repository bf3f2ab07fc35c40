/**
 * Opens the hub's database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set,
 * otherwise an embedded PGlite (real PostgreSQL compiled to WebAssembly) stored in DATA_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../generated/prisma/client';
import { redact } from './config';

export type { PrismaClient };

export interface Database {
  readonly mode: 'postgres' | 'embedded';
  readonly prisma: PrismaClient;
  /** Adapter factory for the schema engine (migrations). */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  constructor(where: string, cause: unknown) {
    const reason = cause instanceof Error ? describePgError(cause) : String(cause);
    super(`cannot reach the database (${where}): ${reason}`);
    this.name = 'DatabaseUnavailableError';
  }
}

/** One line: Prisma wraps driver errors in several lines of invocation text. */
function describePgError(err: Error): string {
  const inner = /Message: `([^`]+)`/.exec(err.message)?.[1];
  const line = inner ?? err.message.split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? err.name;
  return line;
}

/** A new embedded PostgreSQL (in memory when dataDir is undefined). */
export async function createPGlite(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const db = new PGlite(dataDir);
  await db.waitReady;
  return db;
}

/**
 * PrismaPGlite gives the schema engine a shadow database at the fixed name "memory://shadow";
 * ours makes a fresh one per request and closes them with the database.
 */
class EmbeddedAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName: string;
  private readonly inner: PrismaPGlite;
  private readonly shadows: PGlite[] = [];

  constructor(client: PGlite) {
    this.inner = new PrismaPGlite(client);
    this.adapterName = this.inner.adapterName;
  }

  connect(): Promise<SqlDriverAdapter> {
    return this.inner.connect();
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadow = await createPGlite(undefined);
    this.shadows.push(shadow);
    return new PrismaPGlite(shadow).connect();
  }

  async closeShadows(): Promise<void> {
    await Promise.all(this.shadows.splice(0).map((s) => s.close()));
  }
}

export interface OpenDatabaseOptions {
  databaseUrl: string | undefined;
  /** Directory of the embedded database; `undefined` keeps it in memory. */
  dataDir: string | undefined;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** Called with every SQL statement Prisma sends (tests count queries with it). */
  onQuery?: (sql: string) => void;
}

function createClient(adapter: SqlMigrationAwareDriverAdapterFactory, onQuery: ((sql: string) => void) | undefined): PrismaClient {
  if (!onQuery) return new PrismaClient({ adapter });
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (e) => onQuery(e.query));
  return client as unknown as PrismaClient;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const factory = new PrismaPg({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5000 });
    const prisma = createClient(factory, opts.onQuery);
    const db: Database = {
      mode: 'postgres',
      prisma,
      adapterFactory: factory,
      ping: async () => {
        await prisma.$queryRaw`SELECT 1`;
      },
      close: () => prisma.$disconnect(),
    };
    try {
      await db.ping();
    } catch (err) {
      await prisma.$disconnect().catch(() => undefined);
      throw new DatabaseUnavailableError(redact(opts.databaseUrl), rootCause(err));
    }
    return db;
  }

  // Two processes writing one PGlite directory corrupt it: hold a lock file for as long as it is open.
  const releaseLock = opts.dataDir ? lockDataDir(opts.dataDir) : () => undefined;
  let pglite: PGlite;
  try {
    pglite = await createPGlite(opts.dataDir);
  } catch (err) {
    releaseLock();
    throw new DatabaseUnavailableError(`embedded database in ${opts.dataDir ?? 'memory'}`, rootCause(err));
  }
  const factory = new EmbeddedAdapterFactory(pglite);
  const prisma = createClient(factory, opts.onQuery);
  return {
    mode: 'embedded',
    prisma,
    adapterFactory: factory,
    ping: async () => {
      await pglite.query('SELECT 1');
    },
    close: async () => {
      await prisma.$disconnect();
      await factory.closeShadows();
      await pglite.close();
      releaseLock();
    },
  };
}

export class DataDirInUseError extends Error {}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes DATA_DIR/.banso-hub.lock (pid inside); a lock left by a process that is gone is taken over. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, '.banso-hub.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new DataDirInUseError(`the embedded database in ${dataDir} is in use by another hub process (pid ${holder}); stop it first or set DATA_DIR`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new DataDirInUseError(`cannot lock the embedded database in ${dataDir}`);
}

function rootCause(err: unknown): unknown {
  let current = err;
  for (let i = 0; i < 5; i += 1) {
    const next = (current as { cause?: unknown } | undefined)?.cause;
    if (!next) break;
    current = next;
  }
  return current;
}
