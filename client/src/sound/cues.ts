// The game's sound cues as the project's own recipes: a few tones each, with their pitch,
// start, length and loudness, synthesised in the browser (sound.ts) so no recording is
// downloaded or shipped. Pure data and a pure choice of cues, so both are tested.

import type { MapEffect } from '../map/effects.js';

export type Cue = 'done' | 'down' | 'split' | 'heal' | 'kept' | 'broken';

/** One tone of a cue: seconds from the cue's start, length in seconds, peak gain 0–1. */
export interface Tone {
  freq: number;
  /** Where the pitch glides to by the tone's end (a slide), if anywhere. */
  slideTo?: number;
  at: number;
  dur: number;
  wave: 'sine' | 'triangle' | 'square' | 'sawtooth';
  gain: number;
}

// Notes, Hz.
const C4 = 261.63, EB4 = 311.13, G4 = 392.0, C5 = 523.25, E5 = 659.25, G5 = 783.99, C6 = 1046.5, E6 = 1318.5;

export const CUES: Readonly<Record<Cue, readonly Tone[]>> = {
  // Your action took effect: two quick rising notes, a light "done".
  done: [
    { freq: C6, at: 0, dur: 0.08, wave: 'sine', gain: 0.22 },
    { freq: E6, at: 0.08, dur: 0.12, wave: 'sine', gain: 0.2 },
  ],
  // A node went down: a falling glide, lower and rougher.
  down: [{ freq: 440, slideTo: 180, at: 0, dur: 0.35, wave: 'triangle', gain: 0.3 }],
  // The cluster split: one note that pulls apart into two.
  split: [
    { freq: 392, slideTo: 300, at: 0, dur: 0.4, wave: 'triangle', gain: 0.18 },
    { freq: 392, slideTo: 520, at: 0, dur: 0.4, wave: 'triangle', gain: 0.18 },
  ],
  // The split healed: two notes that come together.
  heal: [
    { freq: 300, slideTo: G4, at: 0, dur: 0.3, wave: 'sine', gain: 0.18 },
    { freq: 520, slideTo: G4 * 1.5, at: 0, dur: 0.3, wave: 'sine', gain: 0.18 },
    { freq: G4, at: 0.3, dur: 0.2, wave: 'sine', gain: 0.2 },
  ],
  // The round is over and every promise was kept: a rising major arpeggio.
  kept: [
    { freq: C5, at: 0, dur: 0.12, wave: 'sine', gain: 0.22 },
    { freq: E5, at: 0.12, dur: 0.12, wave: 'sine', gain: 0.22 },
    { freq: G5, at: 0.24, dur: 0.12, wave: 'sine', gain: 0.22 },
    { freq: C6, at: 0.36, dur: 0.24, wave: 'sine', gain: 0.22 },
  ],
  // Some promise was broken: a falling minor line.
  broken: [
    { freq: G4, at: 0, dur: 0.16, wave: 'triangle', gain: 0.26 },
    { freq: EB4, at: 0.16, dur: 0.16, wave: 'triangle', gain: 0.26 },
    { freq: C4, at: 0.32, dur: 0.28, wave: 'triangle', gain: 0.26 },
  ],
};

/** A cue's length, seconds. */
export function cueSeconds(cue: Cue): number {
  return Math.max(...CUES[cue].map((t) => t.at + t.dur));
}

/**
 * The cues a change of the map calls for, for the player on node `myNode`: an action that took
 * effect on their node, or a node the team added; any node going down (one cue however many);
 * a split; a heal. Other players' actions show on the map but stay quiet.
 */
export function cuesFor(effects: readonly MapEffect[], myNode: number): Cue[] {
  const out = new Set<Cue>();
  for (const e of effects) {
    if (e.kind === 'action' && (e.node === myNode || e.what === 'scale-out')) out.add('done');
    else if (e.kind === 'crash') out.add('down');
    else if (e.kind === 'split') out.add('split');
    else if (e.kind === 'heal') out.add('heal');
  }
  // The most pressing first: one cue at a time is heard best (sound.ts spaces them).
  return (['down', 'split', 'heal', 'done'] as const).filter((c) => out.has(c));
}
