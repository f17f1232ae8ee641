/** The one error type every layer throws; only protocol codecs turn it into a response body. */
export type Fault = 'client' | 'server';

export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: Fault = 'client',
    /** Extra members of the modeled error shape (e.g. S3's BucketName), serialised beside the message. */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const isAwsError = (e: unknown): e is AwsError => e instanceof AwsError;
