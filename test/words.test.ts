// shared/words: one vocabulary for every sentence a player reads about chaos, commands,
// phases and settings. Every kind, command, phase and setting has its words, and a proposal
// reads as plain words, never as the settings' field names.

import { describe, expect, it } from 'vitest';
import type { Command } from '../shared/protocol/commands.js';
import { PHASES } from '../shared/protocol/messages.js';
import { COMMAND_TYPES } from '../shared/protocol/validate.js';
import { CHAOS_KINDS, CHAOS_LEVELS } from '../shared/scenarios/chaos-types.js';
import { BOOLEAN_SETTINGS, SETTING_BOUNDS, SETTING_CHOICES, type ClusterSettings } from '../shared/scenarios/settings.js';
import { getScenario, resolvePreset } from '../shared/scenarios/index.js';
import { CHAOS_LEVEL_NAMES, CHAOS_WORDS, chaosPlanText, chaosStartText, CLASS_CHAOS_LEVEL_NAMES, durationWords, faultAlert, partitionAlert } from '../shared/words/chaos.js';
import { COMMAND_WORDS, commandDoneText, commandFeedText, commandRecordText, settingsChangedText, STANCE_WORDS } from '../shared/words/commands.js';
import { nodeList, shardLossesText, shardLossText } from '../shared/words/durability.js';
import { ADVICE_CONCEPT_NAMES, adviceDrainCutOff, adviceFlood, adviceHotKey, adviceLeaderless, adviceMinoritySide, adviceNodeDown, adviceOverload, adviceUndrain } from '../shared/words/advice.js';
import { PHASE_WORDS, RECORDED_PHASE_TEXT, teamPhaseName } from '../shared/words/phases.js';
import { DIFFICULTIES, DIFFICULTY_RULES } from '../shared/scenarios/difficulty.js';
import { DIFFICULTY_MENU, DIFFICULTY_NAMES, difficultyChanges, difficultyLabel, difficultyText } from '../shared/words/difficulty.js';
import { measured, pct, PROMISE_NOUNS, promiseText, promiseVerdictLines } from '../shared/words/promise.js';
import { atDifficulty, type Difficulty } from '../shared/scenarios/difficulty.js';
import { SCENARIO_IDS, type ScenarioId } from '../shared/scenarios/index.js';
import { slaVerdict } from '../shared/sim/sla.js';
import { int, ms, percent } from '../shared/lessons/pick.js';
import { consistencyRecipe, presetName, proposalWords, SETTING_WORDS, settingsVerdict, valueName } from '../shared/words/settings.js';

import { causePhrase, electionsText, eventKindText, GROUP_WINDOW_MS, nodesText, stepDownsText } from '../shared/words/feed.js';
import { nodeBusyText } from '../shared/words/node.js';
import { thinMarkers, type Marker } from '../client/src/charts.js';
import { createSim, type Sim } from '../shared/sim/engine.js';
import { TickRunner } from '../shared/round/runner.js';
import { createBotMemory, type BotMemory } from '../shared/bots/node-bot.js';
import { botActor } from '../shared/round/actor.js';
import { createProjectionMemory, projectSim, projectStatic } from '../shared/view/project.js';
import { newRoundState, PLAIN_MAKERS } from '../shared/view/plain.js';
import { roundRecordOf } from '../shared/lessons/record.js';
import type { RoundEvent } from '../shared/lessons/pick.js';
import { TICK_MS } from '../shared/round/runner.js';

const SETTING_KEYS = Object.keys(resolvePreset(getScenario('bank')!, 'cp')!) as (keyof ClusterSettings)[];

/** Every value a setting can take that the setup panel offers, plus its bounds. */
function valuesOf(key: keyof ClusterSettings): (string | number | boolean)[] {
  if ((BOOLEAN_SETTINGS as readonly string[]).includes(key)) return [true, false];
  const choices = (SETTING_CHOICES as Record<string, readonly string[]>)[key];
  if (choices !== undefined) return [...choices];
  const bounds = (SETTING_BOUNDS as Record<string, { min: number; max: number }>)[key]!;
  return [bounds.min, bounds.max, ...SETTING_WORDS.find((d) => d.key === key)!.choices.map((c) => c.value)];
}

