// What a request carries, in a player's words. A scenario may let one simulated request
// stand for a batch of items (telemetry: four sensor readings); every count the game shows
// stays in requests, and these words say how many items that makes.

import type { Workload } from '../scenarios/types.js';
import { int } from './number.js';

type Batch = Workload['batch'];

/** Under a rate in requests per second: "done per second", or "= 2,080 readings/s" for a batch. */
export function throughputSub(batch: Batch, perS: number): string {
  if (batch === undefined || batch.size <= 1) return 'done per second';
  return `= ${int(perS * batch.size)} ${batch.items}/s`;
}

/** A sentence for a round's totals: '' without batches, else "Each request carried 4 readings: 2,080 a second." */
export function batchSentence(batch: Batch, perS: number): string {
  if (batch === undefined || batch.size <= 1) return '';
  return `Each request carried ${batch.size} ${batch.items}: ${int(perS * batch.size)} a second.`;
}
