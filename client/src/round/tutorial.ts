// The tutorial's coach: a chapter at a time (shared/words/tutorial.ts), one concept each, with
// a sentence or two, a small picture, the steps the learner does and the chapter's finish,
// told with what the round really did. The learner sees which chapter they are in, can go
// back, and can move on at any time.
//
// A step that expects a command is done once the learner has sent it and the server did not
// refuse it; a step that waits for something (a crash, the split, a selection) is done when
// the view shows it. When a step becomes current in the live phase the coach tells the
// server (`reached`), and the round strikes that step's scripted fault (shared/round/tutorial.ts).

import './tutorial.css';
import { h, replace } from '../dom.js';
import { explain, glossed, onExplain } from '../glossary.js';
import { picture } from './tutorial-pictures.js';
import { TUTORIAL_FAULT_STEPS } from '../../../shared/round/tutorial.js';
import type { TutorialStep } from '../../../shared/scenarios/types.js';
import { splitText } from '../../../shared/words/split.js';
import {
  chapterHeading, chapterWonText, consequenceText, STEP_ACTIONS, STEP_HINTS, STEP_LABELS, STEP_STATUS, TUTORIAL_BEFORE_LIVE, TUTORIAL_CHAPTERS, TUTORIAL_READY_LABEL, tutorialDoneText,
  type ChapterFacts, type ChapterWords,
} from '../../../shared/words/tutorial.js';
import type { NodeV, RoundView } from '../view.js';

export interface CoachHost {
  /** Commands (and proposals, as 'configure') this browser sent, with their fate. */
  sent(): Iterable<{ type: string; at: number; failed: boolean }>;
  /** The player reached this step in the live phase (the server may strike its fault). */
  reached?(step: string): void;
  /** The player is ready to start (before the live phase): the coach has its own button. */
  ready?(): void;
}

/** How long after sending a command its refusal would have come back (ms). */
const REFUSAL_WINDOW_MS = 1200;
/** How often a step whose fault has not struck yet is said to the server again (ms). */
const REANNOUNCE_MS = 2000;

/** A chapter as the coach runs it: its words and its steps from the scenario. */
interface Chapter {
  words: ChapterWords;
  steps: TutorialStep[];
}

/** What the coach noticed while a chapter ran, for its steps and its finish. */
interface Notes {
  /** Wall-clock ms the current step began (commands sent before it do not count). */
  stepAt: number;
  /** Simulated ms the chapter began. */
  chapterSim: number;
  /** The learner chose a stance in this chapter (a press on Refuse or Serve). */
  choseStance: boolean;
  /** The learner opened the error budget's meaning. */
  budgetSeen: boolean;
  /** The split, as seen: budget spent when it began, and whether it has begun. */
  splitSpentAt: number;
  sawSplit: boolean;
  /** A node down (not the learner's) seen during the quorum chapter: from when, simulated ms. */
  downFrom: number;
  downUntil: number;
  /** The learner's node seen down in the failover chapter. */
  sawMineDown: boolean;
  /** The nodes in the cluster when the chapter began (the new one is beyond them). */
  nodesAtStart: number;
  /** The finish, frozen when the chapter was won. */
  won: string | null;
}

export class Coach {
  readonly el = h('aside', { class: 'coach card', 'aria-live': 'polite', 'aria-label': 'Tutorial' });
  private readonly chapters: Chapter[];
  private chapter = 0;
  private step = 0;
  private notes: Notes;
  private lastSelect = 0;
  private selectedNode = -1;
  private key = '';
  private collapsed = false;
  /** The step last reported to the server as reached in the live phase ('' none). */
  private announced = '';
  private announcedAt = 0;
  /** Chapters won, by id. */
  private readonly wins = new Set<string>();
  private view: RoundView | null = null;

