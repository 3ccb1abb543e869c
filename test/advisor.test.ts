// The advisor (shared/lessons/advisor.ts): each situation a player can see becomes the hint
// a sensible operator would give, the most urgent first; a hint only ever names a command
// the cluster would accept now; and a hint does not flicker from one look to the next.

import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../client/src/round/actions.js';
import { HINTS_KEY, highlightsButton, hintsOnByDefault, hintTarget, roundDifficulty, storedHintsChoice, storeHintsChoice } from '../client/src/round/advisor.js';
import { createBotMemory, type BotMemory } from '../shared/bots/node-bot.js';
import { advise, advisorFacts, fittingStance, HINT_PRIORITY, LEADERLESS_GRACE_MS, NO_ADVICE, OVERLOAD_HOLD_MS, type Advice, type AdvisorView, type Hint } from '../shared/lessons/advisor.js';
import { botActor, HOST, playerActor } from '../shared/round/actor.js';
import { TICK_MS, TickRunner, type BotSeat } from '../shared/round/runner.js';
import { getScenario, resolvePreset, SCENARIOS } from '../shared/scenarios/index.js';
import type { Command } from '../shared/scenarios/command-types.js';
import type { ScenarioId } from '../shared/scenarios/types.js';
import { liveNodes, targetOfNode } from '../shared/sim/chaos.js';
import { createSim, finishSim } from '../shared/sim/engine.js';
import { blocked } from '../shared/sim/preconditions.js';
import { summary } from '../shared/sim/summary.js';
import { newNode, newRoundState, PLAIN_MAKERS } from '../shared/view/plain.js';
import { createProjectionMemory, projectSim, projectStatic } from '../shared/view/project.js';
import type { RoundView } from '../shared/view/round.js';
import { roundViewOf } from '../shared/view/view-of.js';

/** A live round view of `scenario` with five healthy, lightly loaded nodes; you run node 0. */
function view(scenario: ScenarioId = 'bank', patch: (v: RoundView) => void = () => {}): RoundView {
  const sc = getScenario(scenario)!;
  const v = roundViewOf(newRoundState(), 'me');
  v.phase = 'live';
  v.scenarioId = scenario;
  v.scenario = sc;
  v.settings = { ...resolvePreset(sc, 'cp')! };
  v.durationMs = sc.durationMs;
  v.simMs = 60_000;
  v.measures.budget = sc.budget.limit;
  v.measures.cost = 0;
  v.nodes = [0, 1, 2, 3, 4].map((id) => ({ ...newNode(id), region: 0, utilization: 40, leaderOf: id < 2 ? Math.ceil(v.settings.shardCount / 2) : 0, replicaOf: 3, stance: v.settings.stance }));
  v.nodes[0]!.leaderOf = v.settings.shardCount - v.nodes[1]!.leaderOf;
  v.myNode = 0;
  patch(v);
  return v;
}

/** Look at `v` repeatedly, `steps` times, `everyMs` apart: the last answer. */
function watch(v: RoundView, steps: number, everyMs = 500, from: Advice = NO_ADVICE): Advice {
  let a = from;
  for (let i = 0; i < steps; i++) {
    a = advise(v, a);
    v.simMs += everyMs;
  }
  return a;
}

function expectSendable(v: RoundView, h: Hint | null): void {
  expect(h).not.toBeNull();
  expect(blocked(h!.command, advisorFacts(v)!)).toBeNull();
  expect(h!.action).toBe(h!.command.type);
  // One sentence, with the idea named after a dash, and no field names or ids.
  expect(h!.text).toMatch(new RegExp(`^[A-Z0-9].* — ${h!.conceptName}\\.$`));
  expect(h!.text).not.toMatch(/undefined|NaN|scale-out|rate-limit\b|shardCount/);
}

