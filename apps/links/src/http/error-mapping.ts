import { DatabaseUnavailableError } from '../db/database.js';
import { AppError } from './app-error.js';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  validation?: unknown;
  message: string;
  name?: string;
}

const isFastifyLikeError = (error: unknown): error is FastifyLikeError =>
  typeof error === 'object' && error !== null && 'message' in error;

/** Maps anything a handler or Fastify throws to an AppError; unknown errors become INTERNAL_ERROR. */
export const toAppError = (error: unknown): AppError => {
  if (error instanceof AppError) return error;
  if (error instanceof DatabaseUnavailableError) {
    return new AppError('DATABASE_UNAVAILABLE', 'The database is unavailable; try again shortly.', {
      'retry-after': '1',
    });
  }
  if (!isFastifyLikeError(error)) return new AppError('INTERNAL_ERROR', 'Something went wrong.');
  if (error.validation !== undefined) return new AppError('VALIDATION_FAILED', error.message);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('INVALID_JSON', 'The request body is not valid JSON.');
  }
  if (error.name === 'SyntaxError' && error.statusCode === 400) {
    return new AppError('INVALID_JSON', 'The request body is not valid JSON.');
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', error.message);
  }
  return new AppError('INTERNAL_ERROR', 'Something went wrong.');
};
