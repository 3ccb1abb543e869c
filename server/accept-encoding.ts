// Which compressed copy of a file to send, from the browser's Accept-Encoding header. Only
// the codings the server has ready count; on a tie, brotli (smaller) wins. Anything odd in
// the header (a bad q-value, a coding we do not know, garbage) never fails the request:
// at worst the file goes out uncompressed, which every client accepts.

export type Coding = 'br' | 'gzip';

/** File suffix of each coding's precompressed copy. */
export const SUFFIX: Readonly<Record<Coding, string>> = { br: '.br', gzip: '.gz' };

/** Server preference on a tie: smaller first. */
const PREFERRED: readonly Coding[] = ['br', 'gzip'];

/** The longest header read; a real one is a few dozen characters. */
const MAX_HEADER = 1024;

export function pickCoding(header: string | string[] | undefined, available: Iterable<Coding>): Coding | null {
  if (header === undefined) return null;
  const text = (Array.isArray(header) ? header.join(',') : header).slice(0, MAX_HEADER);
  const q = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (name === undefined || name === '') continue;
    let weight = 1;
    for (const p of params) {
      const m = /^q\s*=\s*([0-9]+(?:\.[0-9]*)?)$/.exec(p);
      // A q we cannot read: the coding is not counted as wanted.
      if (p.startsWith('q')) weight = m !== null ? Math.min(1, Number(m[1])) : 0;
    }
    const key = name === 'x-gzip' ? 'gzip' : name;
    q.set(key, Math.max(q.get(key) ?? 0, weight));
  }
  const has = new Set(available);
  let best: Coding | null = null;
  let bestQ = 0;
  for (const c of PREFERRED) {
    if (!has.has(c)) continue;
    const w = q.get(c) ?? q.get('*') ?? 0;
    if (w > bestQ) {
      best = c;
      bestQ = w;
    }
  }
  return best;
}
