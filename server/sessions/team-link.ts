// A cluster room's side of a classroom session: it proves it was created by the session,
// admits only that team's students, hears the host's orders and reports back — all through
// presence (server/sessions/bus.ts), so the session room may be in another process. It also
// tells when the session room is gone without a word (its process died): the session room is
// the one subscriber of the team rooms' up channel, and a dead process's subscriptions go
// with it.

import { ServerError, type Presence } from '@colyseus/core';
import type { SessionLink } from '../../shared/protocol/session.js';
import type { TeamResult } from '../../shared/session/results.js';
import { asMessage, downChannel, isSessionSecret, membership, playerKeyHash, upChannel, type SessionDown, type SessionUp, type TeamStatus } from './bus.js';

/** A team room looks for its session room this often (wall-clock ms). */
export const SESSION_CHECK_MS = 15_000;
/** A team room whose session room has been gone this long closes itself. */
export const SESSION_GONE_MS = 120_000;
/** After its round, a team room says its result again with every this-many-th status. */
const RESULT_AGAIN_EVERY = 5;

export class TeamLink {
  /** When the session room was first found missing (wall-clock ms), null while it answers. */
  private missingSince: number | null = null;
  /** The round's result once it is known, and statuses sent since it was last said. */
  private told: TeamResult | null = null;
  private sinceTold = 0;
  private readonly listener = (data: unknown) => {
    const msg = asMessage<SessionDown>(data);
    if (msg !== null && typeof msg.type === 'string') this.onDown(msg);
  };

  private constructor(
    private readonly presence: Presence,
    readonly link: SessionLink,
    private readonly onDown: (msg: SessionDown) => void,
  ) {}

  /** Check the room's claim to be a team of a live session and start listening to it. */
  static async open(presence: Presence, link: SessionLink, onDown: (msg: SessionDown) => void): Promise<TeamLink> {
    if (!(await isSessionSecret(presence, link.id, link.secret))) throw new ServerError(403, 'this class session does not exist or has ended');
    const t = new TeamLink(presence, link, onDown);
    await presence.subscribe(downChannel(link.id), t.listener);
    return t;
  }

  /**
   * Only a student the session put on this team may join its room; the refusal says why.
   * Returns the name the class knows them by (the host may have renamed them).
   */
  async admit(playerKey: string | null): Promise<string> {
    if (playerKey === null) throw new ServerError(403, 'join your class through its join code');
    const m = await membership(this.presence, this.link.id, playerKeyHash(playerKey));
    if (m === null) throw new ServerError(403, 'you are not a student of this class (or the teacher removed you)');
    if (m.team !== this.link.team) throw new ServerError(403, `this is another team's room: you are on team ${m.team + 1}`);
    return m.nickname;
  }

  status(status: TeamStatus): void {
    this.publish({ type: 'status', status });
    // Said again now and then: a session room hosted again after its process died (and so
    // missed it) still gets every team's result. The session ignores repeats.
    if (this.told !== null && ++this.sinceTold >= RESULT_AGAIN_EVERY) this.result(this.told);
  }

  result(result: TeamResult): void {
    this.told = result;
    this.sinceTold = 0;
    this.publish({ type: 'result', team: this.link.team, round: this.link.round, result });
  }

  /**
   * Whether the session room has been missing for SESSION_GONE_MS as of `now` (wall-clock ms).
   * Presence failing to answer proves nothing either way, so it changes nothing.
   */
  async sessionGone(now: number): Promise<boolean> {
    const channel = upChannel(this.link.id);
    let listening: boolean;
    try {
      listening = (await this.presence.channels(channel)).includes(channel);
    } catch {
      return false;
    }
    if (listening) {
      this.missingSince = null;
      return false;
    }
    this.missingSince ??= now;
    return now - this.missingSince >= SESSION_GONE_MS;
  }

  close(): void {
    this.presence.unsubscribe(downChannel(this.link.id), this.listener);
  }

  private publish(msg: SessionUp): void {
    this.presence.publish(upChannel(this.link.id), msg);
  }
}
