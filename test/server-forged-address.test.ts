// A server with no proxy in front (the default, TRUST_PROXY unset) counts every request
// against the socket's address: a client that writes a new X-Forwarded-For or X-Real-IP on
// each request still meets the cap on new rooms, and still meets the slow-down on wrong
// join codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameServer } from '../server/app.js';
import { startTestServer } from './support/game-server.js';

const ROOMS_PER_MINUTE = 4;
let HTTP = '';
let server: GameServer;

beforeAll(async () => {
  ({ server, http: HTTP } = await startTestServer({ roomsPerMinute: ROOMS_PER_MINUTE }));
});
afterAll(async () => {
  await server?.shutdown();
});

/** Headers naming a different made-up address each time. */
let n = 0;
const forged = (): Record<string, string> => {
  n++;
  return { 'X-Forwarded-For': `198.51.100.${n}`, 'X-Real-IP': `192.0.2.${n}` };
};

describe('headers that name an address, sent by the client itself', () => {
  it('do not buy a client more rooms than the cap', async () => {
    const answers: { code?: number; error?: string }[] = [];
    for (let i = 0; i <= ROOMS_PER_MINUTE; i++) {
      const res = await fetch(`${HTTP}/matchmake/create/lobby`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...forged() }, body: '{}' });
      answers.push((await res.json()) as { code?: number; error?: string });
    }
    expect(answers.slice(0, ROOMS_PER_MINUTE).map((a) => a.error)).toEqual(Array(ROOMS_PER_MINUTE).fill(undefined));
    expect(answers[ROOMS_PER_MINUTE]!.code).toBe(429);
    expect(answers[ROOMS_PER_MINUTE]!.error).toMatch(/too many new rooms from your address/);
  });

  it('do not let a client walk the join codes', async () => {
    // Wrong codes, each from a "new" address: the slow-down still comes.
    let slowed: Response | null = null;
    for (let i = 0; i < 40 && slowed === null; i++) {
      const res = await fetch(`${HTTP}/api/sessions/ZZZZ${String(i).padStart(2, '0')}`, { headers: forged() });
      if (res.status === 429) slowed = res;
      else expect([400, 404]).toContain(res.status);
    }
    expect(slowed, 'forty wrong codes from one machine were never slowed down').not.toBeNull();
    expect(Number(slowed!.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(((await slowed!.json()) as { error: string }).error).toMatch(/too many wrong codes/);
  });
});
