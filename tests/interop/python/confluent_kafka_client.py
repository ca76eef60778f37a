"""confluent-kafka (librdkafka) against Brook.

usage: confluent_kafka_client.py <bootstrap> <topic> produce <count> [create]
           idempotent producer (enable.idempotence=true, acks=all); with "create" the admin client
           creates the topic first. Prints {"acked": [...]} with every acknowledged record.
       confluent_kafka_client.py <bootstrap> <topic> consume <partitions> <expected>
           assigns every partition from the beginning and reads until each reaches its end
           (or <expected> records arrive). Prints {"consumed": [...]}.
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

PARTITIONS = 2
DEADLINE_SECONDS = 60


def produce(bootstrap, topic, count, create):
    if create:
        admin = AdminClient({"bootstrap.servers": bootstrap})
        for future in admin.create_topics([NewTopic(topic, PARTITIONS, 1)]).values():
            future.result(timeout=30)
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all",
                         "compression.type": "lz4", "linger.ms": 5})
    acked = []
    failed = []

    def on_delivery(error, message):
        if error is not None:
            failed.append(str(error))
            return
        key = message.key().decode()
        # librdkafka does not hand headers back in delivery reports; they are the ones sent for this key.
        acked.append({"partition": message.partition(), "offset": message.offset(),
                      "key": key, "value": message.value().decode(), "headers": {"h": "x" + key[1:]},
                      "timestamp": message.timestamp()[1]})

    for i in range(count):
        producer.produce(topic, key=b"k%d" % i, value=b"v%d" % i, partition=i % PARTITIONS,
                         headers=[("h", b"x%d" % i)], timestamp=1700000000000 + i, on_delivery=on_delivery)
        producer.poll(0)
    remaining = producer.flush(DEADLINE_SECONDS)
    print(json.dumps({"acked": acked, "failed": failed, "unflushed": remaining}))


def consume(bootstrap, topic, partitions, expected):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "brook-interop", "enable.auto.commit": False,
                         "enable.partition.eof": True, "auto.offset.reset": "earliest"})
    consumer.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    consumed = []
    at_end = set()
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline and len(at_end) < partitions:
        message = consumer.poll(1.0)
        if message is None:
            continue
        if message.error():
            if message.error().code() == KafkaError._PARTITION_EOF:
                at_end.add(message.partition())
                continue
            raise SystemExit(str(message.error()))
        at_end.discard(message.partition())
        consumed.append({"partition": message.partition(), "offset": message.offset(),
                         "key": message.key().decode(), "value": message.value().decode(),
                         "headers": {k: v.decode() for k, v in (message.headers() or [])},
                         "timestamp": message.timestamp()[1]})
    consumer.close()
    print(json.dumps({"consumed": consumed, "expected": expected}))


def main():
    bootstrap, topic, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "produce":
        produce(bootstrap, topic, int(sys.argv[4]), len(sys.argv) > 5 and sys.argv[5] == "create")
    else:
        consume(bootstrap, topic, int(sys.argv[4]), int(sys.argv[5]))


if __name__ == "__main__":
    main()
