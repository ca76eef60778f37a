// kafkajs against Brook: admin creates a topic, an idempotent producer sends keyed records with
// headers, the topic's offsets are listed and two of the broker's configs described. Prints one
// JSON line with what the broker answered.
// Usage: node produce-admin.js <host:port> <topic> <count>
const { ConfigResourceTypes, Kafka, logLevel } = require('kafkajs');

async function main() {
  const [broker, topic, countText] = process.argv.slice(2);
  const count = Number(countText);
  const kafka = new Kafka({ clientId: 'brook-interop', brokers: [broker], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  const admin = kafka.admin();
  await admin.connect();
  const created = await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const messages = [];
  for (let i = 0; i < count; i++) {
    messages.push({ key: `k${i}`, value: `v${i}`, partition: i % 2, headers: { h: `x${i}` }, timestamp: String(1700000000000 + i) });
  }
  const acks = await producer.send({ topic, acks: -1, messages });
  const offsets = await admin.fetchTopicOffsets(topic);
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const described = await admin.describeConfigs({
    includeSynonyms: true,
    resources: [{ type: ConfigResourceTypes.BROKER, name: '0', configNames: ['num.partitions', 'message.max.bytes'] }],
  });
  const brokerConfigs = Object.fromEntries(described.resources[0].configEntries.map((entry) =>
    [entry.configName, { value: entry.configValue, source: entry.configSource, readOnly: entry.readOnly }]));
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  const remaining = await admin.listTopics();
  await admin.disconnect();
  console.log(JSON.stringify({ created, acks, offsets, partitions: metadata.topics[0].partitions.length, brokerConfigs, deleted: !remaining.includes(topic) }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
