// The cluster map on demand: Phaser and the map's scene (about 360 kB compressed) are fetched
// when the first screen that draws the map opens, never with the home page. Meanwhile the
// map's box says it is loading; if the code cannot be fetched, it says so and offers to try
// again, instead of staying blank.

import type * as Phaser from 'phaser';
import type { MapSource } from './scene.js';
import { lazy } from '../lazy.js';
import { LoadingNote } from '../loading.js';
import { MAP_FAILED_TEXT, MAP_LOADING_TEXT } from '../../../shared/words/loading.js';

const loadScene = lazy(() => import('./scene.js'));

/** The map drawn in `parent` once its code is here; stop() before then means it never is. */
export interface MapHandle {
  stop(): void;
  /**
   * Draw the map at most `fps` times a wall second from now on (0: every frame, as a live
   * round does). Each drawing of the map costs a computer without a graphics card a copy of
   * the whole canvas back to the page: a replay played faster than real time asks for fewer.
   */
  pace(fps: number): void;
}

export function startMapWhenLoaded(parent: HTMLElement, source: MapSource): MapHandle {
  let game: Phaser.Game | null = null;
  let stopped = false;
  let fps = 0;
  /** Phaser restarts its frame loop on a new limit: only when it changes. */
  const limit = (g: Phaser.Game) => {
    if (g.loop.fpsLimit !== fps) g.loop.setFPSLimit(fps);
  };
  const note = new LoadingNote(MAP_LOADING_TEXT);
  const attempt = () => {
    note.waiting();
    parent.appendChild(note.el);
    loadScene().then(
      (scene) => {
        if (stopped) return;
        note.el.remove();
        game = scene.startMap(parent, source);
        limit(game);
      },
      () => {
        if (!stopped) note.failed(MAP_FAILED_TEXT, attempt);
      },
    );
  };
  attempt();
  return {
    stop() {
      stopped = true;
      note.el.remove();
      game?.destroy(true);
      game = null;
    },
    pace(n) {
      fps = n;
      if (game !== null) limit(game);
    },
  };
}

/** Start fetching the map's code ahead of need (the lobby, before the round's first map). */
export function preloadMap(): void {
  loadScene().catch(() => undefined);
}
