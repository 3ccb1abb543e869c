// A server warms its closing code up once it is up (server/warm-closing.ts): a few tiny
// rounds closed in the background, a tick or a closing step per turn of the event loop.

import { describe, expect, it } from 'vitest';
import { warmClosingInBackground, warmClosingSteps } from '../server/warm-closing.js';
import { closingWork } from '../shared/sim/work.js';

describe('the closing warm-up', () => {
  it('plays and closes its rounds, closing steps included, in many small steps', () => {
    const before = closingWork.units;
    let steps = 0;
    for (const _ of warmClosingSteps()) steps++;
    // Three rounds of a few seconds: ticks, then hundreds of closing steps.
    expect(steps).toBeGreaterThan(300);
    expect(closingWork.units).toBeGreaterThan(before);
  });

  it('runs in the background until done, or stops when told (a server shutting down)', async () => {
    await warmClosingInBackground().done;
    const stopped = warmClosingInBackground();
    stopped.stop();
    const before = closingWork.units;
    await stopped.done;
    expect(closingWork.units).toBe(before);
  });
});
