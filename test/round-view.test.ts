// The round view's one definition (shared/view): the room's schema and a plain view start
// alike and the shared projection fills both alike, so a replay in the browser draws what
// the live room showed; settings travel by one copy.

import { describe, expect, it } from 'vitest';
import { ErrorBudgetView, FaultView, FeedItemView, MeasuresView, MetricWindowView, NetworkView, NodeView, PlayerView, SettingsView, VoteView, ClusterState } from '../server/rooms/schema.js';
import { projectSim as projectIntoSchema } from '../server/rooms/projection.js';
import { advance, createSim } from '../shared/sim/engine.js';
import { newErrorBudget, newFault, newFeedItem, newMeasures, newNetwork, newNode, newPlayer, newRoundState, newVote, newWindow, PLAIN_MAKERS } from '../shared/view/plain.js';
import { createProjectionMemory, projectSim, projectStatic, resetProjection } from '../shared/view/project.js';
import { copySettings, defaultViewSettings, SETTINGS_FIELDS, settingsOf } from '../shared/view/settings.js';
import { roundViewOf } from '../shared/view/view-of.js';
import { copyTeamNodes, teamStatusOf, type TeamNodeStatus } from '../shared/view/team-status.js';
import { TeamNodeView } from '../server/rooms/session-schema.js';
import { getScenario } from '../shared/scenarios/index.js';

describe('the round view', () => {
  it('starts the same in the schema and in a plain view, field for field', () => {
    expect(new NodeView().toJSON()).toEqual(newNode(0));
    expect(new PlayerView().toJSON()).toEqual(newPlayer(''));
    expect(new MeasuresView().toJSON()).toEqual(newMeasures());
    expect(new ErrorBudgetView().toJSON()).toEqual(newErrorBudget());
    expect(new MetricWindowView().toJSON()).toEqual(newWindow());
    expect(new FeedItemView().toJSON()).toEqual(newFeedItem());
    expect(new FaultView().toJSON()).toEqual(newFault());
    expect(new NetworkView().toJSON()).toEqual(newNetwork());
    expect(new SettingsView().toJSON()).toEqual(defaultViewSettings());
    expect(new VoteView().toJSON()).toEqual({ ...newVote(), ballots: {} });
    expect(roundViewOf(new ClusterState(), 'me')).toEqual(roundViewOf(newRoundState(), 'me'));
  });

  it('is filled alike by the shared projection, into the schema or into plain objects', () => {
    const sim = createSim({ scenario: 'bank', chaos: 'heavy', seed: 22, durationMs: 20_000, recordHistory: false });
    const schema = new ClusterState();
    const plain = newRoundState();
    const schemaMem = createProjectionMemory();
    const plainMem = createProjectionMemory();
    projectStatic(schema, sim);
    projectStatic(plain, sim);
    let faultsSeen = 0;
    for (let t = 200; t <= 20_000; t += 200) {
      advance(sim, t);
      projectIntoSchema(schema, sim, schemaMem);
      projectSim(plain, sim, plainMem, PLAIN_MAKERS);
      if (t % 2000 === 0) {
        expect(roundViewOf(schema, '')).toEqual(roundViewOf(plain, ''));
        faultsSeen += plain.faults.length;
      }
    }
    // The heavy chaos level struck something along the way, and the feed and windows are full.
    expect(faultsSeen).toBeGreaterThan(0);
    expect(plain.windows.length).toBeGreaterThan(10);
    expect(plain.feed.length).toBeGreaterThan(0);
    // The error budget: the promise as played, failures spent against those allowed.
    const b = roundViewOf(plain, '').errorBudget;
    expect(b.target).toBe(sim.sc.sla.availability);
    expect(b.allowed).toBeGreaterThan(0);
    expect(b.spent).toBe(sim.S.metrics.fail + sim.S.metrics.info);
    expect(b.left).toBe(b.allowed - b.spent);
    expect(b.burnRate).toBeGreaterThanOrEqual(0);
  });

  it('carries the round\'s difficulty, and the promise and budget the round is judged by at it', () => {
    const written = getScenario('bank')!;
    for (const difficulty of ['easy', 'hard'] as const) {
      const sim = createSim({ scenario: 'bank', chaos: 'normal', difficulty, seed: 11, durationMs: 5_000, recordHistory: false });
      const schema = new ClusterState();
      const plain = newRoundState();
      projectStatic(schema, sim);
      projectStatic(plain, sim);
      const v = roundViewOf(schema, '');
      expect(v).toEqual(roundViewOf(plain, ''));
      expect(v.difficulty).toBe(difficulty);
      // The briefing and the HUD read the scenario from the view: the difficulty's numbers, the budget the measures show.
      expect(v.scenario!.sla).toEqual(sim.sc.sla);
      expect(v.scenario!.budget.limit).toBe(v.measures.budget);
      if (difficulty === 'easy') expect(v.scenario!.sla.availability).toBeLessThan(written.sla.availability);
      else expect(v.scenario!.sla.availability).toBeGreaterThan(written.sla.availability);
    }
    // A state that names no difficulty the game knows (an older server) is a normal round.
    const old = newRoundState();
    old.scenario = 'bank';
    old.difficulty = 'legendary';
    expect(roundViewOf(old, '').difficulty).toBe('normal');
    expect(roundViewOf(old, '').scenario).toBe(written);
  });

  it('shows the throughput of the moment projected: 0 before the first window closes, even in a view that showed a later moment', () => {
    const run = (ms: number) => {
      const sim = createSim({ scenario: 'bank', chaos: 'none', seed: 4, durationMs: 60_000, recordHistory: false });
      advance(sim, ms);
      return sim;
    };
    const plain = newRoundState();
    const mem = createProjectionMemory();
    const late = run(20_000);
    projectStatic(plain, late);
    projectSim(plain, late, mem, PLAIN_MAKERS);
    const rate = plain.measures.throughput;
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBe(plain.windows[plain.windows.length - 1]!.throughput);
    // The same view drawn again for the round's start (a replay sought back to 0:00): no window has closed, nothing done yet.
    for (const ms of [0, 200]) {
      const early = run(ms);
      resetProjection(plain, mem);
      projectStatic(plain, early);
      projectSim(plain, early, mem, PLAIN_MAKERS);
      expect(plain.windows).toEqual([]);
      expect(plain.measures.throughput, `at ${ms} ms`).toBe(0);
      // Projected again with nothing new (a paused replay): still the moment's value.
      projectSim(plain, early, mem, PLAIN_MAKERS);
      expect(plain.measures.throughput).toBe(0);
    }
    // And forward again: the value a view that never went back shows.
    const again = run(20_000);
    resetProjection(plain, mem);
    projectStatic(plain, again);
    projectSim(plain, again, mem, PLAIN_MAKERS);
    expect(plain.measures.throughput).toBe(rate);
  });

  it('copies every setting, in the schema\'s field order', () => {
    expect(SETTINGS_FIELDS).toEqual(Object.keys(new SettingsView().toJSON()));
    const s = { ...defaultViewSettings(), replication: 'leaderless' as const, replicationFactor: 5, readRepair: true, placement: 'single-region' as const };
    expect(copySettings(new SettingsView(), s).toJSON()).toEqual(s);
    expect(settingsOf(s)).toEqual(s);
    expect(settingsOf(s)).not.toBe(s);
  });
});

