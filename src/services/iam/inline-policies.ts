import type { OperationHandler } from '../../gateway/context.js';
import { KIND, lower, type EntityType, type InlinePolicyDoc } from './schema.js';
import { encodeDocument, noSuchEntity, pageOf } from './common.js';
import { entityName, requireEntity } from './attachments.js';
import { policySize } from '../../policy/index.js';
import { inlineDocument } from './policy-documents.js';

const inlineId = (type: EntityType, name: string, policyName: string) => `${type}|${lower(name)}|${policyName}`;
const notFound = (type: EntityType, policyName: string) => noSuchEntity(`The ${type} policy with name ${policyName} cannot be found.`);

type Input = Record<string, string> & { PolicyName: string };

function put(type: EntityType, nameKey: string, action: string): OperationHandler {
  return (input: Input & { PolicyDocument: string }, ctx) => {
    const name = input[nameKey];
    const entity = requireEntity(ctx, action, type, name);
    const { store } = ctx.app;
    store.transaction(() => {
      let othersSize = 0;
      for (const p of store.list<InlinePolicyDoc>(KIND.inlinePolicy, { prefix: `${type}|${lower(name)}|` })) {
        if (p.PolicyName !== input.PolicyName) othersSize += policySize(p.PolicyDocument);
      }
      const text = inlineDocument(input.PolicyDocument, type, entityName(entity), othersSize);
      const doc: InlinePolicyDoc = { EntityType: type, EntityName: entityName(entity), PolicyName: input.PolicyName, PolicyDocument: text };
      store.put(KIND.inlinePolicy, inlineId(type, name, input.PolicyName), doc);
    });
  };
}

function get(type: EntityType, nameKey: string, action: string): OperationHandler {
  return (input: Input, ctx) => {
    const name = input[nameKey];
    const entity = requireEntity(ctx, action, type, name);
    const doc = ctx.app.store.get<InlinePolicyDoc>(KIND.inlinePolicy, inlineId(type, name, input.PolicyName));
    if (!doc) throw notFound(type, input.PolicyName);
    return { [nameKey]: entityName(entity), PolicyName: doc.PolicyName, PolicyDocument: encodeDocument(doc.PolicyDocument) };
  };
}

function remove(type: EntityType, nameKey: string, action: string): OperationHandler {
  return (input: Input, ctx) => {
    const name = input[nameKey];
    requireEntity(ctx, action, type, name);
    const { store } = ctx.app;
    store.transaction(() => {
      if (!store.delete(KIND.inlinePolicy, inlineId(type, name, input.PolicyName))) throw notFound(type, input.PolicyName);
    });
  };
}

function list(type: EntityType, nameKey: string, action: string): OperationHandler {
  return (input: Record<string, string> & { Marker?: string; MaxItems?: number }, ctx) => {
    const name = input[nameKey];
    requireEntity(ctx, action, type, name);
    const page = pageOf<InlinePolicyDoc>(ctx.app.store, KIND.inlinePolicy, input, {
      prefix: `${type}|${lower(name)}|`, idOf: (p) => inlineId(type, name, p.PolicyName),
    });
    return { PolicyNames: page.items.map((p) => p.PolicyName), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  };
}

export const operations: Record<string, OperationHandler> = {
  PutUserPolicy: put('user', 'UserName', 'iam:PutUserPolicy'),
  GetUserPolicy: get('user', 'UserName', 'iam:GetUserPolicy'),
  DeleteUserPolicy: remove('user', 'UserName', 'iam:DeleteUserPolicy'),
  ListUserPolicies: list('user', 'UserName', 'iam:ListUserPolicies'),
  PutGroupPolicy: put('group', 'GroupName', 'iam:PutGroupPolicy'),
  GetGroupPolicy: get('group', 'GroupName', 'iam:GetGroupPolicy'),
  DeleteGroupPolicy: remove('group', 'GroupName', 'iam:DeleteGroupPolicy'),
  ListGroupPolicies: list('group', 'GroupName', 'iam:ListGroupPolicies'),
  PutRolePolicy: put('role', 'RoleName', 'iam:PutRolePolicy'),
  GetRolePolicy: get('role', 'RoleName', 'iam:GetRolePolicy'),
  DeleteRolePolicy: remove('role', 'RoleName', 'iam:DeleteRolePolicy'),
  ListRolePolicies: list('role', 'RoleName', 'iam:ListRolePolicies'),
};
