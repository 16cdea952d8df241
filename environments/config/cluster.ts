import { z } from 'zod';

// Owner: the cluster stack. Interface (documented, with @default) and zod schema side by side.

/** The EKS cluster. */
export interface ClusterConfig {
  /** Cluster name; also tags the subnets for load balancers. 1-100 characters: letters, digits, '-', '_'. */
  readonly name: string;
}

export const clusterSchema = z
  .object({
    name: z.string().regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, 'allowed: 1-100 characters of letters, digits, "-" and "_", starting with a letter or digit'),
  })
  .strict();
