import { ApiError, ApiMessage } from './api';

/** Any failure as the messages to show: the server's own words for an ApiError, the error's message otherwise. */
export function messagesOf(error: unknown): ApiMessage[] {
  if (error instanceof ApiError) return error.messages;
  return [{ msg: error instanceof Error ? error.message : String(error) }];
}
