// Who did something in a round. Every command a round applies has an actor; recordings,
// the feed, the timeline and the debrief name it. In a recording (and on the wire) an actor
// is a string — `actorKey` and `parseActor` are the only places that build or read one.

export type Actor =
  /** A connected person, by their key in the room (a Colyseus sessionId). */
  | { kind: 'player'; id: string }
  /** The bot that operates a node nobody holds (or holds it while its player is away). */
  | { kind: 'bot'; node: number }
  /** A settings change the team voted for. */
  | { kind: 'team' }
  /** A tutorial step's scripted fault. */
  | { kind: 'tutorial' }
  /** The class's teacher, striking every team at once. */
  | { kind: 'host' };

const BOT_PREFIX = 'bot-';
const PLAIN = ['team', 'tutorial', 'host'] as const;

export const botActor = (node: number): Actor => ({ kind: 'bot', node });
export const playerActor = (id: string): Actor => ({ kind: 'player', id });
export const TEAM: Actor = { kind: 'team' };
export const TUTORIAL: Actor = { kind: 'tutorial' };
export const HOST: Actor = { kind: 'host' };

/** The actor as recordings and room state store it: `bot-<node>`, 'team', 'tutorial', 'host', or the player's key. */
export function actorKey(a: Actor): string {
  switch (a.kind) {
    case 'player':
      return a.id;
    case 'bot':
      return `${BOT_PREFIX}${a.node}`;
    default:
      return a.kind;
  }
}

/** The inverse of actorKey. Any other string is a player's key (Colyseus session ids never take these shapes). */
export function parseActor(key: string): Actor {
  if ((PLAIN as readonly string[]).includes(key)) return { kind: key as (typeof PLAIN)[number] };
  if (key.startsWith(BOT_PREFIX)) {
    const node = Number(key.slice(BOT_PREFIX.length));
    if (Number.isInteger(node) && node >= 0 && String(node) === key.slice(BOT_PREFIX.length)) return { kind: 'bot', node };
  }
  return { kind: 'player', id: key };
}

/** A bot's name on screens. */
export function botName(node: number): string {
  return `Bot ${node}`;
}

/**
 * The actor as a sentence names it. `nicknameOf` knows the players (the room's people, a
 * recording's roster); a player it does not know is named by their key.
 */
export function actorName(a: Actor, nicknameOf: (id: string) => string | undefined = () => undefined): string {
  switch (a.kind) {
    case 'player':
      return nicknameOf(a.id) ?? a.id;
    case 'bot':
      return nicknameOf(actorKey(a)) ?? botName(a.node);
    case 'team':
      return 'the team';
    case 'tutorial':
      return 'the tutorial';
    case 'host':
      return 'the host';
  }
}
