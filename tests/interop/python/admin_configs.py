"""Topic administration against Brook with both Python clients: kafka-python creates a topic with a
config override, describes and alters its configs; confluent-kafka describes them, adds partitions
and lists the result. Prints one JSON object.

usage: admin_configs.py <bootstrap> <topic>
"""
import json
import sys

from confluent_kafka.admin import AdminClient, ConfigResource as ConfluentResource, NewPartitions
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic


def main():
    bootstrap, topic = sys.argv[1], sys.argv[2]
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(topic, 1, 1, topic_configs={"retention.ms": "1234"})])
    described = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    entries = {entry[0]: entry[1] for entry in described[0].resources[0][4]}
    admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": "999"})])
    admin.close()

    confluent = AdminClient({"bootstrap.servers": bootstrap})
    after = {}
    for future in confluent.describe_configs([ConfluentResource("topic", topic)]).values():
        after = {name: entry.value for name, entry in future.result().items()}
    for future in confluent.create_partitions([NewPartitions(topic, 3)]).values():
        future.result(timeout=30)
    partitions = len(confluent.list_topics(timeout=30).topics[topic].partitions)
    print(json.dumps({"created_retention": entries.get("retention.ms"), "cleanup_policy": entries.get("cleanup.policy"),
                      "altered_retention": after.get("retention.ms"), "partitions": partitions}))


if __name__ == "__main__":
    main()
