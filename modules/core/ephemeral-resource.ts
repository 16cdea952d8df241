import { Construct } from 'constructs';
import { TerraformElement } from 'cdktf';

/**
 * An ephemeral resource (`ephemeral "<type>" "<name>" { ... }`, Terraform >= 1.10): opened during
 * plan and apply, never written to the plan or the state. cdktf 0.21 and @cdktf/provider-aws 20.x
 * have no class for them, so this element writes the block itself. Its values may only flow into
 * ephemeral contexts (locals, write-only arguments, provisioners, provider blocks); Terraform
 * refuses any other use at validation.
 *
 * Read an attribute through `PlanTimeLookup` (the resource is opened at plan time, so offline plans
 * need its stand-in): `new PlanTimeLookup(new EphemeralResource(...)).string('random_password', stub)`.
 */
export class EphemeralResource extends TerraformElement {
  /** The ephemeral resource type, e.g. `aws_secretsmanager_random_password`. */
  readonly terraformResourceType: string;

  constructor(
    scope: Construct,
    id: string,
    type: string,
    private readonly config: Record<string, unknown>,
  ) {
    super(scope, id, `ephemeral.${type}`);
    this.terraformResourceType = type;
  }

  /** `ephemeral.<type>.<name>` (plus `[*]` etc.): how Terraform expressions name it. */
  get address(): string {
    return `ephemeral.${this.terraformResourceType}.${this.friendlyUniqueId}`;
  }

  override toTerraform(): any {
    // Overrides (`count` from PlanTimeLookup) are top-level arguments of the block.
    return { ephemeral: { [this.terraformResourceType]: { [this.friendlyUniqueId]: { ...this.config, ...this.rawOverrides } } } };
  }

  override toHclTerraform(): any {
    const attrs = Object.fromEntries(
      Object.entries({ ...this.config, ...this.rawOverrides }).map(([k, value]) => [k, { value, isBlock: false, type: 'simple', storageClassType: typeof value }]),
    );
    return { ephemeral: { [this.terraformResourceType]: { [this.friendlyUniqueId]: attrs } } };
  }
}
