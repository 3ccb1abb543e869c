// A small QR code encoder for the class's join link: byte mode, versions 1–10, error
// correction level M (about 15 % of the symbol may be smudged or covered and it still
// scans). A join link is about 40 characters, well inside version 4; version 10 holds 213
// bytes, plenty for a long host name. Written from the QR standard (ISO/IEC 18004): the
// data is split into blocks, each gets Reed–Solomon check codewords, the blocks are
// interleaved and laid in a zig-zag around the fixed patterns, and the mask that leaves
// the fewest confusing shapes is chosen.

/** A QR symbol: `size` × `size` modules, true = dark. Row-major: `dark[y * size + x]`. */
export interface QrCode {
  version: number;
  size: number;
  dark: boolean[];
  mask: number;
}

/** Level M error correction per version (index 1–10): check codewords per block and the data codewords of each block. */
const BLOCKS: readonly { ec: number; data: readonly number[] }[] = [
  { ec: 0, data: [] },
  { ec: 10, data: [16] },
  { ec: 16, data: [28] },
  { ec: 26, data: [44] },
  { ec: 18, data: [32, 32] },
  { ec: 24, data: [43, 43] },
  { ec: 16, data: [27, 27, 27, 27] },
  { ec: 18, data: [31, 31, 31, 31] },
  { ec: 22, data: [38, 38, 39, 39] },
  { ec: 22, data: [36, 36, 36, 37, 37] },
  { ec: 26, data: [43, 43, 43, 43, 44] },
];

