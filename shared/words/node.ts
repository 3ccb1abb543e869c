// A node's load in a player's words, as the node panel shows it: how busy it is, and how full
// its queue is against the point where it starts turning requests away.

/**
 * "Busy: 62% of its capacity · queue: 40 waiting, 25% of what it holds before it turns
 * requests away", or "… queue full (120 waiting): it turns new requests away".
 * `load` is the queue against its limit in percent; past 100 the queue is over the limit.
 */
export function nodeBusyText(utilization: number, queue: number, load: number): string {
  const busy = `Busy: ${clampPct(utilization)}% of its capacity`;
  const waiting = `${Math.max(0, Math.round(queue)).toLocaleString('en-US')} waiting`;
  if (load >= 100) return `${busy} · queue full (${waiting}): it turns new requests away`;
  return `${busy} · queue: ${waiting}, ${clampPct(load)}% of what it holds before it turns requests away`;
}

function clampPct(x: number): number {
  return Number.isFinite(x) ? Math.max(0, Math.min(100, Math.round(x))) : 0;
}
