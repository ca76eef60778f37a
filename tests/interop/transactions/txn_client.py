"""Transactional confluent-kafka (librdkafka) clients for Brook's interop tests; prints JSON lines.

produce BOOTSTRAP TOPIC TXN_ID N_TXNS PER_TXN   -- alternate committed and aborted transactions
consume BOOTSTRAP TOPIC PARTITIONS ISOLATION    -- read every partition to its end; print the values
fence BOOTSTRAP TOPIC TXN_ID                    -- two producers with one id; the older must be fenced
ctp BOOTSTRAP IN OUT GROUP TXN_ID BATCH [--hang-after K]  -- consume-transform-produce with offsets in the txn
open BOOTSTRAP TOPIC TXN_ID TIMEOUT_MS N        -- begin a transaction, produce, flush, then wait forever
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition


def emit(**fields):
    print(json.dumps(fields), flush=True)


def producer(bootstrap, txn_id, **extra):
    config = {"bootstrap.servers": bootstrap, "transactional.id": txn_id, "linger.ms": 5}
    config.update(extra)
    p = Producer(config)
    p.init_transactions(30)
    return p


def produce(bootstrap, topic, txn_id, txns, per_txn):
    p = producer(bootstrap, txn_id)
    for t in range(int(txns)):
        commit = t % 2 == 0
        p.begin_transaction()
        for i in range(int(per_txn)):
            p.produce(topic, value=f"{'c' if commit else 'a'}-{t}-{i}".encode(), key=str(i).encode())
        if commit:
            p.commit_transaction(30)
        else:
            p.flush(30)
            p.abort_transaction(30)
    emit(done=True)


def consume(bootstrap, topic, partitions, isolation):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "reader", "enable.auto.commit": False,
                  "isolation.level": isolation, "enable.partition.eof": True, "auto.offset.reset": "earliest"})
    parts = [TopicPartition(topic, p, 0) for p in range(int(partitions))]
    c.assign(parts)
    at_end = set()
    deadline = time.time() + 60
    while len(at_end) < len(parts) and time.time() < deadline:
        m = c.poll(1.0)
        if m is None:
            continue
        if m.error():
            if m.error().code() == KafkaError._PARTITION_EOF:
                at_end.add(m.partition())
                continue
            raise KafkaException(m.error())
        emit(partition=m.partition(), offset=m.offset(), value=m.value().decode())
    c.close()
    emit(done=len(at_end) == len(parts))


def fence(bootstrap, topic, txn_id):
    old = producer(bootstrap, txn_id)
    old.begin_transaction()
    old.produce(topic, value=b"zombie")
    old.flush(30)
    new = producer(bootstrap, txn_id)
    new.begin_transaction()
    new.produce(topic, value=b"winner")
    new.commit_transaction(30)
    try:
        old.produce(topic, value=b"zombie-2")
        old.commit_transaction(30)
        emit(old="committed")
    except KafkaException as e:
        err = e.args[0]
        emit(old="failed", code=err.name(), fatal=err.fatal())
    emit(done=True)


def ctp(bootstrap, source, sink, group, txn_id, batch, hang_after=None):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
                  "isolation.level": "read_committed", "auto.offset.reset": "earliest",
                  "session.timeout.ms": 6000})
    c.subscribe([source])
    p = producer(bootstrap, txn_id)
    committed = 0
    idle_since = time.time()
    while time.time() - idle_since < 8:
        msgs = c.consume(int(batch), 1.0)
        msgs = [m for m in msgs if not m.error()]
        if not msgs:
            continue
        idle_since = time.time()
        p.begin_transaction()
        for m in msgs:
            p.produce(sink, key=m.key(), value=b"out-" + m.value())
        if hang_after is not None and committed >= hang_after:
            p.flush(30)
            emit(hanging=True, records=len(msgs))
            while True:
                time.sleep(1)
        p.send_offsets_to_transaction(c.position(c.assignment()), c.consumer_group_metadata(), 30)
        p.commit_transaction(30)
        committed += 1
        emit(committed=committed, records=len(msgs))
    c.close()
    emit(done=True)


def open_txn(bootstrap, topic, txn_id, timeout_ms, n):
    p = producer(bootstrap, txn_id, **{"transaction.timeout.ms": int(timeout_ms)})
    p.begin_transaction()
    for i in range(int(n)):
        p.produce(topic, value=f"open-{i}".encode())
    p.flush(30)
    emit(open=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "produce":
        produce(*args)
    elif command == "consume":
        consume(*args)
    elif command == "fence":
        fence(*args)
    elif command == "ctp":
        hang = None
        if "--hang-after" in args:
            i = args.index("--hang-after")
            hang = int(args[i + 1])
            args = args[:i] + args[i + 2:]
        ctp(*args, hang_after=hang)
    elif command == "open":
        open_txn(*args)
    else:
        sys.exit(f"unknown command {command}")