  constructor(
    steps: readonly TutorialStep[],
    private readonly host: CoachHost,
  ) {
    this.chapters = chaptersOf(steps);
    this.notes = freshNotes(null);
    // Presses the coach waits for that send nothing when nothing changes (Refuse is already
    // on), and the error budget's meaning opened by a tap on the gauge or on the word.
    document.addEventListener('click', this.onClick, true);
    this.stopExplain = onExplain((id) => {
      if (id === 'error-budget') this.notes.budgetSeen = true;
    });
  }

  private readonly stopExplain: () => void;

  /** Stop listening to the page (the round screen is going away). */
  destroy(): void {
    document.removeEventListener('click', this.onClick, true);
    this.stopExplain();
  }

  /** The player picked a node (by click, tap or key). */
  noteSelect(node = -1): void {
    this.lastSelect = Date.now();
    this.selectedNode = node;
  }

  get done(): boolean {
    return this.chapter >= this.chapters.length;
  }

  /** The chapter and step on show, by id (for tests and the page's debugging hook). */
  get position(): { chapter: string; step: string } {
    const c = this.chapters[this.chapter];
    return { chapter: c?.words.id ?? 'done', step: c?.steps[this.step]?.id ?? '' };
  }

  update(v: RoundView): void {
    this.view = v;
    if (v.phase !== 'live') return this.render(v, 'before');
    if (this.done) return this.render(v, 'done');
    const ch = this.chapters[this.chapter]!;
    if (this.notes.chapterSim < 0) this.notes = freshNotes(v);
    this.observe(ch, v);
    // Steps complete in order; a completed step hands over to the next at once.
    while (this.step < ch.steps.length && this.isComplete(ch.steps[this.step]!, v)) {
      this.step++;
      this.notes.stepAt = Date.now();
    }
    if (this.step >= ch.steps.length && this.notes.won === null) {
      this.notes.won = chapterWonText(ch.words.id, this.facts(ch, v));
      this.wins.add(ch.words.id);
    }
    const current = ch.steps[this.step];
    // A fault may have to wait (no split while a node is down), so the step is said again
    // every few seconds until it is done; the round ignores it while the fault shows.
    const again = current !== undefined && TUTORIAL_FAULT_STEPS.includes(current.id) && Date.now() - this.announcedAt > REANNOUNCE_MS;
    if (current !== undefined && (this.announced !== current.id || again)) {
      this.announced = current.id;
      this.announcedAt = Date.now();
      this.host.reached?.(current.id);
    }
    this.render(v, 'chapter');
  }

  // ---------------------------------------------------------------------------------
  // Progress

  private readonly onClick = (e: Event): void => {
    const t = e.target as Element | null;
    if (t === null || typeof t.closest !== 'function') return;
    if (t.closest('[data-stance]') !== null) this.notes.choseStance = true;
    const cell = t.closest('[data-cell="budget"]');
    if (cell !== null && this.position.step === 'budget') explain('error-budget', cell);
  };

  /** Move to chapter `to` (its first step). */
  private goTo(to: number): void {
    this.chapter = Math.max(0, Math.min(this.chapters.length, to));
    this.step = 0;
    this.notes = freshNotes(this.view);
    this.announced = '';
    this.key = '';
    if (this.view !== null) this.update(this.view);
  }

  /** Watch what the chapter's steps and finish need to know, as it happens. */
  private observe(ch: Chapter, v: RoundView): void {
    const n = this.notes;
    const mine = v.nodes[v.myNode];
    if (mine?.status === 'down') n.sawMineDown = true;
    if (v.network.partitioned && !n.sawSplit) {
      n.sawSplit = true;
      n.splitSpentAt = v.errorBudget.spent;
    }
    if (ch.words.id === 'quorum') {
      const down = v.nodes.some((x) => x.id !== v.myNode && x.status === 'down');
      if (down && n.downFrom < 0) n.downFrom = v.simMs;
      if (down) n.downUntil = v.simMs;
    }
  }

