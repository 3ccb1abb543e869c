// The teacher's dashboard (class/host): the join code, link and QR code; the round's
// settings; the students by team (move, rename, remove, let back in); the doors (lock, late
// joiners); start, pause, resume, end, next round; a fault for every team at once; a concept
// card for every screen; a predict poll; the projector window; and the results with their
// CSV and replays. The host key in this browser makes it the host, across reloads. Each
// panel (host-*.ts) builds and syncs itself; the dashboard connects, composes and orders them.

import { h, replace, onNextFrame } from '../dom.js';
import type { HostAction } from '../../../shared/protocol/session.js';
import { hostedClass, rememberHosted } from './keys.js';
import { CardsPanel } from './host-cards.js';
import { ChaosPanel } from './host-chaos.js';
import { DoorsPanel } from './host-doors.js';
import { HeadPanel } from './host-head.js';
import { JoinPanel } from './host-join.js';
import { DrawnFrom, type HostContext, type HostPanel } from './host-panel.js';
import { PollPanel } from './host-poll.js';
import { ResultsPanel } from './host-results.js';
import { RoundPanel } from './host-round.js';
import { SettingsPanel } from './host-settings.js';
import { StudentsPanel } from './host-students.js';
import { TeamsPanel } from './host-teams.js';
import { backIntoClass, classClient, createAsHost, joinAsHost, type SessionRoom, sendHost } from './session.js';
import type { ClassShell } from './shell.js';
import { exposeForTests, toClassView, type ClassView } from './view.js';

export { EXAMPLE_POLL } from './host-poll.js';

/** The dashboard's panels, made afresh each time it (re)connects to its class. */
interface Panels {
  head: HeadPanel;
  join: JoinPanel;
  round: RoundPanel;
  settings: SettingsPanel;
  doors: DoorsPanel;
  chaos: ChaosPanel;
  cards: CardsPanel;
  poll: PollPanel;
  students: StudentsPanel;
  teams: TeamsPanel;
  results: ResultsPanel;
}

export class HostDashboard {
  private room: SessionRoom | null = null;
  private v: ClassView | null = null;
  private readonly el = h('main', { class: 'class-page class-host' });
  private readonly controls = h('div', { class: 'host-controls' });
  private panels: Panels | null = null;
  private order = new DrawnFrom();
  /** Redraw on the next frame, once however many patches arrive before it. */
  private readonly schedule = onNextFrame(() => this.update());

  constructor(private readonly shell: ClassShell) {}

  async start(): Promise<void> {
    exposeForTests(() => this.v);
    this.shell.show(h('main', { class: 'class-page' }, h('section', { class: 'card' }, h('h1', null, 'Opening your class…'))), 'host');
    const kept = hostedClass();
    if (kept !== null) {
      try {
        return this.attach(await joinAsHost(classClient(), kept.roomId, this.events()));
      } catch {
        // Closed, or its server stopped and another is taking the class over: its code says which.
        const back = await backIntoClass(kept.code, { host: true }, this.events());
        if (typeof back !== 'string') return this.attach(back);
        rememberHosted(null);
      }
    }
    await this.create();
  }

  private async create(): Promise<void> {
    try {
      this.attach(await createAsHost(classClient(), {}, this.events()));
    } catch (err) {
      this.shell.show(h('main', { class: 'class-page' }, h('section', { class: 'card' }, h('h1', null, 'Could not open a class'), h('p', null, err instanceof Error ? err.message : String(err)),
        h('button', { class: 'primary', onclick: () => void this.create() }, 'Try again'))), 'host');
    }
  }

  private events() {
    return {
      error: (e: { error: string }) => this.shell.toast(sentence(e.error), true),
      kicked: () => undefined,
      card: () => undefined,
      welcome: () => undefined,
    };
  }

  private attach(room: SessionRoom): void {
    this.room = room;
    this.build();
    this.shell.show(this.el, 'host');
    room.onStateChange(() => this.schedule());
    room.onLeave((code) => void this.lost(room, code));
    this.schedule();
  }

  private async lost(room: SessionRoom, code: number): Promise<void> {
    if (this.room !== room || code === 1000) return;
    this.room = null;
    const kept = hostedClass();
    if (kept !== null) {
      // Tried for a while: the class may be moving to another server process.
      this.shell.toast('Lost the connection to the class: getting back in…', true);
      const back = await backIntoClass(kept.code, { host: true }, this.events(), () => this.room !== null);
      if (typeof back !== 'string') {
        this.shell.toast('Back in the class.');
        return this.attach(back);
      }
      if (this.room !== null) return;
    }
    rememberHosted(null);
    this.shell.show(h('main', { class: 'class-page' }, h('section', { class: 'card' }, h('h1', null, 'The class has closed'), h('p', null, 'The connection to the class is gone and it could not be reopened.'),
      h('button', { class: 'primary', onclick: () => void this.create() }, 'Open a new class'))), 'host');
  }

  private send(action: HostAction): void {
    if (this.room !== null) sendHost(this.room, action);
  }

  /** The page: every panel built once per connection; update() syncs them. */
  private build(): void {
    const ctx: HostContext = { send: (a) => this.send(a), toast: (t, error) => this.shell.toast(t, error), redraw: () => this.schedule() };
    const p: Panels = {
      head: new HeadPanel(ctx, () => this.newClass()),
      join: new JoinPanel(ctx),
      round: new RoundPanel(ctx),
      settings: new SettingsPanel(ctx),
      doors: new DoorsPanel(ctx),
      chaos: new ChaosPanel(ctx),
      cards: new CardsPanel(ctx),
      poll: new PollPanel(ctx),
      students: new StudentsPanel(ctx),
      teams: new TeamsPanel(),
      results: new ResultsPanel(),
    };
    this.panels = p;
    this.order = new DrawnFrom();
    replace(this.el, p.head.el, p.join.el, h('div', { class: 'host-grid' }, this.controls, h('div', { class: 'host-people' }, p.results.el, p.teams.el, p.students.el)));
  }

  private update(): void {
    const room = this.room;
    const p = this.panels;
    if (room === null || p === null || room.state?.phase === undefined) return;
    const v = toClassView(room.state);
    this.v = v;
    if (v.code !== '' && hostedClass()?.roomId !== room.roomId) rememberHosted({ roomId: room.roomId, code: v.code });
    p.head.sync(v);
    p.join.sync(v);
    if (this.order.changed(v.phase === 'running')) {
      // What the teacher needs first: setting up between rounds, striking and asking during one.
      const order: HostPanel[] = v.phase === 'running'
        ? [p.round, p.chaos, p.poll, p.cards, p.doors, p.settings]
        : [p.round, p.settings, p.doors, p.poll, p.cards, p.chaos];
      this.controls.replaceChildren(...order.map((panel) => panel.el));
    }
    for (const panel of [p.round, p.settings, p.doors, p.chaos, p.poll, p.students, p.teams, p.results]) panel.sync(v);
  }

  private newClass(): void {
    const room = this.room;
    this.room = null;
    rememberHosted(null);
    // Close the old class for everyone (its students are told, its code is freed), then open a new one.
    try {
      room?.send('host', { action: 'close' });
    } catch {
      // Already gone.
    }
    void room?.leave(true).catch(() => undefined);
    void this.create();
  }
}

/** The server's refusal as a sentence. */
function sentence(s: string): string {
  return s === '' ? s : `${s[0]!.toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;
}
