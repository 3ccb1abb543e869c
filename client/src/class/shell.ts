// What the class screens borrow from the app (client/src/main.ts): the page's screen area,
// the round screens for a team's room, and the toasts.

import type { ClusterRoom } from '../net.js';

export interface ClassShell {
  /** Put a class screen in the page in place of whatever is there. */
  show(el: HTMLElement, kind: 'host' | 'projector' | 'student'): void;
  /** Join a team's cluster room and hand it to the round screens (lobby, round, debrief). */
  playRound(roomId: string, nickname: string): Promise<ClusterRoom>;
  /** Leave the team's room, if in one. */
  leaveRound(): Promise<void>;
  /**
   * Called instead of the home screen while a class is open (the round's Leave and Home
   * buttons, a lost room): return true when the class shows its own screen instead.
   */
  onHome(back: () => boolean): void;
  toast(text: string, error?: boolean): void;
}
