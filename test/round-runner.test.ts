// The tick runner (shared/round/runner.ts) — the one loop every round runs through — and
// actors (shared/round/actor.ts), the one way a round names who did something.
import { describe, expect, it } from 'vitest';
import { createBotMemory } from '../shared/bots/node-bot.js';
import { actorKey, actorName, botActor, HOST, parseActor, playerActor, TEAM, TUTORIAL, type Actor } from '../shared/round/actor.js';
import { runHeadless } from '../shared/round/headless.js';
import { BOT_EVERY_TICKS, byTick, TICK_MS, TickRunner, type TickOutcome } from '../shared/round/runner.js';
import { createSim } from '../shared/sim/engine.js';
import { summary } from '../shared/sim/summary.js';

const opts = { scenario: 'bank', preset: 'cp', chaos: 'none', seed: 7, durationMs: 20_000, recordHistory: false } as const;

describe('the tick runner', () => {
  it('applies a queued command at the next tick boundary, before the step, and reports it', () => {
    const sim = createSim(opts);
    const seen: TickOutcome<string>[] = [];
    const r = new TickRunner<string>(sim, { onOutcome: (o) => seen.push(o) });
    r.runTo(10);
    r.enqueue({ type: 'drain', node: 1 }, playerActor('abc'), 'ref-1');
    expect(sim.S.nodes[1]!.drained).toBe(false);
    r.step();
    expect(sim.S.nodes[1]!.drained).toBe(true);
    expect(r.tick).toBe(11);
    expect(sim.S.now).toBe(11 * TICK_MS);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ tick: 10, meta: 'ref-1', by: { kind: 'player', id: 'abc' }, result: { ok: true } });
  });

  it('reports a refused command with the simulation\'s reason', () => {
    const sim = createSim(opts);
    const seen: TickOutcome[] = [];
    const r = new TickRunner(sim, { onOutcome: (o) => seen.push(o) });
    r.enqueue({ type: 'restart', node: 99 }, TEAM);
    r.step();
    expect(seen[0]!.result.ok).toBe(false);
    expect(seen[0]!.tick).toBe(0);
  });

  it('applies scheduled commands before queued ones at their tick, and stops at the end of the round', () => {
    const sim = createSim(opts);
    const order: string[] = [];
    const scheduled = byTick([{ tick: 3, n: 'a' }, { tick: 3, n: 'b' }, { tick: 5, n: 'c' }], (c) => ({ command: { type: 'drain' as const, node: 0 }, by: HOST, meta: c.n }));
    const r = new TickRunner<string>(sim, { scheduled, onOutcome: (o) => order.push(`${o.tick}:${o.meta ?? 'queue'}`) });
    r.runTo(3);
    r.enqueue({ type: 'drain', node: 2 }, TEAM);
    r.runTo(Infinity);
    expect(order).toEqual(['3:a', '3:b', '3:queue', '5:c']);
    expect(r.over).toBe(true);
    expect(r.tick).toBe(opts.durationMs / TICK_MS);
    expect(sim.S.now).toBe(opts.durationMs);
  });

  it('lets bots look once a simulated second, their decisions applying at the next step', () => {
    const sim = createSim({ ...opts, scenario: 'tutorial', preset: 'cp' });
    const looks: number[] = [];
    const memory = createBotMemory();
    const r = new TickRunner(sim, {
      bots: () => {
        looks.push(r.tick);
        return [{ node: 0, memory, by: botActor(0) }];
      },
    });
    r.runTo(3 * BOT_EVERY_TICKS + 1);
    expect(looks).toEqual([BOT_EVERY_TICKS, 2 * BOT_EVERY_TICKS, 3 * BOT_EVERY_TICKS]);
  });

  it('a headless round with bots is deterministic, and bots act differently from nobody acting', () => {
    const a = summary(runHeadless({ ...opts, chaos: 'heavy', durationMs: 60_000 }));
    const b = summary(runHeadless({ ...opts, chaos: 'heavy', durationMs: 60_000 }));
    expect(a.stateHash).toBe(b.stateHash);
    const idle = summary(runHeadless({ ...opts, chaos: 'heavy', durationMs: 60_000, bots: false }));
    expect(idle.stateHash).not.toBe(a.stateHash);
  });
});

describe('actors', () => {
  const all: Actor[] = [playerActor('x7Yq2Lm9p'), botActor(0), botActor(12), TEAM, TUTORIAL, HOST];
  it('round-trip through their recorded key', () => {
    for (const a of all) expect(parseActor(actorKey(a))).toEqual(a);
    expect(actorKey(botActor(3))).toBe('bot-3');
    expect(actorKey(TEAM)).toBe('team');
  });
  it('a key of no other shape is a player', () => {
    expect(parseActor('bot-x')).toEqual({ kind: 'player', id: 'bot-x' });
    expect(parseActor('bot-01')).toEqual({ kind: 'player', id: 'bot-01' });
  });
  it('are named for sentences', () => {
    const names = new Map([['x7Yq2Lm9p', 'Ada']]);
    const name = (a: Actor) => actorName(a, (id) => names.get(id));
    expect(all.map(name)).toEqual(['Ada', 'Bot 0', 'Bot 12', 'the team', 'the tutorial', 'the host']);
  });
});
