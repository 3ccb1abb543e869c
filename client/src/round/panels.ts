// The smaller pieces of the round screen: the replica versions of the hottest keys, the
// event feed, the alerts over the map, and the strip of node buttons (the map's keyboard-
// and screen-reader-friendly twin).

import { attr, h, replace, sameChildren, text } from '../dom.js';
import { clockTime } from '../format.js';
import { newestVersion, steadilyBehind } from '../divergence.js';
import { statusWord, type NodeV, type RoundView } from '../view.js';
import { CHAOS_KINDS } from '../../../shared/scenarios/chaos-types.js';
import { faultAlert, partitionAlert } from '../../../shared/words/chaos.js';
import { faultIcon, icon, type IconName } from '../map/icons.js';

const CHAOS = new Set<string>([...CHAOS_KINDS, 'heal']);
const ACTIONS = new Set(['restart', 'replace', 'scale-up', 'scale-out', 'drain', 'undrain', 'remove', 'promote', 'demote', 'stance', 'repair', 'rate-limit', 'configure', 'vote']);

export function feedClass(kind: string): 'chaos' | 'action' | 'cluster' {
  if (CHAOS.has(kind)) return 'chaos';
  if (ACTIONS.has(kind)) return 'action';
  return 'cluster';
}

const TAGS: Record<string, string> = { chaos: 'chaos', action: 'action', cluster: 'cluster' };

/** Per hot key, the newest version each replica holds: replicas that disagree are marked. */
export class ReplicaTable {
  readonly el = h('section', { 'aria-label': 'Replica versions of the hottest keys' });
  private key = '';
  /** The table's shape (keys, nodes, which way it lies): a new shape is a new table, else its cells are rewritten in place. */
  private shape = '';
  /** The cells of each copy, [key][node], and each key's "same?" cell. */
  private copies: HTMLTableCellElement[][] = [];
  private sames: HTMLTableCellElement[] = [];

  update(v: RoundView): void {
    const now = performance.now();
    const key = JSON.stringify([v.hotKeys, v.nodes.map((n) => [n.versions, n.siblings, n.status, v.hotKeys.map((_, k) => steadilyBehind(v, n, k, now))])]);
    if (key === this.key) return;
    this.key = key;
    const nodes = v.nodes.filter((n) => n.status !== 'removed' && n.versions.some((x) => x >= 0));
    // A key per row while the nodes fit across; with many nodes, a node per row (the keys are few).
    const across = versionsFitAcross(nodes.length, longestVersion(nodes));
    const shape = JSON.stringify([v.hotKeys, nodes.map((n) => n.id), across]);
    if (shape !== this.shape) {
      this.shape = shape;
      this.build(v.hotKeys, nodes, across);
    }
    const lagging = v.hotKeys.map((_, k) => nodes.map((n) => steadilyBehind(v, n, k, now)));
    v.hotKeys.forEach((name, k) => {
      nodes.forEach((n, i) => {
        // The copy of key k on node n: its version, ▼ when it stays behind, and (down).
        const td = this.copies[k]![i]!;
        const x = n.versions[k] ?? -1;
        if (x < 0) return cell(td, 'none', `N${n.id} is not a replica of ${name}`, '·');
        const behind = lagging[k]![i]!;
        const sib = n.siblings[k] ?? 0;
        // The bare number: the heading says these are versions, and a "v" would widen every cell.
        const label = x === 0 ? '–' : `${x}${sib > 1 ? ` (+${sib - 1})` : ''}`;
        cell(td, behind ? 'behind' : '', behind ? `N${n.id} is behind: it holds v${x}, the newest is v${newestVersion(v, k)}` : `N${n.id} holds v${x}`, `${label}${behind ? ' ▼' : ''}${statusWord(n) === 'down' ? ' (down)' : ''}`);
      });
      const held = nodes.map((n) => n.versions[k] ?? -1).filter((x) => x >= 0);
      // Diverged: some copy has been behind for a while (a moment's lag is normal replication).
      const diverged = lagging[k]!.some(Boolean);
      cell(this.sames[k]!, diverged ? 'diverged' : '', null, diverged ? '≠ differ' : new Set(held).size > 1 ? '≈ catching up' : '= same');
    });
  }

