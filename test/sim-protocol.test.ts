// Hand-made fault sequences against the replication protocols: the cases a random chaos
// schedule reaches only rarely, staged with host commands at chosen moments.

import { describe, expect, it } from 'vitest';
import { liveNodes, targetCutting } from '../shared/sim/chaos.js';
import type { SimState } from '../shared/sim/state.js';
import { chaosAt, check, clientOps, drive, expectedRequests, finish, presetWith, provablyLost, runRound, splitEpochs, type Round, type TimedCommand } from './support/sim-helpers.js';

/** A host command that cuts node `id` off alone (a random partition aimed at it). */
function isolate(S: SimState, id: number, at: number, durationMs: number): TimedCommand {
  const live = liveNodes(S);
  return { at, cmd: { type: 'chaos', kind: 'partition-random', target: targetCutting(live.length, live.indexOf(id))!, durationMs, magnitude: 0 } };
}

function roleOf(S: SimState, id: number, shard: number): string {
  const rep = S.nodes[id]!.shards[shard];
  return rep === null || rep === undefined ? '-' : `${rep.role}@${rep.epoch}`;
}

describe('leader-follower, majority elections, after a disk loss', () => {
  it('a replica that lost its disk does not help a deposed leader serve or commit', () => {
    // Three nodes, every shard on all three (the tutorial's cluster, cp preset).
    // 1. The leader L of shard 0 is cut off; N and F elect N in a new epoch, F voting for it,
    //    and N commits writes that L never sees.
    // 2. F crashes and loses its disk: it forgets that it voted for N and what it stored.
    // 3. Before F is back, the partition moves: now N is cut off, L and F can talk.
    // L still believes it leads the old epoch. If the amnesiac F acknowledged L's
    // heartbeats, copies and read confirmations, L would have its "majority" again and
    // serve reads without N's writes (stale reads) and commit writes N's side never saw.
    const r = runRound({ scenario: 'tutorial', preset: 'cp', chaos: 'none', seed: 1, durationMs: 20_000, untilMs: 2_000 });
    const { S } = r.sim;
    const shard = 0;
    const L = S.shards[shard]!.leader;
    const first = [isolate(S, L, 3_000, 20_000)];
    drive(r, first, 6_500);
    const N = S.shards[shard]!.leader;
    const F = S.shards[shard]!.replicas.find((id) => id !== L && id !== N)!;
    expect(N, 'a new leader was elected on the majority side').not.toBe(L);
    expect(roleOf(S, L, shard)).toMatch(/^leader@/);
    const second = [
      { at: 7_000, cmd: { type: 'chaos' as const, kind: 'crash-disk-loss' as const, target: F, durationMs: 1_000, magnitude: 0 } },
      isolate(S, N, 8_000, 8_000),
    ];
    drive(r, second, 20_000);
    expect(r.commandResults.every((c) => c.ok)).toBe(true);
    const s = finish(r);
    expect(s.staleReads, 'stale reads served by the deposed leader').toBe(0);
    expect(s.lostWrites).toBe(0);
    expect(check(r).linearizable).toBe(true);
    expect(splitEpochs(r.sim)).toEqual([]);
  });

  it('the amnesiac rejoins once the current leader can reach it', () => {
    // Same cluster; F loses its disk with no partition: it must learn the current epoch
    // from the others, take a full copy from the leader, and count again.
    const r = runRound({ scenario: 'tutorial', preset: 'cp', chaos: 'none', seed: 2, durationMs: 14_000, untilMs: 2_000 });
    const { S } = r.sim;
    const L = S.shards[0]!.leader;
    const F = S.shards[0]!.replicas.find((id) => id !== L)!;
    const cmds: TimedCommand[] = [{ at: 3_000, cmd: { type: 'chaos', kind: 'crash-disk-loss', target: F, durationMs: 1_000, magnitude: 0 } }];
    drive(r, cmds, 9_000);
    const rep = S.nodes[F]!.shards[0]!;
    expect(S.nodes[F]!.status).toBe('up');
    expect(rep.amnesiac, 'synced by the leader').toBe(false);
    expect(rep.votedEpoch).toBeGreaterThanOrEqual(S.shards[0]!.leaderEpoch);
    expect(rep.leader).toBe(S.shards[0]!.leader);
    const s = finish(r);
    expect(s.staleReads + s.lostWrites).toBe(0);
  });
});