describe('chaos words', () => {
  it('every chaos kind has a name, an explanation and a menu entry', () => {
    for (const k of CHAOS_KINDS) {
      const w = CHAOS_WORDS[k];
      expect(w.name, k).toMatch(/^[a-z ]+$/);
      expect(w.explain, k).toMatch(/^[A-Z].*\.$/);
      expect(w.menu.length, k).toBeGreaterThan(3);
    }
    for (const l of CHAOS_LEVELS) expect(CHAOS_LEVEL_NAMES[l].length + CLASS_CHAOS_LEVEL_NAMES[l].length).toBeGreaterThan(6);
  });

  it('names the node or region a strike hits, in the feed and on the timeline', () => {
    expect(chaosStartText('crash-disk-loss', 0, { node: 3 })).toBe('Node 3 crashed and lost its disk');
    expect(chaosStartText('partition-region', 0, { region: 'eu-west' })).toBe('Network partition: region eu-west is cut off');
    expect(chaosStartText('partition-random', 0, { cut: [1, 4] })).toBe('Network partition: nodes 1 and 4 are cut off from the rest');
    expect(chaosStartText('clock-skew', -1500, { node: 2 })).toBe("Node 2's clock jumped back by 1500 ms");
    expect(chaosStartText('hot-key', 0.5, { key: 'acct-7' })).toBe('Hot key: 50% of requests hit acct-7');
    expect(chaosPlanText('crash', 0, 20_000, { node: 2 })).toBe('crash: node 2 goes down (its disk survives) for up to 20 s');
    expect(chaosPlanText('partition-random', 0, 4500, { cut: 1 })).toBe('partition: 1 node cut off from the rest for 4.5 s');
    expect(chaosPlanText('partition-region', 0, 125_000, { region: 'us-east' })).toBe('partition: us-east cut off from the other regions for 2 min 5 s');
    for (const k of CHAOS_KINDS) {
      const hit = { node: 5, cut: [5], key: 'k-1' };
      expect(chaosStartText(k, 0.3, hit), k).toMatch(/\S/);
      // The timeline's line starts with the kind's name and says how long.
      expect(chaosPlanText(k, 0.3, 10_000, hit), k).toMatch(new RegExp(`^${CHAOS_WORDS[k].name}: .+ for `));
    }
    expect(durationWords(120_000)).toBe('2 min');
  });

  it('alerts over the map: node faults name the node, a partition its sides', () => {
    expect(faultAlert('slow-node', 4, 0.25, 12)).toEqual({ cls: 'node', text: '⌛ N4 slow: 25% speed (12\u00a0s)' });
    expect(faultAlert('crash-disk-loss', 1, 0, 0)).toEqual({ cls: 'node', text: '✕ N1 crashed, disk lost' });
    expect(faultAlert('partition-region', 0, 0, 5)).toBeNull();
    expect(partitionAlert([3], [0, 1, 2])).toBe('✂ Network partition: N3 cut off from N0, N1, N2');
  });
});

describe('difficulty words', () => {
  it('every difficulty has a name, a menu entry and a sentence made from its rule', () => {
    for (const d of DIFFICULTIES) {
      expect(DIFFICULTY_NAMES[d], d).toMatch(/^[A-Z][a-z]+$/);
      expect(DIFFICULTY_MENU[d], d).toMatch(new RegExp(`^${DIFFICULTY_NAMES[d]}: [a-z]`));
      expect(difficultyText(d), d).toMatch(new RegExp(`^${DIFFICULTY_NAMES[d]}: .+\\.$`));
      expect(difficultyText(d), d).not.toMatch(/chaosInterval|errorBudget|undefined|NaN/);
    }
    expect(difficultyText('normal')).toBe('Normal: the scenario as written.');
    // Easy: faults half as often, twice the error budget…, as the rule says.
    expect(difficultyChanges({ chaosInterval: 2, errorBudget: 2, latency: 1.25, money: 1.25, advisor: true })).toEqual([
      'faults strike half as often', 'twice the error budget', 'a 25% looser latency target', '25% more money to spend',
    ]);
    expect(difficultyChanges({ chaosInterval: 0.5, errorBudget: 0.5, latency: 1, money: 0.85, advisor: false })).toEqual([
      'faults strike twice as often', 'half the error budget', '15% less money to spend', 'no hints from the advisor',
    ]);
    expect(difficultyChanges(DIFFICULTY_RULES.normal)).toEqual([]);
    expect(difficultyLabel('normal')).toBe('');
    expect(difficultyLabel('hard')).toBe('Hard');
  });
});

