// Taking a replay away: the recording as a file (to open again later, with no server), the
// operation history in the HISTORY.md format (for outside checkers).

import { historyText } from '../api.js';
import { recordingFileName, serializeRecording } from '../../../shared/replay/file.js';
import type { Recording } from '../../../shared/replay/recording.js';
import type { HistoryWorkerReply } from './history-worker.js';

/** Save text as a file through the browser's download. */
export function download(text: string, fileName: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started by the time the click returns; the URL can go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadRecording(rec: Recording): void {
  download(serializeRecording(rec), recordingFileName(rec));
}

/** The history's file name next to the recording's: same stem, `-history.json`. */
export function historyFileName(rec: Recording): string {
  return recordingFileName(rec).replace(/(\.splitbrain)?\.json$/i, '') + '-history.json';
}

/**
 * The operation history as JSON text: from the server when the round is stored there (it
 * keeps finished rounds' histories), else computed here in a worker. `progress` gets a
 * sentence to show while it runs.
 */
export async function historyOf(rec: Recording, storedId: string | null, progress: (text: string) => void): Promise<string> {
  if (storedId !== null) {
    progress('Asking the server for the history…');
    const got = await historyText(storedId);
    if (got.ok) return got.value;
    // A busy or recording-less server: this browser can work it out from the recording.
  }
  return computeHistory(rec, progress);
}

function computeHistory(rec: Recording, progress: (text: string) => void): Promise<string> {
  progress('Replaying the round with every operation kept: 0%');
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./history-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<HistoryWorkerReply>) => {
      const m = e.data;
      if (m.kind === 'progress') progress(`Replaying the round with every operation kept: ${Math.round(m.done * 100)}%`);
      else {
        worker.terminate();
        if (m.kind === 'done') resolve(m.text);
        else reject(new Error(m.error));
      }
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'the history could not be computed'));
    };
    worker.postMessage(rec);
  });
}
