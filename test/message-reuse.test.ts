// A handled message turned into its answer (shared/sim/reuse.ts) must be exactly what a
// fresh message would be: the event queue is hashed and snapshotted as JSON, so a field
// left over, missing or out of order would change every recorded round's checkpoints.

import { describe, expect, it } from 'vitest';
import { message } from '../shared/sim/net.js';
import { releaseMessage, reuseMessage } from '../shared/sim/reuse.js';

describe('reusing a handled message', () => {
  it('gives the same JSON, field for field and in the same order, as a fresh message', () => {
    const used = message(7, 3);
    Object.assign(used, {
      t: 12.5, q: 99, k: 2, node: 4, inc: 3, a: 17, shard: 5, epoch: 8, key: 42, op: 1234, seq: 6,
      ver: { v: 1, ts: 2, n: 3, ep: 4, sq: 5, vv: null }, vers: [[]], keys: [1, 2], req: 77, ok: false,
    });
    const reused = reuseMessage(used, 11, 2);
    expect(reused).toBe(used);
    expect(JSON.stringify(reused)).toBe(JSON.stringify(message(11, 2)));
  });

  it('hands a released message out again, reset to exactly what a fresh one would be', () => {
    const used = message(7, 3);
    Object.assign(used, {
      t: 3.25, q: 5, k: 4, node: 1, inc: 2, a: 9, shard: 2, epoch: 3, key: 8, op: 77, seq: 1,
      ver: null, vers: [[{ v: 4, ts: 1, n: 0, ep: 0, sq: 0, vv: null }]], keys: null, req: 3, ok: false,
    });
    releaseMessage(used);
    const again = message(12, 5);
    expect(again).toBe(used);
    expect(JSON.stringify(again)).toBe(JSON.stringify({ ...message(12, 5) }));
    expect(JSON.stringify(again)).toBe(JSON.stringify(reuseMessage(message(0, 0), 12, 5)));
  });
});

