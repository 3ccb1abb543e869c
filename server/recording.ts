// Where finished recordings go on this server: the last few kept in memory until a
// database stores them. The recording format, checkpoints and replay are shared/replay.

import { finishRecording as finish, type Recording, type RecordingSink } from '../shared/replay/recording.js';
import type { Summary } from '../shared/sim/summary.js';

export * from '../shared/replay/recording.js';

/** The last finished recordings of this process, newest last (until storage exists). */
export const recentRecordings: RecordingSink & { list: Recording[]; limit: number } = {
  list: [],
  limit: 20,
  finished(rec) {
    this.list.push(rec);
    if (this.list.length > this.limit) this.list.splice(0, this.list.length - this.limit);
  },
};

/** Finish a recording into this server's sink (the in-memory list by default). */
export function finishRecording(rec: Recording, summary: Summary, interrupted: boolean, sink: RecordingSink = recentRecordings): void {
  finish(rec, summary, interrupted, sink);
}
