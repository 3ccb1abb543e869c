// The commands in a player's words: each one's button label and what it does, the feed's
// line as the cluster carries it out ("Node 3 is restarting"), and what someone did, as
// the debrief and the replay's timeline tell it ("restarted node 3").

import type { Command, CommandType } from '../scenarios/command-types.js';
import type { Stance } from '../scenarios/settings.js';
import { CHAOS_WORDS } from './chaos.js';
import { proposalWords } from './settings.js';

export interface CommandWords {
  /** The button or menu label. */
  label: string;
  /** What it does, in a sentence. */
  explain: string;
}

export const COMMAND_WORDS: Readonly<Record<CommandType, CommandWords>> = {
  configure: { label: 'Propose', explain: 'Change a cluster-wide setting once most of the team agrees.' },
  restart: { label: 'Restart', explain: 'Reboot the node. A crashed node comes back with its disk and catches up.' },
  replace: { label: 'Replace', explain: 'Swap in a fresh machine. Its disk starts empty and must copy the data back.' },
  'scale-up': { label: 'Scale up', explain: 'Move to a machine twice as big: double capacity, double cost, a short restart.' },
  'scale-out': { label: 'Add a node here', explain: 'Scale out: a new node joins this region (it costs budget) and shards rebalance.' },
  drain: { label: 'Drain', explain: 'Drain: the load balancer stops sending this node new client requests.' },
  undrain: { label: 'Undrain', explain: 'Undrain: the load balancer sends this node new client requests again.' },
  remove: { label: 'Remove', explain: 'Take the node out of the cluster; its shards move to the others.' },
  promote: { label: 'Promote to leader', explain: 'Stand for election as leader of the shards this node holds.' },
  demote: { label: 'Demote / fence', explain: 'Step down as leader; fenced, it will not stand again for a while.' },
  repair: { label: 'Repair now', explain: 'Run anti-entropy: compare replicas with the others and copy what is missing.' },
  'rate-limit': { label: 'Rate-limit', explain: 'Turn away a client that floods this node with requests.' },
  stance: { label: 'Stance without a quorum', explain: 'What the node does when it cannot reach a quorum: refuse (consistency) or serve (availability).' },
  chaos: { label: 'Strike every team now', explain: 'A fault strikes now, chosen by the host.' },
};

/** The rate-limit button while the limit is on. */
export const LIFT_RATE_LIMIT_LABEL = 'Lift rate limit';

/** Each stance: its button, what it means, and the node panel's words for it. */
export const STANCE_WORDS: Readonly<Record<Stance, { label: string; explain: string; state: string }>> = {
  refuse: { label: 'Refuse (C)', explain: 'Without a quorum, answer with an error: never an old value (consistency)', state: 'refuse (stay correct)' },
  serve: { label: 'Serve (A)', explain: 'Without a quorum, answer from local data: maybe out of date (availability)', state: 'serve (stay available)' },
};

/** What a command needs to be told in words that the command itself does not carry. */
export interface CommandContext {
  /** The region's name, for scale-out. */
  region?: string;
  /** Whether a rate-limit turned the limit on (it toggles). */
  rateLimitOn?: boolean;
}

/**
 * What someone did, as a phrase that follows their name: "restarted node 2",
 * "switched to 3 copies of each key". A host's chaos is told by chaos.ts instead.
 */
export function commandDoneText(cmd: Command, ctx: CommandContext = {}): string {
  switch (cmd.type) {
    case 'configure':
      return `switched to ${proposalWords(cmd.settings)}`;
    case 'scale-out':
      return `added a node in ${ctx.region ?? `region ${cmd.region}`}`;
    case 'stance':
      return `set node ${cmd.node} to ${cmd.stance} when it cannot reach a quorum`;
    case 'rate-limit':
      return ctx.rateLimitOn === false ? `lifted the rate limit on node ${cmd.node}` : `rate-limited the clients flooding node ${cmd.node}`;
    case 'chaos':
      return `set off a ${CHAOS_WORDS[cmd.kind].name}`;
    default:
      return DONE[cmd.type].replace('#', String(cmd.node));
  }
}

/** One line of the round's record for a command: "Ada: restarted node 2". */
export function commandRecordText(by: string, cmd: Command, ctx: CommandContext = {}): string {
  return `${by}: ${commandDoneText(cmd, ctx)}`;
}

/** The feed's line as the cluster carries a node action out, or null when it says nothing. */
export function commandFeedText(type: CommandType, node: number, ctx: CommandContext = {}): string | null {
  switch (type) {
    case 'scale-out':
      return `Node ${node} is being added in ${ctx.region ?? 'its region'}`;
    case 'restart':
      return `Node ${node} is restarting`;
    case 'replace':
      return `Node ${node} is replaced by a fresh machine with an empty disk`;
    case 'scale-up':
      return `Node ${node} restarts on a machine twice as big`;
    case 'drain':
      return `The load balancer stops sending new requests to node ${node}`;
    case 'remove':
      return `Node ${node} is leaving; its shards move elsewhere`;
    case 'demote':
      return `Node ${node} stepped down and will not stand for election for a while`;
    case 'repair':
      return `Node ${node} is repairing its replicas`;
    default:
      return null;
  }
}

/** The feed's line when the team's settings take effect. */
export function settingsChangedText(patch: Parameters<typeof proposalWords>[0]): string {
  return `Settings changed: ${proposalWords(patch)}`;
}

// ---------------------------------------------------------------------------------

/** Node actions done, with # for the node. */
const DONE = {
  restart: 'restarted node #',
  replace: 'replaced node # with a fresh machine (empty disk)',
  'scale-up': 'moved node # to a machine twice as big',
  drain: 'drained node # (no new requests from the load balancer)',
  undrain: 'undrained node #',
  remove: 'removed node # from the cluster',
  promote: 'asked for an election with node # as candidate',
  demote: 'demoted node # (it steps down as leader)',
  repair: 'ran a repair on node #',
} as const;
