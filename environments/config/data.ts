import { z } from 'zod';

// Owner: the data, registry, frontend and batch stacks. Interfaces (documented, with @default)
// and zod schemas side by side.

/** The batch application's storage and identity. */
export interface BatchConfig {
  /** Namespace of the batch app's service account. @default "eks-work-batch" */
  readonly namespace?: string;
  /** The batch app's service account, the only one that may assume its IRSA role. @default "batch-app" */
  readonly serviceAccount?: string;
}

export const batchSchema = z
  .object({
    namespace: z.string().optional(),
    serviceAccount: z.string().optional(),
  })
  .strict();
