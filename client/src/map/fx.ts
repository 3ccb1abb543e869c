// The map's short animations (Phaser tweens, each at most 600 ms, drawn over the map and never
// catching input): a ring that grows and fades round a node where an action took effect or
// that went down, the cut fading in when the cluster splits, and the old cut fading out under
// a "split healed" mark when it heals. Under reduced motion the same marks stand still for a
// moment and go at once. Each effect started is listed on the map's element (data-effects,
// data-effect-count) so a test can wait for it.

import * as Phaser from 'phaser';
import { effectTag, type MapEffect } from './effects.js';
import type { MapLayout } from './layout.js';
import { reducedMotion } from '../motion.js';

/** One stroke of the cut as drawn in the last frame that had one. */
export interface CutSegment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** How long every effect lasts, ms (a reduced-motion mark stands this long too). */
export const FX_MS = 550;
/** How many recent effects the map's data-effects lists. */
const LISTED = 12;

const ACTION_RING = 0x2b59c3;
const CRASH_RING = 0xb3261e;
const HEALED = 0x1b7a3a;

export class MapFx {
  /** How far the cut has drawn in, 0–1: the scene multiplies the cut's opacity by it. */
  cutShown = 1;
  private tags: string[] = [];
  private count = 0;

  constructor(private readonly scene: Phaser.Scene) {}

  /** Start the animations for these effects, on the map as laid out now. */
  play(effects: readonly MapEffect[], L: MapLayout, lastCut: readonly CutSegment[]): void {
    for (const e of effects) {
      if (e.kind === 'action' || e.kind === 'crash') {
        const s = L.nodes.get(e.node);
        if (s !== undefined) this.ring(s.x, s.y, s.r, e.kind === 'crash' ? CRASH_RING : ACTION_RING, e.kind === 'crash');
      } else if (e.kind === 'split') this.drawIn();
      else this.healed(lastCut);
      this.note(effectTag(e));
    }
  }

  /** A ring round the node that grows and fades (solid for an action, dashed when it went down). */
  private ring(x: number, y: number, r: number, color: number, dashed: boolean): void {
    const g = this.scene.add.graphics().setDepth(4).setPosition(x, y);
    g.lineStyle(5, color, 1);
    if (dashed) {
      for (let i = 0; i < 12; i++) {
        g.beginPath();
        g.arc(0, 0, r + 8, (i * Math.PI) / 6, (i * Math.PI) / 6 + 0.3, false);
        g.strokePath();
      }
    } else g.strokeCircle(0, 0, r + 8);
    this.animate(g, { scale: 1.45, alpha: 0 });
  }

  /** The cut fades in over the effect's time (at once under reduced motion). */
  private drawIn(): void {
    if (reducedMotion()) {
      this.cutShown = 1;
      return;
    }
    this.cutShown = 0;
    this.scene.tweens.add({ targets: this, cutShown: 1, duration: FX_MS, ease: 'Sine.easeOut' });
  }

  /** The last cut, fading out, with a "split healed" mark where it ran. */
  private healed(cut: readonly CutSegment[]): void {
    this.cutShown = 1;
    if (cut.length === 0) return;
    const g = this.scene.add.graphics().setDepth(4);
    g.lineStyle(4, HEALED, 0.9);
    let cx = 0;
    let cy = 0;
    for (const c of cut) {
      g.lineBetween(c.x1, c.y1, c.x2, c.y2);
      cx += (c.x1 + c.x2) / 2;
      cy += (c.y1 + c.y2) / 2;
    }
    this.animate(g, { alpha: 0 });
    // Above the cut's middle, clear of the link's latency label there.
    const mark = this.scene.add
      .text(cx / cut.length, cy / cut.length - 30, '✓ split healed', {
        fontFamily: '"DejaVu Sans", "Liberation Sans", Arial, sans-serif',
        fontSize: '15px',
        fontStyle: 'bold',
        color: '#ffffff',
        backgroundColor: '#1b7a3a',
        padding: { x: 6, y: 2 },
        resolution: Math.min(2, window.devicePixelRatio || 1),
      })
      .setOrigin(0.5, 0.5)
      .setDepth(5);
    this.animate(mark, { alpha: 0, y: mark.y - 14 }, 'Quad.easeIn');
  }

  /** Tween an effect's object to `to` and destroy it; under reduced motion, hold it still, then remove it. */
  private animate(obj: Phaser.GameObjects.GameObject, to: Record<string, number>, ease = 'Sine.easeOut'): void {
    if (reducedMotion()) {
      this.scene.time.delayedCall(FX_MS, () => obj.destroy());
      return;
    }
    this.scene.tweens.add({ targets: obj, ...to, duration: FX_MS, ease, onComplete: () => obj.destroy() });
  }

  private note(tag: string): void {
    this.count += 1;
    this.tags = [...this.tags, tag].slice(-LISTED);
    const host = this.scene.game.canvas?.parentElement;
    if (host === null || host === undefined) return;
    host.dataset.effects = this.tags.join(' ');
    host.dataset.effectCount = String(this.count);
  }
}
