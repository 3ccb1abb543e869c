// The playback keys, the same on the replay and on a branch (a branch uses only some):
// Space plays or pauses, ← → step a simulated second, [ ] jump between the timeline's
// events, − + change speed.

export type PlaybackKey = 'toggle' | 'back' | 'forward' | 'previous-event' | 'next-event' | 'slower' | 'faster';

/** What a key asks of the playback; null when it is not one of its keys. */
export function playbackKey(key: string, onButton: boolean): PlaybackKey | null {
  switch (key) {
    case ' ':
      // A focused button takes Space itself (it may be the play button).
      return onButton ? null : 'toggle';
    case 'ArrowLeft':
      return 'back';
    case 'ArrowRight':
      return 'forward';
    case '[':
      return 'previous-event';
    case ']':
      return 'next-event';
    case '-':
    case '_':
      return 'slower';
    case '+':
    case '=':
      return 'faster';
    default:
      return null;
  }
}

/** Whether the keyboard event's target is a button (it takes Space itself). */
export function onButton(e: KeyboardEvent): boolean {
  return (e.target as HTMLElement | null)?.tagName === 'BUTTON';
}
