// The round's closing runs in slices (a server must not stop for it): the summary and its
// state hash worked out piece by piece are exactly the ones worked out at once.

import { describe, expect, it } from 'vitest';
import { advance, createSim, finishSteps } from '../shared/sim/engine.js';
import { hashedState, hashString, stateHash, stateHashSteps, summary, summarySteps } from '../shared/sim/summary.js';

describe('closing in slices', () => {
  it('hashes the state piece by piece into the hash of its whole JSON text, in many slices', () => {
    for (const [scenario, preset] of [['feed', 'ap'], ['cart', 'version-vectors'], ['bank', 'cp']] as const) {
      const sim = createSim({ scenario, preset, chaos: 'heavy', seed: 5, durationMs: 30_000, recordHistory: false });
      advance(sim, 25_000);
      const text = JSON.stringify(hashedState(sim.S));
      const steps = stateHashSteps(sim.S);
      let slices = 0;
      let r = steps.next();
      while (r.done !== true) {
        slices++;
        r = steps.next();
      }
      expect(r.value, scenario).toBe(hashString(text));
      expect(stateHash(sim.S)).toBe(r.value);
      // About one slice per 32 kB of text (a few ms each), not one for the whole state.
      expect(slices, scenario).toBeGreaterThan(text.length / (64 * 1024));
    }
  });

  it('sums a finished round up in slices exactly as at once', () => {
    for (const [scenario, preset] of [['chat', 'ap'], ['inventory', 'cp']] as const) {
      const sim = createSim({ scenario, preset, chaos: 'normal', seed: 8, durationMs: 20_000, recordHistory: false });
      const closing = finishSteps(sim);
      while (closing.next().done !== true);
      const steps = summarySteps(sim);
      let slices = 0;
      let r = steps.next();
      while (r.done !== true) {
        slices++;
        r = steps.next();
      }
      expect(r.value).toEqual(summary(sim));
      expect(slices).toBeGreaterThan(3);
    }
  });
});
