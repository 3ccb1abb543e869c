// Join codes: what a student types from the projector. Six characters from an alphabet
// without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V), easy to read aloud and to type
// on a phone. 23^6 ≈ 148 million codes; live sessions are a few thousand at most.

export const JOIN_CODE_ALPHABET = 'ACDEFGHJKMNPQRTWXY34679';
export const JOIN_CODE_LENGTH = 6;

/** Make a code from random integers (the server draws them from its CSPRNG). */
export function joinCodeFrom(randomInts: ArrayLike<number>): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[(randomInts[i] ?? 0) % JOIN_CODE_ALPHABET.length];
  return code;
}

/** What a student typed, as a code (upper-cased, spaces and dashes dropped), or null when it cannot be one. */
export function normalizeJoinCode(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 32) return null;
  const code = raw.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== JOIN_CODE_LENGTH) return null;
  for (const ch of code) if (!JOIN_CODE_ALPHABET.includes(ch)) return null;
  return code;
}
