// A moment of a replay in its address: `#at=83.5` opens the replay paused at 1:23.5, and
// `#at=83.5&branch` also asks which node to run from there, so the debrief's timeline can
// send a player straight to "try that again from just before it happened". The hash, not
// the query: the query keeps the page's own options across screens.

export interface Moment {
  /** Milliseconds into the round. */
  ms: number;
  /** Ask to branch from there at once. */
  branch: boolean;
}

/** The most a round lasts, with room to spare: anything later is not a moment of one. */
const MAX_MS = 24 * 3600 * 1000;

/** The moment a hash names, or null when it names none (anything malformed is ignored). */
export function parseMoment(hash: string): Moment | null {
  const m = /^#?at=(\d{1,6}(?:\.\d{1,3})?)(&branch)?$/.exec(hash);
  if (m === null) return null;
  const ms = Math.round(Number(m[1]) * 1000);
  if (!Number.isFinite(ms) || ms > MAX_MS) return null;
  return { ms, branch: m[2] !== undefined };
}

/** The hash for a moment (seconds with at most millisecond precision). */
export function momentHash(ms: number, branch: boolean): string {
  const s = Math.max(0, Math.round(ms)) / 1000;
  return `#at=${s}${branch ? '&branch' : ''}`;
}
