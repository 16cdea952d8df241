/**
 * Writes the project's Terraform CLI config and prints its path:
 *   export TF_CLI_CONFIG_FILE="$(npm run -s setup:terraform)"
 * A provider mirror is used when found (or named by TF_PROVIDER_MIRROR); otherwise the public registry.
 */
import * as path from 'path';
import { writeCliConfig } from '../modules/testing/cli-config';

process.stdout.write(`${writeCliConfig(path.resolve(__dirname, '..'))}\n`);
