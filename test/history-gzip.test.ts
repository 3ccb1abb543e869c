// The history kept compressed (server/history-gzip.ts) decompresses to exactly the JSON of
// the history, whatever the slice size, with no operations or a great many.

import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipHistory } from '../server/history-gzip.js';
import type { HistoryJson } from '../shared/sim/summary.js';

function history(n: number): HistoryJson {
  return {
    format: 'splitbrain-history/1',
    scenario: 'feed',
    seed: 7,
    settings: { replicationFactor: 3, stance: 'refuse', note: 'quotes " and \\\\ and ünïcode' },
    ops: Array.from({ length: n }, (_, i) => ({ process: i % 17, key: `k-${i % 5}`, f: i % 3 === 0 ? 'write' : 'read', value: i % 7 === 0 ? null : i % 11 === 0 ? [i, i + 1] : i, invoke: i * 1.5, complete: i % 13 === 0 ? null : i * 1.5 + 4, type: i % 13 === 0 ? 'info' : 'ok' })) as HistoryJson['ops'],
  };
}

describe('a history kept gzip-compressed', () => {
  it('decompresses to JSON.stringify of the history, for any slice size', async () => {
    for (const n of [0, 1, 2, 9, 10_001]) {
      for (const slice of [1, 3, 4000]) {
        const h = history(n);
        const text = gunzipSync(await gzipHistory(h, slice)).toString('utf8');
        expect(text).toBe(JSON.stringify(h));
      }
    }
  });

  it('refuses a history whose operations are not its last field (the slices would not make its JSON)', async () => {
    const { ops, ...rest } = history(3);
    await expect(gzipHistory({ ops, ...rest } as HistoryJson)).rejects.toThrow(/last field/);
  });
});
