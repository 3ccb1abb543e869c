// The `lobby` room lists open rounds (Colyseus's LobbyRoom). Anyone may join it without
// credentials, so it gets what every room here has: unknown messages answered safely
// (guard.ts) and a handler throwing never leaving the room.

import { LobbyRoom } from '@colyseus/core';
import { refuseUnknownMessages } from './guard.js';

export class GuardedLobbyRoom extends LobbyRoom {
  override async onCreate(options: unknown): Promise<void> {
    await super.onCreate(options);
    refuseUnknownMessages(this, ['filter']);
  }

  override onUncaughtException(error: Error, methodName: string): void {
    console.error(`[lobby ${this.roomId}] ${methodName}: ${error.message}`);
  }
}
