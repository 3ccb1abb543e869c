// Numbers as the player reads them. The debrief's cards use the same helpers (shared/lessons),
// so a figure reads the same on the HUD and in the explanation.

export { clockTime, int, ms, percent } from '../../shared/lessons/pick.js';
export { formatDuration } from '../../shared/sim/metrics.js';

/** Nines with one decimal, or "9+" when perfect. */
export function ninesText(n: number): string {
  if (n >= 9) return '9+';
  return n.toFixed(1);
}

/** m:ss from whole seconds. */
export function seconds(s: number): string {
  const t = Math.max(0, Math.round(s));
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
}
