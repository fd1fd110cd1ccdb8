import type { Command } from 'commander';
import { addExecCommand } from './exec';
import { addLogsCommand } from './logs';
import { addGetRunsCommand } from './runs';

/** Running functions and reading their runs: `dispatch exec`, `dispatch get runs`, `dispatch logs`. */
export function addRunCommands(program: Command): void {
  addExecCommand(program);
  addGetRunsCommand(program);
  addLogsCommand(program);
}
