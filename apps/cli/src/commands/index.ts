import type { Command } from '../command.js';
import { decodeCommand } from './decode.js';
import { onionCommand } from './onion.js';
import { regtestCommand } from './regtest.js';

/** Every sub-command, in the order `asyncpay --help` lists them. One module per command. */
export const commands: Command[] = [regtestCommand, onionCommand, decodeCommand];
