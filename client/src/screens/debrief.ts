// The debrief: how the round did against the customer's promise, the measures over time,
// what happened when, and the concept cards that explain this round with its own numbers.

import { actorKey, HOST } from '../../../shared/round/actor.js';
import { lineChart, thinMarkers, type Marker } from '../charts.js';
import { copyText } from '../clipboard.js';
import { pathOf, replayUrl } from '../routes.js';
import { momentHash } from '../replay/moment.js';
import { h, replace } from '../dom.js';
import { glossed } from '../glossary.js';
import { clockTime, formatDuration, int, ms, ninesText, percent } from '../format.js';
import type { RoundHistory } from '../history.js';
import { budgetSection } from '../round/budget.js';
import { feedClass } from '../round/panels.js';
import { pickCards, partitionSpans, type FilledCard, type RoundRecord } from '../../../shared/lessons/pick.js';
import { nines as ninesOf } from '../../../shared/sim/metrics.js';
import { slaVerdict } from '../../../shared/sim/sla.js';
import type { Summary } from '../../../shared/sim/summary.js';
import { DIFFICULTY_NAMES } from '../../../shared/words/difficulty.js';
import { chaosLevelText } from '../../../shared/words/chaos.js';
import { causePhrase, CAUSE_WINDOW_MS, electionsText, eventKindText, GROUP_WINDOW_MS } from '../../../shared/words/feed.js';
import { BRANCH_HELP, SAME_SEED_HELP, SEED_HELP } from '../../../shared/words/debrief.js';
import { drownedByCopies } from '../../../shared/lessons/next.js';
import { cardMoment } from '../../../shared/lessons/moments.js';
import type { BudgetStory } from '../../../shared/sim/error-budget.js';
import '../debrief.css';
import { sharesExplained } from '../../../shared/words/credit.js';
import { batchSentence } from '../../../shared/words/batch.js';
import { currentIdOf, runnableScenario } from '../../../shared/scenarios/index.js';
import { promiseVerdictLines } from '../../../shared/words/promise.js';
import { playCue } from '../sound/sound.js';
import { STALE_READ_POINTS } from '../../../shared/round/contributions.js';
import type { RoundView } from '../view.js';

/** The round a "Play this seed again" starts: the same scenario, chaos, difficulty, length and seed. */
export interface SameRound {
  scenario: string;
  chaos: string;
  difficulty: string;
  seed: number;
  roundSeconds: number;
}

export interface DebriefHost {
  /** Another round like this one; with `same`, a private round of that seed. */
  again(same?: SameRound): void;
  home(): void;
  /** Leave the room and watch this round's replay. */
  watch(replayId: string): void;
  toast(text: string, error?: boolean): void;
}

export class DebriefScreen {
  readonly el = h('main', { class: 'debrief' });
  private key = '';
  private cued = false;

  constructor(
    private readonly host: DebriefHost,
    private readonly history: RoundHistory,
  ) {}