describe('the advisor: one situation, one hint', () => {
  it('says nothing when all is well, outside the live phase, or to someone without a node', () => {
    expect(watch(view(), 10).hint).toBeNull();
    expect(advise(view('bank', (v) => { v.phase = 'setup'; v.nodes[0]!.status = 'down'; })).hint).toBeNull();
    expect(advise(view('bank', (v) => { v.myNode = -1; v.nodes[1]!.status = 'down'; })).hint).toBeNull();
    expect(advise(view('bank', (v) => { v.scenario = undefined; v.nodes[0]!.status = 'down'; })).hint).toBeNull();
  });

  it('your node down: restart it', () => {
    const v = view('bank', (x) => { x.nodes[0]!.status = 'down'; });
    const h = advise(v).hint;
    expectSendable(v, h);
    expect(h).toMatchObject({ id: 'node-down', action: 'restart', node: 0, concept: 'nines' });
    expect(h!.text).toContain('N0');
    // Someone else's node down is their business (and their bot's).
    expect(advise(view('bank', (x) => { x.nodes[3]!.status = 'down'; })).hint).toBeNull();
    // Already starting: nothing to press.
    expect(advise(view('bank', (x) => { x.nodes[0]!.status = 'recovering'; })).hint).toBeNull();
  });

  it('cut off from the majority: the stance the customer needs — refuse for a bank, serve for a feed (CAP)', () => {
    const cut = (x: RoundView) => {
      x.network.partitioned = true;
      x.nodes[0]!.group = 1;
      x.nodes[1]!.group = 1;
    };
    const bank = view('bank', (x) => { cut(x); x.nodes[0]!.stance = 'serve'; });
    const h = advise(bank).hint;
    expectSendable(bank, h);
    expect(h).toMatchObject({ id: 'minority-side', action: 'stance', command: { type: 'stance', node: 0, stance: 'refuse' }, concept: 'cap' });
    const feed = view('feed', (x) => { cut(x); x.nodes[0]!.stance = 'refuse'; });
    expect(advise(feed).hint).toMatchObject({ id: 'minority-side', command: { stance: 'serve' } });
    // On the majority side the stance does not come into play.
    expect(advise(view('bank', (x) => { x.network.partitioned = true; x.nodes[3]!.group = 1; x.nodes[0]!.stance = 'serve'; })).hint).toBeNull();
    // The rule follows the promise: no stale read allowed means refuse.
    for (const sc of Object.values(SCENARIOS)) expect(fittingStance(sc)).toBe(sc.sla.maxStaleReads === 0 ? 'refuse' : 'serve');
  });

  it('cut off and refusing: drain it so clients go to the side that answers, and undrain once the network is whole', () => {
    const v = view('bank', (x) => {
      x.network.partitioned = true;
      x.nodes[0]!.group = 1;
      x.nodes[0]!.stance = 'refuse';
    });
    const h = advise(v).hint;
    expectSendable(v, h);
    expect(h).toMatchObject({ id: 'cut-off-drain', command: { type: 'drain', node: 0 } });
    // A feed's cut-off node serves: it should keep its clients.
    expect(advise(view('feed', (x) => { x.network.partitioned = true; x.nodes[0]!.group = 1; x.nodes[0]!.stance = 'serve'; })).hint).toBeNull();
    const healed = view('bank', (x) => { x.nodes[0]!.drained = true; });
    const u = advise(healed).hint;
    expectSendable(healed, u);
    expect(u).toMatchObject({ id: 'undrain', command: { type: 'undrain', node: 0 } });
    // Drained on purpose while slow: left alone.
    expect(advise(view('bank', (x) => { x.nodes[0]!.drained = true; x.nodes[0]!.slow = true; })).hint).toBeNull();
  });

  it('a client floods your node: rate-limit it, once', () => {
    const v = view('bank', (x) => {
      x.nodes[0]!.flooded = true;
      x.faults = [{ kind: 'flood', target: 0, magnitude: 900, until: 90_000 }];
    });
    const h = advise(v).hint;
    expectSendable(v, h);
    expect(h).toMatchObject({ id: 'flood', action: 'rate-limit', node: 0, concept: 'load-balancing' });
    v.nodes[0]!.rateLimited = true;
    expect(advise(v).hint).toBeNull();
  });

  it('a node near its capacity, or its queue filling: scale out (performance vs scalability)', () => {
    const v = view('bank', (x) => { x.nodes[3]!.utilization = 97; });
    const h = watch(v, 6).hint;
    expectSendable(v, h);
    expect(h).toMatchObject({ id: 'overload', action: 'scale-out', node: 3, concept: 'performance-scalability' });
    expect(h!.text).toContain('N3 is at 97% of its capacity');
    const queue = view('bank', (x) => { x.nodes[2]!.utilization = 60; x.nodes[2]!.load = 60; });
    expect(watch(queue, 6).hint?.text).toContain("N2's queue is 60% full");
    // A slow or flooded node's overload is its fault's doing: more nodes would not cure it.
    expect(watch(view('bank', (x) => { x.nodes[3]!.utilization = 99; x.nodes[3]!.slow = true; }), 6).hint).toBeNull();
    expect(watch(view('bank', (x) => { x.nodes[3]!.utilization = 99; x.nodes[3]!.flooded = true; }), 6).hint).toBeNull();
  });

  it('does not advise a scale-out the cluster would refuse or the budget cannot carry to the end', () => {
    const hot = (x: RoundView) => { x.nodes[3]!.utilization = 99; };
    expect(watch(view('bank', (x) => { hot(x); x.network.rebalancing = true; }), 6).hint).toBeNull();
    expect(watch(view('bank', (x) => { hot(x); x.measures.cost = x.measures.budget; }), 6).hint).toBeNull();
    const sc = getScenario('bank')!;
    expect(watch(view('bank', (x) => { hot(x); while (x.nodes.length < sc.budget.maxNodes) x.nodes.push({ ...newNode(x.nodes.length), utilization: 99 }); }), 6).hint).toBeNull();
    // Early in the round a sixth node for the rest of it would overspend; later it fits.
    const cost = (x: RoundView, at: number) => { x.simMs = at; x.measures.cost = (5 * at) / 1000; };
    const early = view('bank', (x) => { hot(x); cost(x, 5_000); x.measures.budget = 5 * 300 + 100; });
    const late = view('bank', (x) => { hot(x); cost(x, 240_000); x.measures.budget = 5 * 300 + 100; });
    // In the last seconds a new node's rebalance would cost more than it adds: no hint.
    const tooLate = view('bank', (x) => { hot(x); cost(x, 280_000); x.measures.budget = 5 * 300 + 100; });
    expect(watch(early, 6).hint).toBeNull();
    expect(watch(late, 6).hint?.id).toBe('overload');
    expect(watch(tooLate, 6).hint).toBeNull();
  });

  it('shards without a leader for longer than a failover takes: promote your node (failover)', () => {
    // Node 1 led two shards and no longer does; our node holds a copy of both and hears no leader for them.
    const v = view('bank', (x) => { x.nodes[1]!.leaderOf -= 2; x.nodes[0]!.electable = 2; });
    const wait = v.settings.failoverTimeoutMs + LEADERLESS_GRACE_MS;
    // An election is under way for the first failover timeout: no hint yet.
    expect(watch(v, Math.floor(wait / 500) - 1).hint).toBeNull();
    const h = watch(v, Math.ceil(wait / 500) + 2).hint;
    expectSendable(v, h);
    expect(h).toMatchObject({ id: 'leaderless', action: 'promote', node: 0, concept: 'failover' });
    expect(h!.text).toMatch(/^2 shards have had no leader/);
    // A node that holds no copy of those shards, or still hears a leader for each of its own,
    // would refuse to stand: no hint to promote it.
    expect(watch(view('bank', (x) => { x.nodes[1]!.leaderOf -= 2; }), Math.ceil(wait / 500) + 2).hint).toBeNull();
    // Leaderless replication has no leaders to miss.
    expect(watch(view('bank', (x) => { x.settings = { ...resolvePreset(x.scenario!, 'quorum')! }; x.nodes.forEach((n) => (n.leaderOf = 0)); }), 20).hint).toBeNull();
  });

  it('a hot key straining a node: propose more shards (sharding)', () => {
    const v = view('inventory', (x) => {
      x.faults = [{ kind: 'hot-key', target: 2, magnitude: 0.5, until: 120_000 }];
      x.nodes[4]!.utilization = 85;
    });
    const h = watch(v, 10).hint;
    expectSendable(v, h);
    expect(h).toMatchObject({ id: 'hot-key', action: 'configure', concept: 'sharding', command: { type: 'configure', settings: { shardCount: v.settings.shardCount * 2 } } });
    expect(h!.text).toContain('sku-2 draws 50% of requests');
    // A hot key the cluster takes in its stride needs nothing.
    expect(watch(view('inventory', (x) => { x.faults = [{ kind: 'hot-key', target: 2, magnitude: 0.5, until: 120_000 }]; }), 10).hint).toBeNull();
  });
});

