// The round store's public face: open one, write a round as it goes, read and list rounds.

export { openStore, sqliteFile, SQLITE_FILE_NAME, type OpenStoreOptions } from './open.js';
export { cursorAtEnd, takePart, type RecordingCursor } from './parts.js';
export { playerHash } from './rows.js';
export * from './types.js';
