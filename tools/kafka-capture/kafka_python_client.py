#!/usr/bin/python3
"""Drives kafka-python against the capture broker with the fixture records.

Usage: kafka_python_client.py BOOTSTRAP produce none|gzip|snappy|lz4|zstd
       kafka_python_client.py BOOTSTRAP fetch
"""

import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

TOPIC = "records"
# The same five records the librdkafka fixtures carry (see tests/fixtures/captured/README.md).
RECORDS = [("key-%d" % i, "value-%d:" % i + "abcdefghij" * 20) for i in range(1, 6)]
HEADERS = [("h1", b"alpha"), ("h2", b"beta")]


def produce(bootstrap, codec):
    producer = KafkaProducer(
        bootstrap_servers=bootstrap,
        compression_type=None if codec == "none" else codec,
        linger_ms=500,
        acks=1,
    )
    for key, value in RECORDS:
        producer.send(TOPIC, key=key.encode(), value=value.encode(), headers=HEADERS)
    producer.flush(timeout=10)
    producer.close(timeout=5)


def fetch(bootstrap):
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        consumer_timeout_ms=2000,
    )
    partition = TopicPartition(TOPIC, 0)
    consumer.assign([partition])
    consumer.seek(partition, 0)
    consumer.poll(timeout_ms=1000)
    consumer.close()


if __name__ == "__main__":
    if sys.argv[2] == "produce":
        produce(sys.argv[1], sys.argv[3])
    else:
        fetch(sys.argv[1])
