// The cluster map, drawn with Phaser: regions as areas, nodes as big labelled circles, links
// with their latency, a partition as a cut across links, messages as moving dots, and each
// node's load. It reads the view every frame and keeps no game state of its own.
//
// Every status has a shape and a word as well as a colour: a down node is crossed out and
// its ring dashed, a slow one carries an hourglass, a recovering one a turning arrow; a node
// carries one small square per shard it leads; the words under the circle say the same. A
// split draws a line round each side's nodes (layout.ts keeps a side's nodes together).
// Requests are round dots, copies to replicas diamonds. The key under the map (legend.ts)
// names every mark with the same pictures (assets/icons).
//
// Feedback (fx.ts): the scene compares each frame's view with the last one (effects.ts) and
// animates what changed: a ring on a node an action took effect on, the cut fading in and
// out, and a burst where a message died at the cut.

import * as Phaser from 'phaser';
import { effectsBetween, type MapEffect } from './effects.js';
import { MapFx, type CutSegment } from './fx.js';
import { labelWrapWidth, layoutMap, nodeAt, regionCentre, type MapLayout, type NodeSpot } from './layout.js';
import { reducedMotion } from '../motion.js';
import { behindKeys } from '../divergence.js';
import { ownerWords, statusWord, type NodeV, type RoundView } from '../view.js';

export interface MapSource {
  view(): RoundView | null;
  selected(): number;
  select(id: number): void;
  /** Pixels at the bottom of the map covered by something else (the tutorial's coach). */
  bottomInset(): number;
  /** True while simulated time stands still (a paused replay): no new traffic dots. */
  frozen?(): boolean;
  /** What changed in the view since the last frame, as feedback (the round screen plays sounds for it). */
  effects?(list: readonly MapEffect[], v: RoundView): void;
}

const C = {
  region: 0xffffff,
  regionLine: 0x8792a6,
  link: 0x6b7486,
  cut: 0xb3261e,
  ink: 0x11151c,
  muted: 0x4a5363,
  accent: 0x2b59c3,
  leader: 0xc08f00,
  request: 0x2b59c3,
  replicate: 0x6a3fb5,
  status: {
    up: { ring: 0x1b7a3a, fill: 0xe3f3e8 },
    down: { ring: 0xb3261e, fill: 0xf6d5d2 },
    slow: { ring: 0x9a5b00, fill: 0xffefcf },
    recovering: { ring: 0x1f5fb8, fill: 0xdce9fb },
    removed: { ring: 0x9aa1ad, fill: 0xeceef2 },
  },
} as const;

interface Dot {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  start: number;
  dur: number;
  color: number;
  /** Dropped at this fraction of the way (a cut link or a dead node); 1 = delivered. */
  dropAt: number;
  /** It dies at the partition's cut (a burst marks it there), not at a dead node. */
  atCut: boolean;
}

const MAX_DOTS = 260;

export class ClusterScene extends Phaser.Scene {
  private g!: Phaser.GameObjects.Graphics;
  private fx!: Phaser.GameObjects.Graphics;
  private ng!: Phaser.GameObjects.Graphics;
  private texts = new Map<string, Phaser.GameObjects.Text>();
  private used = new Set<string>();
  private dots: Dot[] = [];
  private layout: MapLayout | null = null;
  private spawnDebt = new Map<string, number>();
  private lastTime = 0;
  private fxs!: MapFx;
  private prevView: RoundView | null = null;
  /** The cut's strokes drawn this frame, and in the last frame that had any (for the heal's fade). */
  private cutNow: CutSegment[] = [];
  private lastCut: CutSegment[] = [];

  constructor(private readonly source: MapSource) {
    super({ key: 'cluster' });
  }

  create(): void {
    this.g = this.add.graphics().setDepth(0);
    this.fx = this.add.graphics().setDepth(1);
    this.ng = this.add.graphics().setDepth(2);
    this.fxs = new MapFx(this);
    this.input.on('pointerdown', (p: Phaser.Input.Pointer) => {
      if (this.layout === null) return;
      const id = nodeAt(this.layout, p.x, p.y);
      if (id >= 0) this.source.select(id);
    });
  }

