// The one typed union of everything a player or host can ask of the simulation, and what
// the simulation answers. The simulation owns these (it is what applies them); the protocol
// re-exports them with its validator, the only way outside input becomes a Command.

import type { ChaosKind } from './chaos-types.js';
import type { ClusterSettings, Stance } from './settings.js';

export type NodeActionType =
  | 'restart' // bring a down node back (its disk, if it kept one, comes back too)
  | 'replace' // swap the node for a fresh empty machine that must copy its data back
  | 'scale-up' // double the node's size (capacity and cost)
  | 'drain' // the load balancer stops sending new client requests to it
  | 'undrain'
  | 'remove' // take the node out of the cluster; its shards move elsewhere
  | 'promote' // ask for an election with this node as candidate for the shards it holds
  | 'demote' // this node steps down as leader of its shards and is fenced
  | 'repair'; // run anti-entropy for this node's shards now

export type Command =
  /** Change cluster-wide settings (applied once the team's vote has passed). */
  | { type: 'configure'; settings: Partial<ClusterSettings> }
  | { type: NodeActionType; node: number }
  | { type: 'stance'; node: number; stance: Stance }
  /** Add a node in a region (costs budget). */
  | { type: 'scale-out'; region: number }
  /** Rate-limit the flooding client(s) hitting this node. */
  | { type: 'rate-limit'; node: number }
  /** Host only: trigger a chaos event now. */
  | { type: 'chaos'; kind: ChaosKind; target: number; durationMs: number; magnitude: number };

export type CommandType = Command['type'];

/**
 * Why the simulation refused a command, as a code a program can act on (the protocol's
 * ErrorCode includes these):
 *   invalid      not possible with this cluster or these settings (no such region, a
 *                replication factor above the node count, leaders under leaderless replication)
 *   phase        the round is over
 *   budget       the round's means are used up: the budget, or the most nodes allowed
 *   unknown-node no such node in the cluster
 *   rebalancing  a rebalance is under way: try again once it completes
 *   node-state   the node cannot do it in its present state (not up, already starting,
 *                already the largest size, the last node, cannot stand for election now)
 */
export type RefusalCode = 'invalid' | 'phase' | 'budget' | 'unknown-node' | 'rebalancing' | 'node-state';

export type CommandResult = { ok: true } | { ok: false; code: RefusalCode; error: string };
