import type { OperationHandler } from '../../gateway/context.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import type { EntityType } from './schema.js';
import { invalidInput, noSuchEntity } from './common.js';
import { requireEntity, saveEntity } from './attachments.js';
import { findManagedPolicy, parsePolicyArn, type ManagedPolicy } from './aws-managed.js';

/** A boundary must be given as a managed policy's ARN. */
export function checkBoundaryArn(arn: string): void {
  if (!parsePolicyArn(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
}

/** The managed policy a boundary names, which must exist. */
export function requireBoundaryPolicy(store: MetadataStore, arn: string): ManagedPolicy {
  const policy = findManagedPolicy(store, arn);
  if (!policy) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  return policy;
}

function put(type: EntityType, nameKey: string, action: string): OperationHandler {
  return (input: Record<string, string> & { PermissionsBoundary: string }, ctx) => {
    checkBoundaryArn(input.PermissionsBoundary);
    // The request context names the boundary being set, not the one being replaced.
    const entity = requireEntity(ctx, action, type, input[nameKey], { 'iam:PermissionsBoundary': input.PermissionsBoundary });
    const { store } = ctx.app;
    store.transaction(() => {
      const policy = requireBoundaryPolicy(store, input.PermissionsBoundary);
      saveEntity(store, type, { ...entity, PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: policy.Arn } });
    });
  };
}

function remove(type: EntityType, nameKey: string, action: string): OperationHandler {
  return (input: Record<string, string>, ctx) => {
    const { PermissionsBoundary, ...entity } = requireEntity(ctx, action, type, input[nameKey]);
    if (PermissionsBoundary) ctx.app.store.transaction(() => saveEntity(ctx.app.store, type, entity));
  };
}

export const operations: Record<string, OperationHandler> = {
  PutUserPermissionsBoundary: put('user', 'UserName', 'iam:PutUserPermissionsBoundary'),
  DeleteUserPermissionsBoundary: remove('user', 'UserName', 'iam:DeleteUserPermissionsBoundary'),
  PutRolePermissionsBoundary: put('role', 'RoleName', 'iam:PutRolePermissionsBoundary'),
  DeleteRolePermissionsBoundary: remove('role', 'RoleName', 'iam:DeleteRolePermissionsBoundary'),
};
