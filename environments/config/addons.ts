import { z } from 'zod';

// Owner: the addons and observability stacks. Interfaces (documented, with @default) and zod
// schemas side by side.

/** Cluster add-ons installed through Helm. */
export interface AddonsConfig {}

export const addonsSchema = z.object({}).strict();
