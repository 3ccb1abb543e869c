// Log lines a client can cause (bad input, a flood, a socket that stopped reading) must not
// grow with what the client sends: one such line per source every few seconds, and the next
// line written says how many were left out in between.

export interface BoundedLog {
  /** Write `line` now, or count it as left out when a line went out less than `everyMs` ago. */
  (line: string): void;
  /** Lines left out since the last one written. */
  readonly suppressed: number;
}

export interface BoundedLogOptions {
  /** At most one line per this many wall-clock ms (default 5000). */
  everyMs?: number;
  write?: (line: string) => void;
  now?: () => number;
}

export const LOG_EVERY_MS = 5000;

/** A log for one source (a room, the transport): `prefix` starts every line. */
export function boundedLog(prefix: string, opts: BoundedLogOptions = {}): BoundedLog {
  const everyMs = opts.everyMs ?? LOG_EVERY_MS;
  const write = opts.write ?? ((line: string) => console.error(line));
  const now = opts.now ?? Date.now;
  let lastAt = -Infinity;
  let suppressed = 0;
  const log = (line: string): void => {
    const t = now();
    if (t - lastAt < everyMs) {
      suppressed++;
      return;
    }
    const left = suppressed === 0 ? '' : ` (${suppressed} similar line${suppressed === 1 ? '' : 's'} left out in the last ${Math.round((t - lastAt) / 1000)} s)`;
    lastAt = t;
    suppressed = 0;
    write(`${prefix} ${line}${left}`);
  };
  return Object.defineProperty(log, 'suppressed', { get: () => suppressed }) as BoundedLog;
}

/**
 * Colyseus's logger (the Server's `logger` option). Colyseus logs an error line, with a stack,
 * for each undecodable frame, each failed socket (an oversized frame, a bad close code) and
 * each WebSocket that asks for a seat it does not have: all of them a client's doing, so
 * its errors go through one bounded log. Its other levels are the console's.
 */
export function colyseusLogger(opts: BoundedLogOptions = {}): Pick<Console, 'debug' | 'info' | 'warn' | 'error' | 'trace'> {
  const errors = boundedLog('[colyseus]', opts);
  return {
    debug: (...args: unknown[]) => console.debug(...args),
    info: (...args: unknown[]) => console.info(...args),
    warn: (...args: unknown[]) => console.warn(...args),
    trace: (...args: unknown[]) => console.trace(...args),
    error: (...args: unknown[]) => errors(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ')),
  };
}
