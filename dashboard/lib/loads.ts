// Shared by the upload list and the load history: a load's status as a message key.
import type { MessageKey } from './messages.ts';

export function statusKey(status: string): MessageKey {
  return ['loaded', 'duplicate', 'refused'].includes(status) ? (`data.${status}` as MessageKey) : 'data.failed';
}
