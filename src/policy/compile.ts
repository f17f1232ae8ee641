// A compiled policy: its statements indexed by action so a decision looks at the few that can apply.
import { readDocument } from './document.js';
import type { CompiledStatement } from './statement.js';
import type { CompiledPolicy, MatchedStatement, PolicyType } from './types.js';

interface ServiceIndex {
  /** Statements naming the whole service (`s3:*`): they match every action of it. */
  readonly all: CompiledStatement[];
  /** Statements naming the exact action (key: lower-case `service:name`). */
  readonly exact: Map<string, CompiledStatement[]>;
  /** Statements with a wildcard pattern for this service: their matcher decides. */
  readonly scan: CompiledStatement[];
}

export class Policy implements CompiledPolicy {
  readonly version: string | undefined;
  readonly statements: readonly CompiledStatement[];
  /** The explanation entry of each statement, built once. */
  readonly explanations: readonly MatchedStatement[];
  /** Statements that may match any service (`*`, NotAction). */
  readonly global: readonly CompiledStatement[];
  private readonly services = new Map<string, ServiceIndex>();

  constructor(readonly id: string, readonly type: PolicyType, text: string) {
    const doc = readDocument(text, type);
    this.version = doc.version;
    this.statements = doc.statements;
    this.explanations = doc.statements.map((s, i) =>
      Object.freeze({
        policyId: id,
        policyType: type,
        statementIndex: s.index,
        ...(s.sid ? { sid: s.sid } : {}),
        start: doc.spans[i].start,
        end: doc.spans[i].end,
      }),
    );
    const global: CompiledStatement[] = [];
    for (const s of doc.statements) {
      const a = s.actions;
      if (a.not || a.any) {
        global.push(s);
        continue;
      }
      for (const svc of a.wholeServices) this.index(svc).all.push(s);
      for (const svc of a.globServices) if (!a.wholeServices.has(svc)) this.index(svc).scan.push(s);
      for (const action of a.exact) {
        const svc = action.slice(0, action.indexOf(':'));
        if (a.globServices.has(svc) || a.wholeServices.has(svc)) continue;
        const exact = this.index(svc).exact;
        const list = exact.get(action);
        if (list) list.push(s);
        else exact.set(action, [s]);
      }
    }
    this.global = global;
  }

  get statementCount(): number {
    return this.statements.length;
  }

  /** Context keys the document uses (condition keys and policy variables), first spelling kept. */
  get contextKeys(): string[] {
    const seen = new Map<string, string>();
    for (const s of this.statements) {
      for (const k of [...(s.resources?.keys ?? []), ...s.conditions.flatMap((c) => c.keys)]) {
        if (!seen.has(k.toLowerCase())) seen.set(k.toLowerCase(), k);
      }
    }
    return [...seen.values()];
  }

  /** The index for a lower-case service prefix, if any statement names it. */
  service(prefix: string): ServiceIndex | undefined {
    return this.services.get(prefix);
  }

  private index(svc: string): ServiceIndex {
    let i = this.services.get(svc);
    if (!i) {
      i = { all: [], exact: new Map(), scan: [] };
      this.services.set(svc, i);
    }
    return i;
  }
}