describe('command words', () => {
  it('every command has a label and an explanation', () => {
    for (const t of COMMAND_TYPES) {
      expect(COMMAND_WORDS[t].label.length, t).toBeGreaterThan(2);
      expect(COMMAND_WORDS[t].explain, t).toMatch(/^[A-Z].*\.$/);
    }
    expect(STANCE_WORDS.refuse.label).toBe('Refuse (C)');
    expect(STANCE_WORDS.serve.label).toBe('Serve (A)');
  });

  it('says what someone did, in words, for every command', () => {
    const samples: Command[] = [
      { type: 'configure', settings: { writeQuorum: 'all' } },
      { type: 'scale-out', region: 0 },
      { type: 'stance', node: 0, stance: 'serve' },
      { type: 'rate-limit', node: 0 },
      { type: 'chaos', kind: 'crash-disk-loss', target: 1, durationMs: 1000, magnitude: 0 },
      ...(['restart', 'replace', 'scale-up', 'drain', 'undrain', 'remove', 'promote', 'demote', 'repair'] as const).map((type) => ({ type, node: 2 })),
    ];
    expect(new Set(samples.map((c) => c.type))).toEqual(new Set(COMMAND_TYPES));
    for (const c of samples) {
      const done = commandDoneText(c, { region: 'us-east' });
      expect(done, c.type).toMatch(/^[a-z]/);
      expect(done, c.type).not.toMatch(/writeQuorum|crash-disk-loss|scale-out|undefined/);
    }
    expect(commandDoneText({ type: 'drain', node: 1 })).toBe('drained node 1 (no new requests from the load balancer)');
    expect(commandDoneText({ type: 'scale-out', region: 1 }, { region: 'eu-west' })).toBe('added a node in eu-west');
    expect(commandDoneText({ type: 'rate-limit', node: 0 }, { rateLimitOn: false })).toBe('lifted the rate limit on node 0');
    expect(commandRecordText('Bo', { type: 'restart', node: 2 })).toBe('Bo: restarted node 2');
    expect(commandRecordText('the team', { type: 'configure', settings: { writeQuorum: 'all' } })).toBe('the team: switched to writes confirmed by every copy');
  });

  it('the feed says what the cluster is doing about a node action', () => {
    expect(commandFeedText('restart', 1)).toBe('Node 1 is restarting');
    expect(commandFeedText('scale-out', 6, { region: 'eu-west' })).toBe('Node 6 is being added in eu-west');
    expect(commandFeedText('stance', 1)).toBeNull();
    expect(settingsChangedText({ shardCount: 8 })).toBe('Settings changed: 8 shards');
  });
});

