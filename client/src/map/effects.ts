// Which feedback a change of the round view calls for: a pulse on a node when an action took
// effect there, a mark when a node went down, the cut drawing in when the cluster split and
// fading out when it healed. Pure: it compares two views and nothing else, so the map's
// animations and the sounds follow what the simulation did, never the click that asked for it
// (a refused command changes nothing and so shows nothing).

import type { NodeV, RoundView } from '../view.js';

export type MapEffect =
  /** An action took effect on `node` (`what` names it: restart, scale-up, drain, stance…). */
  | { kind: 'action'; node: number; what: string }
  /** The node went down (crashed, or its machine was replaced). */
  | { kind: 'crash'; node: number }
  | { kind: 'split' }
  | { kind: 'heal' };

/** The feed kinds that say a node action took effect, with the node they name. */
const ACTION_FEED_KINDS: ReadonlySet<string> = new Set(['restart', 'replace', 'scale-up', 'scale-out', 'drain', 'remove', 'demote', 'repair']);

/**
 * A jump of simulated time larger than this is a seek (a replay), not time passing: the views
 * on either side are not one change, so they call for no feedback.
 */
export const MAX_STEP_MS = 5000;

/** The feedback the change from `prev` to `next` calls for, at most one per node and kind. */
export function effectsBetween(prev: RoundView | null, next: RoundView): MapEffect[] {
  if (prev === null || prev === next || prev.phase !== 'live' || next.phase !== 'live') return [];
  if (next.simMs < prev.simMs || next.simMs - prev.simMs > MAX_STEP_MS) return [];
  const out: MapEffect[] = [];
  const acted = new Set<number>();
  const action = (node: number, what: string) => {
    if (acted.has(node)) return;
    acted.add(node);
    out.push({ kind: 'action', node, what });
  };
  // The feed names most actions (and the node) the tick they were applied.
  const seen = new Set(prev.feed.map(feedKey));
  for (const f of next.feed) if (f.node >= 0 && ACTION_FEED_KINDS.has(f.kind) && !seen.has(feedKey(f))) action(f.node, f.kind);
  // Some actions leave no line in the feed: read them from the node itself.
  const before = new Map(prev.nodes.map((n) => [n.id, n]));
  for (const n of next.nodes) {
    const p = before.get(n.id);
    if (p === undefined) {
      if (n.status !== 'removed') action(n.id, 'scale-out');
      continue;
    }
    if (p.status !== 'down' && n.status === 'down') out.push({ kind: 'crash', node: n.id });
    const what = changedSetting(p, n);
    if (what !== null) action(n.id, what);
  }
  if (!prev.network.partitioned && next.network.partitioned) out.push({ kind: 'split' });
  if (prev.network.partitioned && !next.network.partitioned) out.push({ kind: 'heal' });
  return out;
}

/** A short tag for an effect, as the map lists them for tests: "action:restart:N2", "crash:N1", "split". */
export function effectTag(e: MapEffect): string {
  switch (e.kind) {
    case 'action':
      return `action:${e.what}:N${e.node}`;
    case 'crash':
      return `crash:N${e.node}`;
    default:
      return e.kind;
  }
}

// ---------------------------------------------------------------------------------------

function feedKey(f: { t: number; kind: string; node: number; text: string }): string {
  return `${f.t}|${f.kind}|${f.node}|${f.text}`;
}

/** What an action changed on the node, read from its fields (undrain, rate-limit and stance have no feed line). */
function changedSetting(p: NodeV, n: NodeV): string | null {
  if (p.size !== n.size) return 'scale-up';
  if (p.drained !== n.drained) return n.drained ? 'drain' : 'undrain';
  if (p.rateLimited !== n.rateLimited) return 'rate-limit';
  if (p.stance !== n.stance) return 'stance';
  return null;
}
