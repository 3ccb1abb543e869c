// The replay's timeline: a scrubber over the whole round with its moments marked in three
// labelled lanes: chaos (▼), what people did (■ a player, ▪ a bot, ◆ the team's vote,
// ● a seat changing hands) and the round's phases (⚑). A marker's shape and lane say what
// it is, never its colour alone; hovering or focusing one shows its words, clicking it
// jumps there. The track is a slider: click or drag anywhere, or use the arrow keys.

import { actorName, parseActor, TEAM } from '../../../shared/round/actor.js';
import { attr, h, replace, styleProp } from '../dom.js';
import { clockTime } from '../format.js';
import type { ReplayMarker } from '../../../shared/replay/player.js';

export interface TimelineHost {
  seek(tick: number): void;
  /** Scrubbing: the host may pause while the pointer is down and resume after. */
  scrubbing?(active: boolean): void;
}

export interface TimelineSpec {
  endTick: number;
  /** The round's planned length in ticks (more than endTick when the recording stopped early). */
  plannedTicks: number;
  tickMs: number;
  markers: readonly ReplayMarker[];
  /** Roster id → nickname, for the filter and the tooltips. */
  names: ReadonlyMap<string, string>;
}

type Lane = 'chaos' | 'action' | 'phase';

interface Shown {
  marker: ReplayMarker;
  lane: Lane;
  glyph: string;
  cls: string;
}

export class Timeline {
  readonly el = h('div', { class: 'timeline-box' });
  private track = h('div', { class: 'tl-track', role: 'slider', tabindex: 0, 'aria-label': 'Replay position', 'data-timeline': 'track' });
  private fill = h('div', { class: 'tl-fill' });
  private thumb = h('div', { class: 'tl-thumb' });
  private lanes = new Map<Lane, HTMLElement>();
  private tip = h('div', { class: 'tl-tip', role: 'tooltip', hidden: true });
  private filter = h('select', { 'aria-label': 'Show the actions of', 'data-timeline': 'filter' });
  private scale = h('div', { class: 'tl-scale', 'aria-hidden': 'true' });
  /** A line under the track: what the last jump to an event landed on. */
  private note = h('span', { class: 'tl-note', 'aria-live': 'polite', 'data-timeline': 'note' });
  private spec: TimelineSpec | null = null;
  private tick = 0;
  private who = '';

  constructor(private readonly host: TimelineHost) {
    const laneNames: [Lane, string][] = [
      ['chaos', 'Chaos ▼'],
      ['action', 'Actions'],
      ['phase', 'Phases ⚑'],
    ];
    const labels = h('div', { class: 'tl-labels', 'aria-hidden': 'true' });
    const body = h('div', { class: 'tl-body' });
    for (const [lane, name] of laneNames) {
      labels.appendChild(h('div', { class: `tl-label ${lane}` }, name));
      const row = h('div', { class: `tl-lane ${lane}`, 'data-lane': lane });
      this.lanes.set(lane, row);
      body.appendChild(row);
    }
    this.track.append(this.fill, this.thumb);
    body.append(this.track, this.scale, this.tip);
    labels.append(h('div', { class: 'tl-label track' }, 'Time'), h('div', { class: 'tl-label scale' }, ''));
    this.filter.addEventListener('change', () => {
      this.who = this.filter.value;
      this.renderMarkers();
    });
    this.el.append(h('div', { class: 'tl-grid' }, labels, body), h('div', { class: 'tl-foot' }, h('label', null, 'Actions by ', this.filter), this.note, h('span', { class: 'tl-legend' }, '▼ chaos · ■ a player · ▪ a bot · ◆ the team (vote) · ● a seat changes hands · ⚑ phase')));
    this.wirePointer();
    this.track.addEventListener('keydown', (e) => this.onKey(e));
  }

  setSpec(spec: TimelineSpec): void {
    this.spec = spec;
    const people = new Map<string, string>();
    for (const m of spec.markers) if (m.kind === 'command' && m.by !== undefined) people.set(m.by, nameOf(m.by, spec.names));
    const sorted = [...people.entries()].sort((a, b) => rankOf(a[0]) - rankOf(b[0]) || a[1].localeCompare(b[1]));
    replace(this.filter, h('option', { value: '' }, 'everyone'), sorted.map(([id, name]) => h('option', { value: id }, name)));
    this.filter.value = '';
    this.who = '';
    this.track.setAttribute('aria-valuemin', '0');
    this.track.setAttribute('aria-valuemax', String(Math.round((spec.endTick * spec.tickMs) / 1000)));
    this.renderScale();
    this.renderMarkers();
    this.setTick(this.tick);
  }