  override update(time: number): void {
    const v = this.source.view();
    const dt = this.lastTime === 0 ? 0 : Math.min(250, time - this.lastTime);
    this.lastTime = time;
    this.used.clear();
    this.g.clear();
    this.fx.clear();
    this.ng.clear();
    if (v === null) {
      this.hideUnused();
      return;
    }
    const L = layoutMap(v.nodes, v.scenario, this.scale.width, this.scale.height, this.source.bottomInset());
    this.layout = L;
    const effects = effectsBetween(this.prevView, v);
    this.prevView = v;
    if (effects.length > 0) {
      this.fxs.play(effects, L, this.lastCut);
      this.source.effects?.(effects, v);
    }
    this.cutNow = [];
    this.drawRegions(v, L);
    this.drawLinks(v, L, time);
    if (this.cutNow.length > 0) this.lastCut = this.cutNow;
    if (v.phase === 'live' && this.source.frozen?.() !== true) this.spawnDots(v, L, time, dt);
    this.drawDots(time);
    for (const n of v.nodes) {
      const s = L.nodes.get(n.id);
      if (s !== undefined) this.drawNode(v, n, s, L, time);
    }
    this.hideUnused();
  }

  // -------------------------------------------------------------------------------------

  private drawRegions(v: RoundView, L: MapLayout): void {
    const g = this.g;
    for (const r of L.regions) {
      g.fillStyle(r.cutOff ? 0xfff3f2 : C.region, 0.8);
      g.fillRoundedRect(r.x, r.y, r.w, r.h, 14);
      if (!r.cutOff) {
        g.lineStyle(2, C.regionLine, 1);
        g.strokeRoundedRect(r.x, r.y, r.w, r.h, 14);
      }
      const spike = v.network.latencySpikeMs > 0 ? ` +${v.network.latencySpikeMs} ms` : '';
      const nameSize = Math.max(13, L.font);
      this.label(`region-${r.index}`, r.x + 12, r.y + 8, `${r.name}`, { size: nameSize, bold: true, color: '#11151c' });
      this.label(`region-ms-${r.index}`, r.x + 12, r.y + 8 + nameSize + 2, `links inside: ${r.intraMs[0]}–${r.intraMs[1]} ms${spike}`, { size: Math.max(12, Math.round(L.font * 0.7)), color: '#4a5363' });
      const c = r.clients;
      if (r.cutOff) {
        // The whole region is an island: a thick red dashed border and a label saying so, in
        // the region's top row beside its name (at the bottom it hid the nodes' second lines).
        dashedRect(g, r.x, r.y, r.w, r.h, C.cut, 5, this.fxs.cutShown);
        const long = `CUT OFF from the other region${L.regions.length > 2 ? 's' : ''}`;
        // Widths estimated from the type size (measuring would redraw the text every frame).
        const room = c.x - 24 - (r.x + 12 + r.name.length * nameSize * 0.62 + 12);
        this.label(`region-cut-${r.index}`, c.x - 24, r.y + 8, long.length * 14 * 0.62 + 8 <= room ? long : 'CUT OFF', { size: 14, bold: true, color: '#ffffff', bg: '#b3261e', originX: 1, originY: 0, alpha: this.fxs.cutShown });
      }
      // The clients of this region: a small stack of three figures.
      g.fillStyle(C.muted, 1);
      for (let i = 0; i < 3; i++) {
        g.fillCircle(c.x - 12 + i * 12, c.y - 4, 3.5);
        g.fillRoundedRect(c.x - 16 + i * 12, c.y + 1, 8, 8, 2);
      }
      this.label(`clients-${r.index}`, c.x, c.y + 12, 'clients', { size: 12, color: '#4a5363', originX: 0.5 });
    }
    // A split through a region: a line round each side's nodes, and what that side is.
    // They fade in as the split forms (fx.ts).
    const shown = this.fxs.cutShown;
    for (const side of L.sides) {
      if (side.larger) {
        g.lineStyle(2, C.muted, shown);
        g.strokeRoundedRect(side.x, side.y, side.w, side.h, 10);
      } else {
        g.fillStyle(0xfff3f2, 0.9 * shown);
        g.fillRoundedRect(side.x, side.y, side.w, side.h, 10);
        dashedRect(g, side.x, side.y, side.w, side.h, C.cut, 3, shown);
      }
      const words = side.larger ? 'larger side' : side.w > 150 ? 'CUT OFF from the larger side' : 'CUT OFF';
      this.label(`side-${side.region}-${side.group}`, side.x + side.w / 2, side.y + side.h - 3, words, { size: 13, bold: true, color: side.larger ? '#ffffff' : '#ffffff', bg: side.larger ? '#4a5363' : '#b3261e', originX: 0.5, originY: 1, alpha: shown });
    }
  }

