/**
 * Redis for BullMQ: REDIS_URL when set; otherwise a private redis-server started from PATH with its
 * data in DATA_DIR/redis; otherwise none (events wait in the outbox and the hub says so).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisTarget {
  url: string;
  /** Stops the private server, when we started one. */
  stop(): Promise<void>;
}

export function redisOptions(url: string, role: 'producer' | 'worker'): RedisOptions & { host?: string } {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    // Workers block on Redis and must retry for ever; producers must fail fast so that the outbox
    // keeps events while Redis is away instead of queueing them in memory.
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
}

export function newRedis(url: string, role: 'producer' | 'worker'): Redis {
  const client = new Redis(redisOptions(url, role));
  client.on('error', () => undefined); // reported through the relay's status, not as crashes
  return client;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function redisServerOnPath(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : null;
}

/**
 * Starts a private redis-server on 127.0.0.1 (append-only file in dataDir); null when none is
 * installed. It is restarted, on the same port and data, if it dies while the hub runs (meanwhile
 * events wait in the outbox).
 */
export async function startPrivateRedis(dataDir: string, port?: number, onRestart?: (code: number | null) => void): Promise<RedisTarget | null> {
  const binary = redisServerOnPath();
  if (!binary) return null;
  fs.mkdirSync(dataDir, { recursive: true });
  const p = port ?? (await freePort());
  const spawnServer = () =>
    spawn(binary, ['--bind', '127.0.0.1', '--port', String(p), '--dir', path.resolve(dataDir), '--appendonly', 'yes', '--save', '', '--protected-mode', 'yes'], { stdio: 'ignore' });
  let child: ChildProcess = spawnServer();
  let stopping = false;
  let restarts = 0;
  const supervise = (c: ChildProcess) =>
    c.once('exit', (code) => {
      if (stopping || restarts >= 100) return;
      restarts += 1;
      onRestart?.(code);
      setTimeout(() => {
        if (stopping) return;
        child = spawnServer();
        supervise(child);
      }, 1000).unref();
    });
  const url = `redis://127.0.0.1:${p}`;
  const probe = new Redis({ host: '127.0.0.1', port: p, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`the private redis-server did not start on port ${p}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  probe.disconnect();
  supervise(child);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
