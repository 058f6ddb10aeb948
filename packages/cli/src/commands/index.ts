import type { Command } from '../command.js';
import { datanetStake } from './datanet-stake.js';
import { datanetStatus } from './datanet-status.js';
import { datanetUpload } from './datanet-upload.js';
import { rewardsClaim } from './rewards-claim.js';
import { rewardsProof } from './rewards-proof.js';
import { rewardsStatus } from './rewards-status.js';

/** Every command of the CLI; add new ones (one file each) here. */
export const commands: Command[] = [datanetUpload, datanetStatus, datanetStake, rewardsStatus, rewardsProof, rewardsClaim];
