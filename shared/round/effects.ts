// What the round model takes in and gives out (shared/round/model.ts): inputs from the room
// (people, their messages, wall-clock time, the class's orders), effects for the room to
// carry out (messages, what screens show, what the recording keeps).

import type { Command } from '../protocol/commands.js';
import type { ErrorCode, Phase } from '../protocol/messages.js';
import type { ClusterSettings } from '../scenarios/settings.js';
import type { Actor } from './actor.js';
import type { Debrief } from './debrief.js';
import type { VoteViewFields } from '../view/round.js';
import type { OwnerRow, PlayerRow, SeatHolder } from './seats.js';

export type RoundInput =
  | { type: 'open' }
  | { type: 'join'; key: string; nickname: string; bot: boolean; playerKey: string | null }
  /** The connection closed; `consented` when they left on purpose. */
  | { type: 'away'; key: string; consented: boolean }
  /** An away player reconnected in time. */
  | { type: 'back'; key: string }
  /** An away player did not come back: their seat goes. */
  | { type: 'leave'; key: string }
  | { type: 'ready'; key: string; phase: Phase | undefined }
  | { type: 'command'; key: string; command: Command; ref?: number }
  | { type: 'vote'; key: string; proposal: Partial<ClusterSettings>; agree: boolean; ref?: number }
  | { type: 'tutorial-step'; key: string; step: string }
  /** Wall-clock ms passed (paused rounds ignore it). */
  | { type: 'time'; ms: number }
  /** One slice of the closing (heal, converge, judge) once time is up. */
  | { type: 'closing-step' }
  // The class's orders (a class's team room).
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'end' }
  | { type: 'chaos'; atTick: number; command: Command }
  | { type: 'kick'; key: string }
  | { type: 'rename'; key: string; nickname: string }
  /** The server is stopping: the round ends now. */
  | { type: 'shutdown' };

/** What the open vote looks like on screens (the view's vote, its ballots in a Map). */
export type VoteRow = Omit<VoteViewFields, 'ballots'> & { ballots: Map<string, boolean> };

export type RoundEffect =
  | { type: 'error'; to: string; ref: number | undefined; error: string; code: ErrorCode }
  | { type: 'join-refused'; error: string }
  | { type: 'feed'; t: number; kind: string; text: string; node: number }
  | { type: 'phase'; phase: Phase; secondsLeft: number }
  | { type: 'clock'; secondsLeft: number }
  | { type: 'paused'; paused: boolean }
  | { type: 'player'; row: PlayerRow }
  | { type: 'player-gone'; id: string }
  | { type: 'owner'; node: number; owner: OwnerRow }
  | { type: 'vote'; view: VoteRow }
  /** Who is present changed (the room's listing). */
  | { type: 'roster' }
  /** A new simulation (setup's settings changed): show it from scratch. */
  | { type: 'simulation' }
  /** Copy the simulation's state to the screens. */
  | { type: 'project' }
  /** Nobody new may join. */
  | { type: 'lock' }
  /** The live phase begins: start the recording. `settings` null = the preset's. */
  | { type: 'live'; roster: SeatHolder[]; settings: ClusterSettings | null }
  | { type: 'applied'; tick: number; command: Command; by: Actor }
  /** A fixed step ended at `tick`; every CHECKPOINT_EVERY_TICKS, with the state's fingerprint then. */
  | { type: 'stepped'; tick: number; checkpoint: string | null }
  /** A seat changed hands in the live phase. */
  | { type: 'seat'; tick: number; entry: SeatHolder }
  | { type: 'debrief'; debrief: Debrief }
  /** Close this person's connection (4000: they came back elsewhere; 4003: removed by the teacher). */
  | { type: 'disconnect'; key: string; code: number }
  /** Keep this away player's seat for them for a while, then send `back` or `leave`. */
  | { type: 'await-return'; key: string }
  /** The round is done: close the room. */
  | { type: 'close' };
