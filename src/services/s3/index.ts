import type { Provider } from '../../gateway/context.js';
import { operations as buckets } from './buckets.js';
import { operations as objects } from './objects.js';
import { operations as reads } from './object-read.js';
import { operations as listing } from './listing.js';
import { operations as multipart } from './multipart.js';
import { operations as bucketPolicy } from './bucket-policy.js';
import { operations as encryption } from './encryption.js';

export { openObjectForService, listObjectsForService, putObjectForService, type ServiceCaller } from './service-api.js';
export { objectStoreFor } from './state.js';

/** Amazon S3 (restXml): buckets, objects, multipart uploads, bucket policies and default encryption. */
export const s3Provider: Provider = {
  model: 's3',
  operations: { ...buckets, ...objects, ...reads, ...listing, ...multipart, ...bucketPolicy, ...encryption },
};
