// What the client saw of a round, kept for the debrief: the room's state holds only the last
// 30 metric windows and 20 feed entries, so the client remembers every one it was shown.
// If the server sends a complete round record with the debrief, that record wins.

import type { RoundEvent, RoundRecord, WindowPoint } from '../../shared/lessons/pick.js';
import { GROUPED_KINDS } from '../../shared/words/feed.js';
import type { Summary } from '../../shared/sim/summary.js';
import type { FeedV, RoundView, WindowV } from './view.js';

export const WINDOW_MS = 1000;

export class RoundHistory {
  private windows = new Map<number, WindowV>();
  private feed: FeedV[] = [];
  private seen = new Map<string, FeedV>();

  observe(v: RoundView): void {
    if (v.phase !== 'live' && v.phase !== 'debrief') return;
    for (const w of v.windows) this.windows.set(w.t, w);
    for (const f of v.feed) {
      // A burst's line (elections after a crash) grows in place: keep its latest words.
      const key = GROUPED_KINDS.has(f.kind) ? `${f.t}|${f.kind}|${f.node}` : `${f.t}|${f.kind}|${f.node}|${f.text}`;
      const had = this.seen.get(key);
      if (had !== undefined) {
        had.text = f.text;
        continue;
      }
      const copy = { ...f };
      this.seen.set(key, copy);
      this.feed.push(copy);
    }
  }

  /** Windows in time order. */
  allWindows(): WindowV[] {
    return [...this.windows.values()].sort((a, b) => a.t - b.t);
  }

  events(): RoundEvent[] {
    return this.feed
      .filter((f) => f.kind !== 'phase' && f.kind !== 'player')
      .map((f) => {
        const e: RoundEvent = { t: f.t, kind: f.kind, text: f.text };
        if (f.node >= 0) e.node = f.node;
        return e;
      })
      .sort((a, b) => a.t - b.t);
  }

  /** The round record the lesson cards are picked from. */
  record(v: RoundView, summary: Summary): RoundRecord {
    const extra = (v.debrief as { record?: RoundRecord } | null)?.record;
    if (extra !== undefined && extra !== null && Array.isArray(extra.windows)) return extra;
    const ws = this.allWindows();
    // The schema's windows carry the requests invoked and the share that succeeded.
    const points: WindowPoint[] = ws.map((w) => ({
      start: w.t, requests: w.requests, ok: Math.round(w.requests * w.availability), staleReads: w.staleReads, p99: w.p99, throughput: w.throughput,
    }));
    return {
      scenario: (v.scenario?.id ?? 'bank'),
      sla: v.scenario?.sla ?? { availability: 0.99, p99Ms: 500, maxStaleReads: 0, maxLostWrites: 0 },
      budgetLimit: v.scenario?.budget.limit ?? v.measures.budget,
      regions: v.scenario?.topology.regions.length ?? 1,
      nodes: v.nodes.filter((n) => n.status !== 'removed').length,
      settings: v.settings,
      summary,
      windows: points,
      windowMs: WINDOW_MS,
      events: this.events(),
      durationMs: v.durationMs,
    };
  }
}
