// Every sentence a player can be shown, gathered from real rounds and scanned for internal
// names. Each scenario plays a short round through the round model (as a room runs it) with
// heavy chaos, bots on the free seats, two players who vote, act (well and badly) and get
// refused, and a host who strikes: the feed, the view's alerts and node sentences, the error
// budget, the advisor's hints, the votes and the errors as they were shown, then the debrief
// (its timeline, cards, budget story, credits, verdicts, the replay's timeline) and every
// constant and builder of shared/words. A line fails on camelCase, a raw kind such as
// `slow-node`, a bare kind instead of a sentence, `undefined`, `NaN` or `[object`.
import { describe, expect, it } from 'vitest';
import { leak } from './support/plain-words.js';
import { RoundModel, type RoundConfig, type RoundEffect, type RoundInput } from '../shared/round/model.js';
import { CHECKPOINT_EVERY_TICKS, checkpointHash, type Recording } from '../shared/replay/recording.js';
import { TICK_MS } from '../shared/round/runner.js';
import { getScenario, SCENARIO_IDS, type ScenarioId } from '../shared/scenarios/index.js';
import { CHAOS_KINDS, CHAOS_LEVELS, type ChaosKind } from '../shared/scenarios/chaos-types.js';
import type { Command } from '../shared/scenarios/command-types.js';
import { COMMAND_TYPES } from '../shared/protocol/validate.js';
import { createProjectionMemory, projectSim, projectStatic } from '../shared/view/project.js';
import { newRoundState, PLAIN_MAKERS, type PlainClusterState } from '../shared/view/plain.js';
import { roundViewOf } from '../shared/view/view-of.js';
import { advise, NO_ADVICE, type Advice } from '../shared/lessons/advisor.js';
import { pickCards } from '../shared/lessons/pick.js';
import { drownedByCopies, tryNextFor, TRIED_EVERYTHING } from '../shared/lessons/next.js';
import { CARDS, type ConceptId } from '../shared/lessons/cards.js';
import { markersOf } from '../shared/replay/markers.js';
import { slaVerdict } from '../shared/sim/sla.js';
import type { Debrief } from '../shared/round/debrief.js';
import type { ClusterSettings } from '../shared/scenarios/settings.js';
import { alreadyDownText, chaosLevelText, chaosPlanText, chaosStartText, faultAlert, partitionAlert } from '../shared/words/chaos.js';
import { budgetHeadline, budgetLeftText, budgetShareText, burnText, CAUSE_WORDS, runsOutText, type FailCauseName } from '../shared/words/budget.js';
import { commandDoneText, commandFeedText, settingsChangedText } from '../shared/words/commands.js';
import { causePhrase, electionsText, eventKindText, stepDownsText } from '../shared/words/feed.js';
import { nodeBusyText } from '../shared/words/node.js';
import { promiseText, promiseVerdictLines } from '../shared/words/promise.js';
import { proposalWords } from '../shared/words/settings.js';
import { splitText } from '../shared/words/split.js';
import * as adviceWords from '../shared/words/advice.js';
import * as budgetWords from '../shared/words/budget.js';
import * as chaosWords from '../shared/words/chaos.js';
import * as commandWords from '../shared/words/commands.js';
import * as creditWords from '../shared/words/credit.js';
import * as debriefWords from '../shared/words/debrief.js';
import * as difficultyWords from '../shared/words/difficulty.js';
import * as durabilityWords from '../shared/words/durability.js';
import * as loadingWords from '../shared/words/loading.js';
import * as mapKeyWords from '../shared/words/map-key.js';
import * as phaseWords from '../shared/words/phases.js';
import * as promiseWords from '../shared/words/promise.js';
import * as settingWords from '../shared/words/settings.js';
import * as feedWords from '../shared/words/feed.js';
import * as voteWords from '../shared/words/votes.js';

/** Lines gathered, each with where it was shown. */
class Shown {
  readonly lines = new Map<string, string>();
  /** `bare`: a word that is only ever shown inside a sentence (a chaos kind's short name). */
  add(where: string, text: string | null | undefined, bare = false): void {
    if (text === null || text === undefined) return;
    if (typeof text !== 'string') {
      this.lines.set(`${String(text)}`, `${where} (not a string)`);
      return;
    }
    if (!this.lines.has(text)) this.lines.set(text, where);
    if (bare) this.bare.add(text);
  }
  private readonly bare = new Set<string>();
  isBare(text: string): boolean {
    return this.bare.has(text);
  }
  problems(): string[] {
    const out: string[] = [];
    for (const [text, where] of this.lines) {
      const why = leak(text, this.bare.has(text));
      if (why !== null) out.push(`${where}: ${why} in "${text}"`);
    }
    return out;
  }
}

