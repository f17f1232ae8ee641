// Adds to a Smithy model the structure members that only AWS's newer botocore model of the same service has,
// converting their target shapes to Smithy. Existing Smithy shapes and members are never changed: the
// Smithy files stay the source of truth for everything they describe (HTTP bindings, error codes, defaults).
// Anything the converter does not know (HTTP locations, streams, error shapes) stops the run rather than
// being merged half-right.

const MEMBER_KEYS = new Set(['shape', 'documentation', 'box', 'deprecated', 'deprecatedMessage']);
const SCALARS = { integer: 'integer', long: 'long', double: 'double', float: 'float', boolean: 'boolean', blob: 'blob', timestamp: 'timestamp' };
// Smithy types a botocore shape of each type may already exist as.
const COMPATIBLE = { string: ['string', 'enum'], structure: ['structure', 'union'] };

const identifier = (value) => {
  const name = value.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
};

function checkMemberRef(ref, where) {
  const extra = Object.keys(ref).filter((k) => !MEMBER_KEYS.has(k));
  if (extra.length) throw new Error(`${where}: botocore member keys not supported: ${extra.join(', ')}`);
}

/**
 * Merges `boto` (botocore service-2 JSON) into `smithy` (Smithy JSON AST) in place.
 * Returns the log: `member Shape.name` and `shape Name` lines for everything added.
 */
export function mergeBotocore(smithy, boto) {
  const [serviceId] = Object.entries(smithy.shapes).find(([, s]) => s.type === 'service');
  const ns = serviceId.split('#')[0];
  const id = (name) => `${ns}#${name}`;
  const log = [];

  // Operations: the sources are documented to agree; a new operation would need HTTP bindings and errors
  // that botocore cannot supply faithfully, so a mismatch is an error, not a merge.
  const smithyOps = new Set(Object.entries(smithy.shapes).filter(([, s]) => s.type === 'operation').map(([k]) => k.split('#')[1]));
  const botoOps = new Set(Object.keys(boto.operations));
  const onlyBoto = [...botoOps].filter((o) => !smithyOps.has(o));
  const onlySmithy = [...smithyOps].filter((o) => !botoOps.has(o));
  if (onlyBoto.length || onlySmithy.length) {
    throw new Error(`${serviceId}: operation lists differ (botocore only: ${onlyBoto.join(', ') || '-'}; Smithy only: ${onlySmithy.join(', ') || '-'})`);
  }

  const botoShape = (name) => {
    const s = boto.shapes[name];
    if (!s) throw new Error(`botocore shape ${name} is referenced but not defined`);
    return s;
  };

  /** Smithy id for botocore shape `name`, converting it (and what it references) if Smithy lacks it. */
  const ensure = (name) => {
    const b = botoShape(name);
    const existing = smithy.shapes[id(name)];
    if (existing) {
      const ok = COMPATIBLE[b.type] ?? [SCALARS[b.type] ?? b.type];
      if (!ok.includes(existing.type)) throw new Error(`${id(name)}: Smithy ${existing.type} vs botocore ${b.type}`);
      return id(name);
    }
    // Register before converting members so recursive shapes terminate.
    const shape = { type: b.type };
    smithy.shapes[id(name)] = shape;
    Object.assign(shape, convert(name, b));
    if (!Object.keys(shape.traits).length) delete shape.traits;
    log.push(`shape ${name} (${shape.type})`);
    return id(name);
  };

  // List members and map keys/values carry no traits in AWS's Smithy files; structure members an empty set.
  const ref = (r, where) => {
    checkMemberRef(r, where);
    return { target: ensure(r.shape) };
  };
  const structMember = (r, where, required) =>
    ({ ...ref(r, where), traits: required ? { 'smithy.api#required': {} } : {} });

  function convert(name, b) {
    if (b.exception || b.error || b.eventstream || b.streaming || b.event || b.document) {
      throw new Error(`${name}: botocore ${b.type} with exception/stream/document flags is not supported`);
    }
    const traits = {};
    const numeric = ['integer', 'long', 'double', 'float'].includes(b.type);
    if (b.min !== undefined || b.max !== undefined) {
      const bounds = {};
      if (b.min !== undefined) bounds.min = b.min;
      if (b.max !== undefined) bounds.max = b.max;
      traits[numeric ? 'smithy.api#range' : 'smithy.api#length'] = bounds;
    }
    // botocore's patterns match the whole value, Smithy's anywhere in it; AWS's own Smithy models anchor
    // them the same way (e.g. ColumnName), and validate.ts shows them without the anchors.
    if (b.pattern !== undefined) {
      traits['smithy.api#pattern'] = `${b.pattern.startsWith('^') ? '' : '^'}${b.pattern}${b.pattern.endsWith('$') ? '' : '$'}`;
    }
    if (b.sensitive) traits['smithy.api#sensitive'] = {};
    if (b.timestampFormat) traits['smithy.api#timestampFormat'] = b.timestampFormat;
    switch (b.type) {
      case 'string':
        if (!b.enum) return { type: 'string', traits };
        return {
          type: 'enum',
          members: Object.fromEntries(b.enum.map((v) => [identifier(v), { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': v } }])),
          traits,
        };
      case 'list':
        return { type: 'list', member: ref(b.member, `${name}.member`), traits };
      case 'map':
        return { type: 'map', key: ref(b.key, `${name}.key`), value: ref(b.value, `${name}.value`), traits };
      case 'structure': {
        const required = new Set(b.required ?? []);
        const members = {};
        for (const [m, r] of Object.entries(b.members)) {
          members[m] = structMember(r, `${name}.${m}`, required.has(m));
        }
        return { type: b.union ? 'union' : 'structure', members, traits };
      }
      default:
        if (!SCALARS[b.type]) throw new Error(`${name}: botocore type ${b.type} not supported`);
        return { type: SCALARS[b.type], traits };
    }
  }

  for (const [name, b] of Object.entries(boto.shapes)) {
    if (b.type !== 'structure') continue;
    const target = smithy.shapes[id(name)];
    if (!target) continue; // Reached, if at all, only through a missing member (converted there).
    const required = new Set(b.required ?? []);
    for (const [m, r] of Object.entries(b.members)) {
      if (target.members?.[m]) continue;
      const member = structMember(r, `${name}.${m}`, required.has(m));
      (target.members ??= {})[m] = member;
      log.push(`member ${name}.${m} -> ${member.target.split('#')[1]}${required.has(m) ? ' (required)' : ''}`);
    }
  }
  return log;
}
