import type { Command } from '../command.js';
import { datanetStake } from './datanet-stake.js';
import { datanetStatus } from './datanet-status.js';
import { datanetUpload } from './datanet-upload.js';

/** Every command of the CLI; add new ones (one file each) here. */
export const commands: Command[] = [datanetUpload, datanetStatus, datanetStake];
