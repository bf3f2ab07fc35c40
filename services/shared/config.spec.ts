import { ConfigError, DEFAULT_GRAPHQL_LIMITS, parseConfig, redact } from './config';

test('every setting has a working local default', () => {
  const cfg = parseConfig({});
  expect(cfg).toMatchObject({ nodeEnv: 'development', port: 4000, databaseUrl: undefined, subgraphHost: '127.0.0.1', logLevel: 'info' });
  expect(cfg.dataDir).toMatch(/\.data$/);
  expect(cfg.subgraphs).toEqual([
    { name: 'directory', port: 4001, url: 'http://127.0.0.1:4001/graphql' },
    { name: 'accounts', port: 4002, url: 'http://127.0.0.1:4002/graphql' },
    { name: 'notifications', port: 4003, url: 'http://127.0.0.1:4003/graphql' },
    { name: 'referrals', port: 4004, url: 'http://127.0.0.1:4004/graphql' },
    { name: 'engagements', port: 4005, url: 'http://127.0.0.1:4005/graphql' },
    { name: 'meetings', port: 4006, url: 'http://127.0.0.1:4006/graphql' },
    { name: 'reports', port: 4007, url: 'http://127.0.0.1:4007/graphql' },
  ]);
  expect(cfg.demoMode).toBe(true);
});

test('a subgraph URL can point the gateway elsewhere', () => {
  const cfg = parseConfig({ DIRECTORY_URL: 'http://directory:4001/graphql', DIRECTORY_PORT: '5001' });
  expect(cfg.subgraphs[0]).toEqual({ name: 'directory', port: 5001, url: 'http://directory:4001/graphql' });
});

test('all problems are reported together, each naming its variable', () => {
  let error: unknown;
  try {
    parseConfig({ PORT: '99999', DATABASE_URL: 'mysql://root@db/x', NODE_ENV: 'staging', LOG_LEVEL: 'loud' });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const problems = (error as ConfigError).problems.join('\n');
  for (const name of ['PORT', 'DATABASE_URL', 'NODE_ENV', 'LOG_LEVEL']) expect(problems).toContain(name);
});

test('production refuses to run without DATABASE_URL and a SESSION_SECRET of 32+ characters, and has no demo mode', () => {
  expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL is required when NODE_ENV=production.*SESSION_SECRET/);
  expect(() => parseConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://app@db:5432/hub', SESSION_SECRET: 'too-short' })).toThrow(
    'SESSION_SECRET must be at least 32 characters',
  );
  const cfg = parseConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://app@db:5432/hub', SESSION_SECRET: 's'.repeat(32), SMTP_URL: 'smtp://mail:587' });
  expect(cfg.databaseUrl).toBe('postgresql://app@db:5432/hub');
  expect(cfg.demoMode).toBe(false);
});

test('passwords in connection strings never reach messages', () => {
  expect(redact('postgresql://hub:s3cret@db:5432/hub')).toBe('postgresql://hub:***@db:5432/hub');
  expect(() => parseConfig({ DATABASE_URL: 'mysql://hub:s3cret@db/hub' })).toThrow(/mysql:\/\/hub:\*\*\*@db\/hub/);
});

test('GraphQL operation limits have defaults and can be tightened; a bad value names its variable', () => {
  expect(parseConfig({}).graphqlLimits).toEqual(DEFAULT_GRAPHQL_LIMITS);
  expect(parseConfig({ GRAPHQL_MAX_DEPTH: '8', GRAPHQL_MAX_COST: '5000' }).graphqlLimits).toEqual({ ...DEFAULT_GRAPHQL_LIMITS, maxDepth: 8, maxCost: 5000 });
  let error: unknown;
  try {
    parseConfig({ GRAPHQL_MAX_TOKENS: '0', GRAPHQL_MAX_ALIASES: 'many' });
  } catch (err) {
    error = err;
  }
  const problems = (error as ConfigError).problems.join('\n');
  expect(problems).toContain('GRAPHQL_MAX_TOKENS');
  expect(problems).toContain('GRAPHQL_MAX_ALIASES');
});

test('notifications: Redis, SMTP and the pipeline role come from the environment; empty means unset', () => {
  const cfg = parseConfig({ REDIS_URL: 'redis://:pw@cache:6379/2', SMTP_URL: '', NOTIFICATIONS_PIPELINE: 'workers' });
  expect(cfg.notifications).toMatchObject({ redisUrl: 'redis://:pw@cache:6379/2', smtpUrl: undefined, runRelay: false, runWorkers: true, allowInsecureWebhooks: true });
  expect(parseConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', SESSION_SECRET: 'x'.repeat(32), SMTP_URL: 'smtp://mail:587' }).notifications.allowInsecureWebhooks).toBe(false);
  expect(() => parseConfig({ REDIS_URL: 'http://cache', SMTP_URL: 'mail.example.jp' })).toThrow(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL.*SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
});

test('production needs a mail server where notices are delivered; webhooks to private addresses are opt-in outside the demo', () => {
  const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', SESSION_SECRET: 'x'.repeat(32) };
  expect(() => parseConfig(prod)).toThrow(/SMTP_URL is required when NODE_ENV=production/);
  expect(parseConfig({ ...prod, NOTIFICATIONS_PIPELINE: 'relay' }).notifications.runWorkers).toBe(false);
  expect(parseConfig({ DATABASE_URL: 'postgres://x/y' }).notifications.allowInsecureWebhooks).toBe(false);
  expect(parseConfig({ DATABASE_URL: 'postgres://x/y', WEBHOOKS_ALLOW_PRIVATE: 'true' }).notifications.allowInsecureWebhooks).toBe(true);
  expect(parseConfig({}).notifications.allowInsecureWebhooks).toBe(true);
});