  update(v: RoundView): void {
    const d = v.debrief;
    const key = d === null ? 'waiting' : `${d.summary.stateHash}|${v.players.length}|${v.replayId}`;
    if (key === this.key) return;
    this.key = key;
    if (d === null) {
      replace(this.el, h('h1', null, 'The round is over'), h('p', null, 'The cluster heals and settles; the results are being counted…'));
      return;
    }
    const s = d.summary;
    const rec = this.history.record(v, s);
    const sla = rec.sla;
    // The same verdict the simulation's own report gives (shared/sim/sla.ts), term by term.
    const kept = slaVerdict({ sla }, s);
    const met = {
      availability: kept.availability.kept,
      p99: kept.p99Ms.kept,
      stale: kept.staleReads.kept,
      lost: kept.lostWrites.kept,
      cost: s.cost <= rec.budgetLimit,
    };
    const allMet = kept.kept;
    // The round's end, heard once (when the sounds are on): every promise kept, or not.
    if (!this.cued) {
      this.cued = true;
      playCue(allMet ? 'kept' : 'broken');
    }
    const lines = promiseVerdictLines(rec.scenario, kept);
    const cards = pickCards(rec);
    replace(
      this.el,
      h(
        'section',
        { class: 'top' },
        h('div', null, h('h1', null, `Debrief: ${v.scenario?.title ?? v.scenarioId}`), h('p', { class: 'muted', 'data-difficulty': v.difficulty }, `Seed ${v.seed} · ${DIFFICULTY_NAMES[v.difficulty].toLowerCase()} difficulty · ${chaosLevelText(v.chaos)} · ${Math.round(v.durationMs / 1000)}\u00a0s`, d.interrupted ? (d.endedBy === 'teacher' ? ' · your teacher ended the round early' : ' · ended early: the server restarted') : '')),
        h('div', { style: 'text-align:right' }, h('div', { class: 'score-big', 'data-score': String(s.score) }, int(s.score)), h('div', null, 'score of 1,000'), h('div', { class: `verdict ${allMet ? 'met' : 'missed'}` }, allMet ? '✓ Every promise kept' : '✗ Some promises broken')),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', null, 'Against the promise (SLA)'),
        h(
          'ul',
          { class: 'promise-verdicts' },
          ([[lines.availability, met.availability], [lines.latency, met.p99], [lines.staleReads, met.stale], [lines.lostWrites, met.lost]] as const).map(([line, ok]) => h('li', { class: ok ? 'met' : 'missed' }, line)),
        ),
        h('div', { class: 'table-scroll' }, scorecard(s, rec, met)),
      ),
      drowned(v, rec, d.budget),
      d.budget !== undefined ? budgetSection(d.budget) : null,
      h('section', null, h('h2', null, 'What the lessons say'), h('div', { class: 'lesson-cards' }, cards.map((c) => lessonCard(c, rec, v.replayId)))),
      h('section', { class: 'card' }, h('h2', null, 'Over the round'), charts(rec), h('p', { class: 'legend' }, h('span', null, '▼ chaos'), h('span', null, '■ action'), h('span', null, '▨ network partition'), h('span', null, '- - - the SLA target'))),
      h('div', { class: 'two' }, h('section', { class: 'card' }, h('h2', null, 'What happened'), timeline(rec, v.replayId)), h('section', { class: 'card' }, h('h2', null, 'Who did what'), h('div', { class: 'table-scroll' }, players(v, d.players)), credits(d.credits ?? []), h('p', { class: 'muted' }, h('small', null, sharesExplained(v.scenario?.sla.maxStaleReads === 0, STALE_READ_POINTS))))),
      this.playAgain(v),
    );
  }

  /**
   * Play again: the same seed (the same faults at the same moments, so a new strategy can be
   * compared), a new one, or a seed of the player's choosing; the replay to branch from.
   */
  private playAgain(v: RoundView): HTMLElement {
    // A new round is of the current scenario, even after a replay of a retired revision.
    const same = (seed: number): SameRound => ({ scenario: currentIdOf(v.scenarioId) ?? v.scenarioId, chaos: v.chaos, difficulty: v.difficulty, seed, roundSeconds: Math.max(30, Math.min(600, Math.round(v.durationMs / 1000))) });
    const input = h('input', { type: 'number', min: '0', max: '4294967295', step: '1', inputmode: 'numeric', value: String(v.seed), 'aria-label': 'Seed to play', 'data-seed-input': '1' }) as HTMLInputElement;
    const choose = (e: Event) => {
      e.preventDefault();
      const seed = Number(input.value);
      if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) {
        this.host.toast(SEED_HELP, true);
        return;
      }
      this.host.again(same(seed));
    };
    return h(
      'section',
      { class: 'card play-again' },
      h('h2', null, 'Play again'),
      h(
        'div',
        { class: 'again-row' },
        h('button', { class: 'primary big', 'data-again-seed': String(v.seed), onclick: () => this.host.again(same(v.seed)) }, `Play seed ${v.seed} again`),
        h('button', { class: 'big', 'data-again': '1', onclick: () => this.host.again() }, 'New round, new seed'),
        this.replayLinks(v),
        h('button', { class: 'big', onclick: () => this.host.home() }, 'Home'),
      ),
      h('p', { class: 'muted' }, h('small', null, SAME_SEED_HELP, v.replayId !== '' ? ` ${BRANCH_HELP}` : '')),
      h('form', { class: 'again-seed', novalidate: true, onsubmit: choose }, h('label', null, 'Or play another seed: ', input), h('button', { type: 'submit', 'data-again-chosen': '1' }, 'Play this seed')),
    );
  }

  /** "Watch the replay" and "Copy link", once the server has stored the round. */
  private replayLinks(v: RoundView): HTMLElement | null {
    const id = v.replayId;
    if (id === '') return null;
    const watch = h('a', { class: 'button big', href: pathOf({ kind: 'replay', id }), 'data-watch': id }, '▶ Watch the replay');
    watch.addEventListener('click', (e) => {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      this.host.watch(id);
    });
    const copy = h('button', { class: 'big', 'data-copy-link': id, onclick: () => void copyText(replayUrl(id)).then((ok) => this.host.toast(ok ? 'Link copied: anyone with it can watch the replay.' : `The replay's link: ${replayUrl(id)}`)) }, 'Copy link');
    return h('span', { style: 'display:contents' }, watch, copy);
  }
}

