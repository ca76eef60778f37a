"""What a topic's configs do to produced records, seen by confluent-kafka (librdkafka): a topic with
compression.type=zstd stores what an uncompressed producer sends rewritten as zstd, and a consumer
reads every record back unchanged; a topic with message.timestamp.before.max.ms=60000 refuses a
record an hour old with INVALID_TIMESTAMP and takes one stamped now. Prints one JSON object.

usage: topic_rules.py <bootstrap>
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

COUNT = 50
DEADLINE_SECONDS = 60


def main():
    bootstrap = sys.argv[1]
    admin = AdminClient({"bootstrap.servers": bootstrap})
    topics = [NewTopic("rules-zstd", 1, 1, config={"compression.type": "zstd"}),
              NewTopic("rules-bounded", 1, 1, config={"message.timestamp.before.max.ms": "60000"})]
    for future in admin.create_topics(topics).values():
        future.result(timeout=30)

    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "compression.type": "none", "linger.ms": 5})
    reports = {}

    def on_delivery(error, message):
        reports[(message.topic(), message.key().decode())] = error.code() if error is not None else None

    sent = {f"k{i}": f"value-{i}-" + "x" * 500 for i in range(COUNT)}
    for key, value in sent.items():
        producer.produce("rules-zstd", key=key, value=value, headers={"h": key}, on_delivery=on_delivery)
    now_ms = int(time.time() * 1000)
    producer.produce("rules-bounded", key="old", value="an hour old", timestamp=now_ms - 3_600_000, on_delivery=on_delivery)
    # Flushed apart: a batch holding a refused record is refused whole, as Kafka does.
    if producer.flush(DEADLINE_SECONDS) != 0:
        raise SystemExit("records still unacknowledged after the deadline")
    producer.produce("rules-bounded", key="fresh", value="now", timestamp=int(time.time() * 1000), on_delivery=on_delivery)
    if producer.flush(DEADLINE_SECONDS) != 0:
        raise SystemExit("records still unacknowledged after the deadline")

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "topic-rules", "enable.auto.commit": False})
    consumer.assign([TopicPartition("rules-zstd", 0, 0)])
    consumed = {}
    deadline = time.monotonic() + DEADLINE_SECONDS
    while len(consumed) < COUNT and time.monotonic() < deadline:
        message = consumer.poll(1.0)
        if message is None or message.error() is not None:
            continue
        consumed[message.key().decode()] = [message.value().decode(), dict((k, v.decode()) for k, v in message.headers() or [])]
    consumer.close()

    print(json.dumps({
        "zstd_acked": sum(1 for (topic, _), error in reports.items() if topic == "rules-zstd" and error is None),
        "zstd_intact": sum(1 for key, value in sent.items() if consumed.get(key) == [value, {"h": key}]),
        "old_error": reports.get(("rules-bounded", "old")),
        "fresh_error": reports.get(("rules-bounded", "fresh")),
        "invalid_timestamp_code": KafkaError.INVALID_TIMESTAMP,
    }))


if __name__ == "__main__":
    main()
