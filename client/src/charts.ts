// Small SVG charts: sparklines for the HUD, line charts with event markers for the debrief.
// SVG rather than canvas so they scale crisply on a projector and can carry <title>s.

import { attr, svg } from './dom.js';

export interface SparkOptions {
  width?: number;
  height?: number;
  /** A horizontal reference line (an SLA target), in the data's units. */
  target?: number;
  /** Fix the vertical range instead of fitting the data. */
  min?: number;
  max?: number;
  label: string;
}

/**
 * A sparkline of the values, oldest first, kept on screen and redrawn in place (the HUD's,
 * every time a window closes): only the attributes whose value changed are written.
 */
export class Sparkline {
  readonly el: SVGSVGElement;
  private readonly w: number;
  private readonly h: number;
  private target = svg('line', { x1: 0, stroke: '#b3261e', 'stroke-width': 1.5, 'stroke-dasharray': '4 3' });
  private path = svg('path', { fill: 'none', stroke: '#11151c', 'stroke-width': 2, 'vector-effect': 'non-scaling-stroke' });
  private dot = svg('circle', { r: 2.5, fill: '#11151c' });

  constructor(private readonly o: SparkOptions) {
    this.w = o.width ?? 96;
    this.h = o.height ?? 30;
    this.el = svg('svg', { viewBox: `0 0 ${this.w} ${this.h}`, role: 'img', 'aria-label': o.label, preserveAspectRatio: 'none' });
    this.el.appendChild(svg('title')).textContent = o.label;
    attr(this.target, 'x2', String(this.w));
    this.el.append(this.target, this.path, this.dot);
    this.update([]);
  }

  update(values: readonly number[]): void {
    const { o, w, h } = this;
    const none = values.length === 0;
    for (const el of [this.path, this.dot]) attr(el, 'display', none ? 'none' : null);
    attr(this.target, 'display', none || o.target === undefined ? 'none' : null);
    if (none) return;
    const lo = o.min ?? Math.min(...values, o.target ?? Infinity);
    let hi = o.max ?? Math.max(...values, o.target ?? -Infinity);
    if (hi - lo < 1e-9) hi = lo + 1;
    const x = (i: number) => (values.length === 1 ? w : (i * w) / (values.length - 1));
    const y = (v: number) => h - 2 - ((v - lo) / (hi - lo)) * (h - 4);
    if (o.target !== undefined) {
      attr(this.target, 'y1', String(y(o.target)));
      attr(this.target, 'y2', String(y(o.target)));
    }
    attr(this.path, 'd', values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' '));
    attr(this.dot, 'cx', String(x(values.length - 1)));
    attr(this.dot, 'cy', String(y(values[values.length - 1]!)));
  }
}

export interface Series {
  /** Simulated ms. */
  t: number[];
  v: number[];
}

export interface Marker {
  t: number;
  label: string;
  kind: 'chaos' | 'action' | 'cluster';
}

export interface ChartOptions {
  title: string;
  unit: string;
  durationMs: number;
  target?: number;
  targetLabel?: string;
  min?: number;
  max?: number;
  /** Bars (counts per window) instead of a line. */
  bars?: boolean;
  markers?: readonly Marker[];
  /** Spans to shade (partitions), simulated ms. */
  shade?: readonly { start: number; end: number; label: string }[];
  format?: (v: number) => string;
}

/** Markers closer than this share of the round's length are drawn as one. */
export const MARKER_SPACING = 1 / 40;

/**
 * At most one marker per slot of the round (a 40th of it): the events in a slot share one
 * marker whose tooltip lists them all ("3 events: …"), of the kind most of them are, so
 * a busy round's charts are not hidden under dozens of lines.
 */
export function thinMarkers(markers: readonly Marker[], durationMs: number, spacing = MARKER_SPACING): Marker[] {
  const slot = Math.max(1, durationMs * spacing);
  const groups: Marker[][] = [];
  for (const m of [...markers].sort((a, b) => a.t - b.t)) {
    const g = groups[groups.length - 1];
    if (g !== undefined && m.t - g[0]!.t < slot) g.push(m);
    else groups.push([m]);
  }
  return groups.map((g) => {
    if (g.length === 1) return g[0]!;
    const chaos = g.filter((m) => m.kind === 'chaos').length;
    const kind = chaos * 2 >= g.length ? 'chaos' : g.some((m) => m.kind === 'action') ? 'action' : g[0]!.kind;
    return { t: g[0]!.t, kind, label: `${g.length} events:\n${g.map((m) => m.label).join('\n')}` };
  });
}