function scorecard(s: Summary, rec: RoundRecord, met: Record<'availability' | 'p99' | 'stale' | 'lost' | 'cost', boolean>): HTMLElement {
  const verdict = (ok: boolean) => h('td', { class: `verdict ${ok ? 'met' : 'missed'}` }, ok ? '✓ met' : '✗ missed');
  const sla = rec.sla;
  // The revision played: a round of an older telemetry (no batches) says nothing of readings.
  const batch = runnableScenario(rec.scenario)?.workload.batch;
  return labelCells(h(
    'table',
    { class: 'scorecard promise-card' },
    h('thead', null, h('tr', null, h('th', null, 'Measure'), h('th', null, 'Promised'), h('th', null, 'You delivered'), h('th', null, ''), h('th', null, 'What it means'))),
    h(
      'tbody',
      null,
      h('tr', null, h('td', null, 'Requests that succeeded'), h('td', { class: 'num' }, percent(sla.availability)), h('td', { class: 'num' }, `${percent(s.availability)} (${ninesText(s.nines)} nines)`), verdict(met.availability), h('td', null, `Like ${formatDuration(s.downtime.perYearS)} of downtime a year; the promise allows ${formatDuration((1 - sla.availability) * 365 * 86400)} (${ninesOf(sla.availability).toFixed(1)} nines).`)),
      h('tr', null, h('td', null, 'Latency p99'), h('td', { class: 'num' }, `≤ ${ms(sla.p99Ms)}`), h('td', { class: 'num' }, ms(s.p99)), verdict(met.p99), h('td', null, `1 request in 100 took longer than ${ms(s.p99)}; half took under ${ms(s.p50)}.`)),
      h('tr', null, h('td', null, 'Stale reads'), h('td', { class: 'num' }, `≤ ${int(sla.maxStaleReads)}`), h('td', { class: 'num' }, int(s.staleReads)), verdict(met.stale), h('td', null, 'Reads that returned an older value than a write already confirmed.')),
      h('tr', null, h('td', null, 'Lost writes'), h('td', { class: 'num' }, `≤ ${int(sla.maxLostWrites)}`), h('td', { class: 'num' }, int(s.lostWrites)), verdict(met.lost), h('td', null, 'Confirmed writes missing once the cluster had healed and settled.')),
      h('tr', null, h('td', null, 'Cost'), h('td', { class: 'num' }, `≤ ${int(rec.budgetLimit)}`), h('td', { class: 'num' }, int(s.cost)), verdict(met.cost), h('td', null, 'Node-seconds, bigger nodes counting more.')),
      h('tr', null, h('td', null, 'Throughput'), h('td', null, ''), h('td', { class: 'num' }, `${int(s.throughputPerS)}/s`), h('td', null, ''), h('td', null, [`${int(s.requests)} requests in all; ${int(s.refusedNoQuorum)} refused without a quorum, ${int(s.servedWithoutQuorum)} answered without one.`, batchSentence(batch, s.throughputPerS)].filter(Boolean).join(' '))),
    ),
  ));
}

