// Cutting a growing recording into the parts the store appends. The recording's lists only
// ever grow, so how far each list had been written is all a writer needs to remember.

import type { Recording } from '../../shared/replay/recording.js';
import type { RecordingPart } from './types.js';

/** How much of each list of a recording has been handed to the store. */
export interface RecordingCursor {
  commands: number;
  checkpoints: number;
  rosterChanges: number;
  phases: number;
}

/** The cursor after `begin`, which stores everything the recording holds at that moment. */
export function cursorAtEnd(rec: Recording): RecordingCursor {
  return { commands: rec.commands.length, checkpoints: rec.checkpoints.length, rosterChanges: rec.rosterChanges.length, phases: rec.phases.length };
}

/** What the recording gained since `cursor`, which moves past it. */
export function takePart(rec: Recording, cursor: RecordingCursor): RecordingPart {
  const part = partSince(rec, cursor);
  Object.assign(cursor, cursorAtEnd(rec));
  return part;
}

/** What the recording gained since `cursor` (which stays where it is). */
export function partSince(rec: Recording, cursor: RecordingCursor): RecordingPart {
  return {
    commands: rec.commands.slice(cursor.commands),
    checkpoints: rec.checkpoints.slice(cursor.checkpoints),
    rosterChanges: rec.rosterChanges.slice(cursor.rosterChanges),
    phases: rec.phases.slice(cursor.phases),
    lastTick: rec.lastTick,
  };
}