  private drawLinks(v: RoundView, L: MapLayout, time: number): void {
    const g = this.g;
    for (const link of L.links) {
      const a = L.nodes.get(link.a);
      const b = L.nodes.get(link.b);
      if (!a || !b) continue;
      if (link.cut) this.cutLine(a.x, a.y, b.x, b.y, `cut-${link.a}-${link.b}`);
      else {
        g.lineStyle(2, C.link, 0.55);
        g.lineBetween(a.x, a.y, b.x, b.y);
      }
    }
    for (const rl of L.regionLinks) {
      const ra = regionCentre(L.regions[rl.a]!);
      const rb = regionCentre(L.regions[rl.b]!);
      const boxA = L.regions[rl.a]!;
      const boxB = L.regions[rl.b]!;
      // From edge to edge: start just outside each box along the line between centres.
      let p1 = edgePoint(boxA, rb);
      let p2 = edgePoint(boxB, ra);
      let mid = { x: (p1.x + p2.x) / 2, y: (p1.y + p2.y) / 2 };
      const spike = v.network.latencySpikeMs;
      const text = `${rl.ms}${spike > 0 ? ` + ${spike}` : ''} ms`;
      if (rl.bend !== null) {
        p1 = { x: ra.x, y: boxA.y };
        p2 = { x: rb.x, y: boxB.y };
        if (boxA.y !== boxB.y || boxA.x === boxB.x) {
          p1 = { x: boxA.x + boxA.w, y: ra.y };
          p2 = { x: boxB.x + boxB.w, y: rb.y };
        }
        const curve = new Phaser.Curves.QuadraticBezier(new Phaser.Math.Vector2(p1.x, p1.y), new Phaser.Math.Vector2(rl.bend.x, rl.bend.y), new Phaser.Math.Vector2(p2.x, p2.y));
        const pts = curve.getPoints(32);
        mid = curve.getPoint(0.5);
        if (rl.cut) {
          g.lineStyle(4, C.cut, this.fxs.cutShown);
          for (let i = 0; i + 1 < pts.length; i += 2) {
            g.lineBetween(pts[i]!.x, pts[i]!.y, pts[i + 1]!.x, pts[i + 1]!.y);
            this.cutNow.push({ x1: pts[i]!.x, y1: pts[i]!.y, x2: pts[i + 1]!.x, y2: pts[i + 1]!.y });
          }
          this.cutMark(mid.x, mid.y, `rcut-${rl.a}-${rl.b}`);
        } else {
          g.lineStyle(5, C.link, 0.8);
          g.strokePoints(pts, false, false);
        }
      } else if (rl.cut) {
        this.cutLine(p1.x, p1.y, p2.x, p2.y, `rcut-${rl.a}-${rl.b}`, 5);
        const len = Math.hypot(p2.x - p1.x, p2.y - p1.y) || 1;
        this.cutMark(mid.x, mid.y, `rcut-big-${rl.a}-${rl.b}`, (p2.x - p1.x) / len, (p2.y - p1.y) / len, 2.4);
      } else {
        g.lineStyle(5, C.link, 0.8);
        g.lineBetween(p1.x, p1.y, p2.x, p2.y);
      }
      this.label(`rlink-${rl.a}-${rl.b}`, mid.x, mid.y + (rl.cut ? 22 : 0), text, {
        size: Math.max(13, Math.round(L.font * 0.8)),
        bold: true,
        color: spike > 0 ? '#b3261e' : '#11151c',
        bg: '#ffffff',
        originX: 0.5,
        originY: 0.5,
      });
    }
    void time;
  }