describe('leader-follower, majority elections, a lagging rival', () => {
  it('a replica too far behind to win, an epoch ahead, does not keep the up-to-date one from leading', () => {
    // Three nodes, every shard on all three. C is cut off and keeps standing for election,
    // its epoch climbing; the leader A loses its disk; B, alone with everything, stands too.
    // Once the network heals, B needs C's vote (the amnesiac A gives none until a leader
    // copies the shard to it). If C's vote requests taught B nothing, C would stay an epoch
    // ahead and refuse B forever: no leader, A never copied, and B's disk the only copy.
    const r = runRound({ scenario: 'tutorial', preset: 'cp', chaos: 'none', seed: 3, durationMs: 26_000, untilMs: 2_000 });
    const { S } = r.sim;
    const shard = 0;
    const A = S.shards[shard]!.leader;
    const [B, C] = S.shards[shard]!.replicas.filter((id) => id !== A) as [number, number];
    drive(r, [isolate(S, C, 3_000, 7_000), chaosAt(5_000, 'crash-disk-loss', A, 2_000)], 10_000);
    expect(S.shards[shard]!.leader === A || S.nodes[A]!.status !== 'up', 'no leader yet: B cannot win without C').toBe(true);
    drive(r, [], 17_000);
    // B leads once the network heals; once A has its copy back and has caught up, B may
    // already have handed the shard back to A, its preferred leader.
    const ready = [A, B].filter((id) => S.nodes[id]!.shards[shard]!.role === 'leader' && S.nodes[id]!.shards[shard]!.ready);
    expect(ready.map((id) => roleOf(S, id, shard)), 'B (or A, handed back) leads once the network heals').toHaveLength(1);
    expect(S.nodes[A]!.shards[shard]!.amnesiac, 'A has the shard back').toBe(false);
    // Now B's disk goes too: A and C hold every confirmed write, so nothing is lost.
    drive(r, [chaosAt(18_000, 'crash-disk-loss', B, 1_000)], 26_000);
    expect(r.commandResults.every((c) => c.ok)).toBe(true);
    const s = finish(r);
    expect(s.lostWrites).toBe(0);
    expect(check(r).linearizable).toBe(true);
    expect(splitEpochs(r.sim)).toEqual([]);
  });
});

describe('leader-follower, leadership goes back to the preferred leader', () => {
  it('after a crash, the restarted node leads its shards again, with one leader per epoch', () => {
    const r = runRound({ scenario: 'bank', preset: 'cp', chaos: 'none', seed: 5, durationMs: 20_000, untilMs: 1_000 });
    const { S } = r.sim;
    const preferredOf = (id: number) => S.shards.flatMap((p, s) => (p.replicas[0] === id ? [s] : []));
    const target = 1;
    const led = preferredOf(target);
    expect(led.length).toBeGreaterThan(0);
    drive(r, [chaosAt(2_000, 'crash', target, 2_000)], 6_000);
    // While it was down (and just after), its shards were led by others.
    expect(led.every((s) => S.nodes[target]!.shards[s]!.role !== 'leader')).toBe(true);
    drive(r, [], 20_000);
    // Back, caught up and settled: each of its shards was handed back to it.
    expect(led.map((s) => S.shards[s]!.leader)).toEqual(led.map(() => target));
    const s = finish(r);
    expect(s.lostWrites).toBe(0);
    expect(check(r).linearizable).toBe(true);
    expect(splitEpochs(r.sim)).toEqual([]);
  });
});

/** The share of the workload's requests that go to keys of these shards (hot keys weigh more). */
function trafficShare(r: Round, shards: number[]): number {
  const w = r.sim.sc.workload;
  let share = 0;
  for (let k = 0; k < w.keys; k++) {
    if (!shards.includes(r.sim.S.keyShard[k]!)) continue;
    share += (1 - w.hotFraction) / w.keys + (k < w.hotKeys ? w.hotFraction / w.hotKeys : 0);
  }
  return share;
}

describe('leader-follower, a sole replica after a disk loss', () => {
  it('starts again empty and serves (RF 1 loses data, not availability)', () => {
    const settings = presetWith('bank', 'cp', { replicationFactor: 1 });
    const r = runRound({ scenario: 'bank', settings, chaos: 'none', seed: 1, durationMs: 10_000, commands: [chaosAt(2_000, 'crash-disk-loss', 2, 1_000)] });
    const { S } = r.sim;
    const shards = S.shards.flatMap((p, s) => (p.replicas[0] === 2 ? [s] : []));
    expect(shards.length).toBeGreaterThan(0);
    // Node 2 is back at 4.5 s and leads its shards again an election timeout later.
    const late = clientOps(r.sim).filter((op) => op.invoke > 7_000 && shards.includes(S.keyShard[op.key]!));
    expect(late.length).toBeGreaterThan((expectedRequests('bank', 10_000, 7_000) * trafficShare(r, shards)) / 2);
    expect(late.filter((op) => op.type !== 'ok').length).toBe(0);
    expect(r.summary!.lostWrites).toBeGreaterThan(0);
  });
});

describe('leaderless, version vectors, after a disk loss', () => {
  it('a coordinator that lost its disk does not stamp vectors that older versions dominate', () => {
    // The cart's version-vector preset (RF 3, W = R = quorum): one node loses its disk early.
    // Its later writes must not be silently discarded as "already seen" by the replicas that
    // hold its earlier ones, and the game must count whatever is lost.
    for (const seed of [1, 2]) {
      const commands: TimedCommand[] = [{ at: 4_000, cmd: { type: 'chaos', kind: 'crash-disk-loss', target: seed, durationMs: 500, magnitude: 0 } }];
      const r = runRound({ scenario: 'cart', preset: 'version-vectors', chaos: 'none', seed, durationMs: 10_000, commands });
      const lost = provablyLost(r);
      expect(r.summary!.lostWrites, `the game counts at least the provable losses (${lost.examples.join(' ')})`).toBeGreaterThanOrEqual(lost.total);
      expect(lost.total, lost.examples.join(' ')).toBe(0);
      expect(r.summary!.lostWrites).toBe(0);
      expect(r.sim.S.counters.siblingsCreated).toBeGreaterThan(0);
    }
  });
});