describe('advice words', () => {
  it('says the trouble, the button to press and the idea, in one sentence', () => {
    expect(adviceOverload(3, 140, false, null)).toBe('N3 is at 140% of its capacity: add a node (Add a node here) to share the load — performance vs scalability.');
    expect(adviceOverload(2, 60, true, 'Europe')).toBe("N2's queue is 60% full: add a node in Europe (Add a node here) to share the load — performance vs scalability.");
    expect(adviceMinoritySide(1, 'refuse')).toContain('choose Refuse (C) so it never answers with an out-of-date value — CAP.');
    expect(adviceMinoritySide(1, 'serve')).toContain('choose Serve (A)');
    expect(adviceLeaderless(1, 4)).toMatch(/^1 shard has had no leader .* Promote to leader on N4 — failover\.$/);
    expect(adviceLeaderless(3, 4)).toMatch(/^3 shards have had/);
    expect(adviceHotKey('sku-2', 0.5, 20)).toBe('Hot key sku-2 draws 50% of requests to the few nodes that hold it: propose 20 shards, so other keys move off those nodes — sharding.');
    const all = [adviceNodeDown(0), adviceMinoritySide(0, 'serve'), adviceDrainCutOff(0), adviceUndrain(0), adviceFlood(0), adviceOverload(0, 95, false, null), adviceLeaderless(2, 0), adviceHotKey('k-1', 0.3, 8)];
    const names = Object.values(ADVICE_CONCEPT_NAMES).join('|');
    for (const t of all) {
      expect(t).toMatch(new RegExp(`^[A-Z0-9].+ — (${names})\\.$`));
      expect(t.length).toBeLessThan(170);
      expect(t).not.toMatch(/undefined|NaN|rate-limit\b|scale-out|shardCount/);
    }
  });
});

describe('phase words', () => {
  it('every phase has a name and a line for the feed', () => {
    for (const p of PHASES) {
      expect(PHASE_WORDS[p].name, p).toMatch(/^[a-z]+$/);
      expect(PHASE_WORDS[p].starts, p).toMatch(/^[A-Z]/);
    }
    expect(PHASE_WORDS.live.starts).toBe('Live: traffic flows and chaos strikes');
    expect(RECORDED_PHASE_TEXT.debrief).toBe('The round ends');
    expect(teamPhaseName('')).toBe('starting');
    expect(teamPhaseName('debrief')).toBe('finished');
    expect(teamPhaseName('setup')).toBe('setup');
  });
});

describe('setting words', () => {
  it('every setting has a name, an explanation, and a name for every value it can take', () => {
    expect(new Set(SETTING_WORDS.map((d) => d.key))).toEqual(new Set(SETTING_KEYS));
    for (const d of SETTING_WORDS) {
      expect(d.label.length, d.key).toBeGreaterThan(2);
      expect(d.help, d.key).toMatch(/^[A-Z].*\.$/);
      for (const v of valuesOf(d.key)) expect(valueName(d.key, v), `${d.key}=${String(v)}`).not.toBe('');
    }
    expect(valueName('readQuorum', 'one')).toBe('ONE');
    expect(valueName('readFrom', 'any-replica')).toBe('any copy');
  });

  it('describes a proposal in plain words', () => {
    expect(proposalWords({ replicationFactor: 3, readQuorum: 'one' })).toBe('3 copies of each key, reads from one copy');
    expect(proposalWords({ replicationFactor: 1 })).toBe('1 copy of each key');
    expect(proposalWords({})).toBe('no change');
  });

  it('never names a setting by its field or a value by its id', () => {
    const ids = /replicationFactor|readQuorum|writeQuorum|syncReplication|readFrom|shardCount|loadBalancing|conflictResolution|antiEntropyMs|failoverTimeoutMs|hintedHandoff|readRepair|any-replica|no-quorum|single-region|last-write-wins|\btrue\b|\bfalse\b| = /;
    for (const key of SETTING_KEYS) {
      for (const v of valuesOf(key)) {
        const text = proposalWords({ [key]: v } as Partial<ClusterSettings>);
        expect(text, `${key}=${String(v)}`).not.toMatch(ids);
        expect(text.length, `${key}=${String(v)}`).toBeGreaterThan(3);
      }
    }
    // A whole preset, as a preset button proposes it.
    const whole = proposalWords(resolvePreset(getScenario('cart')!, 'version-vectors')!);
    expect(whole).not.toMatch(ids);
    expect(whole.split(', ').length).toBeGreaterThanOrEqual(SETTING_KEYS.length);
  });

  it('sums settings up: the verdict, the recipe and the presets', () => {
    const cp = resolvePreset(getScenario('bank')!, 'cp')!;
    expect(settingsVerdict(cp)).toBe('Synchronous copies, reads from the leader, majority elections: consistency first (CP).');
    expect(consistencyRecipe(cp)).toBe('synchronous replication, reads from the leader, majority elections');
    const q = { ...cp, replication: 'leaderless' as const, replicationFactor: 3, readQuorum: 'quorum' as const, writeQuorum: 'quorum' as const, hintedHandoff: false };
    expect(settingsVerdict(q)).toBe('R + W = 4 > N = 3: every read meets the latest confirmed write.');
    expect(consistencyRecipe(q)).toBe('leaderless, N = 3, W = 2, R = 2');
    expect(presetName('cp')).toBe('Consistency first (CP)');
    expect(presetName('custom')).toBe('custom');
  });
});