/** Each cell carries its column's name, which a phone shows above the figure (debrief.css). */
function labelCells(table: HTMLElement): HTMLElement {
  const names = [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
  for (const tr of table.querySelectorAll('tbody tr')) [...tr.children].forEach((td, i) => names[i] && td.setAttribute('data-label', names[i]!));
  return table;
}

function lessonCard(c: FilledCard, rec: RoundRecord, replayId: string): HTMLElement {
  const moment = cardMoment(rec, c.id);
  const branch = moment === null ? null : branchLink(replayId, moment, rec.durationMs);
  return h(
    'article',
    { class: 'lesson card', 'data-card': c.id },
    h('h3', null, c.title),
    h('p', { class: 'idea' }, ...glossed(c.idea)),
    h('h4', { style: 'margin:0.4rem 0 0' }, 'In your round'),
    h('ul', null, c.story.map((line) => h('li', null, line))),
    h('p', { class: 'try' }, h('b', null, 'Try next: '), c.tryNext),
    branch !== null ? h('p', { class: 'card-branch' }, branch) : null,
  );
}

function charts(rec: RoundRecord): HTMLElement {
  const pts = rec.windows;
  const t = pts.map((w) => w.start);
  // Dozens of strikes and actions would hide the line: close ones share one marker.
  const markers: Marker[] = thinMarkers(
    rec.events
      .filter((e) => feedClass(e.kind) !== 'cluster' && e.kind !== 'heal' && e.kind !== 'vote')
      .map((e) => ({ t: e.t, label: `${clockTime(e.t)} ${e.text ?? eventKindText(e.kind, e.node)}`, kind: feedClass(e.kind) })),
    rec.durationMs,
  );
  const shade = partitionSpans(rec).map((s) => ({ ...s, label: `network partition ${clockTime(s.start)}–${clockTime(s.end)}` }));
  const base = { durationMs: rec.durationMs, markers, shade };
  const avail = pts.map((w) => (w.requests === 0 ? 100 : (100 * w.ok) / w.requests));
  const lowest = Math.min(100, ...avail);
  const box = (title: string, now: string, svgEl: SVGSVGElement) => h('div', { class: 'chart' }, h('h3', null, h('span', null, title), h('small', null, now)), svgEl);
  return h(
    'div',
    { class: 'charts' },
    box('Availability per second (%)', `lowest ${lowest.toFixed(1)}%`, lineChart({ t, v: avail }, { ...base, title: 'Availability', unit: '%', target: rec.sla.availability * 100, targetLabel: `promise ${percent(rec.sla.availability)}`, min: Math.max(0, Math.floor(lowest / 10) * 10), max: 100, format: (x) => `${x.toFixed(0)}%` })),
    box('Latency p99 (ms)', `promise ≤ ${ms(rec.sla.p99Ms)}`, lineChart({ t, v: pts.map((w) => w.p99) }, { ...base, title: 'p99 latency', unit: 'ms', target: rec.sla.p99Ms, targetLabel: `promise ${ms(rec.sla.p99Ms)}`, min: 0, format: (x) => `${Math.round(x)}` })),
    box('Throughput (requests done per second)', `average ${int(rec.summary.throughputPerS)}/s`, lineChart({ t, v: pts.map((w) => w.throughput) }, { ...base, title: 'Throughput', unit: '/s', min: 0, format: (x) => int(x) })),
    box('Stale reads per second', `${int(rec.summary.staleReads)} in all`, lineChart({ t, v: pts.map((w) => w.staleReads) }, { ...base, title: 'Stale reads', unit: '', min: 0, max: Math.max(4, ...pts.map((w) => w.staleReads)), bars: true, format: (x) => int(x) })),
  );
}

/** Branching starts this long before a moment of the timeline: time to act before it happens. */
const BRANCH_LEAD_MS = 5000;

function timeline(rec: RoundRecord, replayId: string): HTMLElement {
  const items = rec.events.filter((e) => e.kind !== 'step-down' && e.kind !== 'phase');
  if (items.length === 0) return h('p', { class: 'muted' }, 'A quiet round: nothing struck and nobody acted.');
  // Elections come in bursts (one per shard): fold a burst into one line, with what set it off.
  const lines: { t: number; kind: string; text: string; count: number; first: string; leaders: number[]; cause: string | null }[] = [];
  let cause: { t: number; phrase: string } | null = null;
  for (const e of items) {
    const last = lines[lines.length - 1];
    if (e.kind === 'election' && last !== undefined && last.kind === 'election' && e.t - last.t < GROUP_WINDOW_MS) {
      last.count++;
      if (e.node !== undefined && !last.leaders.includes(e.node)) last.leaders.push(e.node);
      last.text = electionsText(last.count, last.leaders, last.cause, last.first);
      continue;
    }
    const text = e.text ?? eventKindText(e.kind, e.node);
    if (e.kind === 'election') {
      const why = cause !== null && e.t - cause.t <= CAUSE_WINDOW_MS ? cause.phrase : null;
      lines.push({ t: e.t, kind: e.kind, text: electionsText(1, [], why, text), count: 1, first: text, leaders: e.node !== undefined ? [e.node] : [], cause: why });
      continue;
    }
    const phrase = causePhrase({ kind: e.kind, text, node: e.node ?? -1 });
    if (phrase !== null) cause = { t: e.t, phrase };
    // Who acted, when the server's record says and the text does not already.
    const who = e.by !== undefined && e.by !== actorKey(HOST) && feedClass(e.kind) === 'action' && !text.startsWith(`${e.by}:`) ? ` (${e.by})` : '';
    lines.push({ t: e.t, kind: e.kind, text: `${text}${who}`, count: 1, first: text, leaders: [], cause: null });
  }
  return h(
    'ol',
    { class: 'timeline' },
    lines.map((l) => {
      const c = feedClass(l.kind);
      return h('li', { class: c }, h('span', { class: 't' }, clockTime(l.t)), h('span', { class: 'kind' }, c === 'chaos' ? 'chaos' : c === 'action' ? 'action' : 'cluster'), h('span', { class: 'what' }, l.text), c === 'cluster' ? null : branchLink(replayId, l.t, rec.durationMs));
    }),
  );
}

/** "Try again from just before this" (a fault or an action, not the cluster's own doings): the replay, paused there, asking which node to run. */
function branchLink(replayId: string, t: number, durationMs: number): HTMLElement | null {
  // A whole second, so the replay's clock reads the same as the link.
  const from = Math.max(0, Math.floor((t - BRANCH_LEAD_MS) / 1000) * 1000);
  if (replayId === '' || from >= durationMs) return null;
  const at = clockTime(from);
  return h('a', { class: 'branch-link', href: `${pathOf({ kind: 'replay', id: replayId })}${momentHash(from, true)}`, 'data-branch-at': String(from), title: `Play the rest of the round yourself from ${at}, just before this happened` }, `Branch from ${at}`);
}

/** When more copies per key than the scenario starts with drowned the cluster, the debrief says so first. */
function drowned(v: RoundView, rec: RoundRecord, budget: BudgetStory | undefined): HTMLElement | null {
  if (budget === undefined) return null;
  const preset = v.scenario?.presets[v.preset] ?? v.scenario?.presets.cp;
  const text = drownedByCopies(rec, budget.byCause.overload ?? 0, budget.spent, preset?.replicationFactor ?? 3);
  if (text === null) return null;
  return h('section', { class: 'card drowned', 'data-drowned': '1' }, h('h2', null, 'What sank the round'), h('p', null, text));
}

/** The node actions that helped, in time order, each in a sentence. */
function credits(list: readonly { t: number; text: string }[]): HTMLElement | null {
  if (list.length === 0) return null;
  return h('div', { class: 'credits' }, h('h3', null, 'Actions that helped'), h('ul', null, [...list].sort((a, b) => a.t - b.t).map((c) => h('li', { 'data-credit': '1' }, c.text))));
}

function players(v: RoundView, list: { id: string; nickname: string; node: number; isBot: boolean; actions: number; served: number; contribution: number; anomalies: number }[]): HTMLElement {
  const sorted = [...list].sort((a, b) => a.node - b.node);
  return labelCells(h(
    'table',
    { class: 'scorecard players-card' },
    h('thead', null, h('tr', null, h('th', null, 'Node'), h('th', null, 'Player'), h('th', null, 'Actions'), h('th', null, 'Requests served'), h('th', null, 'Stale reads'), h('th', null, 'Share of score'))),
    h(
      'tbody',
      null,
      sorted.map((p) => h('tr', null, h('td', null, p.node >= 0 ? `N${p.node}` : '—'), h('td', null, p.nickname, p.isBot ? ' (bot)' : '', p.id === v.me ? ' (you)' : ''), h('td', { class: 'num' }, int(p.actions)), h('td', { class: 'num' }, int(p.served)), h('td', { class: `num${p.anomalies > 0 ? ' bad' : ''}` }, int(p.anomalies)), h('td', { class: 'num' }, int(p.contribution)))),
    ),
  ));
}
