import { AwsError } from '../../shared/aws-error.js';

/** S3's errors, with its status codes, messages and the extra elements its XML error bodies carry. */
const err = (code: string, message: string, status = 400, fields: Record<string, unknown> = {}) =>
  new AwsError(code, message, status, 'client', fields);

export const noSuchBucket = (bucket: string) => err('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
export const noSuchKey = (key: string) => err('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
export const noSuchUpload = (uploadId: string) => err('NoSuchUpload',
  'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404,
  { UploadId: uploadId });
export const noSuchBucketPolicy = (bucket: string) => err('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: bucket });

export const bucketNotEmpty = (bucket: string) => err('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket });
export const bucketAlreadyOwnedByYou = (bucket: string) => err('BucketAlreadyOwnedByYou',
  'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: bucket });
export const bucketAlreadyExists = (bucket: string) => err('BucketAlreadyExists',
  'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
  409, { BucketName: bucket });
export const invalidBucketName = (bucket: string) => err('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket });
export const invalidLocationConstraint = (constraint: string) => err('InvalidLocationConstraint',
  'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });
export const illegalLocationConstraint = (constraint: string | undefined) => err('IllegalLocationConstraintException',
  `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`);

export const invalidArgument = (message: string, name: string, value: unknown) =>
  err('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value === undefined ? undefined : String(value) });
export const invalidRequest = (message: string) => err('InvalidRequest', message);
export const malformedXml = () => err('MalformedXML',
  'The XML you provided was not well-formed or did not validate against our published schema');
export const malformedPolicy = (message: string) => err('MalformedPolicy', message);
export const notImplemented = (header: string) => err('NotImplemented',
  'A header you provided implies functionality that is not implemented', 501, { Header: header });

export const metadataTooLarge = (size: number, max: number) => err('MetadataTooLarge',
  'Your metadata headers exceed the maximum allowed metadata size.', 400, { Size: size, MaxSizeAllowed: max });
export const keyTooLong = (size: number) => err('KeyTooLongError', 'Your key is too long', 400, { Size: size, MaxSizeAllowed: 1024 });
export const entityTooLarge = (proposed: number, max: number) => err('EntityTooLarge',
  'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: proposed, MaxSizeAllowed: max });
export const entityTooSmall = (proposed: number, partNumber: number, etag: string) => err('EntityTooSmall',
  'Your proposed upload is smaller than the minimum allowed size', 400,
  { ProposedSize: proposed, MinSizeAllowed: 5 * 1024 * 1024, PartNumber: partNumber, ETag: etag });
export const incompleteBody = () => err('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
export const invalidDigest = (given: string) => err('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { 'Content-MD5': given });
export const badDigest = (expected: string, calculated: string) => err('BadDigest',
  'The Content-MD5 you specified did not match what we received.', 400, { ExpectedDigest: expected, CalculatedDigest: calculated });
export const badChecksum = (algorithm: string) => err('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`);
export const invalidChecksum = (algorithm: string) => err('InvalidRequest',
  `Value for x-amz-checksum-${algorithm.toLowerCase()} header is invalid.`);

export const invalidRange = (requested: string, size: number) => err('InvalidRange', 'The requested range is not satisfiable', 416,
  { RangeRequested: requested, ActualObjectSize: size });
export const preconditionFailed = (condition: string) => err('PreconditionFailed',
  'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
/** A conditional GET whose condition says the client's copy is current: 304 with no body. */
export const notModified = () => err('NotModified', 'Not Modified', 304);

export const invalidPart = (uploadId: string, partNumber: number, etag: string | undefined) => err('InvalidPart',
  "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
  400, { UploadId: uploadId, PartNumber: partNumber, ETag: etag });
export const invalidPartOrder = (uploadId: string) => err('InvalidPartOrder',
  'The list of parts was not in ascending order. Parts must be ordered by part number.', 400, { UploadId: uploadId });
export const invalidEncryptionAlgorithm = (value: string) => err('InvalidEncryptionAlgorithmError',
  'The encryption request you specified is not valid. The valid value is AES256.', 400, { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: value });
