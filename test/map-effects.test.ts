// The feedback a change of the round view calls for (client/src/map/effects.ts) and the
// sounds that go with it (client/src/sound/cues.ts): a pulse where an action took effect,
// a mark where a node went down, the cut drawing in and out; nothing for a seek or a click
// the simulation refused; short cues only.

import { describe, expect, it } from 'vitest';
import { effectsBetween, effectTag, MAX_STEP_MS, type MapEffect } from '../client/src/map/effects.js';
import { CUES, cueSeconds, cuesFor, type Cue } from '../client/src/sound/cues.js';
import { newNode, newRoundState } from '../shared/view/plain.js';
import { roundViewOf } from '../shared/view/view-of.js';
import type { RoundView } from '../client/src/view.js';

function live(simMs = 10_000): RoundView {
  const v = roundViewOf(newRoundState(), 'me');
  return { ...v, phase: 'live', simMs, nodes: [0, 1, 2].map((i) => newNode(i)), feed: [], myNode: 0 };
}

/** The view a tick later, with `change` applied to a copy. */
function later(prev: RoundView, change: (v: RoundView) => void, ms = 100): RoundView {
  const next: RoundView = { ...prev, simMs: prev.simMs + ms, nodes: prev.nodes.map((n) => ({ ...n })), feed: [...prev.feed], network: { ...prev.network } };
  change(next);
  return next;
}

const tags = (e: MapEffect[]) => e.map(effectTag);

describe('the feedback a view change calls for', () => {
  it('pulses the node an action took effect on, read from the feed', () => {
    const a = live();
    const b = later(a, (v) => v.feed.push({ t: v.simMs, kind: 'restart', text: 'Node 1 is restarting', node: 1 }));
    expect(tags(effectsBetween(a, b))).toEqual(['action:restart:N1']);
    // The same line still in the feed a frame later is not a second action.
    expect(effectsBetween(b, later(b, () => undefined))).toEqual([]);
  });

  it('reads the actions the feed does not name from the node: drain, undrain, rate-limit, stance, size', () => {
    const a = live();
    const b = later(a, (v) => {
      v.nodes[0]!.drained = true;
      v.nodes[1]!.rateLimited = true;
      v.nodes[2]!.stance = 'serve';
    });
    expect(tags(effectsBetween(a, b))).toEqual(['action:drain:N0', 'action:rate-limit:N1', 'action:stance:N2']);
    const c = later(b, (v) => (v.nodes[0]!.drained = false));
    expect(tags(effectsBetween(b, c))).toEqual(['action:undrain:N0']);
    // A scale-up shows in the feed and in the size: one pulse.
    const d = later(c, (v) => {
      v.nodes[2]!.size = 2;
      v.feed.push({ t: v.simMs, kind: 'scale-up', text: 'Node 2 moves to a machine twice as big', node: 2 });
    });
    expect(tags(effectsBetween(c, d))).toEqual(['action:scale-up:N2']);
  });

  it('pulses a node the team added', () => {
    const a = live();
    const b = later(a, (v) => v.nodes.push({ ...newNode(3), status: 'recovering' }));
    expect(tags(effectsBetween(a, b))).toEqual(['action:scale-out:N3']);
  });

  it('marks a node that went down, once', () => {
    const a = live();
    const b = later(a, (v) => (v.nodes[2]!.status = 'down'));
    expect(tags(effectsBetween(a, b))).toEqual(['crash:N2']);
    expect(effectsBetween(b, later(b, () => undefined))).toEqual([]);
  });

  it('draws the cut in when the cluster splits and out when it heals', () => {
    const a = live();
    const b = later(a, (v) => (v.network.partitioned = true));
    const c = later(b, (v) => (v.network.partitioned = false));
    expect(tags(effectsBetween(a, b))).toEqual(['split']);
    expect(tags(effectsBetween(b, c))).toEqual(['heal']);
  });

  it('calls for nothing on a first view, outside the live phase, or across a seek', () => {
    const a = live();
    const crashed = (ms: number) => later(a, (v) => (v.nodes[0]!.status = 'down'), ms);
    expect(effectsBetween(null, a)).toEqual([]);
    expect(effectsBetween(a, a)).toEqual([]);
    expect(effectsBetween(a, crashed(MAX_STEP_MS + 1))).toEqual([]);
    expect(effectsBetween(a, crashed(-2000))).toEqual([]);
    expect(effectsBetween({ ...a, phase: 'setup' }, crashed(100))).toEqual([]);
    expect(effectsBetween(a, { ...crashed(100), phase: 'debrief' })).toEqual([]);
  });

  it('never breaks on views that disagree about the nodes (a node gone, a strange feed)', () => {
    const a = live();
    const b = later(a, (v) => {
      v.nodes.pop();
      v.feed.push({ t: 1, kind: 'restart', text: '', node: -1 }, { t: 2, kind: 'heal', text: 'healed', node: -1 });
    });
    expect(effectsBetween(a, b)).toEqual([]);
  });
});

describe('the sounds that go with it', () => {
  it('sounds your own action and the team’s new node, not another player’s action', () => {
    expect(cuesFor([{ kind: 'action', node: 0, what: 'restart' }], 0)).toEqual(['done']);
    expect(cuesFor([{ kind: 'action', node: 1, what: 'restart' }], 0)).toEqual([]);
    expect(cuesFor([{ kind: 'action', node: 4, what: 'scale-out' }], 0)).toEqual(['done']);
  });

  it('sounds a crash, a split and a heal once each, the most pressing first', () => {
    const e: MapEffect[] = [{ kind: 'action', node: 0, what: 'drain' }, { kind: 'heal' }, { kind: 'crash', node: 1 }, { kind: 'crash', node: 2 }, { kind: 'split' }];
    expect(cuesFor(e, 0)).toEqual(['down', 'split', 'heal', 'done']);
  });

  it('keeps every cue short and soft: under 0.7 s, never louder than 0.5 summed', () => {
    for (const cue of Object.keys(CUES) as Cue[]) {
      expect(cueSeconds(cue), cue).toBeLessThanOrEqual(0.7);
      for (let t = 0; t < cueSeconds(cue); t += 0.01) {
        const sum = CUES[cue].filter((x) => x.at <= t && t < x.at + x.dur).reduce((s, x) => s + x.gain, 0);
        expect(sum, `${cue} at ${t.toFixed(2)} s`).toBeLessThanOrEqual(0.5);
      }
      for (const x of CUES[cue]) expect(x.freq > 20 && x.freq < 5000 && (x.slideTo ?? 100) > 0, cue).toBe(true);
    }
  });
});
