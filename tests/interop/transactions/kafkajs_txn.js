// kafkajs transactions for Brook's interop tests.
// usage: node kafkajs_txn.js <bootstrap> <topic> <transactionalId>
// On a one-partition topic: commits 5 records, aborts 5, commits 5 more ending with "end", with
// offsets of group "kjs" sent in the last transaction; then a read_committed group consumer reads
// until "end". Prints {"value":...} per record read and {"done":true,"offset":<committed>}.
const path = require('path');
const { Kafka, logLevel } = require(path.join(__dirname, '..', 'node', 'node_modules', 'kafkajs'));

const [bootstrap, topic, transactionalId] = process.argv.slice(2);
const emit = (fields) => process.stdout.write(JSON.stringify(fields) + '\n');

async function inTransaction(producer, values, commit, offsets) {
  const txn = await producer.transaction();
  try {
    await txn.send({ topic, messages: values.map((value) => ({ value })) });
    if (offsets) {
      await txn.sendOffsets({ consumerGroupId: 'kjs', topics: [{ topic, partitions: [{ partition: 0, offset: offsets }] }] });
    }
    if (commit) {
      await txn.commit();
    } else {
      await txn.abort();
    }
  } catch (e) {
    await txn.abort();
    throw e;
  }
}

async function main() {
  const kafka = new Kafka({ clientId: 'kafkajs-txn', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const range = (prefix) => [0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`);
  await inTransaction(producer, range('c1'), true);
  await inTransaction(producer, range('a'), false);
  await inTransaction(producer, [...range('c2'), 'end'], true, '7');
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: 'kjs-reader', readUncommitted: false, sessionTimeout: 6000, heartbeatInterval: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise((resolve, reject) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value.toString();
        emit({ value });
        if (value === 'end') resolve();
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchOffsets({ groupId: 'kjs', topics: [topic] });
  await admin.disconnect();
  emit({ done: true, offset: offsets[0].partitions[0].offset });
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
