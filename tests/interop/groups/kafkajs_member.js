// A kafkajs consumer-group member for Brook's group interop tests (same output as group_member.py).
// usage: node kafkajs_member.js <bootstrap> <topic> <group>
// Prints {"event":"assigned","partitions":[...]} on each group join, {"event":"record",...} per
// record (offsets committed by kafkajs after each message), {"event":"done"} after leaving the
// group when stdin closes.
const path = require('path');
const { Kafka, logLevel } = require(path.join(__dirname, '..', 'node', 'node_modules', 'kafkajs'));

const [bootstrap, topic, group] = process.argv.slice(2);
const emit = (fields) => process.stdout.write(JSON.stringify(fields) + '\n');

async function main() {
  const kafka = new Kafka({ clientId: 'kafkajs-member', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: group, sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 10000 });
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assigned = event.payload.memberAssignment[topic] || [];
    emit({ event: 'assigned', partitions: [...assigned].sort((a, b) => a - b) });
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommitInterval: 100,
    eachMessage: async ({ partition, message }) => {
      emit({ event: 'record', p: partition, o: Number(message.offset), v: message.value.toString() });
    },
  });
  process.stdin.on('data', () => {});
  process.stdin.on('end', async () => {
    await consumer.disconnect();
    emit({ event: 'done' });
    process.exit(0);
  });
}

main().catch((error) => {
  emit({ event: 'error', error: String(error) });
  process.exit(1);
});
