// The selected node's panel: what it is doing (status, role, load, queue, stance) and the
// actions its owner can take, each with a keyboard shortcut. The panel says why an action
// is unavailable rather than hiding it, so a student learns what exists.

import { nodeBusyText } from '../../../shared/words/node.js';
import { attr, h, replace, sameChildren, styleProp, text } from '../dom.js';
import { ownerWords, roleWords, statusWord, type NodeV, type RoundView } from '../view.js';
import type { Command } from '../../../shared/protocol/commands.js';
import { COMMAND_WORDS as W, LIFT_RATE_LIMIT_LABEL, STANCE_WORDS } from '../../../shared/words/commands.js';
import { blocked, type CommandFacts } from '../../../shared/sim/preconditions.js';
import { MAX_NODES } from '../../../shared/scenarios/types.js';
import { splitText } from '../../../shared/words/split.js';
import { icon } from '../map/icons.js';
import { largestSide } from '../map/layout.js';

export interface ActionDef {
  id: string;
  key: string;
  label: (n: NodeV) => string;
  help: string;
  /**
   * Why the panel does not offer it although the simulation would take it (it would do
   * nothing useful), or null. What the simulation refuses comes from blocked().
   */
  pointless?: (n: NodeV) => string | null;
  command: (n: NodeV) => Command;
}

export const ACTIONS: readonly ActionDef[] = [
  {
    id: 'restart', key: 'r', label: () => W.restart.label,
    help: W.restart.explain,
    command: (n) => ({ type: 'restart', node: n.id }),
  },
  {
    id: 'replace', key: 'e', label: () => W.replace.label,
    help: W.replace.explain,
    command: (n) => ({ type: 'replace', node: n.id }),
  },
  {
    id: 'scale-up', key: 'u', label: () => W['scale-up'].label,
    help: W['scale-up'].explain,
    command: (n) => ({ type: 'scale-up', node: n.id }),
  },
  {
    id: 'scale-out', key: 'o', label: () => W['scale-out'].label,
    help: W['scale-out'].explain,
    command: (n) => ({ type: 'scale-out', region: n.region }),
  },
  {
    id: 'drain', key: 'd', label: (n) => (n.drained ? W.undrain.label : W.drain.label),
    help: W.drain.explain,
    command: (n) => ({ type: n.drained ? 'undrain' : 'drain', node: n.id }),
  },
  {
    id: 'remove', key: 'x', label: () => W.remove.label,
    help: W.remove.explain,
    command: (n) => ({ type: 'remove', node: n.id }),
  },
  {
    id: 'promote', key: 'l', label: () => W.promote.label,
    help: W.promote.explain,
    command: (n) => ({ type: 'promote', node: n.id }),
  },
  {
    id: 'demote', key: 'f', label: () => W.demote.label,
    help: W.demote.explain,
    // Demoting a follower only fences it.
    pointless: (n) => (n.leaderOf === 0 ? 'not a leader' : null),
    command: (n) => ({ type: 'demote', node: n.id }),
  },
  {
    id: 'repair', key: 'h', label: () => W.repair.label,
    help: W.repair.explain,
    command: (n) => ({ type: 'repair', node: n.id }),
  },
  {
    id: 'rate-limit', key: 't', label: (n) => (n.rateLimited ? LIFT_RATE_LIMIT_LABEL : W['rate-limit'].label),
    help: W['rate-limit'].explain,
    command: (n) => ({ type: 'rate-limit', node: n.id }),
  },
];

export const STANCE_KEY = 's';

/** Why the action cannot be used on the node now (a few words), or null when it can. */
export function actionBlocked(a: ActionDef, n: NodeV, facts: CommandFacts): string | null {
  return blocked(a.command(n), facts)?.short ?? a.pointless?.(n) ?? null;
}

/**
 * The preconditions' facts as the round view shows them. The view does not say which nodes
 * are on their way out, nor before the scenario is known its budget: there the simulation
 * has the last word.
 */
