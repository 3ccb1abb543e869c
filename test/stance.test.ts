// A cut-off node's stance changes what its clients get, in every replication family: the
// same seed, the same scripted split (the host's 'chaos' command cutting one node off), and
// only that node's stance differs. Its split record (what it did while cut off) says how.
import { describe, expect, it } from 'vitest';
import { advance, createSim } from '../shared/sim/engine.js';
import { applyCommand } from '../shared/sim/commands.js';
import { targetCutting } from '../shared/sim/chaos.js';
import { leaderFollowerAp, leaderFollowerCp, leaderlessOne, leaderlessQuorum } from '../shared/scenarios/common.js';
import type { ClusterSettings, Stance } from '../shared/scenarios/settings.js';
import type { SplitRecord } from '../shared/sim/state.js';
import { createProjectionMemory, projectSim, projectStatic } from '../shared/view/project.js';
import { newRoundState, PLAIN_MAKERS } from '../shared/view/plain.js';
import { splitText } from '../shared/words/split.js';

const CUT = 4;
const SPLIT_AT = 6_000;
const SPLIT_MS = 6_000;

/** Run bank's cluster with these settings, cut node CUT off for a while, and return its record of the split. */
function splitRecord(settings: ClusterSettings, stance: Stance): SplitRecord {
  const sim = createSim({ scenario: 'bank', settings, chaos: 'none', seed: 3, durationMs: 20_000, recordHistory: false });
  advance(sim, 2_000);
  expect(applyCommand(sim, { type: 'stance', node: CUT, stance }).ok).toBe(true);
  advance(sim, SPLIT_AT);
  const target = targetCutting(sim.S.nodes.length, CUT)!;
  expect(applyCommand(sim, { type: 'chaos', kind: 'partition-random', target, durationMs: SPLIT_MS, magnitude: 0 }).ok).toBe(true);
  expect(sim.S.partition!.groups[CUT]).toBe(1);
  // A few seconds after the heal, so the judge has ruled on every read of the split.
  advance(sim, SPLIT_AT + SPLIT_MS + 3_000);
  const rec = sim.S.nodes[CUT]!.lastSplit;
  expect(rec).not.toBeNull();
  expect(rec!.minority).toBe(true);
  expect(rec!.stale).toBeLessThanOrEqual(rec!.reads);
  return rec!;
}

const FAMILIES: [string, ClusterSettings][] = [
  ['leader-follower, consistency first', leaderFollowerCp({ shardCount: 10 })],
  ['leader-follower, availability first', leaderFollowerAp({ shardCount: 10 })],
  ['leaderless with quorums', leaderlessQuorum({ shardCount: 10 })],
  ['leaderless at level one', leaderlessOne({ shardCount: 10 })],
];

describe('a cut-off node does what its stance says', () => {
  for (const [name, settings] of FAMILIES) {
    it(name, () => {
      const refuse = splitRecord(settings, 'refuse');
      const serve = splitRecord(settings, 'serve');
      // Refusing turns clients away; serving answers them (reads from its own, older copy).
      expect(refuse.refused).toBeGreaterThan(serve.refused);
      expect(serve.reads + serve.writes).toBeGreaterThan(refuse.reads + refuse.writes);
      expect(serve.reads).toBeGreaterThan(refuse.reads);
      // Answering from a copy that stopped hearing the other side shows old balances.
      expect(serve.stale).toBeGreaterThan(refuse.stale);
    });
  }
});

describe('the node panel says what the node did while cut off', () => {
  it('projects the split record and puts it in a sentence that keeps or breaks the promise', () => {
    const sentences: Record<Stance, string> = { refuse: '', serve: '' };
    for (const stance of ['refuse', 'serve'] as const) {
      const sim = createSim({ scenario: 'bank', settings: leaderFollowerCp({ shardCount: 10 }), chaos: 'none', seed: 3, durationMs: 20_000, recordHistory: false });
      const view = newRoundState();
      const mem = createProjectionMemory();
      projectStatic(view, sim);
      applyCommand(sim, { type: 'stance', node: CUT, stance });
      advance(sim, SPLIT_AT);
      applyCommand(sim, { type: 'chaos', kind: 'partition-random', target: targetCutting(sim.S.nodes.length, CUT)!, durationMs: SPLIT_MS, magnitude: 0 });
      advance(sim, SPLIT_AT + 3_000);
      projectSim(view, sim, mem, PLAIN_MAKERS);
      expect(view.nodes[CUT]!.split, 'the split going on').toBe(1);
      expect(view.nodes[CUT]!.splitMinority).toBe(true);
      advance(sim, SPLIT_AT + SPLIT_MS + 3_000);
      projectSim(view, sim, mem, PLAIN_MAKERS);
      const n = view.nodes[CUT]!;
      expect(n.split, 'the last split').toBe(2);
      expect(n.splitSeconds).toBe(SPLIT_MS / 1000);
      sentences[stance] = splitText({ split: n.split, minority: n.splitMinority, seconds: n.splitSeconds, reads: n.splitReads, stale: n.splitStale, writes: n.splitWrites, refused: n.splitRefused }, true, true);
    }
    expect(sentences.refuse).toMatch(/^During the last split \(6\u00a0s, cut off from most of the cluster\) your node .*refused [\d,]+ requests\. It kept the promise: no out-of-date data\.$/);
    expect(sentences.serve).toMatch(/answered .*[\d,]+ reads, [\d,]+ of them stale\b.*\. The stale reads broke the customer's promise/);
  });
});
