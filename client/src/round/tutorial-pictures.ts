// The tutorial's small pictures, one per chapter, drawn as SVG in code so they need no file
// and take the page's colours. Each shows its idea with shapes and words, not colour alone:
// a crown for a leader, a cross for a crashed node, a zigzag for the cut, "v3" against "v5"
// for an old copy. 120 × 80 units; the coach scales them.

import { svg } from '../dom.js';
import { PICTURE_WORDS as W, type PictureId } from '../../../shared/words/tutorial.js';

/** The picture for a chapter, described for a screen reader by `label`. */
export function picture(id: PictureId, label: string): SVGSVGElement {
  const root = svg('svg', { viewBox: '0 0 120 80', class: `tut-pic tut-pic-${id}`, role: 'img', 'aria-label': label, focusable: 'false' });
  for (const el of DRAW[id]()) root.appendChild(el);
  return root;
}

type Shape = SVGElement;

const DRAW: Readonly<Record<PictureId, () => Shape[]>> = {
  // A node, the requests queueing into it, and its load bar.
  node: () => [
    ...[8, 18, 28].map((x) => svg('rect', { x, y: 36, width: 7, height: 8, rx: 1.5, class: 'req' })),
    arrow(38, 40, 50, 40),
    node(66, 40, 'N1'),
    svg('rect', { x: 48, y: 64, width: 36, height: 7, rx: 2, class: 'bar' }),
    svg('rect', { x: 48, y: 64, width: 22, height: 7, rx: 2, class: 'fill' }),
    label(102, 70, W.load),
    label(20, 28, W.queue),
  ],
  // One leader with a crown, copying to two followers.
  leader: () => [
    arrow(52, 30, 30, 52),
    arrow(68, 30, 90, 52),
    node(60, 22, 'L'),
    crown(60, 3),
    node(24, 62, 'F'),
    node(96, 62, 'F'),
    label(60, 77, W.leaderWrites),
  ],
  // The leader crashed (crossed out); a follower leads in epoch 2.
  failover: () => [
    node(26, 38, 'L', 'down'),
    cross(26, 38),
    label(26, 70, W.epoch(1)),
    arrow(46, 38, 74, 38),
    node(94, 38, 'L'),
    crown(94, 19),
    label(94, 70, W.epoch(2)),
  ],
  // Three copies, one down: the two left are a majority.
  quorum: () => [
    node(20, 34, '', 'down'),
    cross(20, 34),
    node(60, 34, '✓'),
    node(100, 34, '✓'),
    svg('path', { d: 'M44 58 v6 h72 v-6', class: 'brace' }),
    label(80, 76, W.majority),
  ],
  // A zigzag cuts one node off; its copy is older (v3 against v5).
  partition: () => [
    svg('line', { x1: 78, y1: 24, x2: 98, y2: 24, class: 'link' }),
    node(88, 16, 'v5'),
    node(88, 58, 'v5'),
    svg('line', { x1: 88, y1: 30, x2: 88, y2: 44, class: 'link' }),
    svg('line', { x1: 30, y1: 38, x2: 74, y2: 20, class: 'link' }),
    svg('line', { x1: 30, y1: 42, x2: 74, y2: 56, class: 'link' }),
    svg('path', { d: 'M50 6 l6 8 l-6 8 l6 8 l-6 8 l6 8 l-6 8 l6 8 l-6 8', class: 'cut' }),
    node(22, 40, 'v3'),
    label(22, 72, W.cutOff),
  ],
  // 100 requests, 1 may fail: two nines, and its error budget.
  nines: () => {
    const cells: Shape[] = [];
    for (let i = 0; i < 100; i++) {
      const x = 4 + (i % 10) * 6;
      const y = 6 + Math.floor(i / 10) * 6;
      cells.push(svg('rect', { x, y, width: 5, height: 5, rx: 1, class: i >= 99 ? 'failed' : 'ok' }));
    }
    return [...cells, ...W.nines.map((line, i) => label(92, 30 + 14 * i, line))];
  },
  // Three busy nodes and a fourth joining (dashed) to share the work.
  scale: () => [
    ...[15, 45, 75].map((x) => node(x, 34, '')),
    ...[15, 45, 75].map((x) => svg('rect', { x: x - 10, y: 56, width: 20, height: 6, rx: 1.5, class: 'fill' })),
    node(105, 34, '+', 'new'),
    svg('rect', { x: 95, y: 56, width: 20, height: 6, rx: 1.5, class: 'bar' }),
    label(60, 76, W.share),
  ],
};

function node(cx: number, cy: number, text: string, kind: '' | 'down' | 'new' = ''): Shape {
  const g = svg('g', { class: `node ${kind}` });
  g.appendChild(svg('circle', { cx, cy, r: 13 }));
  if (text !== '') g.appendChild(withText(svg('text', { x: cx, y: cy + 4, 'text-anchor': 'middle' }), text));
  return g;
}

function crown(cx: number, top: number): Shape {
  return svg('path', { d: `M${cx - 7} ${top + 8} l2 -7 l3 4 l2 -5 l2 5 l3 -4 l2 7 z`, class: 'crown' });
}

function cross(cx: number, cy: number): Shape {
  return svg('path', { d: `M${cx - 9} ${cy - 9} L${cx + 9} ${cy + 9} M${cx + 9} ${cy - 9} L${cx - 9} ${cy + 9}`, class: 'cross' });
}

function arrow(x1: number, y1: number, x2: number, y2: number): Shape {
  const a = Math.atan2(y2 - y1, x2 - x1);
  const hx = (d: number) => (x2 - 6 * Math.cos(a + d)).toFixed(1);
  const hy = (d: number) => (y2 - 6 * Math.sin(a + d)).toFixed(1);
  return svg('path', { d: `M${x1} ${y1} L${x2} ${y2} M${hx(0.5)} ${hy(0.5)} L${x2} ${y2} L${hx(-0.5)} ${hy(-0.5)}`, class: 'arrow' });
}

function label(x: number, y: number, text: string): Shape {
  return withText(svg('text', { x, y, 'text-anchor': 'middle', class: 'label' }), text);
}

function withText(el: SVGElement, text: string): SVGElement {
  el.textContent = text;
  return el;
}
