// The map's key in words: every mark the map draws, in the order a newcomer meets them.
// The client pairs each with its picture (client/src/map/legend.ts); the mark's name is the
// picture's name too, so a mark without a picture does not compile.

export type MapMark =
  | 'up' | 'slow' | 'down' | 'recovering' | 'shard' | 'you' | 'selected' | 'load' | 'clients'
  | 'request' | 'copy' | 'lost' | 'link' | 'cut' | 'side-main' | 'side-cut';

export const MAP_KEY: readonly { key: MapMark; words: string }[] = [
  { key: 'up', words: 'up: serving' },
  { key: 'slow', words: 'slow: still answers, slowly' },
  { key: 'down', words: 'down: crossed out' },
  { key: 'recovering', words: 'recovering: catching up' },
  { key: 'shard', words: 'one per shard the node leads ("leads 2": two shards); that shard\'s writes go through it' },
  { key: 'you', words: 'your node' },
  { key: 'selected', words: 'the node you picked' },
  { key: 'load', words: 'how busy: striped red with a warning sign from 80%' },
  { key: 'clients', words: 'the region\'s clients' },
  { key: 'request', words: 'a client request (round dot)' },
  { key: 'copy', words: 'a write copied to a replica (diamond)' },
  { key: 'lost', words: 'a message lost' },
  { key: 'link', words: 'a link, with its delay in ms' },
  { key: 'cut', words: 'a link cut by a partition' },
  { key: 'side-main', words: 'in a split: the larger side' },
  { key: 'side-cut', words: 'in a split: cut off from the larger side' },
];

export const MAP_KEY_TITLE = 'Key to the map';
