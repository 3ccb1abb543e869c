// The glossary: the field's words a player meets in the game, each with a short definition
// in plain language. The client underlines these words wherever a screen asks it to
// (client/src/glossary.ts) and opens the definition on a tap or a click; phones have no hover.
//
// `forms` are the spellings that count as the word in running text, longest first where one
// contains another ("error budget" before "budget" would matter; "stale reads" before "stale
// read"). Matching ignores case and needs whole words.

export interface GlossaryEntry {
  /** A stable id (also the term's data attribute in the page). */
  id: string;
  /** The word as a heading. */
  term: string;
  /** Spellings matched in running text, lower case. */
  forms: readonly string[];
  /** One to three short sentences. */
  definition: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    id: 'node',
    term: 'Node',
    forms: ['nodes', 'node'],
    definition: 'One server in the cluster. It answers requests from clients and keeps copies of some of the data. Nodes can crash, slow down or lose touch with each other.',
  },
  {
    id: 'cluster',
    term: 'Cluster',
    forms: ['clusters', 'cluster'],
    definition: 'The group of nodes that together look like one service to the customer.',
  },
  {
    id: 'load',
    term: 'Load',
    forms: ['load'],
    definition: 'How busy a node is: the requests waiting in its queue and the share of its capacity in use. A node with a full queue turns new requests away.',
  },
  {
    id: 'shard',
    term: 'Shard',
    forms: ['shards', 'shard'],
    definition: 'A slice of the data: the keys are cut into shards so that different nodes can share the work. Each shard has its own copies and its own leader.',
  },
  {
    id: 'replica',
    term: 'Replica (copy)',
    forms: ['replicas', 'replica'],
    definition: 'One copy of a shard, kept on one node. With three replicas, a shard survives the loss of one or two nodes.',
  },
  {
    id: 'leader',
    term: 'Leader',
    forms: ['leaders', 'leader'],
    definition: 'The one replica of a shard that takes its writes and sends them on to the others. Only one leader per shard at a time keeps the copies in the same order.',
  },
  {
    id: 'follower',
    term: 'Follower',
    forms: ['followers', 'follower'],
    definition: 'A replica that copies the writes its leader sends. If the leader goes silent, the followers elect a new leader among themselves.',
  },
  {
    id: 'failover',
    term: 'Failover',
    forms: ['failover'],
    definition: 'Handing the work of a failed node to another one: when a leader stops answering, a follower is elected to lead in its place.',
  },
  {
    id: 'epoch',
    term: 'Epoch',
    forms: ['epochs', 'epoch'],
    definition: 'A number that goes up with every election. Nodes ignore a leader from an older epoch, so a leader that was replaced cannot keep writing.',
  },
  {
    id: 'quorum',
    term: 'Quorum',
    forms: ['quorums', 'quorum'],
    definition: 'Enough replicas to decide: usually a majority, such as 2 of 3. Two majorities always share a node, so two sides of a split cannot both decide.',
  },
  {
    id: 'majority',
    term: 'Majority',
    forms: ['majority'],
    definition: 'More than half: 2 of 3, 3 of 5. The usual size of a quorum.',
  },
  {
    id: 'partition',
    term: 'Partition (split)',
    forms: ['network partition', 'partitions', 'partition', 'split'],
    definition: 'A break in the network: the nodes on one side cannot reach the nodes on the other, though both sides still run. The game draws it as a cut across the links.',
  },
  {
    id: 'stance',
    term: 'Stance',
    forms: ['stance'],
    definition: 'What a node does when it cannot reach a quorum. Refuse: answer with an error, never an old value (consistency). Serve: answer from its own copy, which may be out of date (availability).',
  },
  {
    id: 'stale-read',
    term: 'Stale read',
    forms: ['stale reads', 'stale read', 'stale', 'out-of-date reads', 'out-of-date read'],
    definition: 'A read that returned an older value than the latest confirmed write, for example from a node that was cut off while the others moved on.',
  },
  {
    id: 'lost-write',
    term: 'Lost write',
    forms: ['lost writes', 'lost write'],
    definition: 'A write the client was told was saved, but that later disappeared, for example because only a node that then lost its disk held it.',
  },
  {
    id: 'consistency',
    term: 'Consistency',
    forms: ['consistency', 'consistent'],
    definition: 'Every read sees the latest confirmed write, as if there were a single copy of the data.',
  },
  {
    id: 'availability',
    term: 'Availability',
    forms: ['availability'],
    definition: 'The share of requests that got an answer in time. 99 % availability means 1 request in 100 may fail.',
  },
  {
    id: 'nines',
    term: 'Nines',
    forms: ['nines'],
    definition: 'Availability counted in nines: 99 % is two nines, 99.9 % three nines. Each extra nine allows ten times fewer failures.',
  },
  {
    id: 'error-budget',
    term: 'Error budget',
    forms: ['error budget'],
    definition: 'The failures the promise allows. A promise of 99 % of 10,000 requests leaves a budget of 100 failures to spend on crashes, splits and changes.',
  },
  {
    id: 'sla',
    term: 'SLA (the promise)',
    forms: ['sla', 'promise'],
    definition: 'What the customer was promised: how many requests succeed, how fast, and how many stale reads or lost writes are tolerated.',
  },
  {
    id: 'p99',
    term: 'p99 latency',
    forms: ['p99'],
    definition: 'The time within which 99 of every 100 requests were answered. It shows the slow tail that an average hides.',
  },
  {
    id: 'latency',
    term: 'Latency',
    forms: ['latency'],
    definition: 'How long a request takes from the client sending it to the answer arriving.',
  },
  {
    id: 'scale-out',
    term: 'Scale out',
    forms: ['scaling out', 'scale out', 'scale-out'],
    definition: 'Add more nodes so the work is shared by more machines. Each node costs money for every second it runs.',
  },
  {
    id: 'drain',
    term: 'Drain',
    forms: ['drained', 'drain'],
    definition: 'Tell the load balancer to stop sending a node new client requests. The node keeps its data and its place in the cluster.',
  },
  {
    id: 'load-balancer',
    term: 'Load balancer',
    forms: ['load balancer', 'balancer'],
    definition: 'The part in front of the cluster that picks which node gets each client request.',
  },
];

