// The heads-up display: phase and timer, the SLA, the nines meter, the error budget,
// availability, latency and throughput sparklines, stale reads, lost writes, cost and score.
// Each cell has a label in words, so nothing depends on colour.

import { budgetBar, budgetCell, setBudgetBar } from './budget.js';
import { iconUrl } from '../map/icons.js';
import { Sparkline } from '../charts.js';
import { attr, h, replace, styleProp, text } from '../dom.js';
import { int, ms, ninesText, percent, seconds } from '../format.js';
import { nines as ninesOf } from '../../../shared/sim/metrics.js';
import { PHASE_WORDS } from '../../../shared/words/phases.js';
import { difficultyLabel, difficultyText } from '../../../shared/words/difficulty.js';
import { throughputSub } from '../../../shared/words/batch.js';
import type { RoundView } from '../view.js';

export class Hud {
  readonly el = h('header', { class: 'hud', 'aria-label': 'Round measures' });
  private cells = new Map<string, { root: HTMLElement; value: HTMLElement; sub: HTMLElement; extra: HTMLElement }>();
  private sparkKey = '';
  // The bars and lines inside the cells stay the same elements; each update writes only what changed.
  private meter = bar('meter', 'nines');
  private budgetBar = budgetBar(budgetCell({ target: 0, allowed: 0, spent: 0, left: 0, burnRate: 0, recentCause: '', runsOutInS: -1 }, ''));
  private costBar = bar('cost-bar');
  private p99Spark: Sparkline | null = null;
  private p99Target: number | undefined;
  private thrSpark = new Sparkline({ label: 'throughput, last 30 s', min: 0 });

  /** A cell's explanation, opened by a tap or a click (phones show no tooltips). */
  private tip = h('div', { class: 'hud-tip', role: 'status', hidden: true });

  constructor() {
    this.el.addEventListener('click', (e) => this.explain(e));
    document.body.appendChild(this.tip);
    this.cell('phase', 'Phase', 'phase');
    this.cell('sla', 'Customer needs (SLA)', 'hide-narrow wide-only');
    this.cell('nines', 'Availability in nines');
    this.cell('budget', 'Error budget');
    this.cell('avail', 'Requests OK');
    this.cell('p99', 'Latency p99', 'spark');
    this.cell('thr', 'Throughput', 'spark');
    this.cell('stale', 'Stale reads');
    this.cell('lost', 'Lost writes');
    this.cell('cost', 'Cost / budget');
    this.cell('score', 'Score');
    this.cells.get('nines')!.extra.appendChild(this.meter.el);
    this.cells.get('budget')!.extra.appendChild(this.budgetBar);
    this.cells.get('cost')!.extra.appendChild(this.costBar.el);
    this.cells.get('thr')!.extra.appendChild(this.thrSpark.el);
  }

