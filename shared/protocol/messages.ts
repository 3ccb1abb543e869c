// The messages exchanged between client and server, and validators for the ones a client
// sends. Pure data: the server decodes, validates here, and only then acts.

import type { Command, RefusalCode } from './commands.js';
import type { ClusterSettings } from '../scenarios/settings.js';
import {
  Problem,
  booleanOf,
  fieldsOf,
  guarded,
  intIn,
  settingsOf,
  validateCommand,
  type Validation,
} from './validate.js';

export const MSG = { command: 'command', vote: 'vote', ready: 'ready', error: 'error', event: 'event' } as const;
export type MessageType = (typeof MSG)[keyof typeof MSG];

/** Largest `ref` a client may attach (fits a signed 32-bit integer). */
export const MAX_REF = 2 ** 31 - 1;

// client → server

export interface CommandMessage {
  command: Command;
  /** Client's own id, echoed in an ErrorMessage so it can tell which command failed. */
  ref?: number;
}

/** A vote on a settings change, during setup or live. */
export interface VoteMessage {
  proposal: Partial<ClusterSettings>;
  agree: boolean;
  ref?: number;
}

// server → client

/**
 * Why a message was refused: the simulation's RefusalCode for a command it turned down
 * (invalid, phase, budget, unknown-node, rebalancing, node-state), or the room's own
 * refusals: forbidden (not the sender's to do), rate-limited (too many at once), phase
 * (not in this phase), invalid (a malformed message).
 */
export type ErrorCode = RefusalCode | 'forbidden' | 'rate-limited';

export interface ErrorMessage {
  ref?: number;
  error: string;
  code: ErrorCode;
}

/** Validate an untrusted command message. Never throws; the value is a fresh copy. */
export function validateCommandMessage(input: unknown): Validation<CommandMessage> {
  return guarded(() => {
    const fields = fieldsOf(input, 'message', ['command', 'ref']);
    if (fields instanceof Problem) return fields;
    const ref = refOf(fields);
    if (ref instanceof Problem) return ref;
    if (!fields.has('command')) return new Problem(`missing field 'command'`);
    const command = validateCommand(fields.get('command'));
    if (!command.ok) return new Problem(command.error);
    const out: CommandMessage = { command: command.value };
    if (ref !== undefined) out.ref = ref;
    return out;
  }, 'message');
}

/** Validate an untrusted vote. The proposal must change at least one setting. Never throws. */
export function validateVoteMessage(input: unknown): Validation<VoteMessage> {
  return guarded(() => {
    const fields = fieldsOf(input, 'message', ['proposal', 'agree', 'ref']);
    if (fields instanceof Problem) return fields;
    const ref = refOf(fields);
    if (ref instanceof Problem) return ref;
    if (!fields.has('proposal')) return new Problem(`missing field 'proposal'`);
    if (!fields.has('agree')) return new Problem(`missing field 'agree'`);
    const proposal = settingsOf(fields.get('proposal'), true, 'proposal.');
    if (proposal instanceof Problem) return proposal;
    if (Object.keys(proposal).length === 0) return new Problem('proposal must change at least one setting');
    const agree = booleanOf(fields.get('agree'), 'agree');
    if (agree instanceof Problem) return agree;
    const out: VoteMessage = { proposal, agree };
    if (ref !== undefined) out.ref = ref;
    return out;
  }, 'message');
}

/**
 * The `ref` of a message that may be invalid otherwise, so the server can still correlate
 * its ErrorMessage; undefined when absent or not a valid ref. Never throws.
 */
export function refOfMessage(input: unknown): number | undefined {
  const r = guarded(() => {
    const fields = fieldsOf(input, 'message', null);
    return fields instanceof Problem ? fields : refOf(fields);
  }, 'message');
  return r.ok && r.value !== undefined ? r.value : undefined;
}

// `ref: undefined` counts as absent, since the TypeScript type `ref?: number` allows it.
function refOf(fields: Map<string, unknown>): number | undefined | Problem {
  const ref = fields.get('ref');
  return ref === undefined ? undefined : intIn(ref, 'ref', 0, MAX_REF);
}

// The phases of a round are named where their words are (shared/words/phases.ts).
import { PHASES, type Phase } from '../words/phases.js';

export { PHASES, type Phase };

/**
 * Client → server `ready`: the sender is done with a phase before live. Naming the phase
 * means a `ready` that arrives after that phase ended is ignored.
 */
export interface ReadyMessage {
  phase?: Phase;
}

/** Client → server, tutorial rounds only: the player reached this step (a TutorialStep id). */
export const TUTORIAL_STEP_MSG = 'tutorial-step';

export interface TutorialStepMessage {
  step: string;
}

/** Server → client `event` messages (MSG.event). */
export interface RoomEventMessage {
  kind: 'shutdown';
  text: string;
}
