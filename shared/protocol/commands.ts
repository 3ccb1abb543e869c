// The one typed union of everything a player or host can ask of the simulation.
// The validator (validate.ts) is the only way outside input becomes a Command.

import type { ChaosKind } from '../sim/chaos-types.js';
import type { ClusterSettings, Stance } from '../sim/settings.js';

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

/** Who may issue a command: the node's owner, the team by vote, or the host. */
export function commandScope(cmd: Command): 'node' | 'team' | 'host' | 'any' {
  switch (cmd.type) {
    case 'configure':
      return 'team';
    case 'chaos':
      return 'host';
    case 'scale-out':
      return 'any';
    default:
      return 'node';
  }
}

export type CommandResult = { ok: true } | { ok: false; error: string };