/** The entry with this id, or undefined. */
export function glossaryEntry(id: string): GlossaryEntry | undefined {
  return GLOSSARY.find((e) => e.id === id);
}

/** A piece of text: plain, or a glossary word (with the entry it stands for). */
export type GlossPiece = string | { text: string; id: string };

/**
 * Cut `text` into plain pieces and glossary words. Each entry is marked once (its first
 * appearance) so a paragraph does not turn into a row of links; `skip` lists ids not to
 * mark (already marked nearby). Whole words only, case kept as written.
 */
export function glossPieces(text: string, skip: ReadonlySet<string> = new Set()): GlossPiece[] {
  const hits: { at: number; end: number; id: string }[] = [];
  const lower = text.toLowerCase();
  for (const e of GLOSSARY) {
    if (skip.has(e.id)) continue;
    let best: { at: number; end: number } | null = null;
    for (const form of e.forms) {
      let from = 0;
      for (;;) {
        const at = lower.indexOf(form, from);
        if (at < 0) break;
        const end = at + form.length;
        if (isWordEdge(lower, at - 1) && isWordEdge(lower, end) && (best === null || at < best.at || (at === best.at && end > best.end))) {
          best = { at, end };
          break;
        }
        from = at + 1;
      }
    }
    if (best !== null) hits.push({ ...best, id: e.id });
  }
  // The earliest, longest words win; a word inside another already taken is dropped.
  hits.sort((a, b) => a.at - b.at || b.end - a.end);
  const out: GlossPiece[] = [];
  let pos = 0;
  for (const hit of hits) {
    if (hit.at < pos) continue;
    if (hit.at > pos) out.push(text.slice(pos, hit.at));
    out.push({ text: text.slice(hit.at, hit.end), id: hit.id });
    pos = hit.end;
  }
  if (pos < text.length) out.push(text.slice(pos));
  return out;
}

/** True when the character at `i` does not continue a word (or lies outside the text). */
function isWordEdge(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return true;
  return !/[a-z0-9]/.test(s[i]!);
}
