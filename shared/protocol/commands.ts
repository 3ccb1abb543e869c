// The command union as the protocol speaks it: the simulation defines the commands and what
// it answers (sim/command-types.ts); the protocol says who may issue each. The validator
// (validate.ts) is the only way outside input becomes a Command.

import type { Command } from '../scenarios/command-types.js';

export type { Command, CommandResult, CommandType, NodeActionType, RefusalCode } from '../scenarios/command-types.js';

/** Who may issue a command: the node's owner, the team by vote, or the host. */
export function commandScope(cmd: Command): 'node' | 'team' | 'host' | 'any' {
  switch (cmd.type) {
    case 'configure':
      return 'team';
    case 'chaos':
      return 'host';
    case 'scale-out':
      return 'any';
    default:
      return 'node';
  }
}
