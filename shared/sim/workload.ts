// Simulated clients and the load balancer in front of the cluster.
//
// Arrivals form a Poisson process whose rate ramps over the round; every draw comes from
// the workload stream (and the rate only from the clock and the chaos schedule), so the
// same seed yields the same requests at the same times whatever the team does.

import { exponential, random, weightedIndex } from './rng.js';
import type { ClientState, SimState } from './state.js';
import { MAX_NODES, type Scenario } from '../scenarios/types.js';

/** Node ids are below this (the engine's LINKS: MAX_NODES with room to spare). */
const LINKS = MAX_NODES + 1;

export interface Arrival {
  region: number;
  key: number;
  f: 0 | 1;
}

/** Client operations per second at simulated time t (live phase), surges included. */
export function arrivalRate(S: SimState, sc: Scenario, t: number): number {
  const w = sc.workload;
  const frac = S.durationMs > 0 ? Math.min(1, t / S.durationMs) : 0;
  let rate = w.startRate + (w.endRate - w.startRate) * frac;
  for (const f of S.faults) if (f.kind === 'load-surge') rate *= f.magnitude;
  return rate;
}

/** Time until the next arrival. */
export function nextGap(S: SimState, sc: Scenario): number {
  return exponential(S.rng.workload, 1000 / arrivalRate(S, sc, S.now));
}

/**
 * The one Arrival drawArrival fills: an op is drawn on every arrival, and a fresh object
 * each time was garbage a moment later. Valid until the next draw.
 */
const drawn: Arrival = { region: 0, key: 0, f: 0 };

/**
 * Draw the next request: always the same four draws, so the stream stays aligned. The
 * Arrival returned is reused by the next draw: read it before drawing again.
 */
export function drawArrival(S: SimState, sc: Scenario): Arrival {
  const w = sc.workload;
  const r = S.rng.workload;
  const region = weightedIndex(r, w.regionWeights);
  const hotRoll = random(r);
  const keyRoll = random(r);
  const fRoll = random(r);
  let key: number;
  const hot = hotKeyFault(S);
  if (hot !== null && hotRoll < hot.magnitude) key = hot.target % w.keys;
  else if (w.hotKeys > 0 && hotRoll < w.hotFraction) key = Math.floor(keyRoll * w.hotKeys);
  else key = Math.floor(keyRoll * w.keys);
  drawn.region = region;
  drawn.key = key;
  drawn.f = fRoll < w.readFraction ? 0 : 1;
  return drawn;
}

/** The first hot-key fault under way, if any. */
function hotKeyFault(S: SimState): SimState['faults'][number] | null {
  const faults = S.faults;
  for (let i = 0; i < faults.length; i++) if (faults[i]!.kind === 'hot-key') return faults[i]!;
  return null;
}

/** A process id for a new operation: an idle one, or a new one (open-loop traffic). */
export function takeProcess(c: ClientState): number {
  if (c.idle.length > 0) return c.idle.pop()!;
  return c.nextProcess++;
}

/** Whether the region's last health probe reached the node (a partition hides it). */
function reachable(S: SimState, region: number, node: number): boolean {
  return S.lb.reach[region * LINKS + node] !== false;
}

/**
 * Choose the node a client request goes to, or -1 when the balancer has none to offer.
 * Plain round robin knows nothing of health; the others skip nodes that failed the last
 * health probe (which lags reality by the probe interval).
 */
export function chooseNode(S: SimState, region: number): number {
  const nodes = S.nodes;
  const n = nodes.length;
  const strategy = S.settings.loadBalancing;
  if (strategy === 'least-loaded') {
    let best = -1;
    let bestLoad = 0;
    for (const node of nodes) {
      if (node.status === 'removed' || node.drained || !S.lb.healthy[node.id] || !reachable(S, region, node.id)) continue;
      const load = node.queue / node.size;
      if (best < 0 || load < bestLoad) {
        best = node.id;
        bestLoad = load;
      }
    }
    return best;
  }
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      const id = (S.lb.cursor + i) % n;
      const node = nodes[id]!;
      if (node.status === 'removed' || node.drained) continue;
      if (strategy !== 'round-robin' && (!S.lb.healthy[id] || !reachable(S, region, id))) continue;
      if (strategy === 'region-aware' && pass === 0 && node.region !== region) continue;
      S.lb.cursor = (id + 1) % n;
      return id;
    }
    if (strategy !== 'region-aware') break;
  }
  return -1;
}