  /** A link the partition cut: red dashes with a zigzag break in the middle. */
  private cutLine(x1: number, y1: number, x2: number, y2: number, key: string, width = 3): void {
    const g = this.g;
    const len = Math.hypot(x2 - x1, y2 - y1);
    const ux = (x2 - x1) / len;
    const uy = (y2 - y1) / len;
    g.lineStyle(width, C.cut, 0.9 * this.fxs.cutShown);
    for (let d = 0; d < len; d += 14) {
      const e = Math.min(len, d + 8);
      // Leave a gap around the middle for the break mark.
      if (Math.abs((d + e) / 2 - len / 2) < 14) continue;
      g.lineBetween(x1 + ux * d, y1 + uy * d, x1 + ux * e, y1 + uy * e);
    }
    this.cutNow.push({ x1, y1, x2, y2 });
    this.cutMark((x1 + x2) / 2, (y1 + y2) / 2, key, ux, uy);
  }

  /** A zigzag across the line at (x, y), like a snapped cable. */
  private cutMark(x: number, y: number, key: string, ux = 1, uy = 0, size = 1): void {
    const g = this.g;
    const px = -uy;
    const py = ux;
    g.lineStyle(4 * Math.min(1.5, size), C.cut, this.fxs.cutShown);
    const pts: Phaser.Math.Vector2[] = [];
    const n = Math.round(3 * size);
    for (let i = -n; i <= n; i++) {
      const side = (i % 2 === 0 ? 5 : -5) * Math.min(1.6, size);
      pts.push(new Phaser.Math.Vector2(x + px * i * 4 * size + ux * side, y + py * i * 4 * size + uy * side));
    }
    g.strokePoints(pts, false, false);
    void key;
  }

