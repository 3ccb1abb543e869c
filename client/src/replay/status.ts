// The checkpoints verified so far: every 5 simulated seconds the server noted a fingerprint
// of the simulation, and this browser checks that its own run gives the same ones. A
// mismatch (or a recorded action refused when applied again) is a divergence.

import { h, text } from '../dom.js';
import type { ReplayVerification } from '../../../shared/replay/player.js';
import { diverged } from './divergence.js';

export { diverged } from './divergence.js';

export class VerificationStatus {
  readonly el = h(
    'span',
    {
      class: 'replay-verified',
      'data-replay': 'verified',
      title: 'Every 5 simulated seconds the server noted a fingerprint of the simulation; this browser checks that its own run gives the same fingerprints.',
    },
  );

  update(v: ReplayVerification, total: number): void {
    text(this.el, verifiedWords(v, total));
    this.el.classList.toggle('bad', diverged(v));
  }
}

/** The recording's checkpoints up to where it can be replayed. */
export function checkpointsWithin(checkpoints: readonly { tick: number }[], endTick: number): number {
  return checkpoints.filter((c) => c.tick <= endTick).length;
}


export function verifiedWords(v: ReplayVerification, total: number): string {
  if (total === 0) return 'No checkpoints to verify';
  return `${diverged(v) ? '✗' : '✓'} Checkpoints verified: ${v.matched} of ${total}`;
}