  setTick(tick: number): void {
    this.tick = tick;
    const s = this.spec;
    if (s === null) return;
    // (Rounded so that it reads back as written: styleProp writes only a change.)
    const pct = `${Math.round(this.pct(tick) * 100) / 100}%`;
    styleProp(this.fill, 'width', pct);
    styleProp(this.thumb, 'left', pct);
    const ms = tick * s.tickMs;
    attr(this.track, 'aria-valuenow', String(Math.round(ms / 1000)));
    attr(this.track, 'aria-valuetext', `${clockTime(ms)} of ${clockTime(s.endTick * s.tickMs)}`);
  }

  /** The tick of the next (dir 1) or previous (dir -1) marker shown, from the current tick. */
  neighbour(dir: 1 | -1): number | null {
    const ticks = this.shown().map((x) => x.marker.tick);
    if (dir === 1) return ticks.filter((t) => t > this.tick).sort((a, b) => a - b)[0] ?? null;
    return ticks.filter((t) => t < this.tick).sort((a, b) => b - a)[0] ?? null;
  }

  setNote(text: string): void {
    if (this.note.textContent !== text) this.note.textContent = text;
    // The legend makes room for the note while there is one.
    this.el.classList.toggle('noted', text !== '');
  }

  /** The words of the markers shown at `tick` ('' when none). */
  wordsAt(tick: number): string {
    return this.shown()
      .filter((x) => x.marker.tick === tick)
      .map((x) => this.words(x.marker))
      .join(' · ');
  }

  // ---------------------------------------------------------------------------------

  private pct(tick: number): number {
    const s = this.spec;
    if (s === null || s.plannedTicks <= 0) return 0;
    return Math.max(0, Math.min(100, (100 * tick) / s.plannedTicks));
  }

  private shown(): Shown[] {
    const s = this.spec;
    if (s === null) return [];
    const out: Shown[] = [];
    for (const m of s.markers) {
      if (m.tick > s.endTick) continue;
      if (m.kind === 'chaos') out.push({ marker: m, lane: 'chaos', glyph: '▼', cls: 'chaos' });
      else if (m.kind === 'phase') out.push({ marker: m, lane: 'phase', glyph: '⚑', cls: 'phase' });
      else {
        if (this.who !== '' && m.by !== this.who) continue;
        const by = parseActor(m.by ?? '').kind;
        if (m.kind === 'roster') out.push({ marker: m, lane: 'action', glyph: '●', cls: 'roster' });
        else if (by === 'team') out.push({ marker: m, lane: 'action', glyph: '◆', cls: 'team' });
        else if (by === 'bot') out.push({ marker: m, lane: 'action', glyph: '▪', cls: 'bot' });
        else out.push({ marker: m, lane: 'action', glyph: '■', cls: 'person' });
      }
    }
    return out;
  }

  private renderMarkers(): void {
    const s = this.spec;
    if (s === null) return;
    const byLane = new Map<Lane, HTMLElement[]>([
      ['chaos', []],
      ['action', []],
      ['phase', []],
    ]);
    // Moments at the same tick in the same lane share one marker (a player's two clicks in
    // one tick, a bot and a player together): its words list them all.
    const groups = new Map<string, Shown[]>();
    for (const x of this.shown()) {
      const key = `${x.lane}|${x.marker.tick}`;
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(x);
    }
    for (const group of groups.values()) {
      const x = group[0]!;
      const m = x.marker;
      const when = clockTime(m.tick * s.tickMs);
      const words = group.map((g) => this.words(g.marker)).join(' · ');
      const el = h('button', {
        class: `tl-mark ${x.cls}${group.length > 1 ? ' many' : ''}`,
        style: `left:${this.pct(m.tick)}%`,
        tabindex: -1,
        'data-kind': m.kind,
        'data-tick': String(m.tick),
        'aria-label': `${when} ${words}`,
      }, x.glyph);
      el.addEventListener('click', (e) => {
        e.stopPropagation();
        this.host.seek(m.tick);
      });
      el.addEventListener('pointerenter', () => this.showTip(el, `${when} · ${words}`));
      el.addEventListener('pointerleave', () => this.hideTip());
      el.addEventListener('focus', () => this.showTip(el, `${when} · ${words}`));
      el.addEventListener('blur', () => this.hideTip());
      byLane.get(x.lane)!.push(el);
    }
    for (const [lane, els] of byLane) replace(this.lanes.get(lane)!, els);
    // Where the recording stops short of the planned end: the rest of the track is hatched.
    if (s.endTick < s.plannedTicks) {
      const gone = h('div', { class: 'tl-missing', style: `left:${this.pct(s.endTick)}%`, title: 'The recording stops here: the server stopped before the round ended' });
      this.lanes.get('phase')!.appendChild(gone);
    }
  }

