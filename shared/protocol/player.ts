// Who a player is to the server: a random key their browser keeps (never shown, stored
// hashed) and the nickname everyone sees, cleaned so a classroom projector can show it.

/** What a player key looks like: random, URL-safe, long enough not to be guessed. */
export const PLAYER_KEY_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export const NICKNAME_MAX = 20;

/**
 * A nickname safe to show on a projector: letters, digits, spaces and a little punctuation,
 * at most NICKNAME_MAX characters; '' when nothing usable is left (the room picks a name).
 */
export function cleanNickname(raw: string): string {
  const kept = raw
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N} ._'-]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, NICKNAME_MAX)
    .trim();
  return isOffensive(raw.slice(0, 100)) || isOffensive(kept) ? '' : kept;
}

/**
 * Whether a name spells a slur or an obscenity, also behind the usual disguises: digits and
 * symbols for letters, separators between letters, doubled letters. A classroom projector
 * shows every name, so this errs on the side of refusing (the room then picks "Student N").
 */
export function isOffensive(name: string): boolean {
  const words = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[0-9@$!|]/g, (c) => LEET[c] ?? c)
    .split(/[^a-z]+/)
    .filter((w) => w !== '');
  if (words.some((w) => WORDS.has(w) || WORDS.has(w.replace(/(.)\1+/g, '$1')))) return true;
  const plain = words.join('');
  const squeezed = plain.replace(/(.)\1+/g, '$1');
  return STEMS.some((w) => plain.includes(w) || squeezed.includes(w));
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's', '!': 'i', '|': 'l' };

// Found anywhere in a name, even spelled across words: nothing ordinary contains them.
const STEMS = [
  'fuck', 'fuk', 'shit', 'cunt', 'nigger', 'faggot', 'fagot', 'bitch', 'whore', 'slut', 'nazi', 'hitler', 'penis', 'vagina',
  'pussy', 'wank', 'twat', 'bastard', 'retard', 'porn', 'dildo', 'asshole', 'arsehole', 'jizz', 'kike', 'tranny',
];
// Refused only as whole words: inside other words they are innocent (grape, Hancock, document).
const WORDS = new Set(['ass', 'arse', 'cum', 'anal', 'spic', 'rape', 'dick', 'cock', 'heil', 'fag', 'tit', 'tits', 'boob', 'boobs', 'kkk', 'nig', 'chink', 'sex']);

/** The name itself, or the name with the lowest free number appended ("Ada", "Ada 2"…). */
export function uniqueNickname(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name.toLowerCase())) return name;
  for (let i = 2; ; i++) {
    const suffix = ` ${i}`;
    const candidate = name.slice(0, NICKNAME_MAX - suffix.length).trimEnd() + suffix;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
