import type { OperationHandler } from '../../gateway/context.js';

export const operations: Record<string, OperationHandler> = {};
