// Coming back to a round after the connection dropped. The room keeps a dropped player's
// seat for RECONNECT_SECONDS and the browser keeps trying for as long: with the
// reconnection token it kept, or — when that token is lost or refused — by asking for the
// seat kept for its player key (POST REJOIN_PATH), which answers with a fresh token. A
// round that has started is locked to new joins, so this is the way back into it.

/** A player whose connection drops keeps their seat this long. */
export const RECONNECT_SECONDS = 60;

/** The rejoin route, relative to the game server's address (as colyseus.js `client.http` takes it). */
export const REJOIN_PATH = 'api/rejoin';

/** What the browser sends to the rejoin route. */
export interface RejoinRequest {
  /** The round's room id. */
  roomId: string;
  /** The browser's player key (the one it joined the round with). */
  playerKey: string;
}

/**
 * The rejoin route's answers: 200 with a token for colyseus.js `client.reconnect`, or 200
 * with `retry` while a connection with that key is still open there (the server has not
 * noticed the drop yet: the page asks again in a moment, which is no failure, so nothing
 * lands in the browser's console as a failed load); 404 when nothing is kept for that key
 * (the round is over, the seat went to a bot, the player left or was removed); 400 for a
 * malformed request.
 */
export type RejoinAnswer =
  | {
      /** `roomId:token`, as `client.reconnect` takes it. */
      reconnectionToken: string;
    }
  | {
      /** Why there is no token yet, in words: ask again. */
      retry: string;
    };

export const REJOIN_STATUS = { ok: 200, invalid: 400, nothingKept: 404 } as const;
