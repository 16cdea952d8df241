import { applyPatch, compare, deepClone, Operation } from 'fast-json-patch';
import { stringify, parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '../../modules/apps/application-manifests';

/** One environment's objects, and what its overlay sets with Kustomize's own fields. */
export interface KustomizeOverlay {
  readonly objects: readonly KubernetesObject[];
  readonly namespace: string;
  /** Kustomize `images` entry: the base's image `name` becomes `newName:newTag`. */
  readonly image: { readonly name: string; readonly newName: string; readonly newTag: string };
}

const fileOf = (o: KubernetesObject) => `${o.kind.toLowerCase()}.yaml`;
const key = (o: KubernetesObject) => `${o.kind}/${o.metadata.name}`;
const header = '# Written by `npm run apps:render` from environments/*.ts: edit the config, not this file.\n';
const yaml = (doc: unknown) => stringify(doc, { lineWidth: 0 });

function withoutNamespace(o: KubernetesObject): KubernetesObject {
  const copy = deepClone(o) as { metadata: { namespace?: string } };
  delete copy.metadata.namespace;
  return copy as unknown as KubernetesObject;
}

/** What `namespace:` and `images:` of an overlay do to a base object (Kustomize's two transformers used here). */
function transform(o: KubernetesObject, overlay: Pick<KustomizeOverlay, 'namespace' | 'image'>): KubernetesObject {
  const copy = deepClone(o) as any;
  copy.metadata.namespace = overlay.namespace;
  const spec = copy.kind === 'Deployment' ? copy.spec.template.spec : undefined;
  for (const c of spec?.containers ?? []) if (c.image === overlay.image.name) c.image = `${overlay.image.newName}:${overlay.image.newTag}`;
  return copy;
}

/**
 * A Kustomize base (the objects without a namespace) and one overlay per environment: `namespace`,
 * `images`, and for each object what differs a JSON 6902 patch computed with fast-json-patch (objects
 * only an environment has are its own resources). Returns file path -> content.
 */
export function kustomizeLayout(base: readonly KubernetesObject[], overlays: Readonly<Record<string, KustomizeOverlay>>): Record<string, string> {
  const files: Record<string, string> = {};
  const baseObjects = base.map(withoutNamespace);
  for (const o of baseObjects) files[`base/${fileOf(o)}`] = header + yaml(o);
  files['base/kustomization.yaml'] = header + yaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: baseObjects.map(fileOf) });
  for (const [env, overlay] of Object.entries(overlays)) {
    const patches: Array<{ path: string; target: { kind: string; name: string } }> = [];
    const resources = ['../../base'];
    for (const o of overlay.objects) {
      const b = baseObjects.find((x) => key(x) === key(o));
      if (!b) {
        files[`overlays/${env}/${fileOf(o)}`] = header + yaml(withoutNamespace(o));
        resources.push(fileOf(o));
        continue;
      }
      const ops = compare(transform(b, overlay), o);
      if (ops.length === 0) continue;
      const path = `patches/${o.kind.toLowerCase()}.yaml`;
      files[`overlays/${env}/${path}`] = header + yaml(ops);
      patches.push({ path, target: { kind: o.kind, name: o.metadata.name } });
    }
    files[`overlays/${env}/kustomization.yaml`] =
      header + yaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: overlay.namespace, resources, images: [overlay.image], ...(patches.length ? { patches } : {}) });
  }
  return files;
}

/**
 * `kustomize build overlays/<env>` for the layouts `kustomizeLayout` writes (resources, `namespace`,
 * `images`, JSON 6902 `patches` with a kind/name target), from the files: for tests, and for users
 * without kustomize. Other Kustomize features are refused.
 */
export function buildOverlay(files: Readonly<Record<string, string>>, env: string): KubernetesObject[] {
  const read = (p: string) => {
    const text = files[p];
    if (text === undefined) throw new Error(`${p}: no such file in the layout`);
    return parseAllDocuments(text).map((d) => d.toJS());
  };
  const k = read(`overlays/${env}/kustomization.yaml`)[0];
  const known = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'patches']);
  const unknown = Object.keys(k).filter((f) => !known.has(f));
  if (unknown.length) throw new Error(`overlays/${env}/kustomization.yaml: ${unknown.join(', ')} not supported here`);
  const baseK = read('base/kustomization.yaml')[0];
  const objects: KubernetesObject[] = [];
  for (const r of k.resources as string[]) {
    if (r === '../../base') objects.push(...(baseK.resources as string[]).flatMap((f) => read(`base/${f}`)));
    else objects.push(...read(`overlays/${env}/${r}`));
  }
  const [image] = k.images as KustomizeOverlay['image'][];
  return objects.map((o) => {
    let out = transform(o, { namespace: k.namespace, image });
    for (const p of (k.patches ?? []) as Array<{ path: string; target: { kind: string; name: string } }>) {
      if (p.target.kind === o.kind && p.target.name === o.metadata.name) out = applyPatch(out, read(`overlays/${env}/${p.path}`)[0] as Operation[], true, false).newDocument;
    }
    return out;
  });
}
