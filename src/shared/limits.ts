/** Largest request body read into memory (AWS's query and JSON APIs take far less; S3 objects stream). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
