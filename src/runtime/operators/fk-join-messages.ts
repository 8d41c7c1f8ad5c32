/**
 * The two messages a foreign-key table-table join exchanges between the task that owns a left
 * row (by its primary key) and the task that owns the right row it refers to (by the foreign
 * key), as Kafka Streams' KIP-213 join does. Under the Kafka driver they travel through the
 * subscription-registration and subscription-response topics; under the single-task test driver
 * they are handed over in-process. Either way the same operator code runs.
 */
import { createHash } from 'node:crypto';
import { encodeValue } from '../state/value-codec.js';
import type { Window } from '../row.js';

/**
 * What the left side asks of the foreign key's owner:
 * - `unsubscribe`: the left row no longer refers to this foreign key (its FK changed or it was
 *   deleted); drop the subscription, answer nothing;
 * - `subscribe`: remember the subscription and answer only if a right row exists (a new left
 *   row of an inner join: no right row means no output and nothing to retract);
 * - `subscribe-null`: remember it and always answer, with a null right side when there is
 *   none (a left join's null-joined row, or an inner join's retraction of an earlier result).
 */
export type FkInstruction = 'unsubscribe' | 'subscribe' | 'subscribe-null';

/** Where the record that caused an output came from: the output's ROWPARTITION/ROWOFFSET and window. */
export interface FkProvenance {
  partition: number;
  offset: number;
  window: Window | null;
}

/** Left task -> owner of the foreign key (partitioned like the right table, by `fk`). */
export interface FkSubscription {
  fk: unknown;
  /** the left row's primary key */
  pk: unknown[];
  instruction: FkInstruction;
  /** hash of the left row this subscription is for (null for unsubscribe) */
  hash: Buffer | null;
  /** event time of the left row */
  ts: number;
  source: FkProvenance;
  /** the task (left partition) the answers go back to */
  replyTo: number;
}

/** Owner of the foreign key -> left task (partitioned like the left table: `replyTo`). */
export interface FkResponse {
  pk: unknown[];
  /** the hash of the left row the answer is for: a left task drops it unless the row is unchanged */
  hash: Buffer;
  /** the right row (null: none) */
  right: { cols: unknown[]; ts: number } | null;
  /** event time of the record that caused the answer (the left row, or the right change) */
  ts: number;
  source: FkProvenance;
  replyTo: number;
}

/**
 * A digest of a left row's columns (in the state value codec, which is exact for every runtime
 * value): enough to tell whether an answer still concerns the row the left task holds now. The
 * columns include the row's ROWTIME/ROWPARTITION/ROWOFFSET, so a re-sent equal value is a new
 * version too. MD5 is a fingerprint here, not a security measure (Kafka Streams uses murmur3).
 */
export function leftRowHash(cols: unknown[]): Buffer {
  return createHash('md5')
    .update(encodeValue(cols.map((v) => v ?? null)))
    .digest();
}
