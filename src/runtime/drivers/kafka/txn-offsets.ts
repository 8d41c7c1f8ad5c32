/**
 * TxnOffsetCommit inside a kafkajs transaction, retried while the coordinator answers
 * CONCURRENT_TRANSACTIONS. Apache Kafka answers EndTxn before it has written the markers of the
 * producer's previous transaction and refuses the next transaction's first request until then;
 * kafkajs retries that for AddPartitionsToTxn (sendBatch), but not for the AddOffsetsToTxn of
 * sendOffsets — so a transaction that only commits offsets (nothing to produce) failed when it
 * came right after another.
 */
import type { Transaction } from 'kafkajs';

type Offsets = Parameters<Transaction['sendOffsets']>[0];

export async function sendOffsetsRetrying(tx: Transaction, offsets: Offsets, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    try {
      await tx.sendOffsets(offsets);
      return;
    } catch (err) {
      if ((err as { type?: string }).type !== 'CONCURRENT_TRANSACTIONS' || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
