// The round screen alone, drawn from a view a test builds by hand (no server, no map): the
// layout, the HUD and the side panel exactly as a round, a class student's screen or the
// replay viewer shows them, so a test can put numbers on it no round reaches in a test's time.

import '../../../client/src/style.css';
import '../../../client/src/class/class.css';
import { h } from '../../../client/src/dom.js';
import { RoundScreen } from '../../../client/src/screens/round.js';
import { LobbyScreen } from '../../../client/src/screens/lobby.js';
import type { RoundView } from '../../../client/src/view.js';

/** Where the round screen is shown: a round, a class student's round (its bar on top), a replay (its dock below). */
export type RoundPlace = 'round' | 'class' | 'replay';

let screen: RoundScreen | null = null;
/** The view drawn every frame: a test may change it in place (the next frame shows the change). */
let shown: RoundView | null = null;
let frame = 0;

function show(view: RoundView, place: RoundPlace): void {
  shown = view;
  screen?.destroy();
  cancelAnimationFrame(frame);
  document.body.className = '';
  const app = document.getElementById('app')!;
  app.replaceChildren();
  const host = {
    view: () => view,
    send: () => undefined,
    vote: () => undefined,
    ready: () => undefined,
    leave: () => undefined,
    sent: () => [],
    tutorialStep: () => undefined,
  };
  if (place === 'class') {
    // The class layer's bar, as a student sees it with a poll put away (layer.ts fitBar).
    document.body.classList.add('class-student', 'class-bar-open');
    app.appendChild(h('div', { class: 'class-bar', role: 'status' }, h('button', { class: 'class-poll-pill' }, 'Poll from your teacher: answer it')));
  }
  const dock = place === 'replay' ? h('div', { class: 'replay-dock' }, h('div', { class: 'replay-head' }, h('span', { class: 'replay-title' }, 'Replay'))) : undefined;
  screen = new RoundScreen(host, { coach: false, ...(place === 'replay' ? { readOnly: 'a replay', dock } : {}) });
  app.appendChild(screen.el);
  // Every frame, as the app does: a copy that stays behind is marked once it has for a while.
  const tick = () => {
    screen?.update(view);
    frame = requestAnimationFrame(tick);
  };
  tick();
}

(window as unknown as { showRound: typeof show; shownView(): RoundView | null }).showRound = show;
(window as unknown as { shownView(): RoundView | null }).shownView = () => shown;

/** The lobby or briefing screen, drawn every frame from a view a test may change in place. */
function showLobby(view: RoundView): void {
  screen?.destroy();
  screen = null;
  cancelAnimationFrame(frame);
  shown = view;
  const lobby = new LobbyScreen({ ready: () => undefined, leave: () => undefined });
  document.getElementById('app')!.replaceChildren(lobby.el);
  const tick = () => {
    lobby.update(shown!);
    frame = requestAnimationFrame(tick);
  };
  tick();
}

(window as unknown as { showLobby: typeof showLobby }).showLobby = showLobby;
