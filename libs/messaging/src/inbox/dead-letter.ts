/** Each consumer group has its own dead-letter topic, so one team's poison never blocks another's. */
export function deadLetterTopic(groupId: string): string {
  return `dlq.${groupId}`;
}

export interface DeadLetterInfo {
  reason: 'invalid' | 'handler-failed';
  error: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  attempts: number;
  failedAt: Date;
}

/** The original headers stay; the failure is told in `dlq_*` headers next to them. */
export function deadLetterHeaders(
  original: Record<string, string>,
  info: DeadLetterInfo,
): Record<string, string> {
  return {
    ...original,
    dlq_reason: info.reason,
    dlq_error: info.error.slice(0, 4000),
    dlq_source_topic: info.sourceTopic,
    dlq_source_partition: String(info.sourcePartition),
    dlq_source_offset: info.sourceOffset,
    dlq_attempts: String(info.attempts),
    dlq_failed_at: info.failedAt.toISOString(),
  };
}
