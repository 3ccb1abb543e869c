// The two containers a view is made of, as structural types: a list and a table by key.
// A plain view uses arrays and Maps; the server's Colyseus schema uses ArraySchema and
// MapSchema, which have the same shape. Code written against these (the projection, the
// copy into a plain view) runs on both without knowing which it has.
//
// Clearing a list is `list.length = 0`: an array empties, and an ArraySchema clears in one
// operation (its length setter calls clear()).

export interface List<T> extends Iterable<T> {
  length: number;
  [index: number]: T;
  push(...items: T[]): number;
  shift(): T | undefined;
}

export interface Table<T> {
  readonly size: number;
  get(key: string): T | undefined;
  set(key: string, value: T): unknown;
  has(key: string): boolean;
  delete(key: string): boolean;
  keys(): Iterable<string>;
  values(): Iterable<T>;
  forEach(visit: (value: T, key: string) => void): void;
}
