// Computing a round's operation history off the page's thread: it re-runs the whole round
// with every operation kept, seconds of work on a long round, and the viewer must stay
// usable meanwhile. Reports the share done after each slice, then the history as JSON text.

import { historySteps } from '../../../shared/replay/history.js';
import type { Recording } from '../../../shared/replay/recording.js';

export type HistoryWorkerReply = { kind: 'progress'; done: number } | { kind: 'done'; text: string } | { kind: 'failed'; error: string };

const post = (m: HistoryWorkerReply) => (self as unknown as { postMessage(m: HistoryWorkerReply): void }).postMessage(m);

self.onmessage = (e: MessageEvent<Recording>) => {
  try {
    const steps = historySteps(e.data);
    for (;;) {
      const r = steps.next();
      if (r.done === true) {
        post({ kind: 'done', text: JSON.stringify(r.value) });
        return;
      }
      post({ kind: 'progress', done: r.value });
    }
  } catch (err) {
    post({ kind: 'failed', error: err instanceof Error ? err.message : String(err) });
  }
};
