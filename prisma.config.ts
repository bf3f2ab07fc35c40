import { defineConfig } from 'prisma/config';

// Used by `prisma generate` only (npm run db:generate). Migrations run through the project's own
// scripts/db.ts on the WebAssembly schema engine, so no native engine is ever downloaded.
export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
});