const of = <T extends RoundEffect['type']>(fx: readonly RoundEffect[], type: T) => fx.filter((e): e is Extract<RoundEffect, { type: T }> => e.type === type);

/** Each scenario's round is played once for all the tests here (a round takes seconds). */
const played = new Map<ScenarioId, { debrief: Debrief; shown: Shown }>();
function roundOf(id: ScenarioId): { debrief: Debrief; shown: Shown } {
  let r = played.get(id);
  if (r === undefined) {
    const shown = new Shown();
    r = { debrief: playRound(id, shown), shown };
    played.set(id, r);
  }
  return r;
}

/** One scenario's round, played to its debrief, with every line shown along the way. */
function playRound(id: ScenarioId, shown: Shown): Debrief {
  const scenario = getScenario(id)!;
  const preset = Object.keys(scenario.presets)[0]!;
  const cfg: RoundConfig = {
    scenario, preset, chaos: 'heavy', seed: 11, roundSeconds: 30,
    lobbySeconds: 2, briefingSeconds: 1, setupSeconds: 4, debriefSeconds: 2, voteSeconds: 2,
    inClass: false, checkpoints: { every: CHECKPOINT_EVERY_TICKS, fingerprint: checkpointHash },
  };
  const m = new RoundModel(cfg);
  let state: PlainClusterState = newRoundState();
  let mem = createProjectionMemory();
  const advice = new Map<number, Advice>();
  let debrief: Debrief | null = null;

  const look = () => {
    const v = roundViewOf(state, 'a');
    for (const f of v.feed) shown.add(`${id} feed`, f.text);
    for (const f of v.faults) {
      const alert = faultAlert(f.kind as ChaosKind, f.target, f.magnitude, Math.max(0, Math.ceil((f.until - v.simMs) / 1000)));
      shown.add(`${id} alert`, alert?.text);
    }
    if (v.network.partitioned) {
      const cut = v.nodes.filter((n) => n.status !== 'removed' && n.group === 1).map((n) => n.id);
      const rest = v.nodes.filter((n) => n.status !== 'removed' && n.group !== 1).map((n) => n.id);
      shown.add(`${id} alert`, partitionAlert(cut, rest));
    }
    const noStale = scenario.sla.maxStaleReads === 0;
    for (const n of v.nodes) {
      shown.add(`${id} node panel`, nodeBusyText(n.utilization, n.queue, n.load));
      shown.add(`${id} node panel`, splitText({ split: n.split, minority: n.splitMinority, seconds: n.splitSeconds, reads: n.splitReads, stale: n.splitStale, writes: n.splitWrites, refused: n.splitRefused }, n.id === v.myNode, noStale));
      if (v.phase === 'live') {
        const a = advise({ ...v, myNode: n.id }, advice.get(n.id) ?? NO_ADVICE);
        advice.set(n.id, a);
        shown.add(`${id} advisor`, a.hint?.text);
      }
    }
    const b = v.errorBudget;
    shown.add(`${id} budget`, budgetLeftText(b.left, b.allowed));
    shown.add(`${id} budget`, burnText(b.burnRate));
    shown.add(`${id} budget`, runsOutText(b.runsOutInS));
    if (b.recentCause !== '') shown.add(`${id} budget`, CAUSE_WORDS[b.recentCause as FailCauseName]?.label ?? `cause ${b.recentCause} has no words`);
  };

  const send = (i: RoundInput) => {
    for (const e of m.handle(i)) {
      switch (e.type) {
        case 'feed':
          shown.add(`${id} room feed`, e.text);
          break;
        case 'error':
          shown.add(`${id} error`, e.error);
          break;
        case 'join-refused':
          shown.add(`${id} error`, e.error);
          break;
        case 'vote':
          if (e.view.status !== '') shown.add(`${id} vote`, proposalWords(JSON.parse(e.view.proposal) as Partial<ClusterSettings>));
          break;
        case 'phase':
          state.phase = e.phase;
          break;
        case 'simulation':
          state = newRoundState();
          state.phase = m.phase;
          mem = createProjectionMemory();
          projectStatic(state, m.sim);
          mem.lastFeed = m.sim.S.feed[m.sim.S.feed.length - 1] ?? null;
          projectSim(state, m.sim, mem, PLAIN_MAKERS);
          break;
        case 'project':
          projectSim(state, m.sim, mem, PLAIN_MAKERS);
          look();
          break;
        case 'debrief':
          debrief = e.debrief;
          break;
        default:
          break;
      }
    }
  };
  const wait = (ms: number) => {
    for (let t = 0; t < ms; t += TICK_MS) send({ type: 'time', ms: TICK_MS });
  };

  send({ type: 'open' });
  send({ type: 'join', key: 'a', nickname: 'Ada', bot: false, playerKey: null });
  send({ type: 'join', key: 'b', nickname: 'Bo', bot: false, playerKey: null });
  wait(3_000);
  // Setup: a proposal that passes, one refused as nonsense, one voted down.
  send({ type: 'vote', key: 'a', proposal: { replicationFactor: 5, readRepair: true }, agree: true });
  send({ type: 'vote', key: 'b', proposal: { replicationFactor: 5, readRepair: true }, agree: true });
  send({ type: 'vote', key: 'b', proposal: { replicationFactor: 99 } as never, agree: true });
  wait(2_500);
  send({ type: 'vote', key: 'a', proposal: { loadBalancing: 'least-loaded' }, agree: true });
  send({ type: 'vote', key: 'b', proposal: { loadBalancing: 'least-loaded' }, agree: false });
  while (m.phase !== 'live') wait(500);
  const mine = (): number => state.nodes.find((n) => n.ownerId === 'a')?.id ?? 0;
  const act = (key: string, command: Command) => send({ type: 'command', key, command });
  // The host strikes the player's node, and a partition.
  send({ type: 'chaos', atTick: m.tick + 40, command: { type: 'chaos', kind: 'crash-disk-loss', target: 0, durationMs: 8_000, magnitude: 0 } });
  send({ type: 'chaos', atTick: m.tick + 200, command: { type: 'chaos', kind: 'partition-random', target: 3, durationMs: 6_000, magnitude: 0 } });
  wait(3_000);
  act('a', { type: 'restart', node: mine() });
  act('a', { type: 'stance', node: mine(), stance: 'serve' });
  act('a', { type: 'restart', node: 99 });
  act('a', { type: 'chaos', kind: 'slow-node', target: 0, durationMs: 1000, magnitude: 0.5 });
  act('b', { type: 'remove', node: 0 });
  act('a', { type: 'promote', node: mine() });
  wait(10_000);
  act('a', { type: 'scale-out', region: 0 });
  act('a', { type: 'rate-limit', node: mine() });
  act('a', { type: 'drain', node: mine() });
  send({ type: 'vote', key: 'a', proposal: { failoverTimeoutMs: 300 }, agree: true });
  send({ type: 'vote', key: 'b', proposal: { failoverTimeoutMs: 300 }, agree: true });
  // A second proposal while one is open is refused, in words.
  act('a', { type: 'configure', settings: { shardCount: 8 } });
  wait(10_000);
  act('a', { type: 'undrain', node: mine() });
  act('a', { type: 'repair', node: mine() });
  act('a', { type: 'scale-up', node: mine() });
  act('a', { type: 'demote', node: mine() });
  act('a', { type: 'rate-limit', node: mine() });
  while (m.phase === 'live' && !m.isClosing) wait(1_000);
  while (m.isClosing) send({ type: 'closing-step' });
  expect(debrief, `${id}: the round reached its debrief`).not.toBeNull();
  debriefLines(id, debrief!, m, shown);
  return debrief!;
}

