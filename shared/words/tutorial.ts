// The tutorial in a player's words: its chapters, one concept each, with the idea in a
// sentence or two, the steps the learner does (the scenario's `tutorial` steps, by id), and
// the sentence that tells them they won the chapter, built from what the round really did.
// The coach (client/src/round/tutorial.ts) shows them; the round strikes each step's
// scripted fault (shared/round/tutorial.ts).

export type PictureId = 'node' | 'leader' | 'failover' | 'quorum' | 'partition' | 'nines' | 'scale';

export interface ChapterWords {
  id: string;
  title: string;
  /** The concept in a sentence or two. */
  idea: string;
  /** The chapter's small picture (client/src/round/tutorial-pictures.ts). */
  picture: PictureId;
  /** The scenario's tutorial steps that make up the chapter, in order. */
  steps: readonly string[];
}

export const TUTORIAL_CHAPTERS: readonly ChapterWords[] = [
  {
    id: 'node',
    title: 'A node and its load',
    idea: 'A node is one server. Clients send it requests; it answers them one after another, and the ones it cannot take yet wait in its queue. Its load says how busy it is.',
    picture: 'node',
    steps: ['select-node'],
  },
  {
    id: 'leader',
    title: 'Leader and followers',
    idea: 'The notes are cut into shards, and every shard is kept on three nodes. One copy is the leader: it takes the writes and passes them to the followers, so all copies change in the same order.',
    picture: 'leader',
    steps: ['find-leader'],
  },
  {
    id: 'failover',
    title: 'A crash and failover',
    idea: 'Nodes crash. When a leader goes silent, its followers wait a moment, then elect a new leader in a new epoch, and the shard takes writes again. That is failover.',
    picture: 'failover',
    steps: ['restart'],
  },
  {
    id: 'quorum',
    title: 'A quorum',
    idea: 'A write counts as saved once a majority of its copies hold it: 2 of 3. With one node down the other two are still a quorum, so the cluster keeps its promise. Your team decides settings the same way.',
    picture: 'quorum',
    steps: ['crash', 'vote'],
  },
  {
    id: 'partition',
    title: 'A partition and the stance',
    idea: 'A partition cuts the network: a node still runs but cannot reach the others. Cut off, it cannot reach a quorum, so it must choose its stance: refuse (errors, never an old note) or serve (answers, some of them stale, from its own copy).',
    picture: 'partition',
    steps: ['stance', 'partition', 'drain', 'heal', 'undrain'],
  },
  {
    id: 'nines',
    title: 'Nines and the error budget',
    idea: 'Availability is counted in nines: 99 % is two nines. The requests the promise lets fail are the error budget; crashes, splits and refusals spend it.',
    picture: 'nines',
    steps: ['budget'],
  },
  {
    id: 'scale',
    title: 'Scaling out',
    idea: 'When traffic grows, more nodes share it: that is scaling out. Each node costs money for every second it runs, so add one when the load needs it.',
    picture: 'scale',
    steps: ['surge', 'scale-out'],
  },
];

/** The words inside the chapters' pictures (client/src/round/tutorial-pictures.ts). */
export const PICTURE_WORDS = {
  queue: 'queue',
  load: 'load',
  leaderWrites: 'writes go to the leader',
  epoch: (n: number) => `epoch ${n}`,
  majority: '2 of 3: a majority',
  cutOff: 'cut off',
  nines: ['99 of 100', 'answered:', '1 may fail'],
  share: 'more nodes share the load',
} as const;

/** The chapter a step belongs to (undefined for an unknown step). */
export function chapterOfStep(step: string): ChapterWords | undefined {
  return TUTORIAL_CHAPTERS.find((c) => c.steps.includes(step));
}

/** "Chapter 3 of 7 · A crash and failover". */
export function chapterHeading(index: number, count: number, title: string): string {
  return `Chapter ${index + 1} of ${count} · ${title}`;
}

