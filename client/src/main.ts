// The browser client: screens that follow the room's phase. Home → (lobby, briefing) →
// round (setup, live) → debrief. The client renders the room's state and sends the
// player's commands; every rule lives on the server and in shared/. Beside the rounds, the
// replay lists (/replays) and the replay viewer (/replay/<id>, or a recording file), which
// runs the shared simulation in the page itself.

import './style.css';
import { h, onNextFrame } from './dom.js';
import { RoundHistory } from './history.js';
import { Connection, watchRooms, type ClusterRoom } from './net.js';
import type { SameRound } from './screens/debrief.js';
import { HomeScreen, NICK_KEY, TUTORIAL_CHAOS, TUTORIAL_DIFFICULTY } from './screens/home.js';
import { LobbyScreen } from './screens/lobby.js';
import type { ReplayScreen, ReplaySource } from './screens/replay.js';
import { classScreens, debriefScreen, replayScreen, replaysScreen, roundScreen } from './screens/load.js';
import { preloadMap } from './map/load.js';
import { LoadingNote } from './loading.js';
import { appRoot, pushRoute, routeOf, type Route } from './routes.js';
import { toView, type RoundView } from './view.js';
import { classRouteOf } from './class/paths.js';
import type { ClassShell } from './class/shell.js';
import type { ErrorMessage } from '../../shared/protocol/messages.js';
import { SCREEN_FAILED_TEXT, SCREEN_LOADING_TEXT } from '../../shared/words/loading.js';

interface Screen {
  readonly el: HTMLElement;
  update?(v: RoundView): void;
  mount?(): void;
  destroy?(): void;
}

type ScreenKind = 'home' | 'lobby' | 'round' | 'debrief' | 'replays' | 'replay' | 'class';

/** Replay id → the session id this browser had in that round (to say "you" in its replay). */
const MY_ROUNDS_KEY = 'splitbrain.myRounds';
const MY_ROUNDS_KEPT = 50;

class App {
  private readonly root = document.getElementById('app')!;
  private readonly toasts = document.getElementById('toasts')!;
  private conn: Connection;
  private screen: Screen | null = null;
  private kind: ScreenKind | null = null;
  private latest: RoundView | null = null;
  private history = new RoundHistory();
  /** Redraw on the next frame, once however many patches arrive before it. */
  private readonly schedule = onNextFrame(() => this.render());
  private stopRooms: (() => void) | null = null;
  private last: { how: 'solo' | 'tutorial' | 'quick'; nickname: string; scenario: string; chaos: string; difficulty: string } | null = null;
  /** While a class is open (client/src/class), it shows its own screens where home would be. */
  private classHome: (() => boolean) | null = null;
  private replay: ReplayScreen | null = null;

  constructor() {
    this.conn = new Connection({
      onError: (e) => this.onError(e),
      onEvent: (e) => this.toast(e.text),
      onLeave: (code) => void this.onLeave(code),
    });
    // Tests read the client's state through this hook; players never need it.
    (window as unknown as { splitBrain: unknown }).splitBrain = {
      view: () => (this.replay !== null ? this.replay.view() : this.latest),
      replay: () => this.replay?.probe() ?? null,
      app: this,
    };
    window.addEventListener('popstate', () => {
      // The browser's back button moves between home and the replays; a round in play, or a
      // class (which has its own addresses), stays where it is.
      if (this.conn.room === null && classRouteOf() === null) this.go(routeOf(), false);
    });
  }

  async start(): Promise<void> {
    const cls = classRouteOf();
    if (cls !== null) return this.showLoaded('class', classScreens, (m) => m.startClass(cls, this.classShell()));
    const route = routeOf();
    if (route.kind !== 'home') return this.go(route, false);
    // A reload in a round comes back into it; while that takes more than one try, say so.
    const room = await this.conn.resume(() => this.status('Connection lost: trying to get back in…'));
    this.status(null);
    if (room !== null) this.enter(room);
    else this.showHome();
  }

  /** Show a route's screen; `push` records it in the browser's history. */
  private go(route: Route, push = true): void {
    if (push) pushRoute(route);
    if (route.kind === 'replays') this.showReplays();
    else if (route.kind === 'replay') this.showReplay({ kind: 'stored', id: route.id });
    else this.showHome(false);
  }

  private showReplays(): void {
    this.latest = null;
    this.showLoaded('replays', replaysScreen, (m) => {
      const screen = new m.ReplaysScreen({
        home: () => this.go({ kind: 'home' }),
        watch: (id) => this.go({ kind: 'replay', id }),
        openFile: (name, text) => {
          // A file has no address of its own: a history entry still lets Back return to the lists.
          history.pushState({ file: name }, '', location.href);
          this.showReplay({ kind: 'file', name, text });
        },
        toast: (t, e) => this.toast(t, e),
      });
      this.setScreen('replays', screen);
    });
  }

