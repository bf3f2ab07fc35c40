/**
 * Prisma's schema engine as WebAssembly, driven through a driver adapter. This replaces the Prisma
 * CLI's native engine (which it would download) for creating and applying migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { REPO_ROOT } from '../registry';

// Types of the wasm-bindgen module (ESM-only, loaded with a dynamic import below).
import type * as EngineNs from '@prisma/schema-engine-wasm' with { 'resolution-mode': 'import' };
type EngineModule = typeof EngineNs;
export type SchemaEngine = Awaited<ReturnType<EngineModule['SchemaEngine']['new']>>;
type MigrationList = Parameters<SchemaEngine['applyMigrations']>[0]['migrationsList'];

export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'prisma/migrations');
export const SCHEMA_DIR = path.join(REPO_ROOT, 'prisma/schema');
const NO_FILTER = { externalTables: [], externalEnums: [] };

// The global WebAssembly object; @types/node does not declare it.
const Wasm = (globalThis as unknown as {
  WebAssembly: {
    instantiate(bytes: Uint8Array, imports: Record<string, Record<string, unknown>>): Promise<{ instance: { exports: Record<string, unknown> } }>;
  };
}).WebAssembly;

let modulePromise: Promise<EngineModule> | undefined;

// TypeScript compiles `import()` to `require()` under CommonJS; this keeps a real dynamic import.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;

async function loadEngineModule(): Promise<EngineModule> {
  modulePromise ??= (async () => {
    // The package exports only its JS entry points; its wasm file sits beside them.
    const pkgDir = path.dirname(require.resolve('@prisma/schema-engine-wasm'));
    // The package imports its .wasm as an ES module, which Node only allows behind a flag;
    // instantiate the wasm ourselves and hand it to the generated bindings instead.
    const bindings = (await importEsm(path.join(pkgDir, 'schema_engine_bg.js'))) as EngineModule & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const bytes = fs.readFileSync(path.join(pkgDir, 'schema_engine_bg.wasm'));
    const { instance } = await Wasm.instantiate(bytes, { './schema_engine_bg.js': bindings as unknown as Record<string, unknown> });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return modulePromise;
}

export function readSchemaFiles(): Array<{ path: string; content: string }> {
  return fs
    .readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.prisma'))
    .sort()
    .map((f) => ({ path: path.join(SCHEMA_DIR, f), content: fs.readFileSync(path.join(SCHEMA_DIR, f), 'utf8') }));
}

export function readMigrationList(): MigrationList {
  const dirs = fs.existsSync(MIGRATIONS_DIR)
    ? fs
        .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: lockPath, content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = path.join(MIGRATIONS_DIR, name, 'migration.sql');
      return {
        // The engine records this path as the migration's name in _prisma_migrations.
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: fs.existsSync(file)
            ? { tag: 'ok' as const, value: fs.readFileSync(file, 'utf8') }
            : { tag: 'error' as const, value: `${file} is missing` },
        },
      };
    }),
  };
}

/** Opens the schema engine over the given adapter factory. Call `free()` when done. */
export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  log: (message: string) => void = () => undefined,
): Promise<SchemaEngine> {
  const mod = await loadEngineModule();
  const datamodels = readSchemaFiles().map((f) => [f.path, f.content] as [string, string]);
  return mod.SchemaEngine.new({ datamodels }, log, bindMigrationAwareSqlAdapterFactory(factory));
}

/** Applies every pending migration in prisma/migrations; returns the names applied. */
export async function applyMigrations(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const engine = await openSchemaEngine(factory);
  try {
    const out = await engine.applyMigrations({ migrationsList: readMigrationList(), filters: NO_FILTER });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * The SQL that takes a database from the checked-in migrations to the current schema files,
 * computed on the adapter's shadow database. Empty when nothing changed.
 */
export async function diffMigrationsToSchema(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const engine = await openSchemaEngine(factory);
  try {
    const migrations = readMigrationList();
    const result = await engine.diff({
      from: migrations.migrationDirectories.length ? { tag: 'migrations', ...migrations } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: readSchemaFiles() },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return result.stdout ?? '';
  } finally {
    engine.free();
  }
}
