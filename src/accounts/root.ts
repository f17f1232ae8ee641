import { existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { CredentialSource, ResolvedCredential } from '../app.js';
import type { SecretBox } from '../shared/secret-box.js';
import { iamId, secretAccessKey } from '../shared/ids.js';

export interface RootCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** True when this start generated them (the CLI prints them once). */
  generated: boolean;
}

/**
 * Root credentials: from TAILOR_ROOT_ACCESS_KEY_ID / TAILOR_ROOT_SECRET_ACCESS_KEY when set; otherwise
 * generated on first start and kept in `<data dir>/root-credentials.json` (mode 0600, secret sealed).
 */
export function loadRootCredentials(dataDir: string, secrets: SecretBox, env: NodeJS.ProcessEnv): RootCredentials {
  const id = env.TAILOR_ROOT_ACCESS_KEY_ID;
  const secret = env.TAILOR_ROOT_SECRET_ACCESS_KEY;
  if (id || secret) {
    if (!id || !secret) throw new Error('set both TAILOR_ROOT_ACCESS_KEY_ID and TAILOR_ROOT_SECRET_ACCESS_KEY, or neither');
    return { accessKeyId: id, secretAccessKey: secret, generated: false };
  }
  const file = join(dataDir, 'root-credentials.json');
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { accessKeyId: string; secretSealed: string };
    return { accessKeyId: stored.accessKeyId, secretAccessKey: secrets.unseal(stored.secretSealed, stored.accessKeyId), generated: false };
  }
  const creds = { accessKeyId: iamId('AKIA'), secretAccessKey: secretAccessKey() };
  const stored = { accessKeyId: creds.accessKeyId, secretSealed: secrets.seal(creds.secretAccessKey, creds.accessKeyId) };
  writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  return { ...creds, generated: true };
}

export function rootCredentialSource(accountId: string, creds: RootCredentials): CredentialSource {
  const resolved: ResolvedCredential = {
    secretAccessKey: creds.secretAccessKey,
    principal: {
      type: 'root',
      arn: `arn:aws:iam::${accountId}:root`,
      accountId,
      userId: accountId,
      accessKeyId: creds.accessKeyId,
    },
  };
  return { resolve: (akid) => (akid === creds.accessKeyId ? resolved : undefined) };
}
