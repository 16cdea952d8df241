import type { SynthesizedJson } from './synth';

/** An attribute that spells out another resource's name, id or ARN instead of referencing it. */
export interface LiteralReference {
  /** Address of the resource holding the literal, e.g. `aws_s3_bucket_logging.site_logging`. */
  readonly resource: string;
  /** Attribute path, e.g. `target_bucket` or `policy`. */
  readonly attribute: string;
  /** The literal, or the ARN inside it that names the other resource. */
  readonly value: string;
  /** Address of the resource it names. */
  readonly refersTo: string;
}

/** The argument that names a resource, where it is not `name`. */
const IDENTITY_ARGUMENT: Record<string, string> = {
  aws_s3_bucket: 'bucket',
  aws_db_instance: 'identifier',
  aws_eks_node_group: 'node_group_name',
  aws_eks_fargate_profile: 'fargate_profile_name',
  aws_cloudwatch_metric_alarm: 'alarm_name',
  aws_eks_cluster: 'name',
};

/** Arguments that are free text or meta-arguments, never a reference (Kubernetes labels and annotations are tags). */
const NOT_REFERENCES = new Set(['//', 'tags', 'tags_all', 'description', 'lifecycle', 'depends_on', 'provider', 'count', 'for_each', 'timeouts', 'labels', 'annotations']);

/** Kubernetes objects whose name is cluster-wide; a namespaced object's name is only unique in its namespace. */
const KUBERNETES_CLUSTER_SCOPED = /^kubernetes_(namespace|cluster_role|cluster_role_binding|storage_class|priority_class|ingress_class)(_v1)?$/;

const ARN = /arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:[^\s"',\]}]+/g;

/** The literal name of a resource (cluster-wide Kubernetes objects: `metadata.name`), if it has one. */
function identityOf(type: string, attrs: Record<string, any>): string | undefined {
  const meta = Array.isArray(attrs.metadata) ? attrs.metadata[0] : attrs.metadata;
  if (type.startsWith('kubernetes_') && !KUBERNETES_CLUSTER_SCOPED.test(type)) return undefined;
  const v = type.startsWith('kubernetes_') ? meta?.name : attrs[IDENTITY_ARGUMENT[type] ?? 'name'];
  return typeof v === 'string' && !v.includes('${') && v.length >= 3 ? v : undefined;
}

/** Path of the argument holding a resource's own name. */
function own(type: string): string {
  return type.startsWith('kubernetes_') ? 'metadata.name' : IDENTITY_ARGUMENT[type] ?? 'name';
}

/** Whether an ARN's resource part names `id` (`:::bucket`, `:role/name`, `:log-group:/aws/x:*`...). */
function arnNames(arn: string, id: string): boolean {
  for (const sep of [':', '/']) {
    let at = arn.indexOf(sep + id);
    while (at >= 0) {
      const next = arn[at + 1 + id.length];
      if (next === undefined || next === '/' || next === ':' || next === '*') return true;
      at = arn.indexOf(sep + id, at + 1);
    }
  }
  return false;
}

/**
 * Finds attributes that hold, as a literal, the name (or an ARN naming it) of ANOTHER resource of the
 * same stack. Terraform orders work by references: a literal leaves it free to create the dependent
 * resource first, and the first apply fails. Tags, descriptions and meta-arguments are not examined;
 * neither is a resource's own name (a role and its instance profile may share one).
 */
export function literalReferences(json: SynthesizedJson): LiteralReference[] {
  const resources = Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, attrs]) => ({ type, address: `${type}.${name}`, attrs: attrs as Record<string, any> })),
  );
  const identities = resources.flatMap((r) => {
    const id = identityOf(r.type, r.attrs);
    return id ? [{ id, address: r.address }] : [];
  });
  const found: LiteralReference[] = [];
  const visit = (r: (typeof resources)[number], path: string, v: unknown): void => {
    if (typeof v === 'string') {
      for (const other of identities) {
        if (other.address === r.address) continue;
        if (v === other.id) found.push({ resource: r.address, attribute: path, value: v, refersTo: other.address });
        else for (const arn of v.match(ARN) ?? []) if (arnNames(arn, other.id)) found.push({ resource: r.address, attribute: path, value: arn, refersTo: other.address });
      }
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => visit(r, `${path}[${i}]`, x));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        // A resource's own name is not a reference (a role and its instance profile may share one).
        if (!NOT_REFERENCES.has(k) && p !== own(r.type)) visit(r, p, x);
      }
    }
  };
  for (const r of resources) visit(r, '', r.attrs);
  return found;
}
