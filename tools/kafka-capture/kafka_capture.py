#!/usr/bin/python3
"""A fake Kafka broker that records every request frame a real client sends.

It answers just enough for a client to produce and start consuming: ApiVersions (Kafka 3.8's
ranges), Metadata (one broker, itself; one partition per topic, led by itself), Produce (success)
and Fetch (an empty partition, or the batch given with --serve-batch). Every other API gets a default, all-zero response at the version
asked. Each request frame (the bytes after the 4-byte size: header + body) is written as hex to
OUT_DIR/NNN-<Api>-v<version>.hex, NNN counting frames in arrival order.

Usage: kafka_capture.py --port 19092 --out DIR [--seconds 30]
Stdlib only; run with /usr/bin/python3.
"""

import argparse
import os
import socket
import struct
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kafka_spec  # noqa: E402

# Kafka 3.8.0 validVersions of the APIs this broker advertises (APIS.md).
ADVERTISED = {
    0: (0, 11),   # Produce
    1: (0, 16),   # Fetch
    2: (0, 8),    # ListOffsets
    3: (0, 12),   # Metadata
    10: (0, 5),   # FindCoordinator
    18: (0, 3),   # ApiVersions
    22: (0, 5),   # InitProducerId
}
API_VERSIONS_KEY = 18
NODE_ID = 1


