// One simulated client operation, as the simulation records it. The exported history
// (HISTORY.md) is a projection of these records.

export type OpType = 'ok' | 'fail' | 'info';
export const READ = 0;
export const WRITE = 1;
export type OpKind = typeof READ | typeof WRITE;

/** Stand-ins for ±∞ in simulated time: state must stay JSON-safe (no Infinity). */
export const NEVER = 1e15;
export const BEFORE_TIME = -1;

export interface OpRecord {
  /** Sequence number of the operation in invoke order. */
  id: number;
  /** The simulated client; a client has at most one operation in flight. */
  process: number;
  /** Key index; the exported name is `${keyPrefix}-${key}`. */
  key: number;
  f: OpKind;
  /**
   * For a write, the value written (unique per round). For a read, the value returned:
   * null for a key with no value, a number, or the sorted array of concurrent siblings.
   */
  value: number | number[] | null;
  invoke: number;
  /** Simulated ms when the client learned the outcome; NEVER when it never did. */
  complete: number;
  type: OpType;
  /** Region the client is in. */
  region: number;
  /** A verification read issued after the round, once the cluster has healed and converged. */
  final?: boolean;
  /** Set by the consistency judge on reads it found stale. */
  stale?: boolean;
  /** The node whose reply completed a successful read (to credit stale reads to whoever ran it). */
  node?: number;
  /** A read answered while its node's cluster was split: when that split began (split.ts). */
  split?: number;
}