describe('lost copies', () => {
  const at = (t: number) => `${Math.floor(t / 60_000)}:${String(Math.floor(t / 1000) % 60).padStart(2, '0')}`;
  it('names the shard, its copies, whose disks went when, and the writes that went with them', () => {
    expect(nodeList([4])).toBe('node 4');
    expect(nodeList([0, 3])).toBe('nodes 0 and 3');
    expect(shardLossText({ shard: 5, replicas: [4, 0, 3], lost: 85, wiped: [{ node: 0, t: 115_023 }, { node: 3, t: 118_686 }] }, at)).toBe(
      'Shard 5 kept its copies on nodes 0, 3 and 4. Node 0 lost its disk at 1:55 and node 3 at 1:58, before the shard had its copies back: 85 confirmed writes went with them.',
    );
    expect(shardLossText({ shard: 2, replicas: [2, 3, 4], lost: 1, wiped: [{ node: 4, t: 11_663 }, { node: 3, t: 11_918 }, { node: 2, t: 58_807 }] }, at)).toBe(
      'Shard 2 kept its copies on nodes 2, 3 and 4. Node 4 lost its disk at 0:11, node 3 at 0:11 and node 2 at 0:58, before the shard had its copies back: 1 confirmed write went with them.',
    );
    const three = [1, 2, 3].map((shard) => ({ shard, replicas: [0, 1, 2], lost: 10, wiped: [{ node: 0, t: 1000 }, { node: 1, t: 2000 }] }));
    expect(shardLossesText(three, at)).toMatch(/^Shard 1 .* Shard 2 .* One more shard lost writes the same way\.$/);
  });
});