/** Everything the debrief shows, in the words it shows them. */
function debriefLines(id: ScenarioId, d: Debrief, m: RoundModel, shown: Shown): void {
  const rec = d.record;
  for (const e of rec.events) {
    // The debrief's timeline: the event's words, or a sentence made from its kind.
    const text = e.text ?? eventKindText(e.kind, e.node);
    shown.add(`${id} debrief timeline`, text);
    const phrase = causePhrase({ kind: e.kind, text, node: e.node ?? -1 });
    if (e.kind === 'election') shown.add(`${id} debrief timeline`, electionsText(3, [1, 2], phrase, text));
  }
  for (const c of pickCards(rec, 16)) {
    shown.add(`${id} card ${c.id}`, c.title);
    shown.add(`${id} card ${c.id}`, c.idea);
    for (const s of c.story) shown.add(`${id} card ${c.id}`, s);
    shown.add(`${id} card ${c.id}`, c.tryNext);
  }
  const b = d.budget!;
  shown.add(`${id} budget story`, b.headline);
  for (const s of b.stretches) {
    shown.add(`${id} budget story`, s.text);
    for (const c of s.context) shown.add(`${id} budget story`, c);
  }
  shown.add(`${id} budget story`, budgetHeadline(b.spent, b.allowed));
  for (const c of d.credits ?? []) shown.add(`${id} credits`, c.text);
  const lines = promiseVerdictLines(rec.scenario, slaVerdict({ sla: rec.sla }, d.summary));
  for (const l of Object.values(lines)) shown.add(`${id} verdict`, l);
  shown.add(`${id} drowned`, drownedByCopies(rec, b.byCause.overload, b.spent, 3));
  shown.add(`${id} drowned`, drownedByCopies({ ...rec, summary: { ...rec.summary, availability: 0 } }, 90, 100, 3));
  // The replay's timeline of the same round, from what its recording would hold.
  const sc = getScenario(id)!;
  const recording = {
    roster: [], rosterChanges: [], phases: [{ tick: 0, phase: 'live' }], tickMs: TICK_MS,
    chaosEvents: m.sim.S.chaosSchedule.filter((c) => c.source === 'schedule'),
    commands: [],
  } as unknown as Recording;
  for (const mk of markersOf(recording, sc, m.tick)) shown.add(`${id} replay timeline`, mk.text);
}

