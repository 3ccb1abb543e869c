// The `lobby` room lists open rounds (Colyseus's LobbyRoom). Anyone may join it without
// credentials, so it gets what every room here has: unknown messages answered safely
// (guard.ts), every message rate-limited (fair-use.ts: a `filter` answers with the whole
// room list) and a handler throwing never leaving the room.

import { LobbyRoom, type Client, type ClientPrivate } from '@colyseus/core';
import { boundedLog } from './bounded-log.js';
import { FairUse } from './fair-use.js';
import { refuseUnknownMessages } from './guard.js';

export class GuardedLobbyRoom extends LobbyRoom {
  private log = boundedLog('[lobby]');
  private fairUse!: FairUse;

  override async onCreate(options: unknown): Promise<void> {
    this.log = boundedLog(`[lobby ${this.roomId}]`);
    this.fairUse = new FairUse(this);
    await super.onCreate(options);
    refuseUnknownMessages(this, ['filter']);
  }

  override onUncaughtException(error: Error, methodName: string): void {
    this.log(`${methodName}: ${error.message}`);
  }

  /** Every frame a client sends meets the fair-use checks before Colyseus decodes it. */
  protected override _onMessage(client: Client & ClientPrivate, buffer: Buffer): void {
    if (this.fairUse.admit(client, buffer)) super._onMessage(client, buffer);
  }
}