  /** A new, empty table of this shape; update() fills its cells. */
  private build(hotKeys: readonly string[], nodes: readonly NodeV[], across: boolean): void {
    this.copies = hotKeys.map(() => nodes.map(() => h('td')));
    this.sames = hotKeys.map(() => h('td'));
    const table = across
      ? h('table', { class: 'hot-table' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'key'), nodes.map((n) => h('th', { scope: 'col' }, `N${n.id}`)), h('th', { scope: 'col' }, 'same?'))),
          h('tbody', null, hotKeys.map((name, k) => h('tr', null, h('th', { scope: 'row' }, name), this.copies[k]!, this.sames[k]!))))
      : h('table', { class: 'hot-table' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'node'), hotKeys.map((name) => h('th', { scope: 'col' }, name)))),
          h('tbody', null,
            nodes.map((n, i) => h('tr', null, h('th', { scope: 'row' }, `N${n.id}`), hotKeys.map((_, k) => this.copies[k]![i]!))),
            h('tr', null, h('th', { scope: 'row' }, 'same?'), this.sames)));
    replace(
      this.el,
      h('h3', null, 'Hot keys: version on each copy'),
      hotKeys.length === 0 ? h('p', { class: 'muted' }, 'No data yet.') : h('div', { class: 'table-scroll' }, table),
      h('small', { class: 'muted' }, 'Each write makes a new version: the number counts them. A copy that stays behind for more than a second is diverged: ▼ marks it.'),
    );
  }
}

/** A table cell's class, tooltip and words, each written only when it changed. */
function cell(td: HTMLTableCellElement, cls: string, title: string | null, words: string): void {
  attr(td, 'class', cls === '' ? null : cls);
  attr(td, 'title', title);
  text(td, words);
}

/** Digits in the highest version any of these nodes holds of a hot key. */
export function longestVersion(nodes: readonly NodeV[]): number {
  let top = 0;
  for (const n of nodes) for (const x of n.versions) if (x > top) top = x;
  return String(top).length;
}

/**
 * Whether the nodes fit across the side panel, a column each, with versions this many digits
 * long (a version never breaks inside its cell: "99" over "9999" reads as two numbers). The
 * panel holds about 25 digits beside the key and "same?" columns at its type's size, at every
 * screen size (the panel grows with the type), and a node's column is at least five wide (a
 * node that is down says "(down)"). So up to four nodes always go across, five until their
 * versions reach six digits (late in a long round); more nodes, a node per row, where a copy's
 * cell has room for any number.
 */
export function versionsFitAcross(nodeCount: number, digits: number): boolean {
  return nodeCount * Math.max(5, digits) <= ACROSS_DIGITS;
}

const ACROSS_DIGITS = 25;

export class Feed {
  readonly el = h('section', { 'aria-label': 'Event feed' });
  private list = h('ol', { class: 'feed', 'aria-live': 'polite' });
  private key = '';
  private lines = new Map<string, HTMLLIElement>();

  constructor() {
    this.el.append(h('h3', null, 'What is happening'), this.list);
  }

  update(v: RoundView): void {
    // A burst's line is re-worded in place as it grows, so every line's text is in the key.
    const key = v.feed.map((f) => `${f.t}|${f.text}`).join('\n');
    if (key === this.key) return;
    this.key = key;
    // A line already shown stays the same element: a new event adds one line, not the whole list.
    const next = new Map<string, HTMLLIElement>();
    const lines = v.feed.map((f) => {
      const k = `${f.t}|${f.kind}|${f.text}`;
      let li = this.lines.get(k);
      if (li === undefined || next.has(k)) {
        const c = feedClass(f.kind);
        li = h('li', { class: c }, h('span', { class: 't' }, clockTime(f.t)), h('span', { class: 'tag' }, TAGS[c]), f.text);
      }
      if (!next.has(k)) next.set(k, li);
      return li;
    });
    this.lines = next;
    sameChildren(this.list, lines);
  }
}