  private showReplay(source: ReplaySource): void {
    this.latest = null;
    this.replay = null;
    this.showLoaded('replay', replayScreen, (m) => {
      const screen = new m.ReplayScreen(
        {
          home: () => this.go({ kind: 'home' }),
          lists: () => this.go({ kind: 'replays' }),
          toast: (t, e) => this.toast(t, e),
          myIdIn: (id) => myRounds()[id] ?? null,
          nickname: () => localStorage.getItem(NICK_KEY) ?? '',
        },
        source,
      );
      this.setScreen('replay', screen);
      this.replay = screen;
    });
  }

  /** Leave the round (at its debrief) for its replay. */
  private async watch(id: string): Promise<void> {
    await this.conn.leave();
    this.go({ kind: 'replay', id });
  }

  // ---------------------------------------------------------------------------------

  private showHome(push = true): void {
    if (this.classHome?.() === true) return;
    if (push) pushRoute({ kind: 'home' });
    this.latest = null;
    const home = new HomeScreen({
      quickPlay: (nick, scenario, difficulty) => this.play({ how: 'quick', nickname: nick, scenario, chaos: 'normal', difficulty }, () => this.conn.quickPlay(nick, scenario, difficulty), home),
      solo: (nick, scenario, chaos, difficulty) => this.play({ how: 'solo', nickname: nick, scenario, chaos, difficulty }, () => this.conn.solo(nick, scenario, { chaos, difficulty }), home),
      // The tutorial is a first round: it always starts easy.
      tutorial: (nick) => this.play({ how: 'tutorial', nickname: nick, scenario: 'tutorial', chaos: TUTORIAL_CHAOS, difficulty: TUTORIAL_DIFFICULTY }, () => this.conn.solo(nick, 'tutorial', { chaos: TUTORIAL_CHAOS, difficulty: TUTORIAL_DIFFICULTY }), home),
      join: (roomId, nick) => this.play(null, () => this.conn.joinById(roomId, nick), home),
      replays: () => this.go({ kind: 'replays' }),
    });
    this.setScreen('home', home);
    void watchRooms(this.conn.client, (list) => home.setRooms(list)).then((stop) => {
      if (stop === null) home.setRooms([]);
      if (this.kind !== 'home') stop?.();
      else this.stopRooms = stop;
    });
  }

  /** What a class's screens borrow: the page, the round screens for a team's room, the toasts. */
  private classShell(): ClassShell {
    return {
      show: (el) => this.setScreen('class', { el }),
      playRound: async (roomId, nickname) => {
        const room = await this.conn.joinById(roomId, nickname);
        this.enter(room);
        return room;
      },
      leaveRound: () => this.conn.leave(),
      onHome: (back) => {
        this.classHome = back;
      },
      toast: (t, e) => this.toast(t, e),
    };
  }

  private play(last: App['last'], join: () => Promise<ClusterRoom>, home: HomeScreen): void {
    if (last !== null) this.last = last;
    join().then(
      (room) => this.enter(room),
      (err: unknown) => {
        home.enable();
        this.toast(`Could not start: ${err instanceof Error ? err.message : String(err)}`, true);
      },
    );
  }

  private enter(room: ClusterRoom): void {
    // A round entered from the replays has the root address again: a reload comes back into it.
    if (routeOf().kind !== 'home') pushRoute({ kind: 'home' });
    this.history = new RoundHistory();
    room.onStateChange(() => this.schedule());
    this.schedule();
  }


  private render(): void {
    const room = this.conn.room;
    if (room === null || room.state === undefined || room.state.phase === undefined) return;
    const v = toView(room.state, room.sessionId);
    this.latest = v;
    if (v.replayId !== '') rememberMine(v.replayId, room.sessionId);
    this.history.observe(v);
    const kind: ScreenKind = v.phase === 'lobby' || v.phase === 'briefing' ? 'lobby' : v.phase === 'debrief' ? 'debrief' : 'round';
    if (kind !== this.kind) {
      const host = {
        view: () => this.latest,
        send: (c: Parameters<Connection['send']>[0]) => this.conn.send(c),
        vote: (p: Parameters<Connection['vote']>[0], a: boolean) => void this.conn.vote(p, a),
        ready: () => this.conn.ready(),
        leave: () => void this.leave(),
        sent: () => this.conn.sent.values(),
        tutorialStep: (step: string) => this.conn.tutorialStep(step),
        again: (same?: SameRound) => void this.again(same),
        home: () => void this.leave(),
        watch: (id: string) => void this.watch(id),
        toast: (t: string, e?: boolean) => this.toast(t, e),
      };
      const history = this.history;
      if (kind === 'lobby') {
        this.setScreen(kind, new LobbyScreen(host));
        // The briefing is read before the map is needed: fetch the round's code meanwhile.
        roundScreen().catch(() => undefined);
        preloadMap();
      } else if (kind === 'round') {
        this.showLoaded(kind, roundScreen, (m) => this.setScreen(kind, new m.RoundScreen(host)));
        // The debrief follows the round: its code too is here before it is needed.
        debriefScreen().catch(() => undefined);
      } else this.showLoaded(kind, debriefScreen, (m) => this.setScreen(kind, new m.DebriefScreen(host, history)));
    }
    this.screen?.update?.(v);
    if (v.notice !== '') this.toast(v.notice);
  }