export function viewFacts(v: RoundView): CommandFacts {
  return {
    finished: v.phase === 'debrief',
    settings: v.settings,
    regions: v.scenario?.topology.regions.length ?? Number.POSITIVE_INFINITY,
    nodes: v.nodes,
    removing: [],
    rebalancing: v.network.rebalancing,
    cost: v.measures.cost,
    budget: v.scenario?.budget ?? { limit: Number.POSITIVE_INFINITY, maxNodes: MAX_NODES },
  };
}

export interface PanelHost {
  send(cmd: Command): void;
  /** Why nothing may be done from this screen at all (a replay), or null. */
  locked?(): string | null;
}

export class NodePanel {
  readonly el = h('section', { class: 'node-panel', 'aria-label': 'Selected node' });
  private skeletonKey = '';
  private head = h('div', { class: 'node-head' });
  private headKey = '';
  private info = h('div', { class: 'node-info' });
  private badgesKey = '';
  /** The parts of the node's description, made once (update() writes what changed into them). */
  private parts = infoParts();
  private stanceButtons = new Map<'refuse' | 'serve', HTMLButtonElement>();
  private actionButtons = new Map<string, HTMLButtonElement>();
  private note = h('p', { class: 'action-note', 'aria-live': 'polite' });
  /** What each button does, a tap away: phones show no tooltips. */
  private explain = h('details', { class: 'action-help' });
  private explainLines = new Map<string, HTMLElement>();
  private current: NodeV | null = null;

  constructor(private readonly host: PanelHost) {}

  /** Whether this browser may act on the node now, and if not, why. */
  static mayAct(n: NodeV, v: RoundView): string | null {
    if (v.phase !== 'live') return v.phase === 'setup' ? 'Node actions start when the round goes live.' : 'The round is not live.';
    if (n.id !== v.myNode) return `${ownerWords(n)} runs node N${n.id}. You run N${v.myNode}: select it to act.`;
    if (n.status === 'removed') return 'This node has left the cluster.';
    return null;
  }

