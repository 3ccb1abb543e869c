// Durability under majority replication: a confirmed write is on most of its shard's
// copies, so it can vanish only when most of those copies lose their disks before the shard
// is copied again. Long heavy-chaos rounds hold the protocol to that, and a staged loss
// checks that the debrief names the disks that took the writes.

import { describe, expect, it } from 'vitest';
import { pickCards } from '../shared/lessons/pick.js';
import { roundRecordOf } from '../shared/lessons/record.js';
import { shardLosses } from '../shared/sim/durability.js';
import { lostWrites } from '../shared/sim/engine.js';
import { nodeList } from '../shared/words/durability.js';
import { chaosAt, drive, finish, runRound, splitEpochs } from './support/sim-helpers.js';

describe('bank, consistency first, heavy chaos', () => {
  // Seeds and lengths where confirmed writes went missing before: two disks of one shard
  // lost a quarter of a second apart (1), both holders of the newest writes wiped while the
  // third copy was down (303), and a shard left without a leader for a minute (11).
  for (const [seed, seconds] of [
    [303, 120],
    [1, 180],
    [11, 150],
  ] as const) {
    it(`seed ${seed}, ${seconds} s: writes are lost only with most of a shard's copies`, () => {
      const r = runRound({ scenario: 'bank', preset: 'cp', chaos: 'heavy', seed, durationMs: seconds * 1000, recordHistory: false });
      const s = finish(r);
      const losses = shardLosses(r.sim.S);
      expect(losses.reduce((n, l) => n + l.lost, 0)).toBe(lostWrites(r.sim.S).total);
      expect(s.lostWrites).toBe(lostWrites(r.sim.S).total);
      for (const l of losses) expect(l.majority, `shard ${l.shard} lost ${l.lost} writes; wiped: ${JSON.stringify(l.wiped)}`).toBe(true);
      expect(s.staleReads).toBe(0);
      expect(splitEpochs(r.sim)).toEqual([]);
    });
  }
});

describe('a shard that loses most of its copies', () => {
  it('loses the writes only they held, and the debrief says whose disks took them', () => {
    // Three nodes, every shard on all three. C crashes (its disk survives) and stays down;
    // A and B go on confirming writes between them, then both lose their disks. C comes back
    // at the end without those writes: they are gone, and no protocol could have kept them.
    const r = runRound({ scenario: 'tutorial', preset: 'cp', chaos: 'none', seed: 5, durationMs: 12_000, untilMs: 1_000 });
    const { S } = r.sim;
    const [A, B, C] = S.shards[0]!.replicas as [number, number, number];
    drive(r, [chaosAt(2_000, 'crash', C, 60_000), chaosAt(5_000, 'crash-disk-loss', A, 60_000), chaosAt(5_500, 'crash-disk-loss', B, 60_000)], 12_000);
    expect(r.commandResults.every((c) => c.ok)).toBe(true);
    const s = finish(r);
    expect(s.lostWrites).toBeGreaterThan(0);
    const losses = shardLosses(S);
    expect(losses.length).toBeGreaterThan(0);
    for (const l of losses) expect(l.wiped).toEqual([{ node: A, t: 5_000 }, { node: B, t: 5_500 }]);
    const rec = roundRecordOf(r.sim);
    const card = pickCards(rec).find((c) => c.id === 'replication');
    expect(card?.variant).toBe('copies-lost');
    const story = card!.story.join(' ');
    expect(story).toContain(`kept its copies on ${nodeList([A, B, C].sort((a, b) => a - b))}.`);
    expect(story).toContain(`Node ${A} lost its disk at 0:05 and node ${B} at 0:05`);
    expect(story).toContain(`${losses[0]!.lost} confirmed write`);
  });

  it('one lost disk takes nothing: the debrief does not blame it', () => {
    const r = runRound({ scenario: 'tutorial', preset: 'cp', chaos: 'none', seed: 5, durationMs: 10_000, commands: [chaosAt(3_000, 'crash-disk-loss', 0, 2_000)] });
    expect(r.summary!.lostWrites).toBe(0);
    expect(shardLosses(r.sim.S)).toEqual([]);
    const card = pickCards(roundRecordOf(r.sim)).find((c) => c.id === 'replication');
    expect(card?.variant ?? 'safe').not.toBe('copies-lost');
  });
});