describe("a class team's status", () => {
  it('is built from the round view: per node status, slowness, who runs it, crowns and partition side', () => {
    const v = newRoundState();
    v.phase = 'live';
    v.simMs = 61_000;
    v.durationMs = 180_000;
    v.replayId = 'r1';
    v.nodes.push(
      { ...newNode(0), leaderOf: 2, ownerId: 'ada', owner: 'Ada', botControlled: false },
      { ...newNode(1), slow: true, ownerId: 'bot-1', owner: 'Bot 1' },
      { ...newNode(2), status: 'down', slow: true, group: 1 },
    );
    v.network.partitioned = true;
    v.players.set('ada', { ...newPlayer('ada'), node: 0 });
    v.players.set('bot-1', { ...newPlayer('bot-1'), node: 1, isBot: true });
    v.players.set('bob', { ...newPlayer('bob'), connected: false });
    v.measures.score = 640;
    const s = teamStatusOf(v, { team: 2, round: 1, roomId: 'room', tick: 1220 });
    expect(s.nodes).toEqual([
      { status: 'up', slow: false, human: true, leaderOf: 2, group: 0 },
      { status: 'up', slow: true, human: false, leaderOf: 0, group: 0 },
      // Slowness only shows on a node that is up.
      { status: 'down', slow: false, human: false, leaderOf: 0, group: 1 },
    ]);
    expect(s).toMatchObject({ team: 2, round: 1, roomId: 'room', replayId: 'r1', phase: 'live', simMs: 61_000, tick: 1220, partitioned: true, score: 640, humans: 1 });
    // Before the live phase the clock has not started.
    expect(teamStatusOf({ ...v, phase: 'setup' }, { team: 2, round: 1, roomId: 'room', tick: 0 }).simMs).toBe(0);
  });

  it("is copied into the session's state node by node", () => {
    const into: TeamNodeStatus[] = [];
    const a: TeamNodeStatus = { status: 'up', slow: false, human: true, leaderOf: 1, group: 0 };
    copyTeamNodes(into, [a, { ...a, human: false, leaderOf: 0 }], () => new TeamNodeView());
    expect(into.map((n) => (n as TeamNodeView).toJSON())).toEqual([a, { ...a, human: false, leaderOf: 0 }]);
    copyTeamNodes(into, [{ ...a, status: 'recovering' }], () => new TeamNodeView());
    expect(into.map((n) => ({ ...(n as TeamNodeView).toJSON() }))).toEqual([{ ...a, status: 'recovering' }]);
  });
});
