import { test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { kafkaFor, startTestBroker } from './helpers.js';

const { ConfigResourceTypes } = kafkajs;

/** Matches a kafkajs error (or the first of an aggregate) by Kafka error type. */
function kafkaError(type: string) {
  return (err: unknown): boolean => {
    const e = err as { type?: string; errors?: { type?: string }[]; originalError?: { type?: string } };
    const actual = e.originalError?.type ?? e.type ?? e.errors?.[0]?.type;
    assert.equal(actual, type);
    return true;
  };
}

test('kafkajs admin: configs, partitions, delete records, delete topics, bad requests', async () => {
  const broker = await startTestBroker();
  const kafka = kafkaFor(broker);
  const admin = kafka.admin();
  const producer = kafka.producer();
  try {
    await admin.connect();
    await producer.connect();
    await admin.createTopics({
      topics: [{ topic: 'cfg', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'retention.ms', value: '1000' }] }],
    });
    await assert.rejects(admin.createTopics({ topics: [{ topic: 'bad', configEntries: [{ name: 'no.such.config', value: '1' }] }] }), kafkaError('INVALID_CONFIG'));
    await assert.rejects(admin.createTopics({ topics: [{ topic: 'bad', replicationFactor: 3 }] }), kafkaError('INVALID_REPLICATION_FACTOR'));
    await assert.rejects(admin.createTopics({ topics: [{ topic: 'bad name!' }] }), kafkaError('INVALID_TOPIC_EXCEPTION'));

    const desc = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg' }], includeSynonyms: false });
    const entries = desc.resources[0]!.configEntries;
    const byName = new Map(entries.map((e) => [e.configName, e]));
    assert.equal(byName.get('cleanup.policy')!.configValue, 'compact');
    assert.equal(byName.get('retention.ms')!.configValue, '1000');
    assert.equal(byName.get('segment.bytes')!.configValue, '1073741824');
    assert.equal(byName.get('segment.bytes')!.isDefault, true);

    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg', configEntries: [{ name: 'retention.ms', value: '5000' }] }] });
    const desc2 = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg', configNames: ['retention.ms', 'cleanup.policy'] }], includeSynonyms: false });
    const e2 = new Map(desc2.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
    assert.equal(e2.get('retention.ms'), '5000');
    assert.equal(e2.get('cleanup.policy'), 'delete'); // AlterConfigs replaces the whole override set
    assert.equal(e2.size, 2);

    const brokerDesc = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.BROKER, name: '1' }], includeSynonyms: false });
    assert.ok(brokerDesc.resources[0]!.configEntries.some((e) => e.configName === 'num.partitions'));

    await admin.createPartitions({ topicPartitions: [{ topic: 'cfg', count: 3 }] });
    const md = await admin.fetchTopicMetadata({ topics: ['cfg'] });
    assert.equal(md.topics[0]!.partitions.length, 3);
    await assert.rejects(admin.createPartitions({ topicPartitions: [{ topic: 'cfg', count: 2 }] }), kafkaError('INVALID_PARTITIONS'));

    await producer.send({ topic: 'cfg', messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: 2 })) });
    await admin.deleteTopicRecords({ topic: 'cfg', partitions: [{ partition: 2, offset: '4' }] });
    const offs = await admin.fetchTopicOffsets('cfg');
    const p2 = offs.find((o) => o.partition === 2)!;
    assert.equal(p2.low, '4');
    assert.equal(p2.high, '10');

    assert.ok((await admin.listTopics()).includes('cfg'));
    await admin.deleteTopics({ topics: ['cfg'] });
    const names = await admin.listTopics();
    assert.ok(!names.includes('cfg'));
    // kafkajs retries UNKNOWN_TOPIC_OR_PARTITION and then reports only its message.
    await assert.rejects(admin.deleteTopics({ topics: ['cfg'] }), /does not host this topic-partition/);
  } finally {
    await producer.disconnect();
    await admin.disconnect();
    await broker.close();
  }
});

test('IncrementalAlterConfigs (flexible v1): set, append, subtract, delete; DeleteGroups reports unknown groups', async () => {
  const { RawClient } = await import('./helpers.js');
  const broker = await startTestBroker();
  const raw = await RawClient.connect(broker.port);
  try {
    await raw.request(19, 4, { topics: [{ name: 'inc', num_partitions: 1, replication_factor: -1, assignments: [], configs: [] }], timeout_ms: 1000 });
    const alter = (configs: { name: string; config_operation: number; value: string | null }[]) =>
      raw.request(44, 1, { resources: [{ resource_type: 2, resource_name: 'inc', configs }], validate_only: false });
    const describe = async (): Promise<Map<string, string>> => {
      const d = await raw.request(32, 2, { resources: [{ resource_type: 2, resource_name: 'inc', configuration_keys: ['cleanup.policy', 'retention.ms'] }] });
      return new Map(d.results[0].configs.map((c: { name: string; value: string }) => [c.name, c.value]));
    };
    assert.equal((await alter([{ name: 'retention.ms', config_operation: 0, value: '42' }])).responses[0].error_code, 0);
    assert.equal((await alter([{ name: 'cleanup.policy', config_operation: 2, value: 'compact' }])).responses[0].error_code, 0);
    assert.deepEqual([...(await describe())].sort(), [['cleanup.policy', 'delete,compact'], ['retention.ms', '42']]);
    await alter([{ name: 'cleanup.policy', config_operation: 3, value: 'delete' }, { name: 'retention.ms', config_operation: 1, value: null }]);
    assert.deepEqual([...(await describe())].sort(), [['cleanup.policy', 'compact'], ['retention.ms', '604800000']]);
    const bad = await alter([{ name: 'retention.ms', config_operation: 0, value: 'soon' }]);
    assert.equal(bad.responses[0].error_code, 40);
    assert.match(bad.responses[0].error_message, /retention\.ms/);

    const del = await raw.request(42, 1, { groups_names: ['never-existed'] });
    assert.equal(del.results[0].error_code, 69);
  } finally {
    raw.close();
    await broker.close();
  }
});
