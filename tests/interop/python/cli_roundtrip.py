"""kafka-python side of the brook CLI round trips.

usage: cli_roundtrip.py BOOTSTRAP produce TOPIC COUNT   -> produces key-i / value-i with header origin=python
       cli_roundtrip.py BOOTSTRAP consume TOPIC COUNT   -> prints one JSON object per record (key, value, headers)
"""
import json
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition


def produce(bootstrap, topic, count):
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    for i in range(count):
        producer.send(topic, key=f"key-{i}".encode(), value=f"value-{i}".encode(),
                      headers=[("origin", b"python"), ("n", str(i).encode())], partition=0)
    producer.flush()
    producer.close()


def consume(bootstrap, topic, count):
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=30000)
    consumer.assign([TopicPartition(topic, 0)])
    consumer.seek_to_beginning()
    seen = 0
    for message in consumer:
        print(json.dumps({
            "offset": message.offset,
            "key": message.key.decode() if message.key is not None else None,
            "value": message.value.decode() if message.value is not None else None,
            "headers": [[k, v.decode() if v is not None else None] for k, v in message.headers],
        }))
        seen += 1
        if seen >= count:
            break
    consumer.close()


if __name__ == "__main__":
    bootstrap, mode, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    produce(bootstrap, topic, count) if mode == "produce" else consume(bootstrap, topic, count)