/** Centres of the alignment patterns along each axis, per version. */
const ALIGNMENT: readonly (readonly number[])[] = [
  [], [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
];

export const QR_MAX_VERSION = 10;

/** The most bytes a version-10 M symbol holds in byte mode. */
export function qrCapacity(version: number): number {
  const dataBytes = BLOCKS[version]!.data.reduce((a, b) => a + b, 0);
  // 4 bits of mode, 8 (16 from version 10) bits of length.
  return Math.floor((dataBytes * 8 - 4 - countBits(version)) / 8);
}

/**
 * Encode text (as UTF-8) in the smallest version that holds it; null when it is too long
 * for version 10. `onlyMask` forces one of the eight masks (tests check each one scans).
 */
export function encodeQr(text: string, onlyMask?: number): QrCode | null {
  const bytes = new TextEncoder().encode(text);
  let version = 1;
  while (version <= QR_MAX_VERSION && bytes.length > qrCapacity(version)) version++;
  if (version > QR_MAX_VERSION) return null;
  const codewords = interleave(version, dataCodewords(bytes, version));
  const size = version * 4 + 17;
  const base = new Grid(size);
  drawFunctionPatterns(base, version);
  placeData(base, codewords);
  let best: Grid | null = null;
  let bestMask = 0;
  let bestPenalty = Infinity;
  for (let mask = 0; mask < 8; mask++) {
    if (onlyMask !== undefined && mask !== onlyMask) continue;
    const s = base.copy();
    applyMask(s, mask);
    drawFormat(s, mask);
    const p = penalty(s);
    if (p < bestPenalty) {
      best = s;
      bestMask = mask;
      bestPenalty = p;
    }
  }
  return { version, size, dark: best!.dark, mask: bestMask };
}

/**
 * The symbol as an SVG path ("M x y h1 v1 h-1 z" per dark run), in module units, with the
 * four-module quiet zone the standard asks for around it: draw it in a viewBox of size + 8.
 */
export function qrPath(qr: QrCode): string {
  const parts: string[] = [];
  for (let y = 0; y < qr.size; y++) {
    let x = 0;
    while (x < qr.size) {
      if (!qr.dark[y * qr.size + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < qr.size && qr.dark[y * qr.size + x]) x++;
      parts.push(`M${start + 4} ${y + 4}h${x - start}v1h${start - x}z`);
    }
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------
// The bit stream

function countBits(version: number): number {
  return version < 10 ? 8 : 16;
}

/** Mode, length, the bytes, a terminator and padding: exactly the version's data codewords. */
function dataCodewords(bytes: Uint8Array, version: number): number[] {
  const capacity = BLOCKS[version]!.data.reduce((a, b) => a + b, 0);
  const bits: number[] = [];
  const put = (value: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, countBits(version));
  for (const b of bytes) put(b, 8);
  put(0, Math.min(4, capacity * 8 - bits.length));
  while (bits.length % 8 !== 0) bits.push(0);
  const out: number[] = [];
  for (let i = 0; i < bits.length; i += 8) out.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  // The standard's pad bytes, alternating, fill what is left.
  for (let pad = 0; out.length < capacity; pad ^= 1) out.push(pad === 0 ? 0xec : 0x11);
  return out;
}

/** Split into blocks, add each block's check codewords, and interleave them column by column. */
function interleave(version: number, data: number[]): number[] {
  const { ec, data: sizes } = BLOCKS[version]!;
  const blocks: number[][] = [];
  const checks: number[][] = [];
  let at = 0;
  for (const n of sizes) {
    const block = data.slice(at, at + n);
    at += n;
    blocks.push(block);
    checks.push(reedSolomon(block, ec));
  }
  const out: number[] = [];
  const longest = Math.max(...sizes);
  for (let i = 0; i < longest; i++) for (const b of blocks) if (i < b.length) out.push(b[i]!);
  for (let i = 0; i < ec; i++) for (const c of checks) out.push(c[i]!);
  return out;
}

// ---------------------------------------------------------------------------------
// Reed–Solomon over GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1

const EXP = new Array<number>(512);
const LOG = new Array<number>(256).fill(0);
{
  let v = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = v;
    LOG[v] = i;
    v <<= 1;
    if (v & 0x100) v ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}

function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!;
}

/** The generator (x − α^0)(x − α^1)…(x − α^(n−1)), highest power first, leading 1 dropped. */
function generator(n: number): number[] {
  let g = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array<number>(g.length + 1).fill(0);
    for (let j = 0; j < g.length; j++) {
      next[j]! ^= g[j]!;
      next[j + 1]! ^= gfMul(g[j]!, EXP[i]!);
    }
    g = next;
  }
  return g.slice(1);
}

/** The remainder of data·x^n divided by the generator: the block's n check codewords. */
export function reedSolomon(data: readonly number[], n: number): number[] {
  const g = generator(n);
  const rem = new Array<number>(n).fill(0);
  for (const d of data) {
    const factor = d ^ rem.shift()!;
    rem.push(0);
    for (let i = 0; i < n; i++) rem[i]! ^= gfMul(g[i]!, factor);
  }
  return rem;
}

// ---------------------------------------------------------------------------------
// The symbol

class Grid {
  readonly dark: boolean[];
  /** Modules that belong to a fixed pattern: data and masks leave them alone. */
  readonly fixed: boolean[];

  constructor(readonly size: number, dark?: boolean[], fixed?: boolean[]) {
    this.dark = dark ?? new Array<boolean>(size * size).fill(false);
    this.fixed = fixed ?? new Array<boolean>(size * size).fill(false);
  }

  set(x: number, y: number, dark: boolean): void {
    this.dark[y * this.size + x] = dark;
    this.fixed[y * this.size + x] = true;
  }

  get(x: number, y: number): boolean {
    return this.dark[y * this.size + x]!;
  }

  copy(): Grid {
    return new Grid(this.size, [...this.dark], this.fixed);
  }
}

function drawFunctionPatterns(s: Grid, version: number): void {
  const n = s.size;
  // Timing lines first: the finders and alignments drawn after overwrite their ends.
  for (let i = 0; i < n; i++) {
    s.set(6, i, i % 2 === 0);
    s.set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [[3, 3], [n - 4, 3], [3, n - 4]] as const) {
    // A 7×7 finder with its light separator ring (clipped at the symbol's edge).
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x < 0 || y < 0 || x >= n || y >= n) continue;
        const ring = Math.max(Math.abs(dx), Math.abs(dy));
        s.set(x, y, ring !== 2 && ring !== 4);
      }
    }
  }
  const centres = ALIGNMENT[version]!;
  for (const cy of centres) {
    for (const cx of centres) {
      // Not where a finder sits.
      if ((cx === 6 && cy === 6) || (cx === 6 && cy === n - 7) || (cx === n - 7 && cy === 6)) continue;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) s.set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
  }
  // Reserve the format areas now (drawn per mask later), and the dark module.
  drawFormat(s, 0);
  if (version >= 7) drawVersion(s, version);
}

