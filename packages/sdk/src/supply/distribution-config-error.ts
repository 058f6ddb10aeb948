import { SdkError } from '../errors.js';

/** The distribution config (contracts' `config/deploy.*.json`) is invalid. `field` names the bad field. */
export class DistributionConfigError extends SdkError {
  readonly field: string;
  constructor(field: string, message: string) {
    super('DISTRIBUTION_CONFIG_INVALID', `${field}: ${message}`);
    this.field = field;
  }
}
