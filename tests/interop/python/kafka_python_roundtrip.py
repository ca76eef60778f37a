"""kafka-python against Brook: the admin client creates a topic, a producer sends keyed records
with headers and timestamps (acks=all), a consumer with explicit partition assignment reads them
back, and the admin client deletes the topic. Prints one JSON object with what happened.

usage: kafka_python_roundtrip.py <bootstrap> <topic> <count>
"""
import json
import sys
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic

PARTITIONS = 3


def main():
    bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    admin.create_topics([NewTopic(topic, PARTITIONS, 1)])
    created = topic in admin.list_topics()

    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", retries=3, linger_ms=5)
    futures = []
    for i in range(count):
        futures.append((i, producer.send(topic, key=b"k%d" % i, value=b"v%d" % i, partition=i % PARTITIONS,
                                         headers=[("h", b"x%d" % i)], timestamp_ms=1700000000000 + i)))
    producer.flush(30)
    acked = []
    for i, future in futures:
        metadata = future.get(timeout=30)
        acked.append({"partition": metadata.partition, "offset": metadata.offset, "key": "k%d" % i,
                      "value": "v%d" % i, "headers": {"h": "x%d" % i}, "timestamp": 1700000000000 + i})
    producer.close()

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False,
                             group_id=None, consumer_timeout_ms=2000)
    consumer.assign([TopicPartition(topic, p) for p in range(PARTITIONS)])
    consumer.seek_to_beginning()
    consumed = []
    deadline = time.monotonic() + 30
    while len(consumed) < count and time.monotonic() < deadline:
        for message in consumer:
            consumed.append({"partition": message.partition, "offset": message.offset,
                             "key": message.key.decode(), "value": message.value.decode(),
                             "headers": {k: v.decode() for k, v in message.headers},
                             "timestamp": message.timestamp})
            if len(consumed) == count:
                break
    consumer.close()

    admin.delete_topics([topic])
    deleted = topic not in admin.list_topics()
    admin.close()
    print(json.dumps({"created": created, "acked": acked, "consumed": consumed, "deleted": deleted}))


if __name__ == "__main__":
    main()
