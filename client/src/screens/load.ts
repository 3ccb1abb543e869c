// The screens beyond the home page and the lobby, each fetched (with its styles) when first
// opened: the home page downloads none of their code. The round screen's map loads on its
// own (map/load.ts), so a debrief or the replay lists never fetch Phaser.

import { lazy } from '../lazy.js';

export const roundScreen = lazy(() => import('./round.js'));
export const debriefScreen = lazy(() => import('./debrief.js'));
export const replayScreen = lazy(() => import('./replay.js'));
export const replaysScreen = lazy(() => import('./replays.js'));
export const classScreens = lazy(() => import('../class/index.js'));
