// Start-up against a Redis that is not there or never answers (REDIS_URL): the server fails
// within its bound, saying which setting to check, instead of hanging silently or filling
// the log with one line per retry.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startGameServer } from '../server/app.js';
import { redactedUrl } from '../server/redis-ready.js';

const sockets: Socket[] = [];
let silent: Server | null = null;
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => (silent === null ? resolve() : silent.close(() => resolve())));
});

/** A TCP server that accepts connections and never says a word. */
async function silentServer(): Promise<number> {
  silent = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
  const addr = silent.address();
  return typeof addr === 'object' && addr !== null ? addr.port : 0;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const addr = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return typeof addr === 'object' && addr !== null ? addr.port : 0;
}

describe('start-up with REDIS_URL', () => {
  it('a Redis that accepts but never answers: start-up fails in time, naming REDIS_URL', async () => {
    const port = await silentServer();
    const start = startGameServer({ port: 0, host: '127.0.0.1', redis: { url: `redis://127.0.0.1:${port}`, publicAddress: '127.0.0.1', readyTimeoutMs: 1500 } });
    await expect(start).rejects.toThrow(/REDIS_URL/);
  });

  it('a refused Redis: start-up fails naming REDIS_URL, and the retries do not flood the log', async () => {
    const port = await closedPort();
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
      errors.push(a.map(String).join(' '));
    });
    try {
      const start = startGameServer({ port: 0, host: '127.0.0.1', redis: { url: `redis://127.0.0.1:${port}`, publicAddress: '127.0.0.1', readyTimeoutMs: 2000 } });
      await expect(start).rejects.toThrow(/REDIS_URL/);
    } finally {
      spy.mockRestore();
    }
    // One line per client at most (the presence's two and the driver's one), each naming the setting.
    expect(errors.length).toBeLessThanOrEqual(3);
    for (const e of errors) expect(e).toMatch(/REDIS_URL/);
  });

  it('a password in the URL never reaches the log', () => {
    expect(redactedUrl('redis://user:secret@10.0.0.1:6379/2')).not.toContain('secret');
    expect(redactedUrl('not a url')).toBe('the configured address');
  });
});
