import type { CredentialSource, ResolvedCredential } from '../../app.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import type { SecretBox } from '../../shared/secret-box.js';
import { KIND, lower, type AccessKeyDoc, type UserDoc } from './schema.js';
import { secretAad } from './access-keys.js';

const MAX_CACHED = 10_000;

/**
 * IAM users' access keys as SigV4 credentials. Answers come from a small cache that is dropped
 * whenever an IAM document changes, so a key deactivated or deleted stops working on the next request.
 */
export function iamUserCredentialSource(store: MetadataStore, secrets: SecretBox, accountId: string): CredentialSource {
  let generation = store.generationOf('iam');
  // null remembers "no such usable key" too, so unknown ids don't cost a lookup each time.
  const cache = new Map<string, ResolvedCredential | null>();

  function lookup(accessKeyId: string): ResolvedCredential | null {
    const key = store.get<AccessKeyDoc>(KIND.accessKey, accessKeyId);
    if (!key || key.Status !== 'Active') return null;
    const user = store.get<UserDoc>(KIND.user, lower(key.UserName));
    if (!user) return null;
    return {
      secretAccessKey: secrets.unseal(key.SecretSealed, secretAad(accessKeyId)),
      principal: { type: 'user', arn: user.Arn, accountId, userId: user.UserId, userName: user.UserName, accessKeyId },
    };
  }

  return {
    resolve(accessKeyId) {
      if (store.generationOf('iam') !== generation) {
        cache.clear();
        generation = store.generationOf('iam');
      }
      let hit = cache.get(accessKeyId);
      if (hit === undefined) {
        if (cache.size >= MAX_CACHED) cache.clear();
        hit = lookup(accessKeyId);
        cache.set(accessKeyId, hit);
      }
      return hit ?? undefined;
    },
  };
}