  private sentSince(type: string): boolean {
    for (const s of this.host.sent()) {
      // Sent during this step, not refused, and old enough that a refusal would have come.
      if (s.type === type && s.at >= this.notes.stepAt && !s.failed && Date.now() - s.at > REFUSAL_WINDOW_MS) return true;
    }
    return false;
  }

  private isComplete(step: TutorialStep, v: RoundView): boolean {
    const n = this.notes;
    const mine: NodeV | undefined = v.nodes[v.myNode];
    switch (step.id) {
      case 'select-node':
        return this.lastSelect >= n.stepAt;
      case 'find-leader': {
        const sel = v.nodes[this.selectedNode];
        return this.lastSelect >= n.stepAt && sel !== undefined && sel.leaderOf > 0;
      }
      case 'restart':
        // Done by the learner's Restart, or (if they waited) by the node's own return.
        return mine !== undefined && mine.status !== 'down' && (this.sentSince('restart') || n.sawMineDown);
      case 'crash':
        return v.nodes.some((x) => x.id !== v.myNode && x.status === 'down') || n.downFrom >= 0;
      case 'stance':
        return n.choseStance || this.sentSince('stance');
      case 'partition': {
        // The split, and its consequence showing: the node has answered or refused someone in it.
        const showing = mine !== undefined && mine.split > 0 && mine.splitReads + mine.splitWrites + mine.splitRefused > 0;
        return n.sawSplit && (showing || !v.network.partitioned);
      }
      case 'drain':
        return this.sentSince('drain') || (mine?.drained ?? false) || !v.network.partitioned;
      case 'heal':
        return n.sawSplit && !v.network.partitioned;
      case 'undrain':
        return mine !== undefined && !mine.drained && !v.network.partitioned;
      case 'budget':
        return n.budgetSeen;
      case 'surge':
        return v.faults.some((f) => f.kind === 'load-surge');
      case 'scale-out':
        return this.sentSince('scale-out') && v.nodes.some((x) => x.id >= n.nodesAtStart && x.status === 'up');
      default:
        return step.expects === 'observe' ? true : this.sentSince(step.expects);
    }
  }

  /** The numbers the chapter's finish tells, from the view at the moment it was won. */
  private facts(ch: Chapter, v: RoundView): ChapterFacts {
    const n = this.notes;
    const mine = v.nodes[v.myNode];
    const b = v.errorBudget;
    switch (ch.words.id) {
      case 'node':
      case 'leader': {
        const sel = v.nodes[this.selectedNode] ?? mine;
        return { node: sel?.id ?? 0, load: sel?.load ?? 0, busy: sel?.utilization ?? 0, shards: sel?.leaderOf ?? 0 };
      }
      case 'failover':
        return { elections: v.feed.filter((f) => f.kind === 'election' && f.t >= n.chapterSim).length };
      case 'quorum':
        return { okWhileDown: availabilityBetween(v, n.downFrom, n.downUntil) };
      case 'partition':
        return {
          stance: mine?.stance,
          split: mine === undefined ? '' : splitText({ split: mine.split, minority: mine.splitMinority, seconds: mine.splitSeconds, reads: mine.splitReads, stale: mine.splitStale, writes: mine.splitWrites, refused: mine.splitRefused }, true, v.scenario?.sla.maxStaleReads === 0),
          splitSpent: n.sawSplit ? Math.max(0, b.spent - n.splitSpentAt) : undefined,
        };
      case 'nines':
        return { target: b.target, allowed: b.allowed, spent: b.spent, left: b.left };
      case 'scale': {
        const added = v.nodes.filter((x) => x.id >= n.nodesAtStart && x.status !== 'removed');
        return { newNode: added[added.length - 1]?.id ?? v.nodes.length - 1 };
      }
      default:
        return {};
    }
  }

  // ---------------------------------------------------------------------------------
  // Drawing