  private drawNode(v: RoundView, n: NodeV, s: NodeSpot, L: MapLayout, time: number): void {
    const g = this.ng;
    const word = statusWord(n);
    const col = C.status[word];
    const selected = this.source.selected() === n.id;
    const groups = groupSizes(v.nodes);
    const cutOff = v.network.partitioned && groups.size > 1 && n.group !== largestGroup(groups);
    if (selected) {
      g.lineStyle(5, C.accent, 1);
      g.strokeCircle(s.x, s.y, s.r + 12 + Math.sin(time / 200) * 1.5);
    }
    if (cutOff) {
      // An island ring: this node is on the small side of the split.
      dashedCircle(g, s.x, s.y, s.r + 7, C.cut, 3, 16, 0, this.fxs.cutShown);
    }
    g.fillStyle(col.fill, 1);
    g.fillCircle(s.x, s.y, s.r);
    if (word === 'down') {
      dashedCircle(g, s.x, s.y, s.r, col.ring, 5, 12, 0);
      g.lineStyle(6, col.ring, 0.9);
      const d = s.r * 0.55;
      g.lineBetween(s.x - d, s.y - d, s.x + d, s.y + d);
      g.lineBetween(s.x - d, s.y + d, s.x + d, s.y - d);
    } else if (word === 'recovering') {
      dashedCircle(g, s.x, s.y, s.r, col.ring, 5, 10, time / 600);
    } else if (word === 'removed') {
      dashedCircle(g, s.x, s.y, s.r, col.ring, 2, 20, 0);
    } else {
      g.lineStyle(word === 'slow' ? 3 : 5, col.ring, 1);
      g.strokeCircle(s.x, s.y, s.r);
      if (word === 'slow') g.strokeCircle(s.x, s.y, s.r - 6);
    }
    // One small square per shard this node leads: the count reads at a glance, and the
    // squares over the whole map add up to the shard count.
    if (n.leaderOf > 0 && n.status === 'up') shardPips(g, s.x, s.y - s.r - 5, s.r, n.leaderOf);
    // The status shape in a badge at the top right.
    const bx = s.x + s.r * 0.74;
    const by = s.y - s.r * 0.74;
    const br = Math.max(9, s.r * 0.24);
    g.fillStyle(0xffffff, 1);
    g.fillCircle(bx, by, br);
    g.lineStyle(2, col.ring, 1);
    g.strokeCircle(bx, by, br);
    statusGlyph(g, word, bx, by, br * 0.62, col.ring, time);

    const f = L.font;
    this.label(`id-${n.id}`, s.x, s.y - (n.size > 1 ? f * 0.35 : 0), `N${n.id}`, { size: Math.round(s.r * 0.52), bold: true, color: '#11151c', originX: 0.5, originY: 0.5 });
    if (n.size > 1) this.label(`size-${n.id}`, s.x, s.y + s.r * 0.42, `size ×${n.size}`, { size: Math.max(11, f * 0.75), color: '#11151c', originX: 0.5, originY: 0.5 });
    if (n.id === v.myNode) this.label(`you-${n.id}`, s.x - s.r * 0.95, s.y - s.r * 0.95, 'YOU', { size: 12, bold: true, color: '#ffffff', bg: '#2b59c3', originX: 0.5, originY: 0.5 });

    let y = s.y + s.r + 5;
    const owner = ownerWords(n);
    // On a light ground of its own: the ring of the selected node (and the dashed ring of a
    // node cut off) reaches below the circle, where the name starts, and would run through it.
    this.label(`owner-${n.id}`, s.x, y, owner, { size: f, bold: true, color: '#11151c', bg: 'rgba(255,255,255,0.9)', originX: 0.5 });
    y += Math.round(f * 1.3);
    const role = n.status === 'up' ? ` · ${shortRole(n, v)}` : '';
    // Wrapped to the node's own width, so neighbours' words never run into each other.
    const status = this.label(`status-${n.id}`, s.x, y, `${word.toUpperCase()}${role}`, { size: f - 1, bold: true, color: hex(col.ring), originX: 0.5, wrap: labelWrapWidth(s, 90, 2.4) });
    y += Math.max(Math.round(f * 1.4), Math.round(status.height + 3));
    // Load: the share of the node's capacity that is busy (utilization).
    const bw = Math.max(56, s.r * 2);
    const load = Math.min(100, n.utilization);
    g.fillStyle(0xffffff, 1);
    g.fillRect(s.x - bw / 2, y, bw, 9);
    g.fillStyle(load >= 80 ? C.cut : C.ink, 1);
    g.fillRect(s.x - bw / 2, y, (bw * load) / 100, 9);
    if (load >= 80) {
      g.lineStyle(1, 0xffffff, 0.8);
      for (let x = 0; x < (bw * load) / 100 - 4; x += 6) g.lineBetween(s.x - bw / 2 + x, y + 9, s.x - bw / 2 + x + 4, y);
      // Not colour alone: a warning sign at the end of a bar that runs hot.
      warningSign(g, s.x + bw / 2 + 9, y + 4.5, 8);
    }
    g.lineStyle(1, C.ink, 1);
    g.strokeRect(s.x - bw / 2, y, bw, 9);
    y += 11;
    const flags: string[] = [`queue ${n.queue}`];
    if (cutOff) flags.push(n.stance === 'serve' ? 'cut off: serving' : 'cut off: refusing');
    if (n.drained) flags.push('drained');
    if (n.flooded) flags.push('flooded');
    if (n.rateLimited) flags.push('rate-limited');
    if (Math.abs(n.clockOffset) >= 100) flags.push(`clock ${n.clockOffset > 0 ? '+' : ''}${(n.clockOffset / 1000).toFixed(1)} s`);
    const behind = behindKeys(v, n, performance.now());
    if (behind.length > 0) flags.push(`behind on ${behind.join(', ')}`);
    this.label(`flags-${n.id}`, s.x, y, flags.join(' · '), { size: Math.max(11, f - 3), color: cutOff || behind.length > 0 ? '#b3261e' : '#4a5363', originX: 0.5, bold: cutOff || behind.length > 0, wrap: labelWrapWidth(s, 120, 2.6) });
  }

  // -------------------------------------------------------------------------------------
  // Messages in flight: approximate, for the eye; the rates follow the measured traffic.

