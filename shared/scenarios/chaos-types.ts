// The kinds of trouble the world can throw at a cluster. Scheduled from the seed by a
// scenario's chaos profile, or triggered by a host; both become the same ChaosEvent.

export const CHAOS_KINDS = [
  'partition-region', // one region cut off from the others
  'partition-random', // the nodes split into two random groups
  'crash', // a node stops; its disk survives
  'crash-disk-loss', // a node stops and loses everything it stored
  'slow-node', // gray failure: the node serves at a fraction of its capacity
  'latency-spike', // every link gets slower
  'message-loss', // links drop a share of messages
  'clock-skew', // a node's clock jumps away from true time
  'load-surge', // client traffic multiplies
  'hot-key', // most traffic goes to one key
  'flood', // a misbehaving client floods one node with requests
] as const;

export type ChaosKind = (typeof CHAOS_KINDS)[number];

export interface ChaosEvent {
  /** Simulated ms since the round began. */
  at: number;
  kind: ChaosKind;
  /** How long the fault lasts, in simulated ms (crashes: until a restart or this long). */
  durationMs: number;
  /**
   * Which part it strikes, as a non-negative number interpreted by kind: a region index for
   * partition-region, a node index (modulo the node count at the time) for node faults, a
   * key index for hot-key; ignored otherwise. Drawn once at schedule time, so the same seed
   * strikes the same target whatever the tactics.
   */
  target: number;
  /**
   * Strength, by kind: slow-node capacity factor (0.05–1), latency-spike extra ms,
   * message-loss probability (0–0.5), clock-skew offset in ms (may be negative),
   * load-surge rate multiplier, hot-key traffic share, flood requests per second.
   */
  magnitude: number;
  /** Where it came from: the scenario's schedule or a host's hand. */
  source: 'schedule' | 'host';
}

export type ChaosLevel = 'none' | 'normal' | 'heavy';
export const CHAOS_LEVELS: readonly ChaosLevel[] = ['none', 'normal', 'heavy'];

export interface ChaosProfile {
  /** Mean gap between scheduled events (exponential), simulated ms. 0 = no chaos. */
  meanIntervalMs: number;
  /** No scheduled chaos before this moment, so a round can settle. */
  graceMs: number;
  /** Relative weights of the kinds this scenario suffers. */
  weights: Partial<Record<ChaosKind, number>>;
  /** Each event lasts uniformly between these. */
  durationMs: [number, number];
  /**
   * Kinds that last otherwise: a crash or a flood lasts long unless the team acts (a restart,
   * a rate limit), which is what makes acting matter; a partition heals on its own.
   */
  kindDurationMs?: Partial<Record<ChaosKind, [number, number]>>;
}
