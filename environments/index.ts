import type { EnvironmentConfig } from './types';
import { dev } from './dev';
import { prod } from './prod';

export * from './types';
export * from './defaults';
export * from './validate';
export * from './production';

/** Every environment the app builds, keyed by name. Add one by adding a file and a line here. */
export const environments: Record<string, EnvironmentConfig> = { dev, prod };