  private spawnDots(v: RoundView, L: MapLayout, time: number, dt: number): void {
    if (dt <= 0) return;
    const live = v.nodes.filter((n) => n.status !== 'removed');
    const perNode = live.length === 0 ? 0 : v.measures.throughput / live.length;
    const reqRate = Math.min(5, Math.max(0.6, perNode / 120));
    const spike = v.network.latencySpikeMs;
    for (const n of live) {
      const s = L.nodes.get(n.id);
      const r = L.regions[n.region];
      if (!s || !r) continue;
      if (!n.drained) {
        const rate = n.status === 'up' ? reqRate : 0.5;
        this.emit(`req-${n.id}`, rate, dt, () => ({
          x1: r.clients.x, y1: r.clients.y, x2: s.x, y2: s.y, start: time, dur: 500 + spike * 3, color: C.request, dropAt: n.status === 'up' ? 1 : 0.92, atCut: false,
        }));
      }
      // Replication: leaders (or every replica, leaderless) send to their peers.
      const sends = v.settings.replication === 'leaderless' ? n.replicaOf > 0 : n.leaderOf > 0;
      if (!sends || n.status !== 'up') continue;
      for (const peer of live) {
        if (peer.id === n.id) continue;
        const p = L.nodes.get(peer.id);
        if (!p) continue;
        const cross = peer.region !== n.region;
        const ms = cross ? (v.scenario?.topology.crossRegionMs[n.region]?.[peer.region] ?? 50) : 2;
        const cut = peer.group !== n.group;
        const dead = peer.status === 'down';
        this.emit(`rep-${n.id}-${peer.id}`, Math.min(2.5, 0.4 + reqRate * 0.3), dt, () => ({
          x1: s.x, y1: s.y, x2: p.x, y2: p.y, start: time, dur: 350 + (ms + spike) * 9, color: C.replicate, dropAt: cut ? 0.5 : dead ? 0.9 : 1, atCut: cut,
        }));
      }
    }
  }

  private emit(key: string, perSecond: number, dt: number, make: () => Dot): void {
    let debt = (this.spawnDebt.get(key) ?? Math.random()) + (perSecond * dt) / 1000;
    while (debt >= 1) {
      debt -= 1;
      if (this.dots.length < MAX_DOTS) this.dots.push(make());
    }
    this.spawnDebt.set(key, debt);
  }

  private drawDots(time: number): void {
    const fx = this.fx;
    const still = reducedMotion();
    const keep: Dot[] = [];
    for (const d of this.dots) {
      const p = (time - d.start) / d.dur;
      if (p >= 1 || p > d.dropAt + 0.25) continue;
      keep.push(d);
      if (p >= d.dropAt) {
        // Dropped: a red cross where the message died, that bursts and fades (at the cut, a
        // ring flies out of it too); under reduced motion it stands still, then goes.
        const x = d.x1 + (d.x2 - d.x1) * d.dropAt;
        const y = d.y1 + (d.y2 - d.y1) * d.dropAt;
        const k = still ? 0 : Math.min(1, (p - d.dropAt) * 4);
        const arm = 5 + 3 * k;
        fx.lineStyle(3, C.cut, 1 - k);
        fx.lineBetween(x - arm, y - arm, x + arm, y + arm);
        fx.lineBetween(x - arm, y + arm, x + arm, y - arm);
        if (d.atCut && !still) {
          fx.lineStyle(2, C.cut, 0.8 * (1 - k));
          fx.strokeCircle(x, y, 6 + 12 * k);
        }
        continue;
      }
      const x = d.x1 + (d.x2 - d.x1) * p;
      const y = d.y1 + (d.y2 - d.y1) * p;
      fx.fillStyle(d.color, 0.9);
      // Shape as well as colour: a request is a round dot, a copy to a replica a diamond.
      if (d.color === C.replicate) fx.fillPoints([new Phaser.Math.Vector2(x, y - 5.5), new Phaser.Math.Vector2(x + 5.5, y), new Phaser.Math.Vector2(x, y + 5.5), new Phaser.Math.Vector2(x - 5.5, y)], true);
      else fx.fillCircle(x, y, 4);
    }
    this.dots = keep;
  }

  // -------------------------------------------------------------------------------------

