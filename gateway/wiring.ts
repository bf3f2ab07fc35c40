/** Builds the gateway's auth pieces from configuration; shared by the one-process hub and gateway/index.ts. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AccountsManager } from '../services/accounts/accounts.manager';
import { AccountsStore } from '../services/accounts/accounts.store';
import { referralsManagerFor } from '../services/referrals/context';
import { meetingsManagerFor } from '../services/meetings/context';
import { reportsManagerFor } from '../services/reports/context';
import { calendarFeedFor } from '../services/meetings/meetings.manager';
import { MeetingsStore } from '../services/meetings/meetings.store';
import { AuthManager, DEFAULT_AUTH_SETTINGS } from '../services/accounts/auth.manager';
import type { Config } from '../services/shared/config';
import type { Database } from '../services/shared/database';
import { deriveContextKeys, type ContextKeys } from '../services/shared/viewer';
import type { GatewayAuth } from './auth';

/**
 * The secret of this process: configured; in the embedded demo mode one kept in DATA_DIR (so
 * sessions and webhook secrets survive a restart); otherwise (outside production) a random one.
 */
export function sessionSecretOf(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  if (config.demoMode) {
    const file = path.join(config.dataDir, 'session-secret');
    try {
      const kept = fs.readFileSync(file, 'utf8').trim();
      if (kept.length < 32) throw new Error(`${file} holds no usable secret (32+ characters); remove it to make a new one`);
      return kept;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const secret = crypto.randomBytes(32).toString('hex');
      fs.mkdirSync(config.dataDir, { recursive: true });
      // Written whole or not at all: a crash mid-write must not leave an empty secret behind.
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, secret, { mode: 0o600 });
      fs.renameSync(temp, file);
      return secret;
    }
  }
  return crypto.randomBytes(32).toString('hex');
}

export function gatewayAuth(config: Config, db: Database): GatewayAuth {
  const store = new AccountsStore(db.prisma);
  return {
    manager: new AuthManager(store, { ...DEFAULT_AUTH_SETTINGS, idleTimeoutMs: config.sessionIdleMinutes * 60_000 }),
    accountsFor: (viewer) => new AccountsManager(store, viewer, config.publicUrl),
    referralsFor: (viewer) => referralsManagerFor(db.prisma, viewer),
    reports: {
      reportsFor: (viewer) => reportsManagerFor(db.prisma, viewer, config.publicUrl),
      organisationNames: async (ids) => new Map((await db.prisma.organisation.findMany({ where: { id: { in: ids } }, select: { id: true, nameJa: true } })).map((o) => [o.id, o.nameJa])),
    },
    meetings: {
      meetingsFor: (viewer) => meetingsManagerFor(db.prisma, viewer, config.publicUrl),
      calendarFeed: (token) => calendarFeedFor(new MeetingsStore(db.prisma), token, config.publicUrl),
    },
    secureCookies: config.nodeEnv === 'production' || config.publicUrl.startsWith('https:'),
    trustedOrigins: [new URL(config.publicUrl).origin],
  };
}

export function contextKeysOf(secret: string): ContextKeys {
  return deriveContextKeys(secret);
}