describe('the advisor: priorities', () => {
  it('lists every situation once, most urgent first', () => {
    expect(new Set(HINT_PRIORITY).size).toBe(HINT_PRIORITY.length);
    expect(HINT_PRIORITY.indexOf('node-down')).toBe(0);
    expect(HINT_PRIORITY.indexOf('minority-side')).toBeLessThan(HINT_PRIORITY.indexOf('flood'));
    expect(HINT_PRIORITY.indexOf('flood')).toBeLessThan(HINT_PRIORITY.indexOf('overload'));
    expect(HINT_PRIORITY.indexOf('overload')).toBeLessThan(HINT_PRIORITY.indexOf('leaderless'));
    expect(HINT_PRIORITY.indexOf('leaderless')).toBeLessThan(HINT_PRIORITY.indexOf('hot-key'));
  });

  it('gives the most urgent of several, and the next once that one is dealt with', () => {
    const v = view('bank', (x) => {
      x.nodes[3]!.utilization = 99;
      x.faults = [{ kind: 'flood', target: 0, magnitude: 900, until: 90_000 }];
      x.nodes[0]!.flooded = true;
    });
    let a = watch(v, 6);
    expect(a.hint?.id).toBe('flood');
    // A crash of your own node comes first, at once.
    v.nodes[0]!.status = 'down';
    a = advise(v, a);
    expect(a.hint?.id).toBe('node-down');
    v.nodes[0]!.status = 'up';
    v.nodes[0]!.rateLimited = true;
    // The overload went on all along: it is shown without waiting again.
    a = advise(v, a);
    expect(a.hint?.id).toBe('overload');
  });
});

