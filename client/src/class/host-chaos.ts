// Strike every team: the same fault at the same moment of every team's round, once a team is
// live (a team still in setup gets it at the same moment of its own live phase). The menu of
// targets follows the kind and the class's cluster: its nodes with their regions' names for
// a node fault, its regions by name for a regional partition, nothing for a fault that hits
// the whole network.

import { h, replace } from '../dom.js';
import { CHAOS_KINDS, type ChaosKind } from '../../../shared/scenarios/chaos-types.js';
import { getScenario } from '../../../shared/scenarios/index.js';
import type { Scenario } from '../../../shared/scenarios/types.js';
import { targetCutting } from '../../../shared/sim/chaos.js';
import { CHAOS_WORDS } from '../../../shared/words/chaos.js';
import type { HostAction } from '../../../shared/protocol/session.js';
import { TEAM_ROOM_LOST } from '../../../shared/words/phases.js';
import { DrawnFrom, field, numberSelect, secondsWords, select, type HostContext, type HostPanel } from './host-panel.js';
import type { ClassView } from './view.js';

/** Kinds that strike one node (the target is the node's place among the live nodes). */
const NODE_KINDS: ReadonlySet<ChaosKind> = new Set(['crash', 'crash-disk-loss', 'slow-node', 'clock-skew', 'flood']);

export interface StrikeTarget {
  value: number;
  label: string;
}

/**
 * The targets a host can pick for `kind` in a cluster of `nodes` nodes (in id order, each with
 * its region's index) of `scenario`; empty when the kind strikes everything at once.
 */
export function strikeTargets(kind: ChaosKind, scenario: Scenario, nodes: readonly number[]): StrikeTarget[] {
  const regionName = (r: number) => scenario.topology.regions[r]?.name ?? `Region ${r + 1}`;
  const many = scenario.topology.regions.length > 1;
  const node = (i: number) => `N${i}${many ? ` (${regionName(nodes[i] ?? 0)})` : ''}`;
  if (NODE_KINDS.has(kind)) return nodes.map((_, i) => ({ value: i, label: node(i) }));
  if (kind === 'partition-region') return scenario.topology.regions.map((r, i) => ({ value: i, label: r.name }));
  if (kind === 'partition-random') {
    const out: StrikeTarget[] = [];
    nodes.forEach((_, i) => {
      const t = targetCutting(nodes.length, i);
      if (t !== null) out.push({ value: t, label: node(i) });
    });
    return out;
  }
  return [];
}

/** What the target menu asks, by kind. */
export function targetQuestion(kind: ChaosKind): string {
  if (kind === 'partition-region') return 'Which region is cut off';
  if (kind === 'partition-random') return 'Which node is cut off alone';
  return 'Which node';
}

/** The regions of the class's cluster, node by node: the largest team's as reported, else the scenario's start. */
function clusterNodes(v: ClassView, scenario: Scenario): number[] {
  const start: number[] = [];
  scenario.topology.nodesPerRegion.forEach((count, region) => {
    for (let i = 0; i < count; i++) start.push(region);
  });
  const most = Math.max(0, ...v.teams.map((t) => t.nodes.filter((n) => n.word !== 'removed').length));
  // Nodes a team scaled out to sit in a region the report does not carry: say the first.
  while (start.length < most) start.push(0);
  return start;
}

export class ChaosPanel implements HostPanel {
  readonly el = h('section', { class: 'card host-chaos', 'aria-label': 'Strike every team' });
  private readonly strike: HTMLButtonElement;
  private readonly note = h('small', { class: 'note' });
  private readonly kind = select('chaos-kind', CHAOS_KINDS.map((k) => [k, CHAOS_WORDS[k].menu]));
  private readonly target = h('select', { id: 'chaos-target' });
  private readonly targetField = field('chaos-target', 'Which part', this.target);
  private readonly explain = h('p', { class: 'muted chaos-explain' });
  private readonly drawn = new DrawnFrom();
  private last: ClassView | null = null;

  constructor(private readonly ctx: HostContext) {
    const duration = numberSelect('chaos-duration', [10, 20, 30, 45, 60, 90], secondsWords);
    duration.value = '20';
    this.kind.addEventListener('change', () => this.last !== null && this.sync(this.last));
    this.strike = h('button', { class: 'danger big', 'data-host': 'chaos', onclick: () => this.strikeNow(this.kind.value as ChaosKind, Number(this.target.value || 0), Number(duration.value)) }, 'Strike every team now');
    replace(
      this.el,
      h('h2', null, 'Strike every team'),
      h('p', { class: 'muted' }, 'The same fault hits every team\'s cluster at the same moment of its round, so you can compare how each team copes.'),
      field('chaos-kind', 'What', this.kind),
      this.explain,
      h('div', { class: 'form-grid' }, this.targetField, field('chaos-duration', 'For how long', duration)),
      h('div', { class: 'row' }, this.strike),
      this.note,
    );
  }

  sync(v: ClassView): void {
    this.last = v;
    const scenario = getScenario(v.settings.scenario);
    const kind = this.kind.value as ChaosKind;
    if (scenario !== undefined) {
      const nodes = clusterNodes(v, scenario);
      if (this.drawn.changed([kind, v.settings.scenario, nodes])) {
        const keep = this.target.value;
        const targets = strikeTargets(kind, scenario, nodes);
        replace(this.target, targets.map((t) => h('option', { value: String(t.value) }, t.label)));
        if (targets.some((t) => String(t.value) === keep)) this.target.value = keep;
        this.targetField.hidden = targets.length === 0;
        this.targetField.querySelector('label')!.textContent = targetQuestion(kind);
        this.explain.textContent = `${CHAOS_WORDS[kind].explain}${targets.length === 0 ? ' It hits the whole cluster.' : ''}`;
      }
    }
    // A team whose room was lost does not hold the others back; one live team is enough.
    const playing = v.teams.filter((t) => t.phase !== TEAM_ROOM_LOST);
    const anyLive = playing.some((t) => t.phase === 'live');
    const live = v.phase === 'running' && anyLive && !v.paused;
    this.strike.disabled = !live;
    const waiting = playing.filter((t) => t.phase === 'briefing' || t.phase === 'setup').length;
    const note = v.phase !== 'running'
      ? 'You can strike once a round is live.'
      : v.paused ? 'Resume the round first.'
      : !anyLive ? 'You can strike as soon as a team is live (after briefing and setup).'
      : waiting > 0 ? `${waiting === 1 ? 'A team is' : `${waiting} teams are`} not live yet: the fault strikes them at the same moment of their own round.`
      : '';
    if (this.note.textContent !== note) this.note.textContent = note;
  }

  private strikeNow(kind: ChaosKind, target: number, seconds: number): void {
    // No magnitude: the room gives each kind a strength that shows without flattening the cluster.
    this.ctx.send({ action: 'chaos', kind, target, durationMs: seconds * 1000 } as HostAction);
  }
}