  private render(v: RoundView, mode: 'before' | 'chapter' | 'done'): void {
    const ch = this.chapters[this.chapter];
    const current = ch?.steps[this.step];
    const consequence = mode === 'chapter' && ch?.words.id === 'partition' ? this.consequence(v) : '';
    const status = mode === 'chapter' && current !== undefined ? this.statusOf(current) : '';
    const key = JSON.stringify([mode, v.phase, this.chapter, this.step, status, consequence, this.notes.won, this.collapsed, mode === 'done' ? v.phaseSecondsLeft : 0]);
    if (key === this.key) return;
    this.key = key;
    this.el.hidden = false;
    this.el.dataset.chapter = mode === 'chapter' ? ch!.words.id : mode;
    this.el.dataset.step = current?.id ?? '';
    this.el.classList.toggle('collapsed', this.collapsed);
    const marked = new Set<string>();
    const toggle = h('button', { class: 'coach-toggle', 'data-coach': 'toggle', 'aria-expanded': String(!this.collapsed), onclick: () => this.setCollapsed(!this.collapsed) }, this.collapsed ? 'Show' : 'Hide');
    const back = (to: number) => h('button', { 'data-coach': 'back', onclick: () => this.goTo(to) }, 'Back');
    if (mode === 'before') {
      // Its own Ready button, so the first thing the coach asks is something it offers.
      const ready = v.phase === 'setup' && this.host.ready !== undefined ? h('button', { class: 'primary', 'data-coach': 'ready', onclick: () => this.host.ready?.() }, TUTORIAL_READY_LABEL) : null;
      replace(this.el, h('div', { class: 'coach-head' }, h('div', { class: 'step' }, 'Tutorial'), h('span', { class: 'buttons' }, ready, toggle)), this.collapsed ? null : h('p', null, glossed(TUTORIAL_BEFORE_LIVE, marked)));
      return;
    }
    if (mode === 'done') {
      const secondsLeft = v.phase === 'live' ? v.phaseSecondsLeft : 0;
      replace(
        this.el,
        h('div', { class: 'coach-head' }, h('div', { class: 'step' }, 'Tutorial complete'), this.progress(), h('span', { class: 'buttons' }, back(this.chapters.length - 1), toggle)),
        this.collapsed ? null : h('p', { class: 'won' }, h('b', null, '✓ '), tutorialDoneText(this.wins.size, this.chapters.length, secondsLeft)),
      );
      return;
    }
    const c = ch!;
    const won = this.notes.won;
    const last = this.chapter === this.chapters.length - 1;
    const next = h('button', { class: won !== null ? 'primary' : '', 'data-coach': 'next', onclick: () => this.goTo(this.chapter + 1) }, last ? 'Finish' : won !== null ? 'Next chapter' : 'Skip chapter');
    // The heading, the chapter marks and the buttons share one row: the card stays short
    // over the map. The idea (with its picture and checklist) and the step sit side by side
    // on a wide screen, one under the other on a phone.
    const head = h('div', { class: 'coach-head' }, h('div', { class: 'step' }, chapterHeading(this.chapter, this.chapters.length, c.words.title)), this.progress(), h('span', { class: 'buttons' }, this.chapter > 0 ? back(this.chapter - 1) : null, next, toggle));
    if (this.collapsed) {
      replace(this.el, head, h('p', { class: won !== null ? 'won' : 'now' }, h('b', null, won !== null ? STEP_STATUS.won : status)));
      return;
    }
    const checklist = h(
      'ol',
      { class: 'steps' },
      c.steps.map((s, i) => h('li', { 'data-state': i < this.step ? 'done' : i === this.step ? 'now' : 'later', 'aria-current': i === this.step ? 'step' : null }, h('span', { class: 'mark', 'aria-hidden': 'true' }, i < this.step ? '✓' : i === this.step ? '▶' : '○'), STEP_LABELS[s.id] ?? s.id)),
    );
    const idea = h('div', { class: 'idea' }, picture(c.words.picture, c.words.title), h('div', null, h('p', null, glossed(c.words.idea, marked)), checklist));
    const now =
      won !== null
        ? h('div', { class: 'won', 'data-won': c.words.id }, h('p', null, h('b', null, `${STEP_STATUS.won}. `), glossed(won, marked)))
        : current !== undefined
          ? h(
              'div',
              { class: 'now' },
              h('p', null, glossed(current.prompt, marked)),
              STEP_HINTS[current.id] ? h('p', { class: 'muted' }, glossed(STEP_HINTS[current.id]!, marked)) : null,
              consequence ? h('p', { class: 'consequence', 'data-consequence': '' }, glossed(consequence, marked)) : null,
              h('b', { class: 'status' }, status),
            )
          : null;
    replace(this.el, head, h('div', { class: 'cols' }, idea, now));
  }

