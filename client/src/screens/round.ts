// The round screen (setup and live): the HUD on top, the cluster map, the strip of nodes,
// and a side panel with the selected node's actions, the team's settings and votes, the
// hot keys' replica versions and the event feed. Keyboard: digits select a node, letters
// act on it (shown on each button), ? lists every shortcut.

import { attr, h } from '../dom.js';
import { holdTallest } from '../hold-height.js';
import { seconds } from '../format.js';
import { mapLegend } from '../map/legend.js';
import { startMapWhenLoaded, type MapHandle } from '../map/load.js';
import { ACTIONS, NodePanel, STANCE_KEY } from '../round/actions.js';
import { AdvisorCard } from '../round/advisor.js';
import { Hud } from '../round/hud.js';
import { Alerts, Feed, NodeStrip, ReplicaTable } from '../round/panels.js';
import { SetupPanel } from '../round/setup.js';
import { Coach } from '../round/tutorial.js';
import { cuesFor } from '../sound/cues.js';
import { playCue, soundSwitch } from '../sound/sound.js';
import type { Command } from '../../../shared/protocol/commands.js';
import type { ClusterSettings } from '../../../shared/scenarios/settings.js';
import type { RoundView } from '../view.js';

export interface RoundHost {
  view(): RoundView | null;
  send(cmd: Command): void;
  vote(proposal: Partial<ClusterSettings>, agree: boolean): void;
  ready(): void;
  leave(): void;
  sent(): Iterable<{ type: string; at: number; failed: boolean }>;
  /** Tell the server the tutorial player reached a step. */
  tutorialStep(step: string): void;
}

/** What the replay viewer and a branch add to the round screen; a live round passes none. */
export interface RoundScreenOptions {
  /** Why this browser may not act here (a replay): the panels say so and send nothing. */
  readOnly?: string;
  /** A bar under the map and the side panel, across the screen (the replay's controls). */
  dock?: HTMLElement;
  /** Keys the dock handles before the round's own (space, arrows, + and -): true when used. */
  onKey?: (e: KeyboardEvent) => boolean;
  /** More lines for the keyboard help. */
  help?: HTMLElement[];
  /** True while time stands still (a paused replay): the map stops sending traffic dots. */
  frozen?: () => boolean;
  /** The tutorial's coach (default on when the scenario has steps; a replay has none). */
  coach?: boolean;
}

type Tab = 'node' | 'settings';

export class RoundScreen {
  readonly el = h('main', { class: 'round' });
  private hud = new Hud();
  private mapHost = h('div', { class: 'canvas-host' });
  private alerts = new Alerts();
  /** The setup's countdown: only its text changes each second (see updateBanner). */
  private setupClock = h('b', { class: 't' });
  private setupBanner = h(
    'div',
    { class: 'banner-setup card' },
    this.setupClock,
    h('span', null, 'Pick your architecture in ', h('b', null, 'Settings & votes'), '. Traffic and chaos start when the timer ends.'),
    h('button', { class: 'primary', 'data-ready': 'setup', onclick: () => this.host.ready() }, 'Ready: start'),
  );
  private strip: NodeStrip;
  private panel: NodePanel;
  private setup: SetupPanel;
  private replicas = new ReplicaTable();
  private feed = new Feed();
  private coach: Coach | null = null;
  private advisor: AdvisorCard | null = null;
  private tabs = new Map<Tab, HTMLButtonElement>();
  private panes = new Map<Tab, HTMLElement>();
  private tab: Tab = 'node';
  private selectedId = -1;
  private map: MapHandle | null = null;
  private mapFps = 0;
  private sawSetup = false;
  private sawLive = false;
  private keyHandler = (e: KeyboardEvent) => this.onKey(e);
  /** Stop holding the bars' heights (holdTallest). */
  private unhold: (() => void)[] = [];