/** A chart of one measure over the round, with the SLA line, partitions shaded and events marked. */
export function lineChart(s: Series, o: ChartOptions): SVGSVGElement {
  const W = 600;
  const H = 170;
  const left = 58;
  const right = 10;
  const top = 10;
  const bottom = 24;
  const pw = W - left - right;
  const ph = H - top - bottom;
  const el = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${o.title} over the round` });
  el.appendChild(svg('title')).textContent = `${o.title} over the round`;
  const fmt = o.format ?? ((v: number) => `${Math.round(v)}`);
  const lo = o.min ?? Math.min(0, ...s.v);
  let hi = o.max ?? Math.max(...s.v, o.target ?? -Infinity, lo + 1);
  if (hi <= lo) hi = lo + 1;
  const dur = Math.max(1, o.durationMs);
  const x = (t: number) => left + (Math.min(dur, Math.max(0, t)) / dur) * pw;
  const y = (v: number) => top + ph - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * ph;

  for (const sh of o.shade ?? []) {
    const r = svg('rect', { x: x(sh.start), y: top, width: Math.max(2, x(sh.end) - x(sh.start)), height: ph, fill: 'url(#hatch)', stroke: '#b3261e', 'stroke-width': 1 });
    r.appendChild(svg('title')).textContent = sh.label;
    el.appendChild(r);
  }
  // Hatching for partitions: a pattern, so the shading reads without colour too.
  const defs = svg('defs');
  const pat = svg('pattern', { id: 'hatch', width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  pat.appendChild(svg('rect', { width: 8, height: 8, fill: '#fff5f4' }));
  pat.appendChild(svg('line', { x1: 0, y1: 0, x2: 0, y2: 8, stroke: '#e6a49e', 'stroke-width': 3 }));
  defs.appendChild(pat);
  el.insertBefore(defs, el.firstChild);

  // Axes: three horizontal grid lines with values, time ticks every minute.
  for (let i = 0; i <= 2; i++) {
    const v = lo + ((hi - lo) * i) / 2;
    el.appendChild(svg('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), stroke: '#d5dae3', 'stroke-width': 1 }));
    const t = svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 12, fill: '#4a5363' });
    t.textContent = fmt(v);
    el.appendChild(t);
  }
  const step = dur > 240_000 ? 60_000 : 30_000;
  for (let t = 0; t <= dur; t += step) {
    const anchor = t === 0 ? 'start' : t + step > dur ? 'end' : 'middle';
    const tx = svg('text', { x: x(t), y: H - 6, 'text-anchor': anchor, 'font-size': 12, fill: '#4a5363' });
    tx.textContent = `${Math.floor(t / 60_000)}:${String(Math.floor((t % 60_000) / 1000)).padStart(2, '0')}`;
    el.appendChild(tx);
  }
  if (o.target !== undefined) {
    el.appendChild(svg('line', { x1: left, x2: W - right, y1: y(o.target), y2: y(o.target), stroke: '#b3261e', 'stroke-width': 2, 'stroke-dasharray': '6 4' }));
    const tl = svg('text', { x: W - right - 4, y: y(o.target) - 4, 'text-anchor': 'end', 'font-size': 12, fill: '#b3261e', 'font-weight': 700 });
    tl.textContent = o.targetLabel ?? `target ${fmt(o.target)}`;
    el.appendChild(tl);
  }
  for (const m of o.markers ?? []) {
    const mx = x(m.t);
    const line = svg('line', { x1: mx, x2: mx, y1: top, y2: top + ph, stroke: m.kind === 'chaos' ? '#b3261e' : '#2b59c3', 'stroke-width': 1.5, 'stroke-dasharray': m.kind === 'chaos' ? '2 2' : '' });
    line.appendChild(svg('title')).textContent = m.label;
    el.appendChild(line);
    // A triangle for chaos, a square for actions: shape as well as colour.
    el.appendChild(
      m.kind === 'chaos'
        ? svg('path', { d: `M${mx - 5},${top} L${mx + 5},${top} L${mx},${top + 8} Z`, fill: '#b3261e' })
        : svg('rect', { x: mx - 4, y: top, width: 8, height: 8, fill: '#2b59c3' }),
    );
  }
  if (s.t.length > 0) {
    if (o.bars) {
      const bw = Math.max(1, pw / Math.max(1, dur / 1000) - 0.5);
      for (let i = 0; i < s.t.length; i++) {
        if (s.v[i]! <= 0) continue;
        el.appendChild(svg('rect', { x: x(s.t[i]!), y: y(s.v[i]!), width: bw, height: top + ph - y(s.v[i]!), fill: '#6a3fb5' }));
      }
    } else {
      const d = s.t.map((t, i) => `${i === 0 ? 'M' : 'L'}${x(t).toFixed(1)},${y(s.v[i]!).toFixed(1)}`).join(' ');
      el.appendChild(svg('path', { d, fill: 'none', stroke: '#11151c', 'stroke-width': 2 }));
    }
  }
  el.appendChild(svg('rect', { x: left, y: top, width: pw, height: ph, fill: 'none', stroke: '#8792a6', 'stroke-width': 1 }));
  void o.unit;
  return el;
}
