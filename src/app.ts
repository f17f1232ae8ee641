import type { MetadataStore } from './storage/metadata/store.js';
import type { SecretBox } from './shared/secret-box.js';
import type { Principal, Provider } from './gateway/context.js';
import type { CompiledPolicy } from './policy/index.js';
import type { ExternalS3Config } from './storage/objects/external.js';

export interface Config {
  dataDir: string;
  accountId: string;
  host: string;
  port: number;
  /** `--s3-endpoint`: services read import data from this S3-compatible service instead of the embedded store. */
  externalS3?: ExternalS3Config;
}

/** What an access key id stands for: the secret SigV4 needs, and whose it is. */
export interface ResolvedCredential {
  secretAccessKey: string;
  principal: Principal;
  /** Temporary credentials only: the token the request must carry, and when it stops working. */
  sessionToken?: string;
  expiration?: Date;
}

/** Where access keys come from: root credentials, IAM users' keys, STS sessions. */
export interface CredentialSource {
  resolve(accessKeyId: string): ResolvedCredential | undefined;
}

/** The identity-side policies that apply to a principal, compiled. */
export interface PrincipalPolicies {
  identity: CompiledPolicy[];
  /** Permissions boundary, when the user or role has one. */
  boundary?: CompiledPolicy;
  /** Session policies of temporary credentials (intersect with identity policies). */
  session?: CompiledPolicy[];
  /** aws:PrincipalTag/… values. */
  tags: Record<string, string>;
}

/** The composition root's product: everything a request handler may use, passed explicitly (no singletons). */
export interface App {
  readonly config: Config;
  readonly store: MetadataStore;
  readonly secrets: SecretBox;
  now(): Date;
  readonly credentials: CredentialSource[];
  /** Identity-side policies of a principal; IAM provides it (cached, refreshed when the store changes). */
  principalPolicies(principal: Principal): PrincipalPolicies;
  readonly providers: Provider[];
}
