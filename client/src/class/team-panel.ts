// One team's cluster at a glance, for the projector (every team side by side) and the host's
// dashboard: the nodes as large circles whose outline shape and word say their status as
// well as their colour, a small square per shard a node leads (as on the round's map), a cut
// drawn across the cluster while the network is split, and the measures the class compares.

import { h, svg } from '../dom.js';
import { int, percent } from '../format.js';
import { teamPhaseWords, type NodeDot, type TeamV } from './view.js';

const W = 520;
const H = 380;
/** A band across the top for the "network split" label, clear of the nodes. */
const TOP = 44;

const LOOK: Record<NodeDot['word'], { ring: string; fill: string; dash: string; label: string }> = {
  up: { ring: '#1b7a3a', fill: '#e3f3e8', dash: '', label: 'UP' },
  slow: { ring: '#9a5b00', fill: '#ffefcf', dash: '', label: 'SLOW' },
  down: { ring: '#b3261e', fill: '#f6d5d2', dash: '9 6', label: 'DOWN' },
  recovering: { ring: '#1f5fb8', fill: '#dce9fb', dash: '14 7', label: 'BACK SOON' },
  removed: { ring: '#9aa1ad', fill: '#eceef2', dash: '3 6', label: 'REMOVED' },
};

/** The panel of one team; `rank` (1 = best) is shown when given. */
export function teamPanel(t: TeamV, rank?: number): HTMLElement {
  const bots = t.nodes.filter((n) => n.bot && n.word !== 'removed').length;
  return h(
    'article',
    { class: `team-panel${t.partitioned ? ' split' : ''}${t.paused ? ' paused' : ''}`, 'data-team': t.index, 'aria-label': `${t.name}: ${teamPhaseWords(t)}, score ${t.score}` },
    h(
      'header',
      null,
      h('h2', null, rank !== undefined ? h('span', { class: 'rank' }, `#${rank}`) : null, t.name),
      h('span', { class: `phase ph-${t.phase || 'none'}` }, teamPhaseWords(t).toUpperCase()),
    ),
    clusterPicture(t),
    h(
      'dl',
      { class: 'team-stats' },
      stat('Score', int(t.score), 'score'),
      stat('Requests OK', percent(t.availability), t.availability < 0.99 ? 'bad' : ''),
      stat('Stale reads', int(t.staleReads), t.staleReads > 0 ? 'bad' : ''),
      stat('Lost writes', int(t.lostWrites), t.lostWrites > 0 ? 'bad' : ''),
    ),
    h('p', { class: 'team-foot' }, `${t.humans} student${t.humans === 1 ? '' : 's'} at the controls${bots > 0 ? ` · ${bots} node${bots === 1 ? '' : 's'} run by a bot` : ''}`),
  );
}

function stat(label: string, value: string, cls: string): HTMLElement {
  return h('div', { class: cls }, h('dt', null, label), h('dd', null, value));
}

/** The cluster as an SVG: nodes on a ring, every live pair linked, a jagged cut when split. */
export function clusterPicture(t: TeamV): SVGSVGElement {
  const nodes = t.nodes;
  const n = nodes.length;
  const r = n <= 3 ? 52 : n <= 5 ? 46 : n <= 8 ? 38 : 30;
  const cx = W / 2;
  const cy = TOP + (H - TOP) / 2;
  // Room beside each node for its crown above and its bot tag below.
  const rx = W / 2 - r - 34;
  const ry = (H - TOP) / 2 - r - 28;
  const at = nodes.map((_, i) => {
    if (n === 1) return { x: cx, y: cy };
    // From the top, clockwise: node 0 where the eye starts.
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return { x: cx + rx * Math.cos(a), y: cy + ry * Math.sin(a) };
  });
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'cluster', role: 'img', 'aria-label': describe(t) });
  const live = nodes.filter((d) => d.word !== 'removed');
  for (let i = 0; i < live.length; i++) {
    for (let j = i + 1; j < live.length; j++) {
      // No link across the partition: a cut-off node cannot reach the rest.
      if (live[i]!.cutOff !== live[j]!.cutOff) continue;
      const a = at[live[i]!.id]!;
      const b = at[live[j]!.id]!;
      root.appendChild(svg('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: 'link' }));
    }
  }
  if (t.partitioned) root.appendChild(cut(at, r));
  nodes.forEach((d, i) => root.appendChild(nodeMark(d, at[i]!.x, at[i]!.y, r)));
  if (t.partitioned) root.appendChild(cutLabel());
  if (n === 0) root.appendChild(text(cx, cy, 'waiting for the cluster…', 'waiting'));
  return root;
}

function nodeMark(d: NodeDot, x: number, y: number, r: number): SVGGElement {
  const look = LOOK[d.word];
  const g = svg('g', { class: `node n-${d.word}${d.cutOff ? ' cut-off' : ''}`, 'data-node': d.id });
  // A cut-off node gets a red dashed fence around it, on top of its status.
  if (d.cutOff) g.appendChild(svg('circle', { cx: x, cy: y, r: r + 15, fill: 'none', stroke: '#b3261e', 'stroke-width': 4, 'stroke-dasharray': '7 5' }));
  g.appendChild(svg('circle', { cx: x, cy: y, r, fill: look.fill, stroke: look.ring, 'stroke-width': d.word === 'removed' ? 3 : 6, ...(look.dash !== '' ? { 'stroke-dasharray': look.dash } : {}) }));
  // A second ring: slow is a node working through treacle.
  if (d.word === 'slow') g.appendChild(svg('circle', { cx: x, cy: y, r: r - 9, fill: 'none', stroke: look.ring, 'stroke-width': 3 }));
  if (d.word === 'down') {
    const k = r * 0.62;
    g.appendChild(svg('path', { d: `M${x - k} ${y - k}L${x + k} ${y + k}M${x - k} ${y + k}L${x + k} ${y - k}`, stroke: look.ring, 'stroke-width': 7, 'stroke-linecap': 'round', opacity: 0.55 }));
  }
  g.appendChild(text(x, y - r * 0.08, `N${d.id}`, 'nid', r * 0.62));
  g.appendChild(text(x, y + r * 0.46, look.label, 'nword', Math.max(11, r * (look.label.length > 6 ? 0.3 : 0.4)), look.ring));
  if (d.leads > 0 && d.word === 'up') g.appendChild(shardPips(x, y - r - 6, r, d.leads));
  if (d.bot && d.word !== 'removed') {
    g.appendChild(svg('rect', { x: x - 27, y: y + r - 6, width: 54, height: 26, rx: 7, fill: '#ffffff', stroke: '#4a5363', 'stroke-width': 2, 'stroke-dasharray': '4 3' }));
    g.appendChild(text(x, y + r + 7, 'bot', 'bot', 18, '#11151c'));
  }
  return g;
}

/** One gold square per shard the node leads, in rows above it (the round's map draws the same). */
function shardPips(x: number, bottom: number, r: number, count: number): SVGGElement {
  const g = svg('g', { class: 'shards' });
  const size = Math.max(8, Math.min(13, r * 0.24));
  const step = size + 3;
  const perRow = Math.max(3, Math.floor((r * 1.8) / step));
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / perRow);
    const inRow = Math.min(perRow, count - row * perRow);
    const left = x - (inRow * step - 3) / 2;
    g.appendChild(svg('rect', { x: left + (i % perRow) * step, y: bottom - size - row * step, width: size, height: size, fill: '#c08f00', stroke: '#11151c', 'stroke-width': 1.5 }));
  }
  return g;
}