class CaptureBroker:
    def __init__(self, port, out_dir, served_batch=b""):
        self.port = port
        self.served_batch = served_batch
        self.out_dir = out_dir
        self.apis = kafka_spec.api_table()
        self.responses = {}
        self.lock = threading.Lock()
        self.frame_count = 0
        self.next_offset = {}

    def response_spec(self, api_key):
        if api_key not in self.responses:
            self.responses[api_key] = kafka_spec.Message(self.apis[api_key][0] + "Response")
        return self.responses[api_key]

    def record(self, api_key, version, frame):
        name = self.apis[api_key][0] if api_key in self.apis else "Api%d" % api_key
        with self.lock:
            self.frame_count += 1
            path = os.path.join(self.out_dir, "%03d-%s-v%d.hex" % (self.frame_count, name, version))
        text = frame.hex()
        with open(path, "w", encoding="ascii") as f:
            f.write("\n".join(text[i:i + 64] for i in range(0, len(text), 64)) + "\n")
        log("captured %s" % os.path.basename(path))

    def serve(self, seconds):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.5)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()
        listener.close()

    def handle(self, conn):
        try:
            while True:
                size_bytes = read_exact(conn, 4)
                if size_bytes is None:
                    return
                frame = read_exact(conn, struct.unpack(">i", size_bytes)[0])
                if frame is None:
                    return
                api_key, version, correlation_id = struct.unpack(">hhi", frame[:8])
                self.record(api_key, version, frame)
                response = self.respond(api_key, version, frame)
                if response is None:
                    continue
                header = struct.pack(">i", correlation_id)
                if api_key != API_VERSIONS_KEY and api_key in self.apis and version in self.apis[api_key][3].flexible:
                    header += b"\x00"
                payload = header + response
                conn.sendall(struct.pack(">i", len(payload)) + payload)
        except (OSError, ValueError) as error:
            log("connection ended: %s" % error)
        finally:
            conn.close()

    def respond(self, api_key, version, frame):
        if api_key == API_VERSIONS_KEY and version > ADVERTISED[API_VERSIONS_KEY][1]:
            # Too new: a v0 answer with UNSUPPORTED_VERSION and our ApiVersions range.
            low, high = ADVERTISED[API_VERSIONS_KEY]
            body = {"ErrorCode": 35, "ApiKeys": [{"ApiKey": API_VERSIONS_KEY, "MinVersion": low, "MaxVersion": high}]}
            return self.response_spec(api_key).encode(body, 0)
        if api_key not in self.apis:
            return None
        request_spec = self.apis[api_key][3]
        header_end = 8
        client_id_length = struct.unpack(">h", frame[8:10])[0]
        header_end += 2 + max(client_id_length, 0)
        flexible = version in request_spec.flexible
        if flexible:
            reader = kafka_spec._Reader(frame[header_end:])
            for _ in range(reader.uvarint()):
                reader.uvarint()
                reader.take(reader.uvarint())
            header_end += reader.pos
        request, _ = request_spec.decode(frame[header_end:], version)
        handler = {
            18: self.api_versions, 3: self.metadata, 0: self.produce, 1: self.fetch,
        }.get(api_key, lambda req, ver: {})
        body = handler(request, version)
        if body is None:
            return None
        return self.response_spec(api_key).encode(body, version)

    @staticmethod
    def api_versions(request, version):
        keys = [{"ApiKey": k, "MinVersion": low, "MaxVersion": high} for k, (low, high) in sorted(ADVERTISED.items())]
        return {"ErrorCode": 0, "ApiKeys": keys, "ThrottleTimeMs": 0}

    def metadata(self, request, version):
        names = [t["Name"] for t in request["Topics"] or [] if t.get("Name")] or ["capture"]
        topics = [{
            "ErrorCode": 0, "Name": name, "TopicId": str(uuid.uuid5(uuid.NAMESPACE_DNS, name)),
            "IsInternal": False, "TopicAuthorizedOperations": -2147483648,
            "Partitions": [{
                "ErrorCode": 0, "PartitionIndex": 0, "LeaderId": NODE_ID, "LeaderEpoch": 0,
                "ReplicaNodes": [NODE_ID], "IsrNodes": [NODE_ID], "OfflineReplicas": [],
            }],
        } for name in names]
        return {
            "ThrottleTimeMs": 0,
            "Brokers": [{"NodeId": NODE_ID, "Host": "127.0.0.1", "Port": self.port, "Rack": None}],
            "ClusterId": "capture-cluster", "ControllerId": NODE_ID, "Topics": topics,
            "ClusterAuthorizedOperations": -2147483648,
        }

    def produce(self, request, version):
        if request["Acks"] == 0:
            return None
        responses = []
        for topic in request["TopicData"]:
            partitions = []
            for partition in topic["PartitionData"]:
                key = (topic["Name"], partition["Index"])
                base = self.next_offset.get(key, 0)
                self.next_offset[key] = base + count_records(partition["Records"] or b"")
                partitions.append({"Index": partition["Index"], "ErrorCode": 0, "BaseOffset": base,
                                   "LogAppendTimeMs": -1, "LogStartOffset": 0})
            responses.append({"Name": topic["Name"], "PartitionResponses": partitions})
        return {"Responses": responses, "ThrottleTimeMs": 0}

    def fetch(self, request, version):
        # Serves --serve-batch (one magic-2 batch at offset 0) to fetches from below its end.
        served = self.served_batch
        end = count_records(served) if served else 0
        responses = []
        for topic in request["Topics"]:
            partitions = [{
                "PartitionIndex": p["Partition"], "ErrorCode": 0, "HighWatermark": end,
                "LastStableOffset": end, "LogStartOffset": 0, "AbortedTransactions": [],
                "PreferredReadReplica": -1, "Records": served if p["FetchOffset"] < end else b"",
            } for p in topic["Partitions"]]
            responses.append({"Topic": topic.get("Topic"), "TopicId": topic.get("TopicId"), "Partitions": partitions})
        return {"ThrottleTimeMs": 0, "ErrorCode": 0, "SessionId": 0, "Responses": responses}


def count_records(records):
    """Sum of recordsCount over the magic-2 batches in a Produce partition's records."""
    total, pos = 0, 0
    while pos + 61 <= len(records):
        batch_length = struct.unpack(">i", records[pos + 8:pos + 12])[0]
        if records[pos + 16] == 2:
            total += struct.unpack(">i", records[pos + 57:pos + 61])[0]
        else:
            total += 1
        pos += 12 + batch_length
    return total


def read_exact(conn, n):
    data = bytearray()
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def log(message):
    print("kafka_capture: " + message, file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=19092)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--serve-batch", help="hex file of one record batch that Fetch returns at offset 0")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    served = b""
    if args.serve_batch:
        with open(args.serve_batch, encoding="ascii") as f:
            served = bytes.fromhex("".join(f.read().split()))
    CaptureBroker(args.port, args.out, served).serve(args.seconds)


if __name__ == "__main__":
    main()
