// A KMS-keyed dataset group's data keys, used through KMS as the group's role (so the key policy,
// grants and the role's own policies all decide, and a disabled key stops imports and training).
import type { App } from '../../app.js';
import { decrypt, generateDataKey, type KmsCaller } from '../kms/service-api.js';
import { isAwsError } from '../../shared/aws-error.js';
import type { KeyKeeper } from './data-store.js';
import type { DatasetGroupDoc } from './schema.js';
import { WorkFailure } from './lifecycle.js';
import { mustAssume, whereOf } from './service-role.js';

/** The key keeper of a group, or undefined when its data is not KMS-encrypted. Throws WorkFailure when the role cannot be assumed. */
export function groupKeys(app: App, group: DatasetGroupDoc): KeyKeeper | undefined {
  const keyArn = group.kmsKeyArn;
  if (!keyArn) return undefined;
  const { region } = whereOf(group.datasetGroupArn);
  const session = mustAssume(app, group.roleArn ?? '', group.datasetGroupArn);
  const caller: KmsCaller = {
    principal: session.principal, region, now: session.now, authorize: session.authorize, viaService: `personalize.${region}.amazonaws.com`,
  };
  const kms = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (isAwsError(e)) throw new WorkFailure(`Amazon Personalize cannot use the KMS key ${keyArn}: ${e.message || e.code}`);
      throw e;
    }
  };
  return {
    newKey: () => kms(() => {
      const k = generateDataKey(app, { keyId: keyArn, caller });
      return { plaintext: k.plaintext, sealed: k.ciphertextBlob };
    }),
    open: (sealed) => kms(() => decrypt(app, { ciphertextBlob: sealed, keyId: keyArn, caller }).plaintext),
  };
}
