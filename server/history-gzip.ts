// A round's operation history as gzip bytes, made a slice at a time. A 90-second feed round
// has over half a million operations: one JSON.stringify of them is a 60 MB string built in
// one go, stalling every live round of the process meanwhile. Here the operations are
// serialised a few thousand at a time, yielding to the event loop between slices, and
// compressed as they come (zlib works off the main thread); only the compressed bytes are
// kept, a fifth of the text or less. The bytes decompress to exactly JSON.stringify(history).

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { createGzip } from 'node:zlib';
import type { HistoryJson } from '../shared/sim/summary.js';

/** Operations serialised between two yields: a few milliseconds of work. */
export const OPS_PER_SLICE = 4000;

export async function gzipHistory(history: HistoryJson, opsPerSlice = OPS_PER_SLICE): Promise<Buffer> {
  const gzip = createGzip();
  const out: Buffer[] = [];
  gzip.on('data', (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  const write = async (text: string) => {
    if (!gzip.write(text)) await new Promise<void>((r) => gzip.once('drain', r));
  };
  // Everything but the operations, in the same key order as the whole object: `ops` is last.
  const head = JSON.stringify({ ...history, ops: [] });
  if (!head.endsWith('"ops":[]}')) throw new Error('history: the operations must be the last field');
  await write(head.slice(0, -2));
  const step = Math.max(1, Math.floor(opsPerSlice));
  for (let i = 0; i < history.ops.length; i += step) {
    const slice = history.ops.slice(i, i + step).map((op) => JSON.stringify(op)).join(',');
    await write(i === 0 ? slice : `,${slice}`);
    await yieldToEventLoop();
  }
  gzip.end(']}');
  await done;
  return Buffer.concat(out);
}
