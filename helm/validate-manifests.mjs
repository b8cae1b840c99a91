// Offline validation of rendered Kubernetes manifests (multi-document YAML on stdin or in the
// files named as arguments). Two checks per object:
//   1. the JSON schema of its apiVersion/kind, from the kubernetes-models packages
//      (types, required fields, enums);
//   2. no unknown fields, walked with the type metadata of @kubernetes/client-node, because
//      the schemas admit extra keys and a misspelt field is otherwise silently dropped by the
//      API server.
//   3. Roost's roost.yaml in the ConfigMap holds no secret (passwords, client secrets, the
//      admin token go in Secrets), and every file it names under /etc/roost/ is one the
//      StatefulSet's pod mounts.
// Prints one line per object and exits 1 if any object fails.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import * as k8s from '@kubernetes/client-node';

// apiVersion -> module with the model classes; group "" (core) is plain "v1".
const MODULES = {
  'v1': 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};

async function schemaErrors(obj) {
  const module = MODULES[obj.apiVersion];
  if (!module) return [`no schema known for apiVersion ${obj.apiVersion}`];
  const models = await import(module);
  const Model = models[obj.kind];
  if (!Model) return [`no schema known for ${obj.apiVersion} ${obj.kind}`];
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    return [String(e.message ?? e)];
  }
}

// Type names as client-node writes them: "V1Container", "Array<V1EnvVar>",
// "{ [key: string]: string; }", "string", "number", "boolean", "IntOrString", "any", "Date".
function unknownFields(value, type, path, out) {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, array[1], `${path}[${i}]`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    for (const [k, v] of Object.entries(value)) unknownFields(v, map[1], `${path}.${k}`, out);
    return;
  }
  const cls = k8s[type];
  if (typeof cls?.getAttributeTypeMap !== 'function' || typeof value !== 'object') return;
  const attributes = new Map(cls.getAttributeTypeMap().map(a => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    if (!attributes.has(k)) out.push(`${path}.${k}: unknown field`);
    else unknownFields(v, attributes.get(k), `${path}.${k}`, out);
  }
}

function clientNodeType(obj) {
  const version = obj.apiVersion.split('/').pop();
  const type = `${version.charAt(0).toUpperCase()}${version.slice(1)}${obj.kind}`;
  return typeof k8s[type]?.getAttributeTypeMap === 'function' ? type : null;
}

const sources = process.argv.length > 2
  ? process.argv.slice(2).map(f => [f, readFileSync(f, 'utf8')])
  : [['<stdin>', readFileSync(0, 'utf8')]];

// Keys of roost.yaml whose values are secrets (their *File forms name a mounted file instead).
const SECRET_KEYS = new Set(['password', 'bindPassword', 'clientSecret', 'token']);

function secretKeys(value, path, out) {
  if (value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEYS.has(k)) out.push(`${path}${k}: a secret in the ConfigMap`);
    secretKeys(v, `${path}${k}.`, out);
  }
  return out;
}

function namedFiles(value, out = []) {
  if (typeof value === 'string' && value.startsWith('/etc/roost/')) out.push(value);
  else if (value !== null && typeof value === 'object') Object.values(value).forEach(v => namedFiles(v, out));
  return out;
}

// Every file the pod template's first container sees through its volume mounts.
function mountedFiles(statefulSet) {
  const pod = statefulSet.spec.template.spec;
  const volumes = new Map((pod.volumes ?? []).map(v => [v.name, v]));
  const files = new Set();
  for (const mount of pod.containers[0].volumeMounts ?? []) {
    const v = volumes.get(mount.name) ?? {};
    const sources = v.projected ? v.projected.sources : [v];
    for (const source of sources) {
      const items = (source.secret ?? source.configMap)?.items ?? [];
      items.forEach(item => files.add(`${mount.mountPath}/${item.path}`));
    }
    if (v.configMap && !v.configMap.items) files.add(`${mount.mountPath}/roost.yaml`);
  }
  return files;
}

function roostConfigErrors(all) {
  const configMap = all.find(o => o.kind === 'ConfigMap' && o.data?.['roost.yaml']);
  const statefulSet = all.find(o => o.kind === 'StatefulSet' || o.kind === 'Deployment');
  if (!configMap || !statefulSet) return ['no ConfigMap with roost.yaml, or no StatefulSet or Deployment'];
  const config = parseAllDocuments(configMap.data['roost.yaml'])[0].toJS();
  const errors = secretKeys(config, '', []);
  const mounted = mountedFiles(statefulSet);
  for (const file of namedFiles(config)) {
    if (!mounted.has(file)) errors.push(`${file}: named in roost.yaml, not mounted in the pod`);
  }
  return errors;
}

const all = [];
let objects = 0, failures = 0;
for (const [name, text] of sources) {
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) {
      failures++;
      console.log(`FAIL ${name}: YAML: ${doc.errors.map(e => e.message).join('; ')}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj === null) continue;
    all.push(obj);
    objects++;
    const id = `${obj.kind}/${obj.metadata?.name}`;
    const errors = await schemaErrors(obj);
    const type = clientNodeType(obj);
    if (type) unknownFields(obj, type, obj.kind, errors);
    if (errors.length) {
      failures++;
      console.log(`FAIL ${id}\n  ${errors.join('\n  ')}`);
    } else {
      console.log(`ok   ${id}${type ? '' : ' (schema only)'}`);
    }
  }
}
const configErrors = roostConfigErrors(all);
if (configErrors.length) {
  failures++;
  console.log(`FAIL roost.yaml\n  ${configErrors.join('\n  ')}`);
} else {
  console.log('ok   roost.yaml (no secrets; every file it names is mounted)');
}
console.log(`${objects} objects, ${failures} invalid`);
process.exit(failures || objects === 0 ? 1 : 0);
