// The concept cards of the debrief: each explains one idea from the course in plain words,
// then tells the story of this round with its own numbers. Story sentences are templates:
// `{name}` is replaced by a fact from pick.ts, and a sentence naming a fact the round does
// not have is left out, so a card never shows an empty slot.
//
// Written for a student who has just played: short sentences, the game's own vocabulary,
// no sentence borrowed from the course notes.

export type ConceptId =
  | 'cap'
  | 'strong-consistency'
  | 'eventual-consistency'
  | 'weak-consistency'
  | 'nines'
  | 'active-active'
  | 'active-passive'
  | 'failover'
  | 'replication'
  | 'sharding'
  | 'load-balancing'
  | 'latency-throughput'
  | 'performance-scalability'
  | 'quorum'
  | 'split-brain'
  | 'conflicts';

export interface ConceptCard {
  id: ConceptId;
  title: string;
  /** The idea in general terms: two to four sentences. */
  idea: string;
  /** This round's story, per variant (pick.ts chooses one): sentence templates. */
  stories: Record<string, readonly string[]>;
  /** One thing to try in the next round. */
  tryNext: string;
}

export const CARDS: Readonly<Record<ConceptId, ConceptCard>> = {
  cap: {
    id: 'cap',
    title: 'CAP: when the network splits, pick one',
    idea:
      'A cut in the network is not a choice: cables, switches and whole data centres fail. ' +
      'While a cut lasts, a node on the wrong side can either turn clients away, so nobody ever sees an old value, ' +
      'or answer them from what it has, which might be out of date. ' +
      'Turning them away keeps the data right (CP); answering keeps the service up (AP). No setting gets you both.',
    stories: {
      cp: [
        'The network split {partitions:times} this round, for {partitionSeconds} s in all.',
        'Your cluster chose consistency ({consistencyRecipe}).',
        'It refused {refused:request:requests} it could not confirm with a majority.',
        'During the splits {failedDuringPartition} requests failed, and availability in those seconds was {availabilityDuringPartition}.',
        'Outside the splits you ran at {ninesOutside} nines; the splits pulled the round down to {nines} nines, about {downtimeYear} of downtime a year.',
        'In return: {staleReads:stale read:stale reads} in the whole round.',
      ],
      ap: [
        'The network split {partitions:times} this round, for {partitionSeconds} s in all.',
        'Your cluster chose availability ({consistencyRecipe}): nodes kept answering.',
        'Nodes answered {servedWithoutQuorum:request:requests} without hearing from a majority.',
        'Availability during the splits stayed at {availabilityDuringPartition}, and the round reached {nines} nines.',
        'The price: {staleReads} reads returned an out-of-date value, {staleDuringPartition} of them while the network was split.',
      ],
      mixed: [
        'The network split {partitions:times} this round, for {partitionSeconds} s in all.',
        'Some nodes refused ({refused} requests turned away) and some answered without a majority ({servedWithoutQuorum} requests).',
        'Availability during the splits was {availabilityDuringPartition}; the round ended with {staleReads} stale reads.',
      ],
      quiet: [
        'The network split {partitions:times} this round, for {partitionSeconds} s in all.',
        'Nodes were set to serve without a quorum, but no request reached a cut-off node while the split lasted: none was answered, and none refused, without a majority.',
        'Availability during the splits was {availabilityDuringPartition}, with {staleDuringPartition:stale read:stale reads} while the network was split.',
      ],
    },
    tryNext:
      'Play the same seed with the other stance, refuse or serve, and compare the nines with the stale reads.',
  },

  'strong-consistency': {
    id: 'strong-consistency',
    title: 'Strong consistency: one truth, at a price',
    idea:
      'Under strong consistency, once a write is confirmed every later read, from any node, sees it. ' +
      'The cluster behaves as if it kept a single copy. ' +
      'To promise that, a write must reach enough replicas before it is confirmed, and a read must check it is not behind, ' +
      'so requests are slower and some must fail when too few replicas can be reached. ' +
      'Ledgers and stock counts need it: acting on an old number costs real money.',
    stories: {
      kept: [
        'Your settings were strong: {consistencyRecipe}.',
        'Not one of the {reads} reads this round returned an out-of-date value.',
        'The cost showed up elsewhere: {failed} requests failed and p99 latency was {p99}.',
      ],
      broken: [
        'This scenario needed every read to be current, but {staleReads} reads were stale.',
        'With {consistencyRecipe}, a read could land on a replica that had not yet heard of the latest write.',
        'The SLA allowed {slaStale} stale reads.',
      ],
    },
    tryNext: 'Send reads to the leader with synchronous replication, or make R + W larger than N.',
  },

  'eventual-consistency': {
    id: 'eventual-consistency',
    title: 'Eventual consistency: everyone agrees, later',
    idea:
      'An eventually consistent store lets replicas fall behind for a while. ' +
      'A read may get an old value, but once the writes stop and the replicas have traded what they know, they all hold the same data. ' +
      'Anti-entropy, read repair and hinted handoff are the ways they catch up. ' +
      'It suits data where being a few seconds late does no harm, such as a feed or a like counter.',
    stories: {
      stale: [
        '{staleReads} of {reads} reads this round returned an older value than the latest confirmed write.',
        '{staleDuringPartition} of them happened while the network was split, when replicas could not hear each other.',
        'At the end of the round, {divergedKeys} of keys still had replicas holding different values.',
        'The SLA tolerated {slaStale} stale reads.',
      ],
      converged: [
        'Your replicas were allowed to fall behind ({consistencyRecipe}), yet only {staleReads} reads were stale.',
        'Replication caught up quickly enough that clients rarely noticed.',
      ],
    },
    tryNext: 'Watch the hot keys panel during a split: see the versions drift apart, then meet again after the heal.',
  },

  'weak-consistency': {
    id: 'weak-consistency',
    title: 'Weak consistency: fast, with no promise',
    idea:
      'Weak consistency makes no promise that a read sees a recent write, or even that a lost write comes back. ' +
      'In exchange each request does the least work possible: one replica answers, nobody waits for the others. ' +
      'That is the right trade when volume matters more than any single value, as with sensor readings or metrics.',
    stories: {
      loss: [
        'Your cluster handled {throughput} requests per second at a p50 of {p50}.',
        '{lostWrites} confirmed writes were lost and {staleReads} reads were stale.',
        'The SLA tolerated {slaLost} lost writes: for telemetry a missing sample is a small gap in a chart.',
      ],
      fast: [
        'Your cluster handled {throughput} requests per second at a p50 of {p50}, with {staleReads} stale reads.',
        'Each request waited for a single replica, so most of them finished quickly.',
      ],
    },
    tryNext: 'Compare the throughput of W = ONE with W = QUORUM on the same seed.',
  },

  nines: {
    id: 'nines',
    title: 'Nines: availability as a number',
    idea:
      'Availability is the share of requests that succeed. ' +
      'Counting its nines makes the small differences visible: 99 % is two nines, 99.9 % three, 99.99 % four. ' +
      'Each extra nine cuts the allowed downtime by ten, and usually costs far more than the one before: ' +
      'more replicas, faster failover, more people on call.',
    stories: {
      met: [
        '{ok} of {requests} requests succeeded: {availability}, or {nines} nines.',
        'The customer asked for {slaAvailability} ({slaNines} nines), and you delivered.',
        'Kept up for a whole year, your rate would mean about {downtimeYear} of downtime, {downtimeMonth} a month, {downtimeDay} a day.',
      ],
      missed: [
        '{ok} of {requests} requests succeeded: {availability}, or {nines} nines.',
        'The customer asked for {slaAvailability} ({slaNines} nines): that allows {slaDowntimeYear} of downtime a year.',
        'Your rate, kept up for a year, means about {downtimeYear} down, {downtimeMonth} a month, {downtimeDay} a day.',
        'The worst second was at {worstWindowAt}, when only {worstWindowAvailability} of requests succeeded.',
      ],
    },
    tryNext: 'Find the worst dip in the availability chart and the event just before it.',
  },

  'active-active': {
    id: 'active-active',
    title: 'Active-active: every node serves',
    idea:
      'In an active-active cluster every node takes reads and writes at the same time. ' +
      'Losing one node only removes its share of the capacity, and clients can use a node close to them. ' +
      'The hard part is keeping the copies in step, because two nodes may accept different writes to the same key at once.',
    stories: {
      leaderless: [
        'Your cluster ran leaderless: any of the {replicationFactor} replicas of a key could take a write.',
        'With {regions:region:regions}, clients reached a nearby node; median latency was {p50}.',
        'Concurrent writes created {conflicts} conflicts that the replicas had to settle.',
      ],
      regions: [
        'Your cluster spanned {regions} regions; median latency was {p50} and p99 {p99}.',
        'With one leader per shard, writes from far away crossed an ocean before they were confirmed.',
      ],
    },
    tryNext: 'Try leaderless replication with quorum reads and writes, and watch latency per region.',
  },

  'active-passive': {
    id: 'active-passive',
    title: 'Active-passive: one serves, the others wait',
    idea:
      'In active-passive replication one node, the leader, takes the writes for its data, ' +
      'and the other replicas copy what it does and stand by. ' +
      'It is simple and there is only one order of writes, so no conflicts. ' +
      'But when the leader fails, nothing is written until a stand-by has taken over.',
    stories: {
      failover: [
        'Each shard had a leader and {followers:follower:followers}.',
        'Nodes crashed {crashes:times}, and stand-bys took over in {failovers:failover:failovers}.',
        'Writes to a shard stalled from the moment its leader died until a new one was elected.',
      ],
      calm: [
        'Each shard had a leader and {followers:follower:followers}; the leaders held on all round.',
        'The followers were paid for without serving writes: that is the cost of a ready stand-by.',
      ],
    },
    tryNext: 'Crash a leader on purpose and time how long its shards take to accept writes again.',
  },

  failover: {
    id: 'failover',
    title: 'Failover: taking over from a dead node',
    idea:
      'Failover moves the work of a failed node to a healthy one. ' +
      'First the others must notice: they wait for heartbeats and give up after a timeout. ' +
      'A short timeout reacts fast but may replace a node that was only slow; a long one leaves clients waiting. ' +
      'Then a replacement is chosen, ideally by a majority so that only one is chosen.',
    stories: {
      happened: [
        'This round had {elections:election:elections} and {failovers:failover:failovers}, with a failover timeout of {failoverTimeout}.',
        'Nodes crashed {crashes:times}.',
        'Your team restarted or replaced nodes {restarts:times}.',
        'Availability over the round: {availability}.',
      ],
    },
    tryNext: 'Lower the failover timeout and see whether failovers come faster, or start when nothing was wrong.',
  },

  replication: {
    id: 'replication',
    title: 'Replication: more than one copy',
    idea:
      'Replication keeps several copies of each piece of data on different machines. ' +
      'If one machine dies, or loses its disk, the data lives on elsewhere, and reads can be spread over the copies. ' +
      'Every copy must be kept up to date, so writes cost more, ' +
      'and copies that are updated late can disagree for a while.',
    stories: {
      lost: [
        'Each key had {replicationFactor:copy:copies} this round.',
        '{diskLosses:node:nodes} lost a disk, and {lostWrites:confirmed write was:confirmed writes were} gone for good at the end.',
        'A write confirmed before it reached a second copy dies with the disk it was on.',
      ],
      'copies-lost': [
        'Each key had {replicationFactor:copy:copies}, and a write was confirmed only once most of them held it.',
        '{shardLoss}',
        'A confirmed write survives as long as most of its copies do: {majorityCopies} lost disks in one shard, before it is copied again, take its newest writes with them.',
        'More copies, restarting a crashed node rather than replacing it, and a repair right after a disk loss all shorten the time a shard is one disk away from losing data.',
      ],
      safe: [
        'Each key had {replicationFactor:copy:copies} this round.',
        '{diskLosses:node:nodes} lost a disk, yet no confirmed write was lost: the other copies still held them.',
      ],
      general: [
        'Each key had {replicationFactor:copy:copies}, copied {syncMode}.',
        'At the end {lostWrites:confirmed write was:confirmed writes were} missing.',
        'When the round ended, {divergedKeys} of keys had replicas that disagreed.',
      ],
    },
    tryNext: 'Set the replication factor to 1, let a node lose its disk, and count the lost writes.',
  },

  sharding: {
    id: 'sharding',
    title: 'Sharding: splitting the data',
    idea:
      'Sharding cuts the data into pieces and gives each piece to a different group of nodes, ' +
      'so no single machine has to hold or serve all of it. Adding nodes then adds capacity. ' +
      'Two catches: a very popular key still lands on one shard, and moving shards between nodes takes time and network.',
    stories: {
      hot: [
        'Your data was cut into {shardCount:shard:shards}.',
        'A hot key drew a large share of the traffic to one shard, so the nodes holding it filled up first.',
        'p99 latency over the round was {p99} against a target of {slaP99}.',
      ],
      rebalanced: [
        'Your data was cut into {shardCount:shard:shards}, and the cluster rebalanced {rebalances:times}.',
        'While shards moved, the nodes copying them had less capacity left for clients.',
      ],
      general: ['Your data was cut into {shardCount:shard:shards} spread over {nodes:node:nodes}.'],
    },
    tryNext: 'Raise the shard count before a hot-key surge and watch whether the load spreads.',
  },

  'load-balancing': {
    id: 'load-balancing',
    title: 'Load balancing: who gets the next request',
    idea:
      'A load balancer decides which node receives each client request. ' +
      'Taking turns is simple; sending to the least busy node adapts to slow machines; ' +
      'probing health stops traffic to dead nodes after a short delay; preferring the same region saves travel time. ' +
      'A poor choice piles requests on a node that cannot keep up while others sit idle.',
    stories: {
      trouble: [
        'Your load balancer used {loadBalancing}.',
        'This round brought {slowNodes:slow node:slow nodes} and {floods:flooding client:flooding clients}.',
        'Your team drained or rate-limited nodes {lbActions:times} to steer traffic away from trouble.',
        'p99 latency ended at {p99} against a target of {slaP99}.',
      ],
    },
    tryNext: 'When a node turns slow, compare round robin with least-loaded on the same seed.',
  },

  'latency-throughput': {
    id: 'latency-throughput',
    title: 'Latency and throughput are different things',
    idea:
      'Latency is how long one request takes; throughput is how many requests finish each second. ' +
      'They can move apart: a busy cluster may finish many requests per second while each one waits in a long queue. ' +
      'Percentiles matter here, because the slowest one in a hundred is what an unlucky user feels.',
    stories: {
      surge: [
        'Before the surge your cluster finished {throughputBefore} requests per second with a p99 of {p99Before}.',
        'During it, throughput went to {throughputDuring} per second while p99 went to {p99During}.',
        'More work got done, and each request waited longer for it.',
      ],
      general: [
        'Your cluster finished {throughput} requests per second on average, {peakThroughput} at its busiest.',
        'Half the requests took under {p50}; one in a hundred took over {p99} (the target was {slaP99}).',
      ],
    },
    tryNext: 'Watch both sparklines during a load surge: which one moves first?',
  },

  'performance-scalability': {
    id: 'performance-scalability',
    title: 'Performance is now, scalability is growth',
    idea:
      'Performance is how fast the cluster serves the load it has today. ' +
      'Scalability is whether it keeps that speed as the load grows. ' +
      'You can grow up, giving a node a bigger machine, or out, adding more nodes; ' +
      'growing out goes further but brings more data to move and more nodes to keep in step.',
    stories: {
      scaled: [
        'Traffic rose over the round; your team scaled up {scaleUps:times} and out {scaleOuts:times}.',
        'The cluster ended with {nodes:node:nodes}; p99 latency over the round was {p99}.',
        'The extra machines cost budget: {cost} of the {budget} allowed.',
      ],
      strained: [
        'Traffic rose over the round and the cluster did not grow: it stayed at {nodes:node:nodes}.',
        'p99 latency reached {p99} against a target of {slaP99}: the nodes were full.',
      ],
    },
    tryNext: 'Scale out before the surge, not during it: a new node needs time to copy its data.',
  },

  quorum: {
    id: 'quorum',
    title: 'Quorums: R + W > N',
    idea:
      'With N copies of a key, a write waits for W of them to confirm and a read asks R of them. ' +
      'If R + W is larger than N, every read group and every write group share at least one node, ' +
      'so a read always meets the latest confirmed write. ' +
      'Smaller R and W answer faster and survive more failures, but then a read can miss the newest value.',
    stories: {
      overlap: [
        'You ran with N = {n}, W = {w}, R = {r}: R + W = {rw}, more than N, so read and write groups always overlapped.',
        'Stale reads this round: {staleReads}.',
        'When fewer than {quorumNeed} replicas were reachable, requests failed instead: {refused} were refused.',
      ],
      'no-overlap': [
        'You ran with N = {n}, W = {w}, R = {r}: R + W = {rw}, not more than N.',
        'A read could ask only replicas that had missed a write, and {staleReads} reads did.',
        'In return requests needed fewer replicas and failed less often: availability was {availability}.',
      ],
      sloppy: [
        'You ran with N = {n}, W = {w}, R = {r} and hinted handoff on.',
        'When home replicas were out of reach, stand-in nodes took the writes: the quorum was sloppy, so overlap was not guaranteed.',
        'Stale reads this round: {staleReads}.',
      ],
    },
    tryNext: 'Set R = ONE and W = ONE, then QUORUM and QUORUM, on the same seed; compare stale reads and p99.',
  },

  'split-brain': {
    id: 'split-brain',
    title: 'Split brain and fencing',
    idea:
      'Split brain is two nodes each believing it is the leader, each accepting writes the other never sees. ' +
      'It happens when a leader is cut off, the rest elect a new one, and the old one carries on. ' +
      'Two defences: elect only with a majority, which one side of a split cannot have, ' +
      'and fencing, which numbers each leadership (an epoch) so writes from an old leader are refused.',
    stories: {
      unsafe: [
        'Elections this round {electionRule} and fencing was {fencing}.',
        'During {partitions:split:splits}, the cluster held {elections:election:elections}.',
        'Writes taken by a leader that had been replaced can be overwritten when the sides meet again: {lostWrites} confirmed writes were lost.',
      ],
      safe: [
        'Elections this round {electionRule} and fencing was {fencing}.',
        'During {partitions:split:splits}, the cluster held {elections:election:elections}, and no epoch ever had two leaders.',
        'The side without a majority could not elect anyone, so it stopped taking writes instead.',
      ],
    },
    tryNext: 'Turn fencing off and elect without a majority, then split the network: count the lost writes.',
  },

  conflicts: {
    id: 'conflicts',
    title: 'Conflicts: last write wins, or keep both',
    idea:
      'When two replicas accept different writes to the same key at the same time, the cluster must settle the conflict. ' +
      'Last-write-wins keeps the value with the later timestamp and throws the other away, ' +
      'but timestamps come from clocks that drift, so the write kept may not be the newest. ' +
      'Version vectors notice the two writes were concurrent and keep both, for the application to merge, ' +
      'as a shopping cart merges two lists of items.',
    stories: {
      lww: [
        'Conflicts were settled by last write wins this round: {conflicts} concurrent writes collided.',
        'Clocks jumped {clockSkews:times}; a node whose clock runs ahead wins conflicts it should lose.',
        '{lostWrites} confirmed writes were gone at the end.',
      ],
      vv: [
        'Conflicts were kept as siblings by version vectors: {conflicts} concurrent writes collided.',
        'Neither write was thrown away; {lostWrites} confirmed writes were lost.',
        'The price is a bigger read: a client may get two values and must merge them.',
      ],
    },
    tryNext: 'Switch between last write wins and version vectors while clocks are skewed, and compare lost writes.',
  },
};

export const CONCEPT_IDS = Object.keys(CARDS) as readonly ConceptId[];