/** Extra help under a step's prompt (the step's own sentence is in the scenario). */
export const STEP_HINTS: Readonly<Record<string, string>> = {
  'select-node': 'Its panel opens beside the map (below it on a phone).',
  'find-leader': 'The panel and the strip under the map name each node’s role.',
  restart: 'You may act only on your own node, marked YOU. A crashed node keeps its disk: after a restart it catches up on what it missed.',
  crash: 'A bot runs that node and will restart it. Keep an eye on Requests OK at the top.',
  vote: 'Alone, your one vote is the majority.',
  stance: 'The stance buttons are in your node’s panel (or press S). Refuse is already on: pressing it again keeps it. You can change your mind during the split.',
  drain: 'Drain is in your node’s panel (or press D).',
  partition: 'The split comes once every node is up, and heals by itself after a short while.',
  heal: 'Your node’s copies fall behind while it is cut off; after the heal it copies what it missed.',
  undrain: 'The same button now says Undrain.',
  budget: 'Tap the words “Error budget” or the bar under them.',
  surge: 'A scripted rush: traffic doubles for a minute.',
  'scale-out': 'The button is in your node’s panel (or press O). The new node takes a few seconds to start.',
};

/** Each step in the chapter's checklist, short. */
export const STEP_LABELS: Readonly<Record<string, string>> = {
  'select-node': 'Select a node',
  'find-leader': 'Find a leader',
  restart: 'Restart your node',
  crash: 'Watch a node crash',
  vote: 'Propose a setting',
  stance: 'Choose a stance',
  partition: 'Watch the split',
  drain: 'Drain your node',
  heal: 'Wait for the heal',
  undrain: 'Undrain your node',
  budget: 'Read the error budget',
  surge: 'Watch the traffic rise',
  'scale-out': 'Add a node',
};

/** What the coach says of a step's progress. */
export const STEP_STATUS = {
  waiting: 'Waiting for it to happen…',
  won: '✓ Chapter won',
  yourTurn: (what: string) => `Your turn: ${what}.`,
} as const;

/** What a step that waits for the learner asks them to do, after "Your turn: ". */
export const STEP_ACTIONS: Readonly<Record<string, string>> = {
  'select-node': 'select a node',
  'find-leader': 'select a node that leads a shard',
  restart: 'press Restart on your node',
  vote: 'propose a setting',
  stance: 'choose Refuse or Serve',
  drain: 'press Drain on your node',
  undrain: 'press Undrain on your node',
  budget: 'tap Error budget at the top',
  'scale-out': 'press Add a node here',
};

/** What the round did in a chapter, as the coach measured it from the view. */
export interface ChapterFacts {
  /** node: the node selected, its load and busy share. */
  node?: number;
  load?: number;
  busy?: number;
  /** leader: how many shards it leads. */
  shards?: number;
  /** failover: leaders elected while the chapter ran. */
  elections?: number;
  /** quorum: the share of requests answered while a node was down (0..1), -1 unknown. */
  okWhileDown?: number;
  /** partition: the stance chosen, and the split's sentence for the learner's node. */
  stance?: 'refuse' | 'serve';
  split?: string;
  /** Budget spent (failures) while the split lasted. */
  splitSpent?: number;
  /** nines: the promise, the failures allowed, spent so far and left. */
  target?: number;
  allowed?: number;
  spent?: number;
  left?: number;
  /** scale: the new node and the share of the requests it answers. */
  newNode?: number;
}