describe('the promise in words', () => {
  const ids = SCENARIO_IDS;
  const played = (id: ScenarioId, d: Difficulty) => atDifficulty(getScenario(id)!, d);

  it('says every term of the SLA as played, with the numbers the HUD shows, at every difficulty', () => {
    for (const id of ids) {
      for (const d of DIFFICULTIES) {
        const sc = played(id, d);
        const line = promiseText(sc);
        const where = `${id} ${d}: ${line}`;
        expect(line, where).toMatch(/^Our promise: .*\.$/);
        expect(line, where).toContain(`${percent(sc.sla.availability)} of requests succeed`);
        expect(line, where).toContain(`at most ${pct(1 - sc.sla.availability)} may fail`);
        expect(line, where).toContain(`within ${ms(sc.sla.p99Ms)}`);
        if (sc.sla.maxStaleReads === 0) expect(line, where).toContain(`no out-of-date ${PROMISE_NOUNS[id].read} is ever shown`);
        else expect(line, where).toContain(`up to ${int(sc.sla.maxStaleReads)} out-of-date`);
        if (sc.sla.maxLostWrites === 0) expect(line, where).toContain(`no confirmed ${PROMISE_NOUNS[id].write} is lost`);
        else expect(line, where).toContain(`at most ${int(sc.sla.maxLostWrites)} confirmed`);
        expect(line, where).not.toMatch(/undefined|NaN|Infinity|null|\[object/);
        expect(line, where).not.toMatch(/availability\b|p99Ms|maxStale|maxLost|sla\b/);
        expect(line, where).not.toContain(String(sc.sla.availability));
      }
    }
  });

  it('follows the difficulty: easy allows more failures and slower answers than normal, hard fewer', () => {
    const allowed = (line: string) => Number(/at most ([\d.]+)% may fail/.exec(line)![1]);
    const within = (line: string) => Number(/within ([\d,]+) ms/.exec(line)![1]!.replace(/,/g, ''));
    for (const id of ids) {
      const [easy, normal, hard] = DIFFICULTIES.map((d) => promiseText(played(id, d)));
      expect(allowed(easy!), id).toBeGreaterThan(allowed(normal!));
      expect(allowed(hard!), id).toBeLessThan(allowed(normal!));
      expect(within(easy!), id).toBeGreaterThanOrEqual(within(normal!));
      expect(within(hard!), id).toBeLessThanOrEqual(within(normal!));
    }
  });

  it('says none for a term that allows none, and how many for one that allows some', () => {
    const bank = getScenario('bank')!;
    const none = promiseText({ id: 'bank', sla: { ...bank.sla, maxStaleReads: 0, maxLostWrites: 0 } });
    expect(none).toContain('no out-of-date balance is ever shown, and no confirmed transfer is lost.');
    const one = promiseText({ id: 'bank', sla: { ...bank.sla, maxStaleReads: 1, maxLostWrites: 1 } });
    expect(one).toContain('up to 1 out-of-date read is allowed over the round, and at most 1 confirmed transfer may be lost.');
    const many = promiseText({ id: 'feed', sla: { ...bank.sla, maxStaleReads: 15_000, maxLostWrites: 50 } });
    expect(many).toContain('up to 15,000 out-of-date reads are allowed over the round, and at most 50 confirmed posts may be lost.');
  });

  it('writes a target share exactly and a measured one with the decimals its nines need', () => {
    expect(pct(0.985)).toBe('98.5%');
    expect(pct(1 - 0.985)).toBe('1.5%');
    expect(pct(0.9925)).toBe('99.25%');
    expect(pct(0.97)).toBe('97%');
    for (const x of [0.5, 0.97, 0.98765, 0.9991, 0.99951, 0.999999, 1, 0]) expect(measured(x), String(x)).toBe(percent(x));
  });

  it('gives a verdict per term of the debrief: kept or missed, with the promised and the measured numbers', () => {
    const bank = getScenario('bank')!;
    const target = bank.sla;
    const good = promiseVerdictLines('bank', slaVerdict(bank, { availability: 1 - (1 - target.availability) / 2, p99: target.p99Ms / 2, staleReads: 0, lostWrites: 0 }));
    for (const line of Object.values(good)) expect(line).toMatch(/^Kept: /);
    expect(good.availability).toContain(`the promise was ${percent(target.availability)}`);
    expect(good.availability).toContain(`within the ${pct(1 - target.availability)} error budget`);
    expect(good.latency).toContain(`within ${ms(target.p99Ms / 2)}; the promise was ${ms(target.p99Ms)}`);
    expect(good.staleReads).toBe('Kept: no out-of-date balance was ever shown.');
    expect(good.lostWrites).toBe('Kept: no confirmed transfer was lost.');

    const bad = promiseVerdictLines('bank', slaVerdict(bank, { availability: target.availability - 0.05, p99: target.p99Ms * 3, staleReads: 1, lostWrites: 12 }));
    for (const line of Object.values(bad)) expect(line).toMatch(/^Missed: /);
    expect(bad.availability).toContain(`short of the ${percent(target.availability)} promised`);
    expect(bad.latency).toContain(`took over ${ms(target.p99Ms * 3)}, past the ${ms(target.p99Ms)} promised`);
    expect(bad.staleReads).toBe('Missed: 1 out-of-date balance was shown; the promise was none.');
    expect(bad.lostWrites).toBe('Missed: 12 confirmed transfers were lost; the promise was none.');

    const feed = { id: 'feed', sla: { ...bank.sla, maxStaleReads: 100, maxLostWrites: 10 } };
    const some = promiseVerdictLines('feed', slaVerdict(feed, { availability: 1, p99: 1, staleReads: 1_500, lostWrites: 3 }));
    expect(some.staleReads).toBe('Missed: 1,500 out-of-date reads, past the 100 allowed.');
    expect(some.lostWrites).toBe('Kept: 3 confirmed posts lost, within the 10 allowed.');
    // A recording's scenario id that names no scenario still reads as words.
    expect(promiseVerdictLines('nonsense', slaVerdict(feed, { availability: 0.5, p99: 9, staleReads: 0, lostWrites: 11 })).lostWrites).toBe('Missed: 11 confirmed writes lost, past the 10 allowed.');
    for (const set of [good, bad, some]) for (const line of Object.values(set)) expect(line).not.toMatch(/undefined|NaN|p99Ms|maxStale|maxLost/);
  });
});

describe('the feed, where the cluster repeats itself', () => {
  /** A bank round with heavy chaos and bots, projected as a room does; every feed line shown, and every line the simulation wrote. */
  const watched = new Map<number, ReturnType<typeof play>>();
  const watch = (seed: number) => watched.get(seed) ?? watched.set(seed, play(seed)).get(seed)!;
  function play(seed: number): { shown: { t: number; kind: string; text: string }[]; simFeed: { t: number; kind: string; text: string }[]; sim: Sim; membership: RoundEvent[] } {
    const sim = createSim({ scenario: 'bank', chaos: 'heavy', seed, durationMs: 300_000 });
    const memories: BotMemory[] = [];
    // The bots' accepted scale-outs and removals, as the round model hands them to the record.
    const membership: RoundEvent[] = [];
    const runner = new TickRunner(sim, {
      bots: () => sim.S.nodes.map((_, node) => ({ node, memory: (memories[node] ??= createBotMemory()), by: botActor(node) })),
      onOutcome: (o) => {
        if (!o.result.ok || (o.command.type !== 'scale-out' && o.command.type !== 'remove')) return;
        const e: RoundEvent = { t: o.tick * TICK_MS, kind: o.command.type, text: '' };
        if (o.command.type === 'remove') e.node = o.command.node;
        membership.push(e);
      },
    });
    const state = newRoundState();
    const mem = createProjectionMemory();
    projectStatic(state, sim);
    const items = new Set<(typeof state.feed)[number]>();
    const simFeed = new Map<object, { t: number; kind: string; text: string }>();
    while (!runner.over) {
      runner.runTo(runner.tick + 4);
      projectSim(state, sim, mem, PLAIN_MAKERS);
      for (const f of state.feed) items.add(f);
      for (const f of sim.S.feed) simFeed.set(f, { t: f.t, kind: f.kind, text: f.text });
    }
    return { shown: [...items].map((f) => ({ t: f.t, kind: f.kind, text: f.text })), simFeed: [...simFeed.values()], sim, membership };
  }

  it('folds a burst of elections into one line that says what set it off', () => {
    const { shown, simFeed } = watch(7);
    const elections = simFeed.filter((f) => f.kind === 'election').length;
    const lines = shown.filter((f) => f.kind === 'election');
    expect(elections).toBeGreaterThan(20);
    expect(lines.length).toBeLessThan(elections / 3);
    // No two election lines close together: a burst is one line.
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.t - lines[i - 1]!.t, lines[i]!.text).toBeGreaterThan(GROUP_WINDOW_MS - 1000);
    expect(lines.some((l) => /^\d+ shards elected new leaders \(.*\) after node \d+ crashed$/.test(l.text))).toBe(true);
    expect(lines.some((l) => / after the network (split|healed)$/.test(l.text))).toBe(true);
    expect(shown.filter((f) => /became leader of shard/.test(f.text)).length).toBeLessThan(elections / 5);
    const stepDowns = simFeed.filter((f) => f.kind === 'step-down').length;
    expect(shown.filter((f) => f.kind === 'step-down').length).toBeLessThan(Math.max(2, stepDowns / 2));
  });

  it('words a burst, its cause, and an event known only by its kind', () => {
    expect(electionsText(3, [0, 3], 'node 2 crashed', 'x')).toBe('3 shards elected new leaders (now led by nodes 0 and 3) after node 2 crashed');
    expect(electionsText(2, [4], null, 'x')).toBe('2 shards elected new leaders (all led by node 4 now)');
    expect(electionsText(1, [4], 'the network split', 'Node 4 became leader of shard 7 in epoch 13')).toBe('Node 4 became leader of shard 7 in epoch 13 after the network split');
    expect(stepDownsText(4, [3], 'x')).toBe('Node 3 stepped down as leader of 4 shards: a newer election had won');
    expect(stepDownsText(1, [3], 'Node 3 learned of epoch 9 and stepped down')).toBe('Node 3 learned of epoch 9 and stepped down');
    expect(nodesText([4, 1, 3])).toBe('nodes 1, 3 and 4');
    expect(causePhrase({ kind: 'crash', text: 'Node 2 crashed', node: -1 })).toBe('node 2 crashed');
    expect(causePhrase({ kind: 'crash', text: 'Node 2 was already down', node: -1 })).toBeNull();
    expect(causePhrase({ kind: 'partition-random', text: 'Network partition: node 1 is cut off from the rest', node: -1 })).toBe('the network split');
    expect(causePhrase({ kind: 'load-surge', text: 'Traffic surge', node: -1 })).toBeNull();
    expect(eventKindText('slow-node', 3)).toBe('Slow node on node 3: a gray failure: the node still answers, at a fraction of its capacity');
    expect(eventKindText('scale-out')).toBe('Add a node here');
    expect(eventKindText('heal')).toBe('The network partition healed');
    expect(eventKindText('nonsense', 2)).toBe('Something happened on node 2');
  });

  it('tells every strike of the round with what it hit, even the ones the feed has forgotten', () => {
    const { simFeed, sim, membership } = watch(7);
    const told = new Map(simFeed.filter((f) => (CHAOS_KINDS as readonly string[]).includes(f.kind)).map((f) => [`${Math.round(f.t)}|${f.kind}`, f.text]));
    const rec = roundRecordOf(sim, membership);
    const strikes = rec.events.filter((e) => (CHAOS_KINDS as readonly string[]).includes(e.kind));
    // The simulation's feed keeps its latest entries only: most of these strikes left it long ago.
    expect(strikes.length).toBeGreaterThan(5);
    expect(sim.S.feed[0]!.t).toBeGreaterThan(strikes[0]!.t);
    for (const e of strikes) {
      const said = told.get(`${e.t}|${e.kind}`);
      // A strike on a node that was down already is told as a crash by the record: the one case it cannot see.
      if (said !== undefined && !/already down/.test(said)) expect(e.text, `${e.kind} at ${e.t}`).toBe(said);
    }
    expect(rec.events.filter((e) => e.kind === 'heal').every((e) => e.text === 'The network partition healed')).toBe(true);
  });
});