/** Every string in an exported constant of a words module (names of fields that hold ids are skipped). */
function constants(where: string, value: unknown, shown: Shown, depth = 0): void {
  if (depth > 6) return;
  if (typeof value === 'string') shown.add(where, value, /\.name$/.test(where));
  else if (Array.isArray(value)) value.forEach((v) => constants(where, v, shown, depth + 1));
  else if (value !== null && typeof value === 'object' && !(value instanceof Set) && !(value instanceof Map)) {
    for (const [k, v] of Object.entries(value)) if (!ID_FIELDS.has(k)) constants(`${where}.${k}`, v, shown, depth + 1);
  }
}
const ID_FIELDS = new Set(['key', 'value', 'family', 'id', 'kind', 'cls']);

/** The words modules' builders over their whole range of inputs. */
function builders(shown: Shown): void {
  for (const k of CHAOS_KINDS) {
    for (const hit of [{ node: 2 }, { cut: [1, 3] }, { cut: [4] }, { cut: 2 }, { region: 'Europe' }, { key: 'acct-1' }, {}]) {
      shown.add(`chaosStartText ${k}`, chaosStartText(k, 0.3, hit));
      shown.add(`chaosPlanText ${k}`, chaosPlanText(k, 0.3, 12_000, hit));
    }
    shown.add(`faultAlert ${k}`, faultAlert(k, 2, 0.3, 5)?.text);
    shown.add(`eventKindText ${k}`, eventKindText(k, 2));
    shown.add(`eventKindText ${k}`, eventKindText(k));
  }
  shown.add('alreadyDownText', alreadyDownText(3));
  for (const l of CHAOS_LEVELS) shown.add(`chaosLevelText ${l}`, chaosLevelText(l));
  for (const t of COMMAND_TYPES) {
    shown.add(`eventKindText ${t}`, eventKindText(t, 1));
    shown.add(`commandFeedText ${t}`, commandFeedText(t, 1, { region: 'Europe' }));
  }
  for (const k of ['heal', 'election', 'step-down', 'recover', 'rebalance', 'vote', 'player', 'phase', 'something-new']) shown.add(`eventKindText ${k}`, eventKindText(k, 1));
  const samples: Command[] = [
    { type: 'configure', settings: { writeQuorum: 'all', antiEntropyMs: 2000, failoverTimeoutMs: 800 } },
    { type: 'scale-out', region: 0 },
    { type: 'stance', node: 0, stance: 'serve' },
    { type: 'rate-limit', node: 0 },
    { type: 'chaos', kind: 'slow-node', target: 1, durationMs: 1000, magnitude: 0.2 },
    ...(['restart', 'replace', 'scale-up', 'drain', 'undrain', 'remove', 'promote', 'demote', 'repair'] as const).map((type) => ({ type, node: 2 })),
  ];
  for (const c of samples) shown.add(`commandDoneText ${c.type}`, commandDoneText(c));
  shown.add('settingsChangedText', settingsChangedText({ replicationFactor: 3, readQuorum: 'one', antiEntropyMs: 2000, failoverTimeoutMs: 800 }));
  for (const [load, q] of [[0, 0], [50, 10], [100, 40], [400, 160]]) shown.add('nodeBusyText', nodeBusyText(70, q!, load!));
  for (const x of [-5, 0, 0.5, 1.2, 4, 40]) {
    shown.add('burnText', burnText(x));
    shown.add('runsOutText', runsOutText(x * 30));
    shown.add('budgetShareText', budgetShareText(x, false));
  }
  shown.add('budgetLeftText', budgetLeftText(-30, 100));
  for (const c of ['crash', 'partition-random', 'heal', 'restart', 'configure', 'flood'] as const) {
    shown.add(`causePhrase ${c}`, causePhrase({ kind: c, text: 'Node 3 crashed', node: -1 }));
    shown.add(`electionsText ${c}`, electionsText(4, [0, 2], causePhrase({ kind: c, text: 'Node 3 crashed', node: 3 }), 'Node 2 became leader of shard 1 in epoch 4'));
  }
  shown.add('stepDownsText', stepDownsText(3, [1], 'Node 1 learned of epoch 5 and stepped down'));
  shown.add('stepDownsText', stepDownsText(3, [1, 2], 'Node 1 learned of epoch 5 and stepped down'));
  for (const id of SCENARIO_IDS) shown.add(`promiseText ${id}`, promiseText(getScenario(id)!));
  shown.add('TRIED_EVERYTHING', TRIED_EVERYTHING);
  const modules = { adviceWords, budgetWords, chaosWords, commandWords, creditWords, debriefWords, difficultyWords, durabilityWords, loadingWords, mapKeyWords, phaseWords, promiseWords, settingWords, feedWords, voteWords };
  for (const [name, mod] of Object.entries(modules)) for (const [k, v] of Object.entries(mod)) if (typeof v !== 'function') constants(`${name}.${k}`, v, shown);
}

