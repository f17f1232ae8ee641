import type { ServiceModel } from '../protocol/model.js';
import type { Codec, HttpRequest } from '../protocol/types.js';
import type { Provider } from './context.js';
import { loadModel } from '../protocol/model.js';
import { codecFor } from '../protocol/codecs.js';
import { readScope } from '../auth/sigv4/parse.js';

export interface Service {
  model: ServiceModel;
  codec: Codec;
  provider: Provider;
}

/**
 * Picks the service a request is for, cheapest signal first (as AWS's front ends do): the SigV4
 * scope's service name, then `X-Amz-Target`, then the awsQuery `Action`, then the REST path.
 * Several models may share a signing name (personalize, -runtime, -events); the codec decides.
 */
export class Router {
  private readonly services: Service[];
  private readonly bySigningName = new Map<string, Service[]>();
  private readonly byTarget = new Map<string, Service>();

  constructor(providers: Provider[]) {
    this.services = providers.map((provider) => {
      const model = loadModel(provider.model);
      return { model, codec: codecFor(model.protocol), provider };
    });
    for (const s of this.services) {
      const list = this.bySigningName.get(s.model.signingName) ?? [];
      list.push(s);
      this.bySigningName.set(s.model.signingName, list);
      if (s.model.protocol.startsWith('awsJson')) this.byTarget.set(s.model.targetPrefix, s);
    }
  }

  route(req: HttpRequest): Service | undefined {
    const scope = readScope(req);
    const candidates = scope ? this.bySigningName.get(scope.service) : this.services;
    if (!candidates || candidates.length === 0) return undefined;
    if (candidates.length === 1) return candidates[0];
    const target = req.headers['x-amz-target'];
    if (target) {
      const s = this.byTarget.get(target.slice(0, target.indexOf('.')));
      if (s && candidates.includes(s)) return s;
    }
    // Otherwise the first whose codec recognises the operation; failing that, the first candidate
    // of the request's protocol family, so its unknown-operation error is the one the client reads.
    for (const s of candidates) if (s.codec.resolveOperation(req, s.model)) return s;
    return target ? candidates.find((s) => s.model.protocol.startsWith('awsJson')) ?? candidates[0] : candidates[0];
  }
}
