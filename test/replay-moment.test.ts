// A moment of a replay in its address (#at=…): what the debrief's "Branch from…" links make,
// the replay reads back; anything else in the hash is ignored, never a crash or a wild seek.

import { describe, expect, it } from 'vitest';
import { momentHash, parseMoment } from '../client/src/replay/moment.js';

describe('a moment in a replay address', () => {
  it('reads back what the debrief writes', () => {
    for (const ms of [0, 1, 83_000, 83_500, 599_999]) {
      expect(parseMoment(momentHash(ms, true))).toEqual({ ms, branch: true });
      expect(parseMoment(momentHash(ms, false))).toEqual({ ms, branch: false });
    }
    expect(momentHash(-20, false)).toBe('#at=0');
    expect(parseMoment('at=12.25')).toEqual({ ms: 12_250, branch: false });
  });

  it('ignores a hash that names no moment', () => {
    for (const bad of ['', '#', '#at=', '#at=-3', '#at=1e9', '#at=12.3456', '#at=NaN', '#at=Infinity', '#at=5&branch&x', '#at= 5', '#branch', '#at=9999999', '#at=100000.5'.repeat(3)]) {
      expect(parseMoment(bad), bad).toBeNull();
    }
    // Longer than a day: not a moment of any round.
    expect(parseMoment('#at=999999')).toBeNull();
  });
});
