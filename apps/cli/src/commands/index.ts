import type { Command } from '../command.js';
import { compareCommand } from './compare.js';
import { decodeCommand } from './decode.js';
import { demoCommand } from './demo.js';
import { onionCommand } from './onion.js';
import { regtestCommand } from './regtest.js';

/** Every sub-command, in the order `asyncpay --help` lists them. One module per command. */
export const commands: Command[] = [demoCommand, compareCommand, regtestCommand, onionCommand, decodeCommand];