  constructor(
    private readonly host: RoundHost,
    private readonly opts: RoundScreenOptions = {},
  ) {
    const locked = () => opts.readOnly ?? null;
    this.strip = new NodeStrip({ selected: () => this.selectedId, select: (id) => this.select(id) });
    this.panel = new NodePanel({ send: (c) => host.send(c), locked });
    this.setup = new SetupPanel({ vote: (p, a) => host.vote(p, a), locked });
    const side = h('aside', { class: 'side', 'aria-label': 'Controls' });
    const tabBar = h('div', { class: 'tabs', role: 'tablist' });
    for (const [t, label] of [
      ['node', 'Node'],
      ['settings', 'Settings & votes'],
    ] as [Tab, string][]) {
      const b = h('button', { role: 'tab', id: `tab-${t}`, 'aria-controls': `pane-${t}`, 'data-tab': t, onclick: () => this.showTab(t) }, label);
      this.tabs.set(t, b);
      tabBar.appendChild(b);
    }
    // The advisor's hint sits above the action panel; a replay has no one to advise.
    if (opts.readOnly === undefined) this.advisor = new AdvisorCard({ show: (node, tab) => this.showHinted(node, tab), changed: () => this.redraw() });
    const nodePane = h('div', { class: 'pane', role: 'tabpanel', id: 'pane-node', 'aria-labelledby': 'tab-node' }, this.advisor?.el, this.panel.el);
    const settingsPane = h('div', { class: 'pane grow', role: 'tabpanel', id: 'pane-settings', 'aria-labelledby': 'tab-settings' }, this.setup.el);
    this.panes.set('node', nodePane);
    this.panes.set('settings', settingsPane);
    // The hot keys' copies sit with the feed, on screen whichever tab is open: they are the
    // one place a stale copy shows, so they must not hide below the buttons on a laptop.
    const feedPane = h('div', { class: 'pane grow feed-pane' }, this.replicas.el, this.feed.el);
    side.append(tabBar, nodePane, settingsPane, feedPane);
    // The key is open where there is room for it (a laptop, a projector), a tap away on a phone.
    const legend = mapLegend(typeof matchMedia === 'function' && matchMedia('(min-width: 901px)').matches);
    const map = h('section', { class: 'map', 'aria-label': 'Cluster map' }, this.mapHost, legend, this.alerts.el, this.setupBanner);
    // The sounds' switch sits with the measures; a replay plays no sounds and has none.
    if (opts.readOnly === undefined) this.hud.el.appendChild(soundSwitch('cell'));
    this.el.append(this.hud.el, map, this.strip.el, side);
    if (opts.dock !== undefined) {
      this.el.classList.add('docked');
      this.el.appendChild(opts.dock);
    }
    // The HUD keeps its height while its numbers change, so the map under it keeps its size
    // (and its canvas) while a round plays.
    this.unhold.push(holdTallest(this.hud.el));
    this.showTab('node');
    const v = host.view();
    const steps = v?.scenario?.tutorial;
    if (opts.coach !== false && v !== null && steps !== undefined && steps.length > 0) {
      this.coach = new Coach(steps, { sent: () => host.sent(), reached: (step) => host.tutorialStep(step), ready: () => host.ready() });
      // In the map's grid cell on wide screens (over its bottom), in its own row on phones.
      this.el.appendChild(this.coach.el);
    }
    document.addEventListener('keydown', this.keyHandler);
  }

  /** Called once the element is in the page (Phaser needs the container's size); the map's code loads on first use. */
  mount(): void {
    this.map = startMapWhenLoaded(this.mapHost, {
      view: () => this.host.view(),
      selected: () => this.selectedId,
      select: (id) => this.select(id),
      bottomInset: () => this.coachOverlap(),
      frozen: () => this.opts.frozen?.() ?? false,
      effects: (list, v) => {
        if (this.opts.readOnly === undefined) for (const cue of cuesFor(list, v.myNode)) playCue(cue);
      },
    });
    this.map.pace(this.mapFps);
  }

  /** How far the coach reaches up into the map (0 when it sits elsewhere). */
  private coachOverlap(): number {
    const c = this.coach?.el;
    if (c === undefined || c.hidden) return 0;
    const a = c.getBoundingClientRect();
    const m = this.mapHost.getBoundingClientRect();
    if (a.height === 0 || a.top >= m.bottom || a.bottom <= m.top) return 0;
    return m.bottom - a.top + 12;
  }

  destroy(): void {
    document.removeEventListener('keydown', this.keyHandler);
    for (const stop of this.unhold) stop();
    this.coach?.destroy();
    this.hud.destroy();
    this.map?.stop();
    this.map = null;
  }

  /**
   * Draw the map at most `fps` times a wall second (0: every frame): a replay playing faster
   * than real time asks for fewer, and for every frame again as soon as it pauses.
   */
  paceMap(fps: number): void {
    this.mapFps = fps;
    this.map?.pace(fps);
  }

