import type { App } from '../../app.js';
import type { KmsCaller } from './caller.js';
import { KIND, aliasArn, aliasStoreId, type AliasDoc } from './schema.js';
import { authorizeChecks, keyCheck } from './authz.js';
import { accountOf, findAlias, loadKey, requireNotPendingDeletion, resolveKey } from './lookup.js';
import { alreadyExists, notAuthorized, validation } from './errors.js';
import { pageStore, type PageInput } from './paging.js';

/** AWS's checks beyond the model's pattern: the `alias/` prefix, no `:`, and `alias/aws/` kept for AWS managed keys. */
function checkAliasName(name: string): void {
  if (!name.startsWith('alias/')) {
    throw validation('Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  }
  if (name.includes(':')) throw validation(`${name} contains invalid characters for an alias`);
  if (name.startsWith('alias/aws/')) throw notAuthorized();
}

/** Aliases are IAM-only resources: the alias ARN is checked without a resource policy. */
const aliasCheck = (action: string, arn: string) => ({ action, resource: arn });

function save(app: App, alias: AliasDoc): void {
  app.store.put(KIND.alias, aliasStoreId(alias.AccountId, alias.Region, alias.AliasName), alias);
}

export function createAlias(app: App, caller: KmsCaller, input: { AliasName: string; TargetKeyId: string }): void {
  checkAliasName(input.AliasName);
  const account = accountOf(caller);
  const arn = aliasArn(caller.region, account, input.AliasName);
  const { key } = resolveKey(app, caller, input.TargetKeyId, { aliases: false });
  authorizeChecks(app, caller, aliasCheck('kms:CreateAlias', arn), keyCheck(key, 'CreateAlias'));
  requireNotPendingDeletion(key);
  const id = aliasStoreId(account, caller.region, input.AliasName);
  app.store.transaction(() => {
    if (app.store.get(KIND.alias, id)) throw alreadyExists(`An alias with the name ${arn} already exists`);
    const now = caller.now.toISOString();
    save(app, {
      AliasName: input.AliasName, AliasArn: arn, AccountId: account, Region: caller.region,
      TargetKeyId: key.KeyId, CreationDate: now, LastUpdatedDate: now,
    });
  });
}

/** The alias and the key it points at (an alias always has one: deleting a key deletes its aliases). */
function aliasAndKey(app: App, caller: KmsCaller, name: string) {
  const alias = findAlias(app, caller, name);
  return { alias, key: loadKey(app, alias.AccountId, alias.Region, alias.TargetKeyId)! };
}

export function deleteAlias(app: App, caller: KmsCaller, input: { AliasName: string }): void {
  const { alias, key } = aliasAndKey(app, caller, input.AliasName);
  authorizeChecks(app, caller, aliasCheck('kms:DeleteAlias', alias.AliasArn), keyCheck(key, 'DeleteAlias'));
  app.store.delete(KIND.alias, aliasStoreId(alias.AccountId, alias.Region, alias.AliasName));
}

export function updateAlias(app: App, caller: KmsCaller, input: { AliasName: string; TargetKeyId: string }): void {
  const { alias, key: current } = aliasAndKey(app, caller, input.AliasName);
  const { key } = resolveKey(app, caller, input.TargetKeyId, { aliases: false });
  authorizeChecks(app, caller, aliasCheck('kms:UpdateAlias', alias.AliasArn), keyCheck(current, 'UpdateAlias'), keyCheck(key, 'UpdateAlias'));
  requireNotPendingDeletion(key);
  save(app, { ...alias, TargetKeyId: key.KeyId, LastUpdatedDate: caller.now.toISOString() });
}

export function listAliases(app: App, caller: KmsCaller, input: PageInput & { KeyId?: string }) {
  // The filter key must exist (NotFound otherwise), but listing needs only kms:ListAliases.
  const target = input.KeyId === undefined ? undefined : resolveKey(app, caller, input.KeyId, { aliases: false }).key;
  authorizeChecks(app, caller, { action: 'kms:ListAliases' });
  const page = pageStore<AliasDoc>(app.store, KIND.alias, input, {
    defaultLimit: 50,
    prefix: `${accountOf(caller)}:${caller.region}:`,
    filter: target && ((a) => a.TargetKeyId === target.KeyId),
    idOf: (a) => aliasStoreId(a.AccountId, a.Region, a.AliasName),
  });
  return {
    Aliases: page.items.map((a) => ({
      AliasName: a.AliasName,
      AliasArn: a.AliasArn,
      TargetKeyId: a.TargetKeyId,
      CreationDate: new Date(a.CreationDate),
      LastUpdatedDate: new Date(a.LastUpdatedDate),
    })),
    Truncated: page.Truncated,
    NextMarker: page.NextMarker,
  };
}