describe('the advisor: no flicker', () => {
  it('shows an overload only once it has lasted, and keeps it while the node stays busy', () => {
    const v = view('bank', (x) => { x.nodes[3]!.utilization = 95; });
    let a = advise(v);
    expect(a.hint).toBeNull();
    a = watch(v, Math.ceil(OVERLOAD_HOLD_MS / 500) + 1, 500, a);
    expect(a.hint?.id).toBe('overload');
    const shown = a.hint;
    // Small moves keep its very words (the card stays still)…
    for (const u of [91, 99, 88]) {
      v.nodes[3]!.utilization = u;
      a = advise(v, a);
      expect(a.hint).toBe(shown);
    }
    // …and dipping under the threshold a new hint needs does not take it away.
    v.nodes[3]!.utilization = 80;
    a = advise(v, a);
    expect(a.hint?.id).toBe('overload');
    expect(a.hint?.text).toContain('80%');
    // Well under it, the hint goes; coming back to 80 % does not bring it back.
    v.nodes[3]!.utilization = 60;
    a = advise(v, a);
    expect(a.hint).toBeNull();
    v.nodes[3]!.utilization = 80;
    expect(watch(v, 10, 500, a).hint).toBeNull();
  });

  it('a load that swings around the threshold each look shows no hint rather than a blinking one', () => {
    const v = view('bank');
    let a = NO_ADVICE;
    const seen: (string | null)[] = [];
    for (let i = 0; i < 20; i++) {
      v.nodes[2]!.utilization = i % 2 === 0 ? 95 : 70;
      a = advise(v, a);
      seen.push(a.hint?.id ?? null);
      v.simMs += 500;
    }
    expect(seen.every((s) => s === null)).toBe(true);
  });

  it('starts afresh when fed an answer from a later moment (another round)', () => {
    const v = view('bank', (x) => { x.nodes[3]!.utilization = 95; });
    const old: Advice = { hint: null, since: { overload: 250_000 } };
    expect(advise(v, old).hint).toBeNull();
    expect(advise(v, old).since.overload).toBe(v.simMs);
  });
});