/** The sentence that tells the learner they won the chapter. */
export function chapterWonText(chapter: string, f: ChapterFacts): string {
  switch (chapter) {
    case 'node':
      return `You opened node ${f.node ?? 0}: it is ${f.busy ?? 0} % busy with ${f.load ?? 0} % of its queue in use. Busy is fine; a full queue turns requests away.`;
    case 'leader':
      return `Node ${f.node ?? 0} leads ${f.shards ?? 1} shard${f.shards === 1 ? '' : 's'}: every write to ${f.shards === 1 ? 'it' : 'them'} goes through this node first, then on to the followers.`;
    case 'failover': {
      const n = f.elections ?? 0;
      const elected = n > 0 ? `While it was down, ${n} new leader${n === 1 ? ' was' : 's were'} elected, so every shard kept taking writes.` : 'The other copies kept the notes safe while it was down.';
      return `Your node is back. ${elected} It rejoins as a follower and catches up on the writes it missed.`;
    }
    case 'quorum': {
      const ok = f.okWhileDown ?? -1;
      const share = ok >= 0 ? ` ${percent(ok)} of requests still succeeded while it was down:` : '';
      return `One node of three went down and the cluster went on.${share} two copies of three are a majority. Your proposal passed by a majority of your team, the same rule.`;
    }
    case 'partition': {
      const chose =
        f.stance === 'serve'
          ? 'You chose Serve: your node answered reads from its own copy, so some readers got old notes (stale reads). Only the writes it could not pass to a leader failed, and those spent the error budget.'
          : 'You chose Refuse: no reader got an old note, but every request your node turned away spent the error budget.';
      const spent = f.splitSpent !== undefined ? ` The split cost ${count(f.splitSpent, 'failed request', 'failed requests')} in all.` : '';
      return `The network healed and your node caught up. ${chose}${f.split ? ` ${f.split}` : ''}${spent}`;
    }
    case 'nines': {
      const allowed = Math.round(f.allowed ?? 0);
      const spent = Math.round(f.spent ?? 0);
      const left = Math.round(f.left ?? allowed - spent);
      const state =
        left >= 0
          ? `${spent.toLocaleString('en-US')} spent so far, ${left.toLocaleString('en-US')} left. Every crash, split and refusal draws on it.`
          : `${spent.toLocaleString('en-US')} spent so far: ${(-left).toLocaleString('en-US')} more than allowed, so this round breaks the availability promise.`;
      return `Your promise is ${percent(f.target ?? 0)} of requests, ${ninesOf(f.target ?? 0)} nines: ${count(allowed, 'failure', 'failures')} allowed this round, ${state}`;
    }
    case 'scale':
      return `Node ${f.newNode ?? 0} joined the cluster: the shards spread over one more node, and it takes a share of the work. You pay for it every second from now on: scale out when the load needs it, not before.`;
    default:
      return '';
  }
}

/** The coach's last card, once every chapter is done or skipped. */
export function tutorialDoneText(won: number, count: number, secondsLeft: number): string {
  const rest = secondsLeft > 0 ? ` The round goes on for ${secondsLeft}\u00a0s more: keep the promise until then, and the debrief shows what each choice cost.` : '';
  return `You won ${won} of ${count} chapters.${rest}`;
}

/** Before the round is live: the coach waits with the setup. */
export const TUTORIAL_BEFORE_LIVE = 'No need to pick an architecture for the tutorial: the recommended settings are already on. Press Start when you are ready; chapter 1 begins as soon as the round is live.';

/** The coach's button that ends the setup. */
export const TUTORIAL_READY_LABEL = 'Start';

/** The stance chapter's live consequence, under the step, while the split lasts. */
export function consequenceText(stance: 'refuse' | 'serve', spentSinceSplit: number, behindKeys: string[]): string {
  const budget = `Error budget spent since the split: ${count(spentSinceSplit, 'failure', 'failures')}.`;
  const keys =
    behindKeys.length > 0
      ? ` Hot keys: your ${behindKeys.length === 1 ? 'copy' : 'copies'} of ${listWords(behindKeys.slice(0, 3))} ${behindKeys.length === 1 ? 'is' : 'are'} behind the others (▼ in the hot keys table).`
      : stance === 'serve'
        ? ' Hot keys: the others take new writes your node no longer hears about; its copies will fall behind.'
        : '';
  return `${budget}${keys}`;
}

function percent(x: number): string {
  const p = x * 100;
  return `${Number.isInteger(Math.round(p * 10) / 10) ? Math.round(p) : (Math.round(p * 10) / 10).toFixed(1)} %`;
}

/** Availability in nines, one decimal: 0.99 → "2", 0.98 → "1.7". */
export function ninesOf(target: number): string {
  if (!(target > 0) || target >= 1) return target >= 1 ? 'all the' : '0';
  const n = -Math.log10(1 - target);
  const r = Math.round(n * 10) / 10;
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}

function count(n: number, one: string, many: string): string {
  return `${Math.round(n).toLocaleString('en-US')} ${Math.round(n) === 1 ? one : many}`;
}

function listWords(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
