import { IConstruct } from 'constructs';
import { Fn, ITerraformDependable, TerraformElement, TerraformLocal, TerraformRemoteState, TerraformStack, TerraformVariable, ref } from 'cdktf';
import { EphemeralResource } from './ephemeral-resource';

/**
 * Name of the Terraform variable that switches every plan-time lookup of a stack to its offline
 * stand-in. `false` (the default) for every real plan and apply.
 */
export const OFFLINE_LOOKUPS_VARIABLE = 'offline_lookups';

/**
 * Construct context key: when `true` on a stack (set before its children are added), the stack's
 * `offline_lookups` variable defaults to `true`. The app's offline plan mode sets it; consumers'
 * offline test plans get the same through `offlineCopy` (modules/testing).
 */
export const OFFLINE_LOOKUPS_CONTEXT = 'cdktf-eks-platform:offlineLookups';

/** The stack's `offline_lookups` variable (created on first use). */
export function offlineLookupsVariable(scope: IConstruct): TerraformVariable {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(OFFLINE_LOOKUPS_VARIABLE);
  if (existing) return existing as TerraformVariable;
  const offline = stack.node.tryGetContext(OFFLINE_LOOKUPS_CONTEXT) === true;
  const v = new TerraformVariable(stack, OFFLINE_LOOKUPS_VARIABLE, {
    type: 'bool',
    default: offline,
    nullable: false,
    description:
      'Offline plan mode: every plan-time lookup (SSM parameters, EKS add-on versions, upstream stack outputs) returns a stand-in value instead of calling AWS. Never true for apply.',
  });
  v.overrideLogicalId(OFFLINE_LOOKUPS_VARIABLE);
  return v;
}

/**
 * A data source (or `terraform_remote_state`, or an ephemeral resource) whose value only AWS knows
 * at plan time.
 */
export interface LookupSource extends ITerraformDependable {
  readonly fqn: string;
  /** Sets Terraform's `count` meta-argument. */
  addOverride(path: string, value: unknown): void;
}

/**
 * Makes `source` a plan-time lookup with an offline stand-in: it is read only when the stack's
 * `offline_lookups` variable is false (`count = var.offline_lookups ? 0 : 1`), so Terraform still
 * validates its arguments offline but never calls AWS for it. Readers: `string('version', stub)` is
 * a local value `var.offline_lookups ? <stub> : one(<source>[*].version)`.
 *
 * The one mechanism for everything only AWS can answer at plan time: AMI ids from SSM, EKS add-on
 * versions, other stacks' outputs, and ephemeral resources such as a generated password (Terraform
 * opens those during plan too; their local is then ephemeral, usable only where Terraform admits
 * ephemeral values).
 */
export class PlanTimeLookup {
  private readonly offline: TerraformVariable;
  private readonly locals = new Map<string, TerraformLocal>();

  constructor(private readonly source: LookupSource & IConstruct) {
    this.offline = offlineLookupsVariable(source);
    source.addOverride('count', `\${var.${OFFLINE_LOOKUPS_VARIABLE} ? 0 : 1}`);
  }

  /**
   * A local value per attribute read, `var.offline_lookups ? <stub> : one(<source>[*].<attribute>)`;
   * users of the value reference the local, so the stub's quotes never land inside their strings
   * (policy documents stay parseable JSON).
   */
  private local(attribute: string, stub: unknown): TerraformLocal {
    const key = `${attribute} ${JSON.stringify(stub)}`;
    let local = this.locals.get(key);
    if (!local) {
      // Data sources and terraform_remote_state alike live at data.<type>.<name>; ephemeral resources
      // at ephemeral.<type>.<name>.
      const el = this.source as unknown as TerraformElement & { terraformResourceType?: string };
      const address = el instanceof EphemeralResource
        ? el.address
        : `data.${el instanceof TerraformRemoteState ? 'terraform_remote_state' : el.terraformResourceType}.${el.friendlyUniqueId}`;
      const live = Fn.one(ref(`${address}[*].${attribute}`, TerraformStack.of(this.source)));
      const scope = this.source.node.scope!;
      const same = [...this.locals.keys()].filter((k) => k.startsWith(`${attribute} `)).length;
      const id = `${this.source.node.id}-${attribute.replace(/\W/g, '-')}${same ? `-${same + 1}` : ''}`;
      local = new TerraformLocal(scope, id, Fn.conditional(this.offline.booleanValue, stub, live));
      this.locals.set(key, local);
    }
    return local;
  }

  /** The attribute (e.g. `version`, `outputs.vpc_id`) as a string; `stub` when offline. */
  string(attribute: string, stub: string): string {
    return this.local(attribute, stub).asString;
  }

  list(attribute: string, stub: string[]): string[] {
    return this.local(attribute, stub).asList;
  }

  number(attribute: string, stub: number): number {
    return this.local(attribute, stub).asNumber;
  }
}
