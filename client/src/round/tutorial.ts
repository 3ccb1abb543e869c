// The tutorial's coach: one step at a time from the scenario's `tutorial` list. A step that
// expects a command is done once the player has sent it and the server did not refuse it;
// a step that only explains moves on with Next (or by itself when its event happens).
// The coach tells the server which step the player reached in the live phase: the room
// strikes the crash and the partition the steps talk about (server/rooms/tutorial.ts).

import { h, replace } from '../dom.js';
import type { TutorialStep } from '../../../shared/scenarios/types.js';
import type { RoundView } from '../view.js';

export interface CoachHost {
  /** Commands (and proposals, as 'configure') this browser sent, with their fate. */
  sent(): Iterable<{ type: string; at: number; failed: boolean }>;
  /** The player reached this step in the live phase (the server may strike its fault). */
  reached?(step: string): void;
}

/** What each step waits for before it counts as seen, beyond its command. */
const WAITS_FOR: Record<string, (v: RoundView, coach: Coach) => boolean> = {
  'select-node': (_v, coach) => coach.selectedSinceStep,
  crash: (v) => v.nodes.some((n) => n.status === 'down') || v.feed.some((f) => f.kind === 'crash' || f.kind === 'crash-disk-loss'),
  partition: (v) => v.network.partitioned || v.feed.some((f) => f.kind.startsWith('partition')),
};

const EXTRA: Record<string, string> = {
  crash: 'A bot runs the node that crashes, and the bot will restart it. Keep watching the map.',
  restart: 'You may act only on your own node (marked YOU), so now it is yours that crashes. Select it and press Restart.',
  partition: 'Your node is the one cut off: a red zigzag cuts its links to the others.',
  stance: 'Select your node: the stance buttons are in its panel (or press S).',
  vote: 'Open the Settings tab, pick a new value and press Propose. Alone, your vote is the majority.',
};

export class Coach {
  readonly el = h('aside', { class: 'coach card', 'aria-live': 'polite', 'aria-label': 'Tutorial' });
  private index = 0;
  private startedAt = Date.now();
  private lastSelect = 0;
  private key = '';
  /** The step index last reported to the server as reached in the live phase (-1 none). */
  private announced = -1;

  constructor(
    private readonly steps: readonly TutorialStep[],
    private readonly host: CoachHost,
  ) {}

  /** The player picked a node (by click, tap or key). */
  noteSelect(): void {
    this.lastSelect = Date.now();
  }

  get selectedSinceStep(): boolean {
    return this.lastSelect >= this.startedAt;
  }

  get done(): boolean {
    return this.index >= this.steps.length;
  }

  update(v: RoundView): void {
    if (this.done) {
      this.el.hidden = true;
      return;
    }
    const step = this.steps[this.index]!;
    if (v.phase === 'live' && this.announced !== this.index) {
      this.announced = this.index;
      this.host.reached?.(step.id);
    }
    const complete = this.isComplete(step, v);
    const key = `${this.index}|${complete}|${v.phase}`;
    if (key === this.key) return;
    this.key = key;
    const last = this.index === this.steps.length - 1;
    const status = complete
      ? step.expects === 'observe' && step.id !== 'select-node' ? 'Seen it.' : 'Done!'
      : step.expects === 'observe'
        ? step.id === 'select-node' ? 'Your turn: select a node.' : WAITS_FOR[step.id] ? 'Waiting for it to happen…' : ''
        : `Your turn: ${ACTION_WORDS[step.expects] ?? step.expects}.`;
    replace(
      this.el,
      h('div', { class: 'step' }, `Tutorial · step ${this.index + 1} of ${this.steps.length}`),
      h('p', null, step.prompt),
      EXTRA[step.id] ? h('p', { class: 'muted' }, EXTRA[step.id]) : null,
      h(
        'div',
        { class: 'row' },
        h('b', { class: complete ? 'good' : '' }, complete ? `✓ ${status}` : status),
        h(
          'span',
          { style: 'display:flex;gap:0.4rem' },
          this.index > 0 ? h('button', { onclick: () => this.go(-1, v) }, 'Back') : null,
          h('button', { class: 'primary', 'data-coach': 'next', onclick: () => this.go(1, v) }, last ? 'Finish' : complete || step.expects === 'observe' ? 'Next' : 'Skip'),
        ),
      ),
    );
  }

  private go(d: number, v: RoundView): void {
    this.index = Math.max(0, this.index + d);
    this.startedAt = Date.now();
    this.key = '';
    this.announced = -1;
    this.update(v);
  }

  private isComplete(step: TutorialStep, v: RoundView): boolean {
    const wait = WAITS_FOR[step.id];
    if (step.expects === 'observe') return wait ? wait(v, this) : true;
    for (const s of this.host.sent()) {
      // Sent during this step, not refused, and old enough that a refusal would have come.
      if (s.type === step.expects && s.at >= this.startedAt && !s.failed && Date.now() - s.at > 1200) return true;
    }
    return false;
  }
}

const ACTION_WORDS: Record<string, string> = {
  restart: 'press Restart on your node',
  stance: 'choose Refuse or Serve',
  configure: 'propose a setting',
};
