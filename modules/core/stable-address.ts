import { TerraformElement, TerraformResource, TerraformStack } from 'cdktf';

/** What cdktf appends to a logical id: `_` and 8 hex digits of the MD5 of the construct path. */
const HASH_SUFFIX = /^(.+)_[0-9A-F]{8}$/;

/** Stable names per stack (`<type>.<name>` → construct path), to refuse two resources one address. */
const claimed = new WeakMap<TerraformStack, Map<string, string>>();

/**
 * A `moved` block from the address cdktf gave the resource (with the hash) to its stable one. Its own
 * element rather than `resource.moveFromId()`: that one makes every synth of the stack run
 * `terraform version` (cdktf's Terraform >= 1.5 check, redundant with the 1.10 this package needs), and
 * leaves `moveFromId` free for the consumer's own moves into the resource.
 */
class MovedFromHashedAddress extends TerraformElement {
  constructor(
    private readonly resource: TerraformResource,
    private readonly from: string,
  ) {
    super(resource, 'moved-from-hashed-address');
  }

  private get to(): string {
    return `${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}`;
  }

  override toTerraform(): any {
    return { moved: [{ from: this.from, to: this.to }] };
  }

  override toHclTerraform(): any {
    const ref = (value: string) => ({ value, isBlock: false, type: 'simple', storageClassType: 'reference' });
    return { moved: [{ from: ref(this.from), to: ref(this.to) }] };
  }
}

/** Starts the stack's register of stable names, and checks at synth that no other resource took one. */
function claim(stack: TerraformStack): Map<string, string> {
  const names = new Map<string, string>();
  claimed.set(stack, names);
  // A resource made directly in the stack keeps its id without a hash, so it could meet a stable name.
  stack.node.addValidation({
    validate: () => {
      const seen = new Map<string, string>();
      const errors: string[] = [];
      for (const c of stack.node.findAll()) {
        if (!TerraformResource.isTerraformResource(c)) continue;
        const address = `${c.terraformResourceType}.${c.friendlyUniqueId}`;
        const first = seen.get(address);
        if (first !== undefined && names.has(address)) errors.push(`${c.node.path} and ${first} both have the address ${address}; give one of them another construct id`);
        seen.set(address, first ?? c.node.path);
      }
      return errors;
    },
  });
  return names;
}

/**
 * Gives a resource users import or move (`terraform import`, `terraform state mv`) an address
 * without cdktf's hash suffix: the logical id cdktf would give it, minus the `_<HASH>`, so the
 * construct path below the stack (`aws_eks_cluster.cluster`, `aws_s3_bucket.site_bucket`). A `moved`
 * block takes state that holds the hashed address along, so an existing deployment plans a move,
 * not a replacement.
 *
 * Call it right after creating the resource, before anything reads one of its attributes (a read
 * fixes the address). Throws if another resource of the same type in the stack already has the
 * name (cdktf drops characters other than letters, digits, `_` and `-` from construct ids, so
 * `a.b` and `ab` meet). A stack that allocates logical ids its own way (no hash) keeps them.
 */
export function stableAddress<T extends TerraformResource>(resource: T): T {
  const stack = TerraformStack.of(resource);
  const hashed = stack.getLogicalId(resource);
  const m = HASH_SUFFIX.exec(hashed);
  if (!m) return resource;
  const name = m[1];
  const type = resource.terraformResourceType;
  const names = claimed.get(stack) ?? claim(stack);
  const other = names.get(`${type}.${name}`);
  if (other !== undefined) {
    throw new Error(`${resource.node.path}: address ${type}.${name} is already used by ${other} in stack ${stack.node.id}; give one of the constructs another id`);
  }
  resource.overrideLogicalId(name);
  if (resource.friendlyUniqueId !== name) {
    throw new Error(`${resource.node.path}: stableAddress() must be called before any attribute of the resource is read (its address is already ${type}.${resource.friendlyUniqueId})`);
  }
  names.set(`${type}.${name}`, resource.node.path);
  new MovedFromHashedAddress(resource, `${type}.${hashed}`);
  return resource;
}
