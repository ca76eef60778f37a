"""Topic administration against Brook with both Python clients: kafka-python creates a topic with a
config override, describes and alters its configs; confluent-kafka describes them with their
synonyms, describes the broker's configs, adds partitions and lists the result. Prints one JSON object.

usage: admin_configs.py <bootstrap> <topic> <broker id>
"""
import json
import sys

from confluent_kafka.admin import AdminClient, ConfigResource as ConfluentResource, NewPartitions
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic


def main():
    bootstrap, topic, broker_id = sys.argv[1], sys.argv[2], sys.argv[3]
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(topic, 1, 1, topic_configs={"retention.ms": "1234"})])
    described = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    entries = {entry[0]: entry[1] for entry in described[0].resources[0][4]}
    admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": "999"})])
    admin.close()

    confluent = AdminClient({"bootstrap.servers": bootstrap})
    after, synonyms = {}, []
    for future in confluent.describe_configs([ConfluentResource("topic", topic)]).values():
        described_after = future.result()
        after = {name: entry.value for name, entry in described_after.items()}
        synonyms = [[s.name, s.value, source(s)] for s in described_after["retention.ms"].synonyms.values()]
    broker = {}
    for future in confluent.describe_configs([ConfluentResource("broker", broker_id)]).values():
        broker = {name: [entry.value, source(entry), entry.is_read_only] for name, entry in future.result().items()}
    for future in confluent.create_partitions([NewPartitions(topic, 3)]).values():
        future.result(timeout=30)
    partitions = len(confluent.list_topics(timeout=30).topics[topic].partitions)
    print(json.dumps({"created_retention": entries.get("retention.ms"), "cleanup_policy": entries.get("cleanup.policy"),
                      "altered_retention": after.get("retention.ms"), "retention_synonyms": synonyms,
                      "broker_num_partitions": broker.get("num.partitions"), "broker_log_retention_ms": broker.get("log.retention.ms"),
                      "broker_configs": len(broker), "partitions": partitions}))


def source(entry):
    """The config source as Kafka's number (confluent-kafka wraps it in an enum)."""
    return getattr(entry.source, "value", entry.source)


if __name__ == "__main__":
    main()