  update(v: RoundView, selected: number): void {
    const n = v.nodes.find((x) => x.id === selected);
    this.current = n ?? null;
    const skeleton = n === undefined ? 'none' : `${n.id}|${v.myNode}`;
    if (skeleton !== this.skeletonKey) {
      this.skeletonKey = skeleton;
      this.headKey = '';
      this.build(n);
    }
    if (n === undefined) return;
    const word = statusWord(n);
    const why = this.host.locked?.() ?? NodePanel.mayAct(n, v);
    // Each part is rebuilt only when its words change, the busy line and the load bar written
    // in place: a replay playing fast updates the panel several times a second.
    const region = v.scenario?.topology.regions[n.region]?.name ?? `region ${n.region}`;
    const headKey = JSON.stringify([n.id, ownerWords(n), n.id === v.myNode, region]);
    if (headKey !== this.headKey) {
      this.headKey = headKey;
      replace(
        this.head,
        h('span', { class: 'id' }, `N${n.id}`),
        h('div', null, h('b', null, ownerWords(n)), n.id === v.myNode ? h('span', { class: 'badge plain', style: 'margin-left:0.4rem' }, 'you') : null, h('br'), h('small', null, region)),
      );
    }
    const side = sideOf(n, v);
    const badgesKey = JSON.stringify([word, n.leaderOf, n.leaderOf > 0 ? '' : roleWords(n, v.settings), n.size, n.drained, n.flooded, n.rateLimited, side]);
    if (badgesKey !== this.badgesKey) {
      this.badgesKey = badgesKey;
      replace(
        this.parts.badges,
        h('span', { class: `badge ${word}` }, word),
        n.leaderOf > 0 ? h('span', { class: 'badge leader' }, icon('shard'), `leads ${n.leaderOf} shard${n.leaderOf === 1 ? '' : 's'}`) : h('span', { class: 'badge plain' }, roleWords(n, v.settings)),
        n.size > 1 ? h('span', { class: 'badge plain' }, `size ×${n.size}`) : null,
        n.drained ? h('span', { class: 'badge plain' }, 'drained') : null,
        n.flooded ? h('span', { class: 'badge slow' }, 'flooded') : null,
        n.rateLimited ? h('span', { class: 'badge plain' }, 'rate-limited') : null,
        sideBadge(side),
      );
    }
    const p = this.parts;
    text(p.busy, nodeBusyText(n.utilization, n.queue, n.load));
    const load = Math.min(100, n.utilization);
    attr(p.loadbar, 'aria-valuenow', String(load));
    p.loadFill.classList.toggle('hot', n.utilization >= 80);
    styleProp(p.loadFill, 'width', `${load}%`);
    const clock = Math.abs(n.clockOffset) >= 100 ? `Clock is ${(Math.abs(n.clockOffset) / 1000).toFixed(1)} s ${n.clockOffset > 0 ? 'ahead' : 'behind'}` : '';
    text(p.clock, clock);
    text(p.stance, STANCE_WORDS[n.stance].state);
    const split = splitWords(n, v);
    text(p.split.firstElementChild!, split);
    p.split.classList.toggle('bad', n.splitStale > 0);
    attr(p.split, 'data-split', String(n.split));
    sameChildren(this.info, [
      p.badges,
      p.busyLine,
      n.utilization >= 80 ? p.loadWarn : null,
      p.loadbar,
      clock !== '' ? p.clockLine : null,
      p.stanceLine,
      split !== '' ? p.split : null,
    ]);
    for (const [s, b] of this.stanceButtons) {
      const on = n.stance === s;
      attr(b, 'aria-pressed', String(on));
      b.classList.toggle('primary', on);
      attr(b, 'disabled', why !== null ? '' : null);
    }
    const facts = viewFacts(v);
    for (const a of ACTIONS) {
      const b = this.actionButtons.get(a.id)!;
      const blocked = why ?? actionBlocked(a, n, facts);
      attr(b, 'disabled', blocked !== null ? '' : null);
      attr(b, 'title', blocked === null ? a.help : `${a.help} (Not now: ${blocked})`);
      const label = b.firstChild as Text;
      if (label.data !== a.label(n)) label.data = a.label(n);
      const line = this.explainLines.get(a.id);
      const said = blocked === null ? a.help : `${a.help} Not now: ${blocked.replace(/\.$/, '')}.`;
      if (line !== undefined && line.textContent !== said) line.textContent = said;
    }
    const note = why ?? '';
    if (this.note.textContent !== note) this.note.textContent = note;
  }

  private build(n: NodeV | undefined): void {
    this.stanceButtons.clear();
    this.actionButtons.clear();
    if (n === undefined) {
      replace(this.el, h('h3', null, 'No node selected'), h('p', { class: 'muted' }, 'Click a node on the map, tap it, or press its number key (', h('kbd', null, '0'), '–', h('kbd', null, '9'), ').'));
      return;
    }
    const stanceRow = h('div', { role: 'group', 'aria-label': W.stance.label, style: 'display:flex;gap:0.35rem;margin-top:0.35rem' });
    for (const s of ['refuse', 'serve'] as const) {
      const b = h(
        'button',
        {
          style: 'flex:1',
          'data-stance': s,
          title: STANCE_WORDS[s].explain,
          onclick: () => {
            if (this.current !== null && this.current.stance !== s) this.host.send({ type: 'stance', node: this.current.id, stance: s });
          },
        },
        STANCE_WORDS[s].label,
        h('kbd', null, 'S'),
      );
      this.stanceButtons.set(s, b);
      stanceRow.appendChild(b);
    }
    const grid = h('div', { class: 'actions' });
    for (const a of ACTIONS) {
      const b = h('button', { 'data-action': a.id, onclick: () => this.current !== null && this.host.send(a.command(this.current)) }, a.label(n), h('kbd', null, a.key.toUpperCase()));
      this.actionButtons.set(a.id, b);
      grid.appendChild(b);
    }
    this.explainLines.clear();
    const open = this.explain.open;
    replace(
      this.explain,
      h('summary', null, 'What does each button do?'),
      h('dl', null,
        (['refuse', 'serve'] as const).flatMap((st) => [h('dt', null, STANCE_WORDS[st].label), h('dd', null, STANCE_WORDS[st].explain)]),
        ACTIONS.flatMap((a) => {
          const dd = h('dd', { 'data-explain': a.id }, a.help);
          this.explainLines.set(a.id, dd);
          return [h('dt', null, a.label(n)), dd];
        })),
    );
    this.explain.open = open;
    replace(this.el, this.head, this.info, stanceRow, grid, this.note, this.explain);
  }

