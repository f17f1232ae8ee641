import { AwsError } from '../../shared/aws-error.js';
import { loadModel } from '../../protocol/model.js';

const model = loadModel('kms');

/** A KMS error with the HTTP status and fault its model declares (`smithy.api#httpError`); 400 for unmodelled codes. */
function kmsError(code: string, message: string): AwsError {
  const id = model.errorShape(code);
  const traits = id ? model.shape(id).traits ?? {} : {};
  return new AwsError(code, message, traits['smithy.api#httpError'] ?? 400, traits['smithy.api#error'] ?? 'client');
}

export const keyNotFound = (keyArn: string) => kmsError('NotFoundException', `Key '${keyArn}' does not exist`);
export const aliasNotFound = (aliasArn: string) => kmsError('NotFoundException', `Alias ${aliasArn} is not found.`);
/** A key id that is neither a UUID, an ARN nor an alias. */
export const invalidKeyId = (keyId: string) => kmsError('NotFoundException', `Invalid keyId ${keyId}`);
export const notFound = (message: string) => kmsError('NotFoundException', message);
export const disabled = (keyArn: string) => kmsError('DisabledException', `${keyArn} is disabled.`);
export const invalidState = (message: string) => kmsError('KMSInvalidStateException', message);
export const pendingDeletion = (keyArn: string) => invalidState(`${keyArn} is pending deletion.`);
/** AWS answers a ciphertext it cannot use (tampered, wrong encryption context) with no message at all. */
export const invalidCiphertext = () => kmsError('InvalidCiphertextException', '');
export const incorrectKey = () =>
  kmsError('IncorrectKeyException', 'The key ID in the request does not identify a KMS key that can perform this operation.');
export const invalidArn = (message: string) => kmsError('InvalidArnException', message);
export const alreadyExists = (message: string) => kmsError('AlreadyExistsException', message);
export const invalidGrantId = (message: string) => kmsError('InvalidGrantIdException', message);
export const invalidGrantToken = () => kmsError('InvalidGrantTokenException', 'The grant token is invalid.');
export const invalidMarker = () => kmsError('InvalidMarkerException', 'Invalid marker');
export const malformedPolicy = (message: string) => kmsError('MalformedPolicyDocumentException', message);
export const tagException = (message: string) => kmsError('TagException', message);
export const unsupported = (message: string) => kmsError('UnsupportedOperationException', message);
export const dryRun = () => kmsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
/** The generic JSON-protocol validation error (no modeled shape). */
export const validation = (message: string) => kmsError('ValidationException', message);
/** Creating an alias under the reserved `alias/aws/` prefix: AWS answers this bare code. */
export const notAuthorized = () => kmsError('NotAuthorizedException', '');
export const invalidKeyUsage = (message: string) => kmsError('InvalidKeyUsageException', message);
