// One simulated client operation, as the simulation records it. The exported history
// (HISTORY.md) is a projection of these records.

import type { FailCauseName } from '../words/budget.js';

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
  /**
   * Why the operation failed, when the simulation knows (a FAIL_* index), set where it was
   * turned away or lost; an operation that fails without one simply got no answer in time.
   */
  cause?: number;
  /** A read answered while its node's cluster was split: when that split began (split.ts). */
  split?: number;
}

// Why a client request failed: the error budget's story (shared/sim/error-budget.ts). Every
// failed or timed-out operation counts under exactly one cause.

/** An overloaded node turned the request away (its queue was full). */
export const FAIL_OVERLOAD = 0;
/** Refused for want of a quorum (the node's stance, or a leader that could not confirm itself). */
export const FAIL_QUORUM = 1;
/** No leader could take it: none known, or a new one still taking over. */
export const FAIL_LEADER = 2;
/** No node could be reached: the balancer had none, no replica looked alive, or a partition cut the client off. */
export const FAIL_UNREACHABLE = 3;
/** The node it went to was down, or crashed or restarted with it in hand. */
export const FAIL_DOWN = 4;
/** No answer in time for any other reason: lost messages, long queues, slow nodes. */
export const FAIL_TIMEOUT = 5;

/** The causes by index, as the view and the debrief name them (shared/words/budget.ts says them). */
export const FAIL_CAUSES: readonly FailCause[] = ['overload', 'quorum', 'leader', 'unreachable', 'down', 'timeout'];
export type FailCause = FailCauseName;