/** Faults in force, as words over the map: the partition first. */
export class Alerts {
  readonly el = h('div', { class: 'alerts', 'aria-live': 'polite' });
  private key = '';
  private kinds = '';

  update(v: RoundView): void {
    const items: { cls: string; text: string; icon: IconName }[] = [];
    if (v.network.partitioned) {
      const sizes = new Map<number, number[]>();
      for (const n of v.nodes) if (n.status !== 'removed') sizes.set(n.group, [...(sizes.get(n.group) ?? []), n.id]);
      const groups = [...sizes.values()].sort((a, b) => b.length - a.length);
      const small = groups.slice(1).flat();
      items.push({ cls: 'partition', text: partitionAlert(small, groups[0]!), icon: 'partition' });
    }
    for (const f of v.faults) {
      const left = Math.max(0, Math.ceil((f.until - v.simMs) / 1000));
      // A crash shows while the node is down: a restart ends it before its time.
      if ((f.kind === 'crash' || f.kind === 'crash-disk-loss') && v.nodes[f.target]?.status !== 'down') continue;
      const alert = faultAlert(f.kind, f.target, f.magnitude, left);
      if (alert !== null) items.push({ ...alert, icon: faultIcon(f.kind) });
    }
    if (v.network.rebalancing) items.push({ cls: 'net', icon: 'network', text: `Rebalancing: shards are moving (${Math.max(0, Math.ceil((v.network.rebalanceUntil - v.simMs) / 1000))} s)` });
    const key = JSON.stringify(items);
    if (key === this.key) return;
    this.key = key;
    // The same alerts with new words (a countdown): their words only.
    const kinds = JSON.stringify(items.map((i) => [i.cls, i.icon]));
    if (kinds !== this.kinds) {
      this.kinds = kinds;
      // The project's icon, not a symbol some fonts lack (an hourglass shows as an empty box).
      replace(this.el, items.map((i) => h('div', { class: `alert ${i.cls}` }, icon(i.icon), '')));
    }
    items.forEach((i, n) => text(this.el.children[n]!.lastChild!, i.text.replace(/^[\u2300-\u27BF]\uFE0F?\s*/u, '')));
  }
}

export interface StripHost {
  selected(): number;
  select(id: number): void;
}

/** One button per node: status in words, owner, and the shortcut that selects it. */
export class NodeStrip {
  readonly el = h('nav', { class: 'strip', 'aria-label': 'Nodes' });
  private key = '';

  constructor(private readonly host: StripHost) {}

  update(v: RoundView): void {
    const sel = this.host.selected();
    const key = JSON.stringify([sel, v.myNode, v.nodes.map((n) => [n.id, statusWord(n), n.owner, n.botControlled, n.leaderOf])]);
    if (key === this.key) return;
    this.key = key;
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.node : undefined;
    replace(
      this.el,
      v.nodes
        .filter((n) => n.status !== 'removed')
        .map((n) => {
          const word = statusWord(n);
          const b = h(
            'button',
            {
              'data-node': String(n.id),
              'aria-pressed': String(n.id === sel),
              class: n.id === v.myNode ? 'mine' : '',
              'aria-label': `Node ${n.id}, ${word}${n.leaderOf > 0 ? ', leader' : ''}, run by ${n.owner || 'nobody'}${n.id === v.myNode ? ' (you)' : ''}`,
              onclick: () => this.host.select(n.id),
            },
            h('span', { class: word === 'down' ? 'st-down' : '' }, `N${n.id} · ${word.toUpperCase()}`),
            // The key and its separator go together: touch screens hide both (style.css).
            h('small', null, n.id === v.myNode ? `you` : n.owner || 'empty', n.id < 10 ? h('span', { class: 'key-hint' }, ' · ', h('kbd', null, String(n.id))) : null),
          );
          return b;
        }),
    );
    if (focused !== undefined) (this.el.querySelector(`[data-node="${focused}"]`) as HTMLElement | null)?.focus();
  }
}
