// The game's sounds: the cues of cues.ts synthesised with the Web Audio API when they play,
// and the switch that turns them on and off, remembered in this browser.
//
// Off until the player turns them on. A class is thirty laptops in one room, where beeps a
// teacher did not ask for are unwelcome; and a browser would not let a page sound before a
// click anyway. The switch is on the round's HUD, one click away, and turning it on plays a
// cue at once so the player hears what they chose. Nothing here throws: without storage the
// choice lasts until the page reloads; without Web Audio the switch still works and is silent.

import { h, replace } from '../dom.js';
import { iconUrl } from '../map/icons.js';
import { CUES, cueSeconds, type Cue } from './cues.js';

export const SOUND_KEY = 'splitbrain.sound';
/** The same cue again within this many ms is dropped (a burst of crashes is one sound). */
const REPEAT_MS = 400;
/** Cues that would wait longer than this behind others are dropped, not queued up. */
const MAX_WAIT_S = 1;

let on: boolean | null = null;
let ctx: AudioContext | null = null;
/** When the cue queue is free again, in the audio clock's seconds. */
let freeAt = 0;
const lastPlayed = new Map<Cue, number>();
let played = 0;
const switches = new Set<HTMLButtonElement>();

/** Whether the player has the sounds on. */
export function soundOn(): boolean {
  if (on === null) on = readChoice() === 'on';
  return on;
}

/** Turn the sounds on or off, remember it, and show it on every switch. */
export function setSoundOn(value: boolean): void {
  on = value;
  writeChoice(value ? 'on' : 'off');
  for (const b of switches) {
    if (b.isConnected) showState(b);
    else switches.delete(b);
  }
  // Called from the switch's click: the one moment a browser lets a page start its audio.
  if (value && audio() !== null) play('done');
}

/** Play a cue, when the sounds are on. */
export function playCue(cue: Cue): void {
  if (soundOn()) play(cue);
}

/** The mute switch: a button whose words and icon say whether sounds are on (aria-pressed is true when they are). */
export function soundSwitch(cls = ''): HTMLButtonElement {
  const b = h('button', { type: 'button', class: `sound-switch ${cls}`.trim(), 'data-sound': '', title: 'Play short sounds when an action takes effect, a node goes down, the cluster splits or heals, and at the round’s end' });
  b.addEventListener('click', (e) => {
    // Inside the HUD, whose clicks open a cell's explanation: this click is the switch's own.
    e.stopPropagation();
    setSoundOn(!soundOn());
  });
  switches.add(b);
  showState(b);
  return b;
}

// ---------------------------------------------------------------------------------------

/** The state in a word and a picture (the project's icons: a font's speaker may not exist). */
function showState(b: HTMLButtonElement): void {
  const yes = soundOn();
  b.setAttribute('aria-pressed', String(yes));
  // Named in full even where a narrow HUD shows only the picture and the word on or off.
  b.setAttribute('aria-label', yes ? 'Sounds on' : 'Sounds off');
  replace(b, h('span', { class: 'label' }, 'Sounds'), h('span', { class: 'value' }, h('img', { class: 'icon', src: iconUrl(yes ? 'sound-on' : 'sound-off'), alt: '', width: 20, height: 20 }), yes ? ' on' : ' off'));
}

/** The audio context, made on first use and woken if the browser suspended it; null where there is none. */
function audio(): AudioContext | null {
  try {
    if (ctx === null) {
      const Ctor = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
      if (Ctor === undefined) return null;
      ctx = new Ctor();
    }
    if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
    return ctx;
  } catch {
    return null;
  }
}

/** The last few cues asked for, oldest first (on the switch as data-cues). */
const recent: Cue[] = [];
const RECENT_CUES = 8;

function play(cue: Cue): void {
  const now = performance.now();
  if (now - (lastPlayed.get(cue) ?? -Infinity) < REPEAT_MS) return;
  lastPlayed.set(cue, now);
  played += 1;
  recent.push(cue);
  if (recent.length > RECENT_CUES) recent.shift();
  // For tests and the curious: the last cue asked for, the last few, and how many so far.
  for (const b of switches) {
    b.dataset.lastCue = cue;
    b.dataset.cues = recent.join(' ');
    b.dataset.cueCount = String(played);
  }
  const a = audio();
  if (a === null) return;
  try {
    const start = Math.max(a.currentTime + 0.01, freeAt);
    if (start - a.currentTime > MAX_WAIT_S) return;
    freeAt = start + cueSeconds(cue) * 0.8;
    for (const t of CUES[cue]) tone(a, t, start);
  } catch {
    // A sound that cannot play is no reason to stop the game.
  }
}

function tone(a: AudioContext, t: (typeof CUES)[Cue][number], start: number): void {
  const s = start + t.at;
  const end = s + t.dur;
  const osc = a.createOscillator();
  osc.type = t.wave;
  osc.frequency.setValueAtTime(t.freq, s);
  if (t.slideTo !== undefined) osc.frequency.exponentialRampToValueAtTime(t.slideTo, end);
  // A quick rise and an exponential fall: no click at either end.
  const g = a.createGain();
  g.gain.setValueAtTime(0.0001, s);
  g.gain.linearRampToValueAtTime(t.gain, s + 0.012);
  g.gain.exponentialRampToValueAtTime(0.0001, end);
  osc.connect(g).connect(a.destination);
  osc.start(s);
  osc.stop(end + 0.02);
}

function readChoice(): string | null {
  try {
    return localStorage.getItem(SOUND_KEY);
  } catch {
    return null;
  }
}

function writeChoice(v: string): void {
  try {
    localStorage.setItem(SOUND_KEY, v);
  } catch {
    // Kept for this page only; nothing else changes.
  }
}
