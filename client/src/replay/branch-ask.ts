// "Branch from here": the button (only while the round still has time to play on) and the
// dialog that asks which node the viewer will run, the one they played preselected.

import { attr, h } from '../dom.js';
import { clockTime } from '../format.js';
import type { RoundView } from '../view.js';

export class BranchButton {
  readonly el = h('button', { class: 'primary', 'data-replay': 'branch' }, 'Branch from here');

  constructor(ask: () => void) {
    this.el.onclick = ask;
  }

  update(tick: number, tickMs: number, durationMs: number): void {
    const can = canBranchAt(tick, tickMs, durationMs);
    attr(this.el, 'disabled', can ? null : '');
    attr(this.el, 'title', can ? `Play on from ${clockTime(tick * tickMs)} with your own decisions` : 'The round is over at this moment: go back a little to branch.');
  }
}

/**
 * Whether there is round left to play from `tick`. A round cut short can be played on from
 * where its recording stops: that is a branch too.
 */
export function canBranchAt(tick: number, tickMs: number, durationMs: number): boolean {
  return tick < Math.round(durationMs / tickMs);
}

export interface BranchChoice {
  node: number;
  label: string;
}

/** The nodes one can run in a branch (not the removed ones), and the one offered first. */
export function branchChoices(nodes: RoundView['nodes'], mine: string | null, mineNode: number | null): { choices: BranchChoice[]; chosen: number } {
  const choices = nodes.filter((n) => n.status !== 'removed').map((n) => ({ node: n.id, label: `N${n.id} · ${n.ownerId === mine ? `${n.owner} (you)` : n.owner} · ${n.status}` }));
  return { choices, chosen: mineNode ?? choices[0]?.node ?? 0 };
}

/** The dialog: `start` gets the node chosen. */
export function askBranch(atMs: number, offer: { choices: BranchChoice[]; chosen: number }, start: (node: number) => void): void {
  const at = clockTime(atMs);
  const pick = h('select', { id: 'branch-node', 'data-branch': 'node' });
  for (const c of offer.choices) pick.appendChild(h('option', { value: String(c.node) }, c.label));
  pick.value = String(offer.chosen);
  const close = () => back.remove();
  const go = () => {
    close();
    start(Number(pick.value));
  };
  const back = h(
    'div',
    { class: 'modal-back', onclick: (e: Event) => e.target === back && close() },
    h(
      'div',
      { class: 'modal card branch-ask', role: 'dialog', 'aria-label': 'Branch from here' },
      h('h2', null, `Branch from ${at}`),
      h('p', null, `Play the rest of this round yourself, from ${at} on, with your own decisions. Bots run the other nodes. The same clients and the same chaos come at the same moments as in the original round, so at the end you can compare the two.`),
      h('label', { for: 'branch-node' }, 'The node you run'),
      h('div', null, pick),
      h('div', { class: 'row', style: 'margin-top:0.8rem' }, h('button', { class: 'primary', 'data-branch': 'start', onclick: go }, 'Start the branch'), h('button', { onclick: close }, 'Cancel')),
    ),
  );
  document.body.appendChild(back);
  pick.focus();
}