  /** A keyboard shortcut for the selected node; true when it was one. */
  handleKey(key: string, v: RoundView, selected: number): boolean {
    const n = v.nodes.find((x) => x.id === selected);
    if (n === undefined) return false;
    const k = key.toLowerCase();
    const why = this.host.locked?.() ?? NodePanel.mayAct(n, v);
    if (k === STANCE_KEY) {
      if (why !== null) return true;
      this.host.send({ type: 'stance', node: n.id, stance: n.stance === 'refuse' ? 'serve' : 'refuse' });
      return true;
    }
    const a = ACTIONS.find((x) => x.key === k);
    if (a === undefined) return false;
    if (why === null && actionBlocked(a, n, viewFacts(v)) === null) this.host.send(a.command(n));
    return true;
  }
}

/** The parts of the node's description under its badges; each is filled, or left out, by update(). */
function infoParts() {
  const busy = h('small');
  const loadFill = h('div', { class: 'fill' });
  const clock = h('small');
  const stance = document.createTextNode('');
  return {
    badges: h('div', { class: 'badges' }),
    busy,
    busyLine: h('div', null, busy),
    loadWarn: h('div', { class: 'load-warn' }, icon('warn'), h('small', null, 'Running hot: at this load its queue grows and answers slow down.')),
    loadFill,
    loadbar: h('div', { class: 'loadbar', role: 'meter', 'aria-label': 'load', 'aria-valuemin': '0', 'aria-valuemax': '100' }, loadFill),
    clock,
    clockLine: h('div', null, clock),
    stance,
    stanceLine: h('div', null, h('b', null, 'Without a quorum: '), stance),
    split: h('div', { class: 'split-record' }, h('small')),
  };
}

/** During a split, which side the node is on: the larger ('main'), cut off ('cut'), or none. */
function sideOf(n: NodeV, v: RoundView): 'main' | 'cut' | null {
  if (!v.network.partitioned || n.status === 'removed') return null;
  const main = largestSide(v.nodes.filter((x) => x.status !== 'removed'));
  if (main === null) return null;
  return n.group === main ? 'main' : 'cut';
}

/** The side's badge, in words the map's key uses. */
function sideBadge(side: 'main' | 'cut' | null): HTMLElement | null {
  if (side === null) return null;
  return side === 'main' ? h('span', { class: 'badge plain' }, icon('side-main'), 'larger side') : h('span', { class: 'badge down' }, icon('side-cut'), 'cut off');
}

/** What the node did during the current (or last) split: its stance's consequence, in a sentence ('' when none). */
function splitWords(n: NodeV, v: RoundView): string {
  const facts = { split: n.split, minority: n.splitMinority, seconds: n.splitSeconds, reads: n.splitReads, stale: n.splitStale, writes: n.splitWrites, refused: n.splitRefused };
  return splitText(facts, n.id === v.myNode, v.scenario?.sla.maxStaleReads === 0);
}