  /** Show the tapped cell's sentence (its tooltip) under it; a second tap, or a tap elsewhere, closes it. */
  private explain(e: Event): void {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('.cell');
    const words = cell?.title ?? '';
    if (cell === null || cell === undefined || words === '' || (!this.tip.hidden && this.tip.dataset.cell === cell.dataset.cell)) {
      this.tip.hidden = true;
      return;
    }
    e.stopPropagation();
    const r = cell.getBoundingClientRect();
    const width = Math.min(340, window.innerWidth - 16);
    this.tip.textContent = words;
    this.tip.dataset.cell = cell.dataset.cell ?? '';
    this.tip.style.width = `${width}px`;
    this.tip.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - width - 8))}px`;
    this.tip.style.top = `${r.bottom + 4}px`;
    this.tip.hidden = false;
    const close = () => {
      this.tip.hidden = true;
      document.removeEventListener('click', close, true);
    };
    setTimeout(() => document.addEventListener('click', close, true), 0);
  }

  /** Remove what the HUD put outside its own element. */
  destroy(): void {
    this.tip.remove();
  }

  private cell(key: string, label: string, cls = ''): void {
    const value = h('span', { class: 'value' });
    // Shown (style.css) while the cell is over its limit: the red is not the only sign.
    const warn = h('img', { class: 'warn-icon', src: iconUrl('warn'), alt: 'over the limit: ', width: 16, height: 16 });
    const sub = h('span', { class: 'sub' });
    const extra = h('span', { class: 'extra' });
    const root = h('div', { class: `cell ${cls}`, 'data-cell': key }, h('span', { class: 'label' }, warn, label), cls.includes('spark') ? h('div', { class: 'spark' }, value, extra) : [value, extra], sub);
    this.cells.set(key, { root, value, sub, extra });
    this.el.appendChild(root);
  }

  update(v: RoundView): void {
    const m = v.measures;
    const sla = v.scenario?.sla;
    const c = (k: string) => this.cells.get(k)!;

    const left = v.phase === 'live' ? Math.max(0, Math.ceil((v.durationMs - v.simMs) / 1000)) : v.phaseSecondsLeft;
    text(c('phase').value, PHASE_WORDS[v.phase]?.name ?? v.phase);
    // The round's difficulty beside its clock (a normal round says nothing); the whole rule on hover.
    const level = difficultyLabel(v.difficulty);
    text(c('phase').sub, level === '' ? `${seconds(left)} left` : `${seconds(left)} left · ${level}`);
    attr(c('phase').root, 'data-difficulty', v.difficulty);
    attr(c('phase').root, 'title', difficultyText(v.difficulty));

    if (sla) {
      text(c('sla').value, percent(sla.availability));
      text(c('sla').sub, `p99 ≤ ${ms(sla.p99Ms)} · stale ≤ ${int(sla.maxStaleReads)}`);
    }

    // The nines meter: a bar from 0 to target + 1 nines, with the target marked.
    const target = sla ? ninesOf(sla.availability) : 3;
    const hasTraffic = m.requests > 0;
    text(c('nines').value, hasTraffic ? `${ninesText(m.nines)} nines` : '—');
    const meterMax = target + 1;
    const meter = this.meter;
    attr(meter.el, 'aria-valuemax', String(meterMax));
    attr(meter.el, 'aria-valuenow', String(Math.min(meterMax, m.nines)));
    styleProp(meter.fill, 'width', pct(Math.min(meterMax, hasTraffic ? m.nines : 0) / meterMax));
    styleProp(meter.target, 'left', `calc(${pct(target / meterMax)} - 1px)`);
    attr(meter.target, 'title', `target ${target.toFixed(1)} nines`);
    text(c('nines').sub, sla ? `SLA ${percent(sla.availability)} = ${target.toFixed(1)}` : `target ${target.toFixed(1)}`);
    c('nines').root.classList.toggle('bad', hasTraffic && m.nines < target);
    c('nines').root.classList.toggle('good', hasTraffic && m.nines >= target);

    // The error budget: what is left of the failures the promise allows, and how fast it burns.
    const b = budgetCell(v.errorBudget, v.phase);
    // "1,216 of 1,216": the "of" part may take a second line on a phone (never "1,216 of 1,21…").
    if (c('budget').value.textContent !== b.value) replace(c('budget').value, ...(b.of === '' ? [b.lead] : [`${b.lead} `, h('span', { class: 'of' }, b.of)]));
    text(c('budget').sub, b.sub);
    setBudgetBar(this.budgetBar, b);
    attr(c('budget').root, 'title', b.sentence);
    c('budget').root.classList.toggle('bad', b.state === 'bad');
    c('budget').root.classList.toggle('good', b.state === 'good');

    text(c('avail').value, hasTraffic ? percent(m.availability) : '—');
    text(c('avail').sub, `${int(m.requests)} requests`);

    text(c('p99').value, hasTraffic ? ms(m.p99) : '—');
    text(c('p99').sub, sla ? `SLA ≤ ${ms(sla.p99Ms)} · p50 ${ms(m.p50)}` : `p50 ${ms(m.p50)}`);
    c('p99').root.classList.toggle('bad', sla !== undefined && hasTraffic && m.p99 > sla.p99Ms);
    text(c('thr').value, `${int(m.throughput)}/s`);
    text(c('thr').sub, throughputSub(v.scenario?.workload.batch, m.throughput));
    const key = v.windows.length === 0 ? '' : `${v.windows[v.windows.length - 1]!.t}:${v.windows.length}`;
    if (key !== this.sparkKey) {
      this.sparkKey = key;
      // The latency's line marks the SLA's limit: a new line only for a new limit (a round's first view).
      if (this.p99Spark === null || this.p99Target !== sla?.p99Ms) {
        this.p99Target = sla?.p99Ms;
        this.p99Spark = new Sparkline({ label: 'p99 latency, last 30 s', target: sla?.p99Ms, min: 0 });
        replace(c('p99').extra, this.p99Spark.el);
      }
      this.p99Spark.update(v.windows.map((w) => w.p99));
      this.thrSpark.update(v.windows.map((w) => w.throughput));
    }

    text(c('stale').value, int(m.staleReads));
    text(c('stale').sub, sla ? `SLA ≤ ${int(sla.maxStaleReads)}` : '');
    c('stale').root.classList.toggle('bad', sla !== undefined && m.staleReads > sla.maxStaleReads);

    const final = v.phase === 'debrief';
    text(c('lost').value, final ? int(m.lostWrites) : '?');
    text(c('lost').sub, final ? `SLA ≤ ${int(sla?.maxLostWrites ?? 0)}` : `SLA ≤ ${int(sla?.maxLostWrites ?? 0)} · at the end`);
    c('lost').root.classList.toggle('bad', final && sla !== undefined && m.lostWrites > sla.maxLostWrites);

    text(c('cost').value, `${int(m.cost)}`);
    const share = m.budget > 0 ? Math.min(1, m.cost / m.budget) : 0;
    attr(this.costBar.el, 'title', `${Math.round(share * 100)}% of the budget`);
    styleProp(this.costBar.fill, 'width', pct(share));
    text(c('cost').sub, `budget ${int(m.budget)}`);
    c('cost').root.classList.toggle('bad', m.budget > 0 && m.cost > m.budget);

    text(c('score').value, int(m.score));
    text(c('score').sub, 'of 1,000');
  }
}

/** A share 0–1 as a CSS percentage, rounded so that it reads back as written (styleProp compares). */
function pct(share: number): string {
  return `${Math.round(share * 10_000) / 100}%`;
}

/** A bar with a fill (the nines meter, with its target mark; the cost's bar). */
function bar(cls: 'meter' | 'cost-bar', label?: string): { el: HTMLElement; fill: HTMLElement; target: HTMLElement } {
  const fill = h('div', { class: 'fill' });
  const target = h('div', { class: 'target' });
  const el = cls === 'meter' ? h('div', { class: 'meter', role: 'meter', 'aria-valuemin': '0', 'aria-label': label ?? '' }, fill, target) : h('div', { class: cls }, fill);
  return { el, fill, target };
}