describe('a node\'s load and the charts\' markers', () => {
  it('a queue past its limit is full, never "400% full"', () => {
    expect(nodeBusyText(62, 40, 25)).toBe('Busy: 62% of its capacity · queue: 40 waiting, 25% of what it holds before it turns requests away');
    expect(nodeBusyText(100, 160, 400)).toBe('Busy: 100% of its capacity · queue full (160 waiting): it turns new requests away');
    expect(adviceOverload(2, 400, true, null)).toMatch(/^N2's queue is full:/);
  });

  it('close markers share one, which lists its events', () => {
    const many: Marker[] = Array.from({ length: 60 }, (_, i) => ({ t: i * 1500, label: `0:${i} strike ${i}`, kind: i % 3 === 0 ? 'action' : 'chaos' }));
    const thin = thinMarkers(many, 180_000);
    expect(thin.length).toBeLessThanOrEqual(41);
    expect(thin.length).toBeGreaterThan(10);
    const grouped = thin.find((m) => m.label.startsWith('3 events:'))!;
    expect(grouped.label.split('\n')).toEqual(['3 events:', '0:0 strike 0', '0:1 strike 1', '0:2 strike 2']);
    expect(grouped.kind).toBe('chaos');
    expect(thinMarkers([{ t: 0, label: 'a', kind: 'chaos' }, { t: 90_000, label: 'b', kind: 'action' }], 180_000)).toHaveLength(2);
    expect(thinMarkers(many, 180_000).every((m, i, all) => i === 0 || m.t - all[i - 1]!.t >= 180_000 / 40 - 1500)).toBe(true);
  });
});