describe('every string a player can be shown', () => {
  it('the scan catches what leaked before', () => {
    for (const bad of ['proposes replicationFactor = 3, readQuorum = one', 'slow-node', 'crash', 'partition-random', 'none chaos · undefined', 'NaN% full', '[object Object]', 'writeQuorum = all']) {
      expect(leak(bad), bad).not.toBeNull();
    }
    for (const good of ['Node 3 crashed', '3 copies of each key, reads from one copy', 'Rate-limit', 'R + W = 4 > N = 3: every read meets the latest confirmed write.', 'no chaos', 'leader-follower replication']) {
      expect(leak(good), good).toBeNull();
    }
  });

  // One round per scenario, each its own test (a round takes seconds, more on a busy machine).
  for (const id of SCENARIO_IDS) {
    it(`${id}: reads as plain words through chaos, votes, actions, errors and the debrief`, { timeout: 300_000 }, () => {
      const { debrief, shown } = roundOf(id);
      const count = (part: string) => [...shown.lines.values()].filter((w) => w.includes(part)).length;
      // The round really showed what the scan is for: strikes, the feed, refusals, cards.
      expect(count('feed')).toBeGreaterThan(5);
      expect(count('error')).toBeGreaterThanOrEqual(2);
      expect(count('card')).toBeGreaterThan(5);
      expect(debrief.record.events.some((e) => (CHAOS_KINDS as readonly string[]).includes(e.kind))).toBe(true);
      expect(shown.problems()).toEqual([]);
    });
  }

  it('across the rounds, the advisor spoke and the votes were told; and every words builder and constant reads as plain words', () => {
    const all = [...played.values()].flatMap((r) => [...r.shown.lines.values()]);
    expect(all.filter((w) => w.includes('advisor')).length).toBeGreaterThan(3);
    expect(all.filter((w) => w.includes('vote')).length).toBeGreaterThan(3);
    const shown = new Shown();
    builders(shown);
    expect(shown.lines.size).toBeGreaterThan(200);
    expect(shown.problems()).toEqual([]);
  });

  it('tells every strike of a round with its node, even once the feed has forgotten it', { timeout: 300_000 }, () => {
    const d = roundOf('bank').debrief;
    const strikes = d.record.events.filter((e) => (CHAOS_KINDS as readonly string[]).includes(e.kind));
    expect(strikes.length).toBeGreaterThanOrEqual(3);
    for (const e of strikes) {
      expect(e.text, `${e.kind} at ${e.t}`).toBeDefined();
      if (['crash', 'crash-disk-loss', 'slow-node', 'clock-skew', 'flood'].includes(e.kind)) expect(e.text, e.kind).toMatch(/\b[Nn]ode \d+\b/);
    }
  });
});

