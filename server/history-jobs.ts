// Exporting a round's operation history re-runs the whole round with every operation kept:
// seconds of work for a long round. The server does it in slices (shared/replay/history.ts),
// yielding to the event loop between them so live rounds keep their pace; one export runs
// at a time, a few wait, more are turned away (503), and finished rounds' histories are
// kept in a small cache because a closed round's history never changes. Histories are kept
// and handed out gzip-compressed (server/history-gzip.ts): a fifth of the memory or less, and what
// most clients ask for anyway.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { historySteps } from '../shared/replay/history.js';
import { gzipHistory } from './history-gzip.js';
import type { Recording } from '../shared/replay/recording.js';

export interface HistoryJobs {
  /** The history as gzip-compressed JSON text, or 'busy' when too many exports are waiting. */
  run(id: string, rec: Recording, live: boolean): Promise<Buffer | 'busy'>;
}

export function createHistoryJobs(opts: { cacheSize?: number; maxWaiting?: number; chunkTicks?: number } = {}): HistoryJobs {
  const cacheSize = opts.cacheSize ?? 8;
  const maxWaiting = opts.maxWaiting ?? 4;
  const cache = new Map<string, Buffer>();
  /** Exports of the same round asked for at once share one run. */
  const running = new Map<string, Promise<Buffer>>();
  let queue: Promise<unknown> = Promise.resolve();
  let waiting = 0;

  async function exportOne(rec: Recording): Promise<Buffer> {
    const steps = historySteps(rec, opts.chunkTicks);
    for (;;) {
      const r = steps.next();
      if (r.done === true) return gzipHistory(r.value);
      await yieldToEventLoop();
    }
  }

  return {
    async run(id, rec, live) {
      const cached = live ? undefined : cache.get(id);
      if (cached !== undefined) {
        cache.delete(id);
        cache.set(id, cached);
        return cached;
      }
      const shared = live ? undefined : running.get(id);
      if (shared !== undefined) return shared;
      if (waiting >= maxWaiting) return 'busy';
      waiting++;
      const job = queue.then(() => exportOne(rec)).finally(() => {
        waiting--;
        running.delete(id);
      });
      queue = job.catch(() => undefined);
      if (!live) running.set(id, job);
      const bytes = await job;
      if (!live) {
        cache.set(id, bytes);
        if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
      }
      return bytes;
    },
  };
}
