// What loading a page costs: every HTTP response the page received, with its bytes on the
// wire (headers and compressed body, as a browser's network panel counts "transferred") and
// decoded, grouped by kind. The first-visit test holds the home page to a budget with it;
// the page benchmark prints it.

import type { Page, Response } from 'playwright-core';

export interface Transfer {
  url: string;
  /** What the browser asked for: page, script, style, font, image, api, other. */
  kind: string;
  /** Headers plus body as sent (compressed when it was). */
  wire: number;
  /** The body once decoded. */
  decoded: number;
  /** Content-Encoding ('' when sent as is). */
  encoding: string;
}

export interface Totals {
  count: number;
  wire: number;
  decoded: number;
}

/** The home page's budget on a first visit, bytes on the wire (issue: "home page ≤ 200 kB compressed"). */
export const HOME_PAGE_BUDGET = 200 * 1000;

/** Phaser's chunk, as vite names it (vite.config.ts codeSplitting group "phaser"). */
export const PHASER_CHUNK = /\/assets\/phaser-[^/]*\.js$/;

const KINDS: Record<string, string> = { document: 'page', script: 'script', stylesheet: 'style', font: 'font', image: 'image', fetch: 'api', xhr: 'api' };

/** Records every response `page` receives from now on; take() hands over those measured since the last take. */
export class TransferLog {
  private done: Transfer[] = [];
  private pending: Promise<void>[] = [];

  constructor(page: Page) {
    page.on('response', (r) => this.pending.push(this.measure(r)));
  }

  /** Every response seen so far, once each is fully received; the log starts afresh. */
  async take(): Promise<Transfer[]> {
    while (this.pending.length > 0) await Promise.all(this.pending.splice(0));
    const out = this.done;
    this.done = [];
    return out;
  }

  private async measure(r: Response): Promise<void> {
    const req = r.request();
    await r.finished().catch(() => undefined);
    const sizes = await req.sizes().catch(() => null);
    // A redirect or an empty answer has no body to read.
    const body = await r.body().catch(() => Buffer.alloc(0));
    this.done.push({
      url: r.url(),
      kind: KINDS[req.resourceType()] ?? 'other',
      wire: sizes === null ? body.length : sizes.responseHeadersSize + sizes.responseBodySize,
      decoded: body.length,
      encoding: (await r.headerValue('content-encoding').catch(() => null)) ?? '',
    });
  }
}

export function totals(list: readonly Transfer[]): Totals {
  return list.reduce((t, x) => ({ count: t.count + 1, wire: t.wire + x.wire, decoded: t.decoded + x.decoded }), { count: 0, wire: 0, decoded: 0 });
}

export function byKind(list: readonly Transfer[]): Map<string, Totals> {
  const out = new Map<string, Totals>();
  for (const kind of [...new Set(list.map((x) => x.kind))].sort()) out.set(kind, totals(list.filter((x) => x.kind === kind)));
  return out;
}

/** "123.4 kB" (1 kB = 1000 bytes, as the budget is written). */
export function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

/** A few lines for a person: the page's total, then each kind, then the largest files. */
export function describeTransfers(title: string, list: readonly Transfer[]): string {
  const t = totals(list);
  const lines = [`${title}: ${t.count} responses, ${kB(t.wire)} transferred, ${kB(t.decoded)} decoded`];
  for (const [kind, k] of byKind(list)) lines.push(`  ${kind.padEnd(7)} ${String(k.count).padStart(3)} × ${kB(k.wire).padStart(10)} transferred ${kB(k.decoded).padStart(10)} decoded`);
  const largest = [...list].sort((a, b) => b.wire - a.wire).slice(0, 6);
  for (const x of largest) lines.push(`    ${kB(x.wire).padStart(10)} ${(x.encoding || 'plain').padEnd(5)} ${new URL(x.url).pathname}`);
  return lines.join('\n');
}
