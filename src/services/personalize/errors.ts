import { AwsError } from '../../shared/aws-error.js';
import { loadModel } from '../../protocol/model.js';

const model = loadModel('personalize');

/** A Personalize error with the HTTP status its model declares (`smithy.api#httpError`). */
function pzError(code: string, message: string): AwsError {
  const id = model.errorShape(code);
  const traits = id ? model.shape(id).traits ?? {} : {};
  return new AwsError(code, message, traits['smithy.api#httpError'] ?? 400, traits['smithy.api#error'] ?? 'client');
}

export const invalidInput = (message: string) => pzError('InvalidInputException', message);
export const notFound = (arn: string) => pzError('ResourceNotFoundException', `Resource Arn ${arn} does not exist.`);
export const alreadyExists = (arn: string) => pzError('ResourceAlreadyExistsException', `Resource Arn ${arn} already exists.`);
export const inUse = (message: string) => pzError('ResourceInUseException', message);
export const limitExceeded = (message: string) => pzError('LimitExceededException', message);
export const invalidNextToken = () => pzError('InvalidNextTokenException', 'Invalid next token.');
export const tooManyTags = () => pzError('TooManyTagsException', 'The number of tags exceeds the limit of 200.');
export const tooManyTagKeys = () => pzError('TooManyTagKeysException', 'The number of tag keys exceeds the limit of 200.');