  /**
   * A screen whose code is fetched on first use: a short "Loading…" in its place meanwhile,
   * then `open` shows it (unless the player went elsewhere first); if the code never
   * arrives, the reason and a button that tries again, never a blank page.
   */
  private showLoaded<M>(kind: ScreenKind, load: () => Promise<M>, open: (m: M) => void): void {
    const note = new LoadingNote(SCREEN_LOADING_TEXT);
    const placeholder: Screen = { el: h('main', { class: 'loading-screen' }, note.el) };
    this.setScreen(kind, placeholder);
    const attempt = () => {
      note.waiting();
      load().then(
        (m) => {
          if (this.screen !== placeholder) return;
          open(m);
          // A round's patches that came while the code loaded: the new screen shows the latest.
          if (this.screen !== placeholder && this.latest !== null) this.screen?.update?.(this.latest);
        },
        () => {
          if (this.screen === placeholder) note.failed(SCREEN_FAILED_TEXT, attempt, () => location.assign(appRoot()));
        },
      );
    };
    attempt();
  }

  private setScreen(kind: ScreenKind, screen: Screen): void {
    if (this.kind === 'home' && kind !== 'home') {
      this.stopRooms?.();
      this.stopRooms = null;
    }
    this.screen?.destroy?.();
    if (kind !== 'replay') this.replay = null;
    this.kind = kind;
    this.screen = screen;
    this.root.replaceChildren(screen.el);
    document.body.dataset.screen = kind;
    screen.mount?.();
    window.scrollTo(0, 0);
  }

  private async leave(): Promise<void> {
    await this.conn.leave();
    this.showHome();
  }

  /** Another round like the last; with `same`, a private round of that very seed (the debrief's "Play this seed again"). */
  private async again(same?: SameRound): Promise<void> {
    const last = this.last;
    const me = this.latest?.players.find((p) => p.id === this.latest?.me)?.nickname;
    await this.conn.leave();
    if (last === null && same === undefined) return this.showHome();
    try {
      const room = same !== undefined
        ? await this.conn.solo(last?.nickname ?? me ?? 'Player', same.scenario, { chaos: same.chaos, difficulty: same.difficulty, seed: same.seed, roundSeconds: same.roundSeconds })
        : last!.how === 'quick'
        ? await this.conn.quickPlay(last!.nickname, last!.scenario, last!.difficulty)
        : await this.conn.solo(last!.nickname, last!.scenario, { chaos: last!.chaos, difficulty: last!.difficulty });
      this.enter(room);
    } catch (err) {
      this.toast(`Could not start: ${err instanceof Error ? err.message : String(err)}`, true);
      this.showHome();
    }
  }

  private async onLeave(code: number): Promise<void> {
    if (code === 1000 || this.kind === 'home') return;
    if (this.kind === 'debrief') {
      this.toast('The room has closed.');
      return;
    }
    // The notice stays while the page keeps trying (the room keeps the seat up to a minute).
    this.status('Connection lost: trying to get back in…');
    const shown = this.screen;
    const room = await this.conn.resume();
    this.status(null);
    // The player left for another screen meanwhile: nothing more to say.
    if (room === null && this.screen !== shown) return;
    if (room !== null) {
      this.toast('Back in the round.');
      this.enter(room);
      return;
    }
    this.toast('Could not get back into the round.', true);
    this.showHome();
  }

  private onError(e: ErrorMessage): void {
    this.toast(e.code === 'rate-limited' ? 'Slow down: too many actions at once.' : e.error, true);
  }

  private statusEl: HTMLElement | null = null;
  /** A notice that stays until replaced or cleared (null), among the toasts: an error's colours. */
  private status(text: string | null): void {
    if (text === null) {
      this.statusEl?.remove();
      this.statusEl = null;
      return;
    }
    if (this.statusEl?.textContent === text) return;
    this.statusEl?.remove();
    this.statusEl = h('div', { class: 'toast error' }, text);
    this.toasts.appendChild(this.statusEl);
  }

  private lastToast = '';
  toast(text: string, error = false): void {
    if (text === this.lastToast) return;
    this.lastToast = text;
    const t = h('div', { class: `toast${error ? ' error' : ''}` }, text);
    this.toasts.appendChild(t);
    setTimeout(() => {
      t.remove();
      if (this.lastToast === text) this.lastToast = '';
    }, 4500);
  }
}

function myRounds(): Record<string, string> {
  try {
    const v = JSON.parse(localStorage.getItem(MY_ROUNDS_KEY) ?? '{}') as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function rememberMine(replayId: string, sessionId: string): void {
  const all = myRounds();
  if (all[replayId] === sessionId) return;
  delete all[replayId];
  all[replayId] = sessionId;
  const ids = Object.keys(all);
  for (const old of ids.slice(0, Math.max(0, ids.length - MY_ROUNDS_KEPT))) delete all[old];
  try {
    localStorage.setItem(MY_ROUNDS_KEY, JSON.stringify(all));
  } catch {
    // Storage refused: the replay just will not know which node was this browser's.
  }
}

void new App().start();
