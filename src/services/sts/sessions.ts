import type { CredentialSource, ResolvedCredential } from '../../app.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import type { SecretBox } from '../../shared/secret-box.js';
import type { Principal } from '../../gateway/context.js';
import { KIND, type SessionDoc } from '../iam/schema.js';
import { iamId, secretAccessKey } from '../../shared/ids.js';
import { randomBytes } from 'node:crypto';

export interface IssuedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

/** The store namespace of KIND.session ('sts.session'). */
const NAMESPACE = 'sts';

/** Issues temporary credentials acting as `principal` (its accessKeyId is replaced by the new key's). */
export function issueSession(store: MetadataStore, secrets: SecretBox, principal: Omit<Principal, 'accessKeyId'>, expiration: Date): IssuedCredentials {
  // STS gives expirations in whole seconds.
  expiration = new Date(Math.floor(expiration.getTime() / 1000) * 1000);
  const AccessKeyId = iamId('ASIA');
  const SecretAccessKey = secretAccessKey();
  // Long and opaque like AWS's tokens; its value is only ever compared.
  const SessionToken = randomBytes(96).toString('base64');
  const doc: SessionDoc = {
    AccessKeyId,
    SecretSealed: secrets.seal(SecretAccessKey, AccessKeyId),
    SessionTokenSealed: secrets.seal(SessionToken, AccessKeyId),
    Expiration: expiration.toISOString(),
    Principal: { ...principal, accessKeyId: AccessKeyId },
  };
  store.put(KIND.session, AccessKeyId, doc);
  return { AccessKeyId, SecretAccessKey, SessionToken, Expiration: expiration };
}

/** Ends temporary credentials before they expire (a console sign-out): the key no longer resolves. */
export function revokeSession(store: MetadataStore, accessKeyId: string): void {
  store.delete(KIND.session, accessKeyId);
}

/** Temporary credentials as a CredentialSource; expired ones are still resolved so authentication can say ExpiredToken. */
export function sessionCredentialSource(store: MetadataStore, secrets: SecretBox): CredentialSource {
  const cache = new Map<string, ResolvedCredential>();
  const MAX = 10_000;
  let generation = store.generationOf(NAMESPACE);
  return {
    resolve(akid) {
      if (!akid.startsWith('ASIA')) return undefined;
      // A revoked session must stop resolving at once; any change to the sessions empties the cache.
      if (store.generationOf(NAMESPACE) !== generation) {
        cache.clear();
        generation = store.generationOf(NAMESPACE);
      }
      const hit = cache.get(akid);
      if (hit) return hit;
      const doc = store.get<SessionDoc>(KIND.session, akid);
      if (!doc) return undefined;
      const resolved: ResolvedCredential = {
        secretAccessKey: secrets.unseal(doc.SecretSealed, akid),
        sessionToken: secrets.unseal(doc.SessionTokenSealed, akid),
        expiration: new Date(doc.Expiration),
        principal: doc.Principal,
      };
      if (cache.size >= MAX) cache.clear();
      cache.set(akid, resolved);
      return resolved;
    },
  };
}