describe('the advisor in a round', () => {
  it('reads the round view as it is', () => {
    const v: RoundView = view();
    const asInput: AdvisorView = v;
    expect(advise(asInput).hint).toBeNull();
  });

  it('following it, a player sends only commands the cluster accepts, and does no worse than leaving the node to itself', () => {
    const follow = playNodeZero('bank', true);
    const idle = playNodeZero('bank', false);
    expect(follow.hints).toBeGreaterThan(0);
    expect(follow.sent).toBeGreaterThan(0);
    // Promotion too: the advisor suggests it only while the node would stand (NodeViewFields.electable).
    expect(follow.refused).toEqual([]);
    expect(follow.score).toBeGreaterThanOrEqual(idle.score);
  });

  it('when other nodes crash, it suggests a promote only where the node would stand and could win', () => {
    // It once suggested promoting node 0 whenever any shard had no leader: in every one of
    // these rounds the cluster refused (node 0 held no copy of it, or still heard its leader).
    let sent = 0;
    for (const scenario of ['bank', 'inventory'] as const) {
      for (const seed of [1, 2, 3]) {
        const follow = playNodeZero(scenario, true, { seed, othersCrash: true });
        expect(follow.refused, `${scenario}, seed ${seed}`).toEqual([]);
        sent += follow.sent;
      }
    }
    // Some rounds still left node 0 a shard to lead.
    expect(sent).toBeGreaterThan(0);
  });
});

describe('the advisor on the round screen', () => {
  const withDifficulty = (scenario: ScenarioId, d: string | undefined) => Object.assign(view(scenario), d === undefined ? {} : { difficulty: d });

  it('is on by default except in hard rounds, always in the tutorial, and highlights the button for newcomers', () => {
    expect(hintsOnByDefault(withDifficulty('bank', undefined))).toBe(true);
    expect(hintsOnByDefault(withDifficulty('bank', 'easy'))).toBe(true);
    expect(hintsOnByDefault(withDifficulty('bank', 'normal'))).toBe(true);
    expect(hintsOnByDefault(withDifficulty('bank', 'hard'))).toBe(false);
    expect(hintsOnByDefault(withDifficulty('tutorial', 'hard'))).toBe(true);
    // A view without a difficulty (or with nonsense in it) is a normal round.
    expect(roundDifficulty(withDifficulty('bank', 'nightmare'))).toBe('normal');
    expect(highlightsButton(withDifficulty('bank', 'easy'))).toBe(true);
    expect(highlightsButton(withDifficulty('bank', 'normal'))).toBe(false);
    expect(highlightsButton(withDifficulty('tutorial', undefined))).toBe(true);
  });

  it('remembers the player\'s choice, and survives a storage that refuses', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(storedHintsChoice(storage)).toBeNull();
    storeHintsChoice(storage, false);
    expect(store.get(HINTS_KEY)).toBe('off');
    expect(storedHintsChoice(storage)).toBe(false);
    storeHintsChoice(storage, true);
    expect(storedHintsChoice(storage)).toBe(true);
    store.set(HINTS_KEY, '<script>');
    expect(storedHintsChoice(storage)).toBeNull();
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); } };
    expect(storedHintsChoice(broken)).toBeNull();
    expect(() => storeHintsChoice(broken, true)).not.toThrow();
    expect(storedHintsChoice(null)).toBeNull();
  });

  it('points every hint at a button the panel has', () => {
    const ids = new Set(ACTIONS.map((a) => a.id));
    const hints: Hint[] = [
      advise(view('bank', (x) => { x.nodes[0]!.status = 'down'; })).hint!,
      advise(view('bank', (x) => { x.network.partitioned = true; x.nodes[0]!.group = 1; x.nodes[0]!.stance = 'serve'; })).hint!,
      advise(view('bank', (x) => { x.network.partitioned = true; x.nodes[0]!.group = 1; })).hint!,
      advise(view('bank', (x) => { x.nodes[0]!.drained = true; })).hint!,
      advise(view('bank', (x) => { x.nodes[0]!.flooded = true; })).hint!,
      watch(view('bank', (x) => { x.nodes[2]!.utilization = 99; }), 6).hint!,
      watch(view('bank', (x) => { x.nodes[1]!.leaderOf = 0; x.nodes[0]!.electable = 2; }), 20).hint!,
      watch(view('inventory', (x) => { x.faults = [{ kind: 'hot-key', target: 0, magnitude: 0.4, until: 1e6 }]; x.nodes[1]!.utilization = 80; }), 10).hint!,
    ];
    expect(new Set(hints.map((x) => x?.id))).toEqual(new Set(HINT_PRIORITY));
    for (const hint of hints) {
      const t = hintTarget(hint);
      const action = /data-action="([\w-]+)"/.exec(t.selector)?.[1];
      if (action !== undefined) expect(ids.has(action), hint.id).toBe(true);
      else expect(t.selector, hint.id).toMatch(/data-stance="(refuse|serve)"|data-tab="settings"/);
    }
  });
});

