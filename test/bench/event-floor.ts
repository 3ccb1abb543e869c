// What the event queue alone costs a simulated operation: the floor under bench:sim's
// operations per CPU-second. The simulation models every message (a client's request, each
// replication message and acknowledgement, the reply) as an event that goes through one
// queue; so an operation costs at least its events' pushes and pops, whatever the protocol
// code does with them. Measured with the engine's own queue (shared/sim/heap.ts) held at the
// size a round keeps it at, each event popped and pushed again a little later, as a message
// is handled and another sent.

import { createSim, advance } from '../../shared/sim/engine.js';
import { createHeap, pop, push, type Timed } from '../../shared/sim/heap.js';
import { createRng, random } from '../../shared/sim/rng.js';
import type { RunnableScenarioId } from '../../shared/scenarios/types.js';

/** The mean number of events waiting in the queue over a round without players, sampled every 100 simulated ms. */
export function meanPending(scenario: RunnableScenarioId, preset: string, seed: number, durationMs: number): number {
  const sim = createSim({ scenario, preset, chaos: 'normal', seed, durationMs, recordHistory: false });
  let sum = 0;
  let n = 0;
  for (let t = 100; t <= durationMs; t += 100) {
    advance(sim, t);
    sum += sim.S.events.items.length;
    n++;
  }
  return sum / n;
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/**
 * CPU µs per operation for `eventsPerOp` events through a queue of `pending` events: the
 * median of `runs` runs of `ops` operations each, after one unmeasured run.
 */
export function queueMicrosPerOp(pending: number, eventsPerOp: number, ops = 500_000, runs = 3): number {
  const h = createHeap<Timed>();
  const r = createRng(1, 'event-floor');
  for (let i = 0; i < Math.max(1, Math.round(pending)); i++) push(h, { t: random(r) * 50, q: 0 });
  const events = Math.round(ops * eventsPerOp);
  const once = (): number => {
    const t0 = cpuMicros();
    for (let i = 0; i < events; i++) {
      const e = pop(h)!;
      e.t += random(r) * 50;
      push(h, e);
    }
    return (cpuMicros() - t0) / ops;
  };
  once();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(once());
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
}
