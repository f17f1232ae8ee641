/** A service model as the server's /console/api/model/<service> gives it (see src/console/model-view.ts). */
export interface MemberRef {
  target: string;
  traits?: Record<string, any>;
}
export interface ShapeView {
  type: string;
  traits?: Record<string, any>;
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
}
export interface ModelView {
  protocol: 'awsQuery' | 'awsJson1_0' | 'awsJson1_1' | 'restJson1' | 'restXml';
  targetPrefix: string;
  version: string;
  signingName: string;
  xmlNamespace?: string;
  operations: Record<string, { input?: string; output?: string; http?: { method: string; uri: string; code?: number } }>;
  shapes: Record<string, ShapeView>;
}

const PRELUDE_TYPES: Record<string, string> = {
  String: 'string', Boolean: 'boolean', PrimitiveBoolean: 'boolean', Integer: 'integer', PrimitiveInteger: 'integer',
  Long: 'long', PrimitiveLong: 'long', Float: 'float', Double: 'double', Timestamp: 'timestamp', Blob: 'blob', Document: 'document',
};

export function shapeOf(model: ModelView, id: string): ShapeView {
  const s = model.shapes[id];
  if (s) return s;
  const prelude = PRELUDE_TYPES[id.slice(id.indexOf('#') + 1)];
  return { type: prelude ?? 'string' };
}

const cache = new Map<string, Promise<ModelView>>();

export function loadModel(service: string): Promise<ModelView> {
  let m = cache.get(service);
  if (!m) {
    m = fetch(`/console/api/model/${service}`).then((r) => {
      if (!r.ok) throw new Error(`model ${service}: HTTP ${r.status}`);
      return r.json() as Promise<ModelView>;
    });
    m.catch(() => cache.delete(service));
    cache.set(service, m);
  }
  return m;
}
