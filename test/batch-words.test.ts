import { describe, expect, it } from 'vitest';
import { batchSentence, throughputSub } from '../shared/words/batch.js';
import { SCENARIOS } from '../shared/scenarios/index.js';

describe('what a request carries, in words', () => {
  it('says nothing more where a request is one item', () => {
    expect(throughputSub(undefined, 412)).toBe('done per second');
    expect(batchSentence(undefined, 412)).toBe('');
    expect(throughputSub({ size: 1, items: 'readings' }, 412)).toBe('done per second');
  });

  it('turns telemetry requests into readings', () => {
    const batch = SCENARIOS.telemetry.workload.batch;
    expect(throughputSub(batch, 520)).toBe('= 2,080 readings/s');
    expect(batchSentence(batch, 300.4)).toBe('Each request carried 4 readings: 1,202 a second.');
  });
});
