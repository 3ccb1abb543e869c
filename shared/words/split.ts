// What a node did while the cluster was split, in one sentence for the node panel: the
// consequence of its stance, in the customer's terms ("refused 312 requests and kept the
// promise", "served 280 reads, 37 of them stale").

export interface SplitFacts {
  /** 1: the split going on now; 2: the last one. */
  split: number;
  minority: boolean;
  seconds: number;
  reads: number;
  stale: number;
  writes: number;
  refused: number;
}

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function listWords(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * The node panel's sentence, or '' when the node has seen no split. `mine` says "your node";
 * `noStale` is true where the customer's promise forbids stale reads (sla.maxStaleReads 0).
 */
export function splitText(f: SplitFacts, mine: boolean, noStale: boolean): string {
  if (f.split !== 1 && f.split !== 2) return '';
  // A number and its unit stay on one line (a no-break space): "(20" at a line's end read badly.
  const when = f.split === 1 ? `During this split (${f.seconds}\u00a0s so far` : `During the last split (${f.seconds}\u00a0s`;
  const side = f.minority ? 'cut off from most of the cluster' : 'on the side with most of the cluster';
  const who = mine ? 'your node' : 'this node';
  const parts: string[] = [];
  // Writes first, so that "of them stale" ends the list and clearly belongs to the reads.
  if (f.writes > 0) parts.push(count(f.writes, 'write', 'writes'));
  if (f.reads > 0) parts.push(`${count(f.reads, 'read', 'reads')}${f.stale > 0 ? `, ${f.stale.toLocaleString('en-US')} of them stale` : ''}`);
  const did: string[] = [];
  if (parts.length > 0) did.push(`answered ${listWords(parts)}`);
  if (f.refused > 0) did.push(`refused ${count(f.refused, 'request', 'requests')}`);
  // "answered …, refused …": the two verbs joined by a semicolon when the list has its own "and".
  const action = did.length === 0 ? 'answered no requests' : did.length === 1 ? did[0]! : `${did[0]}; it ${did[1]}`;
  let verdict = '';
  if (noStale && f.stale > 0) verdict = " The stale reads broke the customer's promise: never out-of-date data.";
  else if (noStale && f.reads + f.writes + f.refused > 0) verdict = f.split === 1 ? ' So far it keeps the promise: no out-of-date data.' : ' It kept the promise: no out-of-date data.';
  return `${when}, ${side}) ${who} ${action}.${verdict}`;
}