  /** One mark per chapter: ✓ won, ▶ this one, a number otherwise; a tap goes there. */
  private progress(): HTMLElement {
    return h(
      'ol',
      { class: 'chapters', 'aria-label': 'Chapters' },
      this.chapters.map((c, i) => {
        const won = this.wins.has(c.words.id);
        const here = i === this.chapter;
        return h('li', null, h('button', { 'data-goto': c.words.id, 'data-won': won ? 'yes' : 'no', 'aria-current': here ? 'step' : null, 'aria-label': `${c.words.title}${won ? ' (won)' : ''}`, title: c.words.title, onclick: () => this.goTo(i) }, won ? '✓' : String(i + 1)));
      }),
    );
  }

  private statusOf(step: TutorialStep): string {
    const action = STEP_ACTIONS[step.id];
    return action !== undefined ? STEP_STATUS.yourTurn(action) : STEP_STATUS.waiting;
  }

  /** The stance chapter's running consequence, once a stance is chosen and while the split lasts. */
  private consequence(v: RoundView): string {
    const n = this.notes;
    const mine = v.nodes[v.myNode];
    if (mine === undefined || !n.sawSplit || !v.network.partitioned) return '';
    const behind = v.hotKeys.filter((_, k) => {
      const x = mine.versions[k] ?? -1;
      return x >= 0 && v.nodes.some((o) => o.id !== mine.id && (o.versions[k] ?? -1) > x);
    });
    const facts = { split: mine.split, minority: mine.splitMinority, seconds: mine.splitSeconds, reads: mine.splitReads, stale: mine.splitStale, writes: mine.splitWrites, refused: mine.splitRefused };
    return `${splitText(facts, true, v.scenario?.sla.maxStaleReads === 0)} ${consequenceText(mine.stance, Math.max(0, v.errorBudget.spent - n.splitSpentAt), behind)}`.trim();
  }

  private setCollapsed(on: boolean): void {
    this.collapsed = on;
    this.key = '';
    if (this.view !== null) this.update(this.view);
  }
}

/** The scenario's steps grouped by chapter, in the chapters' order; unknown steps are dropped. */
function chaptersOf(steps: readonly TutorialStep[]): Chapter[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  return TUTORIAL_CHAPTERS.map((words) => ({ words, steps: words.steps.flatMap((id) => byId.get(id) ?? []) })).filter((c) => c.steps.length > 0);
}

function freshNotes(v: RoundView | null): Notes {
  return {
    stepAt: Date.now(),
    chapterSim: v !== null && v.phase === 'live' ? v.simMs : -1,
    choseStance: false,
    budgetSeen: false,
    splitSpentAt: 0,
    sawSplit: false,
    downFrom: -1,
    downUntil: -1,
    sawMineDown: false,
    nodesAtStart: v?.nodes.length ?? 0,
    won: null,
  };
}

/** Requests answered in the metric windows between two simulated times (0..1), -1 when none counted. */
function availabilityBetween(v: RoundView, from: number, until: number): number {
  if (from < 0) return -1;
  let ok = 0;
  let all = 0;
  for (const w of v.windows) {
    if (w.t < from || w.t > until + 1000) continue;
    ok += w.availability * w.requests;
    all += w.requests;
  }
  return all > 0 ? ok / all : -1;
}
