"""A consumer-group member (kafka-python or confluent-kafka) driven by Brook's group interop tests.

usage: group_member.py <client> <bootstrap> <topic> <group> <assignor> [options]
  client:   kafka-python | confluent
  assignor: range | roundrobin | cooperative-sticky (confluent only)
  options:  --instance ID       group.instance.id (static membership)
            --session-ms N      session timeout (default 6000)
            --max-records N     exit (leaving the group) after N records
            --exit-when-idle S  exit after S seconds without records once some were read
Prints one JSON object per line: {"event": "assigned", "partitions": [...]} whenever the assignment
changes, {"event": "record", "p": P, "o": O, "v": V} per record (committed synchronously after each
poll), {"event": "done"} at exit. Exits when stdin closes, leaving the group cleanly.

usage: group_member.py admin <bootstrap> <topic> create <partitions>
       group_member.py admin <bootstrap> <topic> produce <count> [<delay-ms between records>]
"""
import json
import sys
import threading
import time

stop = threading.Event()


def emit(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def watch_stdin():
    sys.stdin.read()
    stop.set()


def parse_options(args):
    options = {"instance": None, "session-ms": 6000, "max-records": None, "exit-when-idle": None}
    i = 0
    while i < len(args):
        name = args[i][2:]
        options[name] = args[i + 1]
        i += 2
    return options


def admin(bootstrap, topic, action, count, delay_ms=0):
    from kafka import KafkaProducer
    from kafka.admin import KafkaAdminClient, NewTopic
    if action == "create":
        client = KafkaAdminClient(bootstrap_servers=bootstrap)
        client.create_topics([NewTopic(topic, count, 1)])
        client.close()
        emit(event="created")
        return
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    for i in range(count):
        producer.send(topic, value=b"v%d" % i, key=b"k%d" % i)
        if delay_ms:
            producer.flush(60)
            time.sleep(delay_ms / 1000.0)
    producer.flush(60)
    producer.close()
    emit(event="produced", count=count)


def kafka_python_member(bootstrap, topic, group, assignor, options):
    from kafka import KafkaConsumer
    from kafka.coordinator.assignors.range import RangePartitionAssignor
    from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
    strategy = {"range": RangePartitionAssignor, "roundrobin": RoundRobinPartitionAssignor}[assignor]
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest",
                             enable_auto_commit=False, partition_assignment_strategy=[strategy],
                             session_timeout_ms=int(options["session-ms"]), heartbeat_interval_ms=500,
                             max_poll_interval_ms=300000)

    def assignment():
        return sorted(tp.partition for tp in consumer.assignment())

    def poll():
        records = []
        for batch in consumer.poll(timeout_ms=200).values():
            records.extend((r.partition, r.offset, r.value.decode()) for r in batch)
        return records

    def commit():
        consumer.commit()

    run(consumer, assignment, poll, commit, options)


def confluent_member(bootstrap, topic, group, assignor, options):
    from confluent_kafka import Consumer
    config = {"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
              "enable.auto.commit": False, "partition.assignment.strategy": assignor,
              "session.timeout.ms": int(options["session-ms"]), "heartbeat.interval.ms": 500}
    if options["instance"]:
        config["group.instance.id"] = options["instance"]
    consumer = Consumer(config)
    consumer.subscribe([topic])

    def assignment():
        return sorted(tp.partition for tp in consumer.assignment())

    def poll():
        message = consumer.poll(0.2)
        if message is None or message.error():
            return []
        return [(message.partition(), message.offset(), message.value().decode())]

    def commit():
        try:
            consumer.commit(asynchronous=False)
        except Exception as error:  # a commit during a rebalance fails; the records are read again
            emit(event="commit-failed", error=str(error))

    run(consumer, assignment, poll, commit, options)


def run(consumer, assignment, poll, commit, options):
    threading.Thread(target=watch_stdin, daemon=True).start()
    max_records = int(options["max-records"]) if options["max-records"] else None
    idle = float(options["exit-when-idle"]) if options["exit-when-idle"] else None
    current = None
    read = 0
    last_record = time.monotonic()
    while not stop.is_set():
        records = poll()
        now = assignment()
        if now != current:
            current = now
            emit(event="assigned", partitions=now)
        for partition, offset, value in records:
            emit(event="record", p=partition, o=offset, v=value)
        if records:
            read += len(records)
            last_record = time.monotonic()
            commit()
        if max_records is not None and read >= max_records:
            break
        if idle is not None and read > 0 and time.monotonic() - last_record > idle:
            break
    consumer.close()
    emit(event="done")


def main():
    if sys.argv[1] == "admin":
        admin(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]) if len(sys.argv) > 6 else 0)
        return
    client, bootstrap, topic, group, assignor = sys.argv[1:6]
    options = parse_options(sys.argv[6:])
    if client == "kafka-python":
        kafka_python_member(bootstrap, topic, group, assignor, options)
    else:
        confluent_member(bootstrap, topic, group, assignor, options)


if __name__ == "__main__":
    main()