  /** A marker in words, with who did it when the text does not already say. */
  private words(m: ReplayMarker): string {
    const who = m.by !== undefined && m.kind !== 'chaos' ? nameOf(m.by, this.spec!.names) : '';
    // The marker's own text usually names who acted ("Ada restarted…", "the team changed…").
    const named = m.text.startsWith(who) || (parseActor(m.by ?? '').kind === 'team' && m.text.startsWith(actorName(TEAM)));
    return who !== '' && !named ? `${who}: ${m.text}` : m.text;
  }

  private renderScale(): void {
    const s = this.spec!;
    const totalS = (s.plannedTicks * s.tickMs) / 1000;
    const step = [10, 15, 30, 60, 120].find((x) => totalS / x <= 10) ?? 300;
    const marks: HTMLElement[] = [];
    for (let t = 0; t <= totalS + 1e-9; t += step) marks.push(h('span', { style: `left:${(100 * t) / totalS}%` }, clockTime(t * 1000)));
    replace(this.scale, marks);
  }

  private showTip(anchor: HTMLElement, text: string): void {
    this.tip.textContent = text;
    this.tip.hidden = false;
    const box = this.tip.parentElement!.getBoundingClientRect();
    const a = anchor.getBoundingClientRect();
    const x = a.left + a.width / 2 - box.left;
    // Keep the tip inside the timeline: flip its anchor near either edge.
    const frac = box.width > 0 ? x / box.width : 0.5;
    this.tip.style.left = `${x}px`;
    this.tip.style.top = `${a.top - box.top}px`;
    this.tip.style.transform = `translate(${frac < 0.2 ? '-8%' : frac > 0.8 ? '-92%' : '-50%'}, -100%)`;
  }

  private hideTip(): void {
    this.tip.hidden = true;
  }

  private wirePointer(): void {
    let dragging = false;
    const at = (clientX: number) => {
      const s = this.spec;
      if (s === null) return;
      const r = this.track.getBoundingClientRect();
      const frac = r.width > 0 ? (clientX - r.left) / r.width : 0;
      const tick = Math.round(Math.max(0, Math.min(1, frac)) * s.plannedTicks);
      this.host.seek(Math.min(s.endTick, tick));
    };
    this.track.addEventListener('pointerdown', (e) => {
      dragging = true;
      this.track.setPointerCapture(e.pointerId);
      this.host.scrubbing?.(true);
      at(e.clientX);
    });
    this.track.addEventListener('pointermove', (e) => {
      if (dragging) at(e.clientX);
    });
    const stop = (e: PointerEvent) => {
      if (!dragging) return;
      dragging = false;
      if (this.track.hasPointerCapture(e.pointerId)) this.track.releasePointerCapture(e.pointerId);
      this.host.scrubbing?.(false);
    };
    this.track.addEventListener('pointerup', stop);
    this.track.addEventListener('pointercancel', stop);
  }

  private onKey(e: KeyboardEvent): void {
    const s = this.spec;
    if (s === null) return;
    const second = 1000 / s.tickMs;
    let to: number | null = null;
    if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = s.endTick;
    else if (e.key === 'PageUp') to = this.tick + 10 * second;
    else if (e.key === 'PageDown') to = this.tick - 10 * second;
    if (to === null) return;
    e.preventDefault();
    e.stopPropagation();
    this.host.seek(Math.max(0, Math.min(s.endTick, Math.round(to))));
  }
}

function nameOf(id: string, names: ReadonlyMap<string, string>): string {
  const a = parseActor(id);
  if (a.kind === 'team') return `${actorName(a)} (vote)`;
  // A player the recording's roster does not know stays anonymous.
  if (a.kind === 'player' && !names.has(id)) return 'a player';
  return actorName(a, (key) => names.get(key));
}

/** People first, then the team (and the tutorial, the host), then bots. */
function rankOf(id: string): number {
  const kind = parseActor(id).kind;
  return kind === 'bot' ? 2 : kind === 'player' ? 0 : 1;
}