  private label(
    key: string,
    x: number,
    y: number,
    str: string,
    o: { size: number; bold?: boolean; color: string; bg?: string; originX?: number; originY?: number; wrap?: number; alpha?: number },
  ): Phaser.GameObjects.Text {
    this.used.add(key);
    let t = this.texts.get(key);
    const size = `${Math.round(o.size)}px`;
    if (t === undefined) {
      t = this.add.text(x, y, str, {
        fontFamily: '"DejaVu Sans", "Liberation Sans", Arial, sans-serif',
        fontSize: size,
        fontStyle: o.bold ? 'bold' : 'normal',
        color: o.color,
        backgroundColor: o.bg,
        padding: o.bg ? { x: 4, y: 1 } : undefined,
        resolution: Math.min(2, window.devicePixelRatio || 1),
        align: 'center',
        wordWrap: o.wrap ? { width: o.wrap } : undefined,
      });
      t.setDepth(3);
      this.texts.set(key, t);
    } else {
      if (t.text !== str) t.setText(str);
      if (t.style.fontSize !== size) t.setFontSize(size);
      if (t.style.color !== o.color) t.setColor(o.color);
      if (o.wrap !== undefined && t.style.wordWrapWidth !== o.wrap) t.setWordWrapWidth(o.wrap);
    }
    t.setOrigin(o.originX ?? 0, o.originY ?? 0);
    t.setPosition(Math.round(x), Math.round(y));
    t.setAlpha(o.alpha ?? 1);
    t.setVisible(true);
    return t;
  }

  private hideUnused(): void {
    for (const [key, t] of this.texts) if (!this.used.has(key)) t.setVisible(false);
  }
}

// ---------------------------------------------------------------------------------------

function edgePoint(box: { x: number; y: number; w: number; h: number }, toward: { x: number; y: number }): { x: number; y: number } {
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  const dx = toward.x - cx;
  const dy = toward.y - cy;
  const sx = dx === 0 ? Infinity : box.w / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : box.h / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: cx + dx * s, y: cy + dy * s };
}

function dashedRect(g: Phaser.GameObjects.Graphics, x: number, y: number, w: number, hgt: number, color: number, width: number, alpha = 1): void {
  g.lineStyle(width, color, alpha);
  const dash = 14;
  const gapLen = 9;
  const edge = (x1: number, y1: number, x2: number, y2: number) => {
    const len = Math.hypot(x2 - x1, y2 - y1);
    for (let d = 0; d < len; d += dash + gapLen) {
      const e = Math.min(len, d + dash);
      g.lineBetween(x1 + ((x2 - x1) * d) / len, y1 + ((y2 - y1) * d) / len, x1 + ((x2 - x1) * e) / len, y1 + ((y2 - y1) * e) / len);
    }
  };
  edge(x, y, x + w, y);
  edge(x + w, y, x + w, y + hgt);
  edge(x + w, y + hgt, x, y + hgt);
  edge(x, y + hgt, x, y);
}

function dashedCircle(g: Phaser.GameObjects.Graphics, x: number, y: number, r: number, color: number, width: number, dashes: number, phase: number, alpha = 1): void {
  g.lineStyle(width, color, alpha);
  const step = (Math.PI * 2) / dashes;
  for (let i = 0; i < dashes; i++) {
    const a = phase + i * step;
    g.beginPath();
    g.arc(x, y, r, a, a + step * 0.55, false);
    g.strokePath();
  }
}

/** `count` gold squares in rows above a circle of radius r whose top is at y (bottom row lowest). */
function shardPips(g: Phaser.GameObjects.Graphics, x: number, y: number, r: number, count: number): void {
  const size = Math.max(7, Math.min(12, r * 0.2));
  const step = size + 3;
  const perRow = Math.max(3, Math.floor((r * 1.6) / step));
  const rows = Math.ceil(count / perRow);
  for (let row = 0; row < rows; row++) {
    const inRow = Math.min(perRow, count - row * perRow);
    const left = x - (inRow * step - 3) / 2;
    const top = y - size - row * step;
    for (let i = 0; i < inRow; i++) {
      g.fillStyle(C.leader, 1);
      g.fillRect(left + i * step, top, size, size);
      g.lineStyle(1.5, C.ink, 1);
      g.strokeRect(left + i * step, top, size, size);
    }
  }
}