describe('try next', () => {
  it('never suggests settings the team already played with', { timeout: 300_000 }, () => {
    const rec = roundOf('cart').debrief.record;
    expect(rec.used?.replicationFactor).toContain(5);
    for (const id of Object.keys(CARDS) as ConceptId[]) {
      const text = tryNextFor(id, rec, CARDS[id].tryNext);
      // The team played 5 copies and a 300 ms failover timeout: neither comes back as advice.
      expect(text, id).not.toMatch(/300 ms/);
      const everything = { ...rec, used: { ...rec.used, stance: ['refuse', 'serve'] as ('refuse' | 'serve')[] } };
      if (id === 'cap') expect(tryNextFor(id, everything, CARDS[id].tryNext)).toMatch(/tried both stances/);
    }
    const refused = { ...rec, settings: { ...rec.settings, stance: 'refuse' as const }, used: { stance: ['refuse' as const] } };
    expect(tryNextFor('cap', refused, '')).toMatch(/set to serve without a quorum/);
    const quorum = { ...rec, settings: { ...rec.settings, replication: 'leaderless' as const, readQuorum: 'quorum' as const, writeQuorum: 'quorum' as const }, used: {} };
    expect(tryNextFor('strong-consistency', quorum, '')).toMatch(/reading from one copy/);
  });

  it('a team that set a node to serve, where no request met the cut-off side, is not told it chose consistency', { timeout: 300_000 }, () => {
    const rec = roundOf('bank').debrief.record;
    expect(rec.events.some((e) => e.kind === 'partition-random')).toBe(true);
    const quiet = { ...rec, summary: { ...rec.summary, refusedNoQuorum: 0, servedWithoutQuorum: 0 }, used: { ...rec.used, stance: ['refuse', 'serve'] as ('refuse' | 'serve')[] } };
    const cap = pickCards(quiet, 16).find((c) => c.id === 'cap')!;
    expect(cap.variant).toBe('quiet');
    expect(cap.story.join(' ')).toContain('no request reached a cut-off node');
    expect(cap.story.join(' ')).not.toMatch(/chose consistency/);
    expect(cap.tryNext).toMatch(/tried both stances/);
    const refused = { ...quiet, used: { stance: ['refuse'] as ('refuse' | 'serve')[] }, settings: { ...quiet.settings, stance: 'refuse' as const } };
    expect(pickCards(refused, 16).find((c) => c.id === 'cap')!.variant).toBe('cp');
  });

  it('says when more copies per key drowned the cluster, and not when they did not', { timeout: 300_000 }, () => {
    const d = roundOf('bank').debrief;
    const broke = { ...d.record, summary: { ...d.record.summary, availability: 0.5 }, settings: { ...d.record.settings, replicationFactor: 5 } };
    const text = drownedByCopies(broke, 700, 1000, 3);
    expect(text).toMatch(/^5 copies of each key drowned the cluster: every write had to be stored 5 times/);
    expect(text).toContain('700 requests, 70% of the round');
    // The team voted 5 copies in before the round began: fewer copies is the way out it has not played.
    expect(text).toMatch(/3 copies of each key would have left the nodes room, and so would more nodes \(Add a node here\)\.$/);
    // A team that had played 3 copies too is pointed at more nodes instead.
    expect(drownedByCopies({ ...broke, used: { replicationFactor: [3, 5] } }, 700, 1000, 3)).toMatch(/More nodes \(Add a node here\) would have carried them\.$/);
    expect(drownedByCopies(broke, 200, 1000, 3)).toBeNull();
    expect(drownedByCopies({ ...broke, summary: { ...broke.summary, availability: 1 } }, 700, 1000, 3)).toBeNull();
    expect(drownedByCopies({ ...broke, settings: { ...broke.settings, replicationFactor: 3 }, used: { replicationFactor: [3] } }, 700, 1000, 3)).toBeNull();
  });
});
