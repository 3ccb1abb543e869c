// Just enough of the Redis protocol for tests to check a server's shared state (no client
// library: the game itself talks to Redis only through Colyseus's presence and driver).
import { connect } from 'node:net';

/** Send one command and return its reply (strings, numbers, arrays, or null). */
export async function redisCommand(url: string, ...args: string[]): Promise<unknown> {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? u.pathname.slice(1) : '0';
  const replies = await exchange(u.hostname, Number(u.port || 6379), [['SELECT', db], args]);
  return replies[1];
}

/** Null when Redis answers at `url`; otherwise why not and what to do (a failure under CI=true). */
export async function redisSkipReason(url: string): Promise<string | null> {
  try {
    await redisCommand(url, 'PING');
    return null;
  } catch (err) {
    const why = `Redis not reachable at ${url} (${(err as Error).message}): install and start Redis (Debian: apt-get install redis-server), or set TEST_REDIS_URL`;
    if (process.env.CI === 'true') throw new Error(`${why} (CI=true: the scale-out test must run)`);
    return why;
  }
}

function encode(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

async function exchange(host: string, port: number, commands: string[][]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('no answer in 3 s'));
    }, 3000);
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('connect', () => sock.write(commands.map(encode).join('')));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      const out: unknown[] = [];
      let pos = 0;
      try {
        while (out.length < commands.length) {
          const [v, next] = parse(buf, pos);
          out.push(v);
          pos = next;
        }
      } catch (e) {
        if (e === INCOMPLETE) return;
        throw e;
      }
      clearTimeout(timer);
      sock.end();
      resolve(out);
    });
  });
}

const INCOMPLETE = new Error('incomplete');

function parse(b: Buffer, pos: number): [unknown, number] {
  const eol = b.indexOf('\r\n', pos);
  if (eol < 0) throw INCOMPLETE;
  const type = String.fromCharCode(b[pos]!);
  const line = b.toString('utf8', pos + 1, eol);
  const after = eol + 2;
  switch (type) {
    case '+':
      return [line, after];
    case '-':
      return [new Error(line), after];
    case ':':
      return [Number(line), after];
    case '$': {
      const n = Number(line);
      if (n < 0) return [null, after];
      if (b.length < after + n + 2) throw INCOMPLETE;
      return [b.toString('utf8', after, after + n), after + n + 2];
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return [null, after];
      const items: unknown[] = [];
      let p = after;
      for (let i = 0; i < n; i++) {
        const [v, next] = parse(b, p);
        items.push(v);
        p = next;
      }
      return [items, p];
    }
    default:
      throw new Error(`unexpected Redis reply '${type}'`);
  }
}