/** A warning triangle with an exclamation mark, centred at (x, y). */
function warningSign(g: Phaser.GameObjects.Graphics, x: number, y: number, s: number): void {
  g.fillStyle(0xffd34d, 1);
  g.fillTriangle(x, y - s, x + s, y + s * 0.8, x - s, y + s * 0.8);
  g.lineStyle(1.5, C.ink, 1);
  g.strokeTriangle(x, y - s, x + s, y + s * 0.8, x - s, y + s * 0.8);
  g.lineBetween(x, y - s * 0.4, x, y + s * 0.25);
  g.fillStyle(C.ink, 1);
  g.fillCircle(x, y + s * 0.55, 1.2);
}

function statusGlyph(g: Phaser.GameObjects.Graphics, word: string, x: number, y: number, s: number, color: number, time: number): void {
  g.lineStyle(3, color, 1);
  g.fillStyle(color, 1);
  switch (word) {
    case 'up':
      // A check mark.
      g.beginPath();
      g.moveTo(x - s * 0.7, y);
      g.lineTo(x - s * 0.15, y + s * 0.55);
      g.lineTo(x + s * 0.75, y - s * 0.55);
      g.strokePath();
      break;
    case 'down':
      g.lineBetween(x - s * 0.6, y - s * 0.6, x + s * 0.6, y + s * 0.6);
      g.lineBetween(x - s * 0.6, y + s * 0.6, x + s * 0.6, y - s * 0.6);
      break;
    case 'slow':
      // An hourglass.
      g.fillTriangle(x - s * 0.6, y - s * 0.7, x + s * 0.6, y - s * 0.7, x, y);
      g.fillTriangle(x - s * 0.6, y + s * 0.7, x + s * 0.6, y + s * 0.7, x, y);
      break;
    case 'recovering': {
      // A turning arrow.
      const a = time / 400;
      g.beginPath();
      g.arc(x, y, s * 0.62, a, a + Math.PI * 1.4, false);
      g.strokePath();
      const ex = x + Math.cos(a + Math.PI * 1.4) * s * 0.62;
      const ey = y + Math.sin(a + Math.PI * 1.4) * s * 0.62;
      g.fillCircle(ex, ey, s * 0.28);
      break;
    }
    default:
      g.lineBetween(x - s * 0.6, y, x + s * 0.6, y);
  }
}

/** The role in a few words, to fit under a circle: "leads 3" (shards: the squares above say so), "follower", "replica". */
function shortRole(n: NodeV, v: RoundView): string {
  if (v.settings.replication === 'leaderless') return n.replicaOf > 0 ? 'replica' : 'no data';
  if (n.leaderOf > 0) return `leads ${n.leaderOf}`;
  return n.replicaOf > 0 ? 'follower' : 'no data';
}

function groupSizes(nodes: readonly NodeV[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const n of nodes) if (n.status !== 'removed') m.set(n.group, (m.get(n.group) ?? 0) + 1);
  return m;
}

function largestGroup(groups: Map<number, number>): number {
  let best = 0;
  let size = -1;
  for (const [g, s] of groups) if (s > size || (s === size && g < best)) [best, size] = [g, s];
  return best;
}

function hex(c: number): string {
  return `#${c.toString(16).padStart(6, '0')}`;
}

/** Start Phaser in `parent`, filling it and following its size. */
export function startMap(parent: HTMLElement, source: MapSource): Phaser.Game {
  const game = new Phaser.Game({
    type: Phaser.AUTO,
    parent,
    backgroundColor: '#e9edf4',
    scale: { mode: Phaser.Scale.RESIZE, width: parent.clientWidth || 800, height: parent.clientHeight || 600 },
    scene: [new ClusterScene(source)],
    banner: false,
    audio: { noAudio: true },
    input: { keyboard: false },
  });
  // Phaser follows the window's size; the map's box also changes with the layout around it
  // (a HUD cell wrapping to two lines, the key opening). In RESIZE mode the game takes its
  // size from the parent size Phaser last read, so read it again and apply it: scale.resize
  // alone re-applied the stale size, and the canvas stayed taller than its box.
  const observer = new ResizeObserver(() => {
    if (parent.clientWidth > 0 && parent.clientHeight > 0 && game.scale.getParentBounds()) game.scale.refresh();
  });
  observer.observe(parent);
  game.events.once('destroy', () => observer.disconnect());
  return game;
}