/** 15 bits: level M (00) and the mask, BCH-protected, XORed so they are never all light. */
function drawFormat(s: Grid, mask: number): void {
  const data = (0b00 << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  const bits = ((data << 10) | rem) ^ 0x5412;
  const bit = (i: number) => ((bits >>> i) & 1) === 1;
  const n = s.size;
  // Around the top-left finder…
  for (let i = 0; i <= 5; i++) s.set(8, i, bit(i));
  s.set(8, 7, bit(6));
  s.set(8, 8, bit(7));
  s.set(7, 8, bit(8));
  for (let i = 9; i < 15; i++) s.set(14 - i, 8, bit(i));
  // …and split between the other two.
  for (let i = 0; i < 8; i++) s.set(n - 1 - i, 8, bit(i));
  for (let i = 8; i < 15; i++) s.set(8, n - 15 + i, bit(i));
  s.set(8, n - 8, true);
}

/** Versions 7 and up carry their number twice, in 6×3 blocks beside two finders. */
function drawVersion(s: Grid, version: number): void {
  let rem = version;
  for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
  const bits = (version << 12) | rem;
  for (let i = 0; i < 18; i++) {
    const dark = ((bits >>> i) & 1) === 1;
    const a = s.size - 11 + (i % 3);
    const b = Math.floor(i / 3);
    s.set(a, b, dark);
    s.set(b, a, dark);
  }
}

/** Two columns at a time from the right, up then down, skipping the vertical timing line. */
function placeData(s: Grid, codewords: readonly number[]): void {
  const n = s.size;
  const total = codewords.length * 8;
  let i = 0;
  for (let right = n - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let step = 0; step < n; step++) {
      const y = upward ? n - 1 - step : step;
      for (let dx = 0; dx < 2; dx++) {
        const x = right - dx;
        if (s.fixed[y * n + x] || i >= total) continue;
        s.dark[y * n + x] = ((codewords[i >>> 3]! >>> (7 - (i & 7))) & 1) === 1;
        i++;
      }
    }
  }
  // Modules left over (the remainder bits) stay light.
}

function maskHits(mask: number, x: number, y: number): boolean {
  switch (mask) {
    case 0: return (x + y) % 2 === 0;
    case 1: return y % 2 === 0;
    case 2: return x % 3 === 0;
    case 3: return (x + y) % 3 === 0;
    case 4: return (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0;
    case 5: return ((x * y) % 2) + ((x * y) % 3) === 0;
    case 6: return (((x * y) % 2) + ((x * y) % 3)) % 2 === 0;
    default: return (((x + y) % 2) + ((x * y) % 3)) % 2 === 0;
  }
}

function applyMask(s: Grid, mask: number): void {
  for (let y = 0; y < s.size; y++) {
    for (let x = 0; x < s.size; x++) {
      const i = y * s.size + x;
      if (!s.fixed[i] && maskHits(mask, x, y)) s.dark[i] = !s.dark[i];
    }
  }
}

/** The standard's four penalty rules: long runs, 2×2 blocks, finder look-alikes, imbalance. */
function penalty(s: Grid): number {
  const n = s.size;
  let score = 0;
  const finderLike = [true, false, true, true, true, false, true];
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < n; a++) {
      const at = (b: number) => (pass === 0 ? s.get(b, a) : s.get(a, b));
      let run = 1;
      for (let b = 1; b <= n; b++) {
        if (b < n && at(b) === at(b - 1)) {
          run++;
          continue;
        }
        if (run >= 5) score += 3 + (run - 5);
        run = 1;
      }
      for (let b = 0; b + 7 <= n; b++) {
        if (!finderLike.every((d, k) => at(b + k) === d)) continue;
        // Four light modules (or the edge) on either side.
        const lightBefore = [1, 2, 3, 4].every((k) => b - k < 0 || !at(b - k));
        const lightAfter = [0, 1, 2, 3].every((k) => b + 7 + k >= n || !at(b + 7 + k));
        if (lightBefore || lightAfter) score += 40;
      }
    }
  }
  let dark = 0;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (s.get(x, y)) dark++;
      if (x + 1 < n && y + 1 < n) {
        const c = s.get(x, y);
        if (s.get(x + 1, y) === c && s.get(x, y + 1) === c && s.get(x + 1, y + 1) === c) score += 3;
      }
    }
  }
  score += Math.floor(Math.abs((dark * 100) / (n * n) - 50) / 5) * 10;
  return score;
}