/**
 * A short heavy-chaos round: bots run every node but node 0, whose player either follows
 * the advisor (reacting after a second, never repeating a command within five) or does nothing.
 * The schedule's faults land anywhere and a fault-free node 0 has nothing to act on, so the
 * host strikes node 0 itself: a crash, then a flood as large as a node serves.
 */
/**
 * Node 0 played by the advisor's hints (or left alone) through a minute of heavy chaos at
 * easy, with strikes of the host's: by default node 0 crashes and is then flooded; with
 * `othersCrash`, nodes 1 and 2 crash two seconds apart instead, so that some shards lose
 * their leader and some their majority.
 */
function playNodeZero(scenario: ScenarioId, follow: boolean, opts: { seed?: number; othersCrash?: boolean } = {}): { hints: number; sent: number; refused: string[]; score: number } {
  const sim = createSim({ scenario, seed: opts.seed ?? 3, chaos: 'heavy', difficulty: 'easy', durationMs: 60_000, recordHistory: false });
  const target = (node: number): number => targetOfNode(liveNodes(sim.S).length, liveNodes(sim.S).indexOf(node))!;
  const crash = (node: number) => (): Command => ({ type: 'chaos', kind: 'crash', target: target(node), durationMs: 40_000, magnitude: 0 });
  const strikes: { t: number; command: () => Command }[] = opts.othersCrash === true
    ? [{ t: 10_000, command: crash(1) }, { t: 12_000, command: crash(2) }]
    : [
        { t: 10_000, command: crash(0) },
        { t: 30_000, command: () => ({ type: 'chaos', kind: 'flood', target: target(0), durationMs: 25_000, magnitude: sim.sc.topology.nodeCapacity }) },
      ];
  const memories: BotMemory[] = [];
  const bots = (): BotSeat[] => sim.S.nodes.map((_, node) => node).filter((node) => node !== 0).map((node) => ({ node, memory: (memories[node] ??= createBotMemory()), by: botActor(node) }));
  const refused: string[] = [];
  const runner = new TickRunner(sim, { bots, onOutcome: (o) => o.by.kind === 'player' && !o.result.ok && refused.push(`${o.command.type}: ${o.result.error}`) });
  const state = newRoundState();
  state.phase = 'live';
  const memory = createProjectionMemory();
  projectStatic(state, sim);
  let advice = NO_ADVICE;
  let hints = 0;
  let sent = 0;
  let pending = null as { key: string; at: number } | null;
  let last = { key: '', at: -Infinity };
  while (!runner.over) {
    for (const s of strikes) if (Math.round(s.t / TICK_MS) === runner.tick) runner.enqueue(s.command(), HOST);
    runner.step();
    if (runner.tick % 10 !== 0) continue;
    projectSim(state, sim, memory, PLAIN_MAKERS);
    advice = advise({ ...roundViewOf(state, ''), myNode: 0 }, advice);
    const h = advice.hint;
    if (h === null) {
      pending = null;
      continue;
    }
    hints++;
    const key = JSON.stringify(h.command);
    if (pending?.key !== key) pending = { key, at: sim.S.now };
    if (!follow || sim.S.now - pending.at < 1000 || (last.key === key && sim.S.now - last.at < 5000)) continue;
    runner.enqueue(h.command, playerActor('p'));
    last = { key, at: sim.S.now };
    sent++;
  }
  finishSim(sim);
  return { hints, sent, refused, score: summary(sim).score };
}