/**
 * Words in the clusters under `root` drawn smaller than `floor` px (the projector's smallest
 * text) grow to it when they still fit (up to 1.5 times), and are left out when they would
 * not: the shapes already say the same (a dashed, crossed-out ring for down, a second ring
 * for slow, a dashed tag for a bot).
 */
export function fitClusterText(root: ParentNode, floor: number): void {
  for (const pic of root.querySelectorAll<SVGSVGElement>('svg.cluster')) {
    const scale = pic.getBoundingClientRect().width / W;
    if (!(scale > 0)) continue;
    for (const t of pic.querySelectorAll<SVGTextElement>('text')) {
      const base = Number(t.dataset.size ?? t.getAttribute('font-size'));
      t.dataset.size = String(base);
      const need = floor / scale;
      const fits = need <= base * 1.5;
      t.setAttribute('font-size', String(Math.ceil(Math.max(base, fits ? need : base))));
      t.style.display = base * scale >= floor || fits ? '' : 'none';
    }
  }
}

/**
 * A jagged red cut down the middle of the cluster, broken where a node sits so no node is
 * hidden; the nodes off the cluster's largest side wear a fence of their own (nodeMark).
 */
function cut(at: readonly { x: number; y: number }[], r: number): SVGGElement {
  const g = svg('g', { class: 'cut' });
  const x0 = W / 2;
  const step = 14;
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1) {
      g.appendChild(svg('polyline', { points: run.join(' '), fill: 'none', stroke: '#ffffff', 'stroke-width': 13, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' }));
      g.appendChild(svg('polyline', { points: run.join(' '), fill: 'none', stroke: '#b3261e', 'stroke-width': 7, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' }));
    }
    run = [];
  };
  for (let i = 0, y = TOP + 2; y <= H - 6; i++, y += step) {
    const x = x0 + (i % 2 === 0 ? -9 : 9);
    const hidden = at.some((p) => Math.abs(p.x - x) < r + 14 && Math.abs(p.y - y) < r + 16);
    if (hidden) flush();
    else run.push(`${x},${y}`);
  }
  flush();
  return g;
}

function cutLabel(): SVGGElement {
  const g = svg('g', { class: 'cut-label' });
  g.appendChild(svg('rect', { x: W / 2 - 125, y: 4, width: 250, height: 34, rx: 7, fill: '#b3261e' }));
  g.appendChild(text(W / 2, 21, 'NETWORK SPLIT', 'cut-text', 21, '#ffffff'));
  return g;
}

function text(x: number, y: number, s: string, cls: string, size = 16, fill = '#11151c'): SVGTextElement {
  const t = svg('text', { x, y, class: cls, 'font-size': Math.round(size), fill, 'text-anchor': 'middle', 'dominant-baseline': 'central' });
  t.textContent = s;
  return t;
}

function describe(t: TeamV): string {
  const words = t.nodes.map((d) => `node ${d.id} ${d.word}${d.leads > 0 ? ', leader' : ''}${d.bot ? ', bot' : ''}${d.cutOff ? ', cut off' : ''}`);
  return `${t.name}'s cluster: ${words.join('; ')}${t.partitioned ? '. The network is split.' : '.'}`;
}