  update(v: RoundView): void {
    if (this.selectedId < 0 && v.myNode >= 0) this.selectedId = v.myNode;
    if (v.phase === 'setup' && !this.sawSetup) {
      this.sawSetup = true;
      if (this.coach === null) this.showTab('settings');
    }
    // Setup left the settings open; once the round is live the player acts on their node, and
    // the advisor's hint sits on the node tab: show it, or a newcomer never sees the hint.
    if (v.phase === 'live' && !this.sawLive) {
      this.sawLive = true;
      if (this.sawSetup) this.showTab('node');
    }
    this.hud.update(v);
    this.alerts.update(v);
    this.strip.update(v);
    this.panel.update(v, this.selectedId);
    this.setup.update(v);
    this.replicas.update(v);
    this.feed.update(v);
    this.coach?.update(v);
    this.updateBanner(v);
    if (this.advisor !== null) this.markAdvised(this.advisor.update(v));
  }

  /** Outline the button the hint names (the class carries an arrow too, not colour alone). */
  private markAdvised(selector: string | null): void {
    const want = selector === null ? null : this.el.querySelector<HTMLElement>(selector);
    for (const el of this.el.querySelectorAll<HTMLElement>('.advised')) if (el !== want) el.classList.remove('advised');
    want?.classList.add('advised');
  }

  /** The hint's "Show me": its node selected and the tab where its button is. */
  private showHinted(node: number, tab: Tab): void {
    if (node >= 0) this.select(node);
    this.showTab(tab);
    // The marked button may be below the fold of the side panel (a laptop's screen): bring it up.
    this.el.querySelector<HTMLElement>('.advised')?.scrollIntoView?.({ block: 'nearest' });
  }

  private redraw(): void {
    const v = this.host.view();
    if (v !== null) this.update(v);
  }

  private updateBanner(v: RoundView): void {
    const show = v.phase === 'setup';
    attr(this.setupBanner, 'hidden', show ? null : '');
    if (!show) return;
    // The countdown's text only: the banner and its button stay the same elements, so a click
    // that lands as the second turns is not lost with a button replaced under the pointer.
    const clock = `SETUP ${seconds(v.phaseSecondsLeft)}`;
    if (this.setupClock.textContent !== clock) this.setupClock.textContent = clock;
  }

  select(id: number): void {
    this.selectedId = id;
    this.coach?.noteSelect(id);
    this.showTab('node');
    const v = this.host.view();
    if (v !== null) this.update(v);
  }

  private showTab(t: Tab): void {
    this.tab = t;
    for (const [k, b] of this.tabs) b.setAttribute('aria-selected', String(k === t));
    for (const [k, p] of this.panes) p.hidden = k !== t;
  }

  private onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (this.opts.onKey?.(e) === true) {
      e.preventDefault();
      return;
    }
    const v = this.host.view();
    if (v === null) return;
    if (/^[0-9]$/.test(e.key)) {
      const id = Number(e.key);
      if (v.nodes.some((n) => n.id === id && n.status !== 'removed')) {
        this.select(id);
        e.preventDefault();
      }
      return;
    }
    if (e.key === 'Escape') {
      this.selectedId = -1;
      this.update(v);
      return;
    }
    if (e.key === '?') {
      this.showHelp();
      return;
    }
    if (e.key.toLowerCase() === 'g') {
      this.showTab(this.tab === 'node' ? 'settings' : 'node');
      return;
    }
    if (this.panel.handleKey(e.key, v, this.selectedId)) e.preventDefault();
  }

  private showHelp(): void {
    const close = () => back.remove();
    const back = h(
      'div',
      { class: 'modal-back', onclick: (e: Event) => e.target === back && close() },
      h(
        'div',
        { class: 'modal card', role: 'dialog', 'aria-label': 'Keyboard shortcuts' },
        h('h2', null, 'Keyboard'),
        h(
          'ul',
          null,
          h('li', null, h('kbd', null, '0'), '–', h('kbd', null, '9'), ' select a node; ', h('kbd', null, 'Esc'), ' clear'),
          h('li', null, h('kbd', null, STANCE_KEY.toUpperCase()), ' switch stance: refuse or serve'),
          ACTIONS.map((a) => h('li', null, h('kbd', null, a.key.toUpperCase()), ` ${a.label({ drained: false, rateLimited: false } as never)}: ${a.help}`)),
          h('li', null, h('kbd', null, 'G'), ' switch between the node and the settings'),
          this.opts.help ?? [],
        ),
        h('button', { class: 'primary', onclick: close }, 'Close'),
      ),
    );
    document.body.appendChild(back);
    (back.querySelector('button.primary') as HTMLButtonElement).focus();
  }
}
