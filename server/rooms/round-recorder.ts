// A round's recording as its room keeps it: started when the live phase begins, fed what
// the round applied (actors become keys here, at the recording's boundary), its checkpoints
// and seat changes, handed to the round store as it goes, and finished with the summary.

import type { Command } from '../../shared/protocol/commands.js';
import { actorKey, type Actor } from '../../shared/round/actor.js';
import type { Summary } from '../../shared/sim/summary.js';
import { currentRoundStore, finishRecording, recordCommand, recordProgress, recordRosterChange, startRecording, TICK_MS, type Recording, type RecordingStart, type RosterEntry } from '../recording.js';
import { newRoundId, RecordingWriter } from '../recording-writer.js';

/** Hand the recording to the store once a simulated (≈ wall-clock) second: a crash loses at most that. */
const FLUSH_EVERY_TICKS = 1000 / TICK_MS;

export class RoundRecorder {
  recording: Recording | null = null;
  /** Writes the recording to the round store as the round goes (null: memory only). */
  writer: RecordingWriter | null = null;

  /** Start recording; returns the stored round's id, or '' when this server keeps no store. */
  start(start: RecordingStart, playerKeys: readonly string[]): string {
    const rec = (this.recording = startRecording(start));
    const store = currentRoundStore();
    if (store === null) return '';
    const id = newRoundId();
    this.writer = new RecordingWriter(store, id, rec, [...new Set(playerKeys)]);
    return id;
  }

  applied(tick: number, command: Command, by: Actor): void {
    if (this.recording !== null) recordCommand(this.recording, tick, command, actorKey(by));
  }

  stepped(tick: number, checkpoint: string | null): void {
    const rec = this.recording;
    if (rec === null) return;
    if (checkpoint !== null) rec.checkpoints.push({ tick, hash: checkpoint });
    recordProgress(rec, tick);
    if (tick % FLUSH_EVERY_TICKS === 0) this.writer?.flush();
  }

  seat(tick: number, entry: RosterEntry): void {
    if (this.recording !== null) recordRosterChange(this.recording, { ...entry, tick });
  }

  finish(summary: Summary, interrupted: boolean): void {
    if (this.recording === null) return;
    finishRecording(this.recording, summary, interrupted);
    void this.writer?.finish(summary, interrupted);
  }

  /** The recording's last writes are done. */
  async settled(): Promise<void> {
    await this.writer?.settled();
  }
}
