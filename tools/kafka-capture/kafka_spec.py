"""Encode and decode Kafka messages at any version, driven by Kafka's JSON message specs.

Only what the capture broker needs: requests are decoded into dicts keyed by the spec's field
names, responses are encoded from dicts (missing fields take their spec default). Tagged fields
are skipped when read and never written, which every client accepts.
"""

import json
import os
import re
import struct
import uuid as uuidlib

SPEC_DIR = os.environ.get("KAFKA_SPEC_DIR", "/work/shared/kafka-protocol/messages")


def _load(name):
    with open(os.path.join(SPEC_DIR, name + ".json"), encoding="utf-8") as f:
        text = "\n".join(line for line in f if not line.lstrip().startswith("//"))
    return json.loads(text)


class VersionRange:
    def __init__(self, text):
        text = (text or "none").strip()
        if text == "none":
            self.low, self.high = 1, 0
        elif text.endswith("+"):
            self.low, self.high = int(text[:-1]), 1 << 15
        elif "-" in text:
            low, high = text.split("-")
            self.low, self.high = int(low), int(high)
        else:
            self.low = self.high = int(text)

    def __contains__(self, version):
        return self.low <= version <= self.high


class Message:
    """One API message (request or response) from its JSON spec."""

    def __init__(self, name):
        spec = _load(name)
        self.name = spec["name"]
        self.api_key = spec.get("apiKey")
        self.valid = VersionRange(spec["validVersions"])
        self.flexible = VersionRange(spec.get("flexibleVersions", "none"))
        self.fields = spec["fields"]
        self.common = {s["name"]: s["fields"] for s in spec.get("commonStructs", [])}

    # ---------------------------------------------------------------- decoding

    def decode(self, buf, version):
        reader = _Reader(buf)
        value = self._read_struct(reader, self.fields, version)
        return value, reader.pos

    def _read_struct(self, r, fields, version):
        flexible = version in self.flexible
        out = {}
        for field in fields:
            if version not in VersionRange(field.get("versions")):
                continue
            if version in VersionRange(field.get("taggedVersions", "none")):
                continue
            out[field["name"]] = self._read_field(r, field, version, flexible)
        if flexible:
            for _ in range(r.uvarint()):
                r.uvarint()
                r.take(r.uvarint())
        return out

    def _read_field(self, r, field, version, flexible):
        ftype = field["type"]
        nullable = version in VersionRange(field.get("nullableVersions", "none"))
        if ftype.startswith("[]"):
            count = r.uvarint() - 1 if flexible else r.int32()
            if count < 0:
                return None
            inner = ftype[2:]
            if inner in _PRIMITIVES:
                return [self._read_primitive(r, inner, flexible, False) for _ in range(count)]
            sub = field.get("fields") or self.common[inner]
            return [self._read_struct(r, sub, version) for _ in range(count)]
        if ftype in _PRIMITIVES:
            return self._read_primitive(r, ftype, flexible, nullable)
        if nullable and r.int8() < 0:
            return None
        return self._read_struct(r, field.get("fields") or self.common[ftype], version)

    @staticmethod
    def _read_primitive(r, ftype, flexible, nullable):
        if ftype in _FIXED:
            fmt, size = _FIXED[ftype]
            return struct.unpack(fmt, r.take(size))[0]
        if ftype == "bool":
            return r.take(1) != b"\x00"
        if ftype == "uuid":
            return str(uuidlib.UUID(bytes=r.take(16)))
        if ftype == "string":
            n = r.uvarint() - 1 if flexible else r.int16()
            return None if n < 0 else r.take(n).decode("utf-8")
        # bytes and records
        n = r.uvarint() - 1 if flexible else r.int32()
        return None if n < 0 else r.take(n)

    # ---------------------------------------------------------------- encoding

    def encode(self, value, version):
        out = bytearray()
        self._write_struct(out, self.fields, value, version)
        return bytes(out)

    def _write_struct(self, out, fields, value, version):
        flexible = version in self.flexible
        for field in fields:
            if version not in VersionRange(field.get("versions")):
                continue
            if version in VersionRange(field.get("taggedVersions", "none")):
                continue
            self._write_field(out, field, value.get(field["name"], _default(field)), version, flexible)
        if flexible:
            out += b"\x00"

    def _write_field(self, out, field, value, version, flexible):
        ftype = field["type"]
        nullable = version in VersionRange(field.get("nullableVersions", "none"))
        if ftype.startswith("[]"):
            if value is None:
                out += _uvarint(0) if flexible else struct.pack(">i", -1)
                return
            out += _uvarint(len(value) + 1) if flexible else struct.pack(">i", len(value))
            inner = ftype[2:]
            for item in value:
                if inner in _PRIMITIVES:
                    self._write_primitive(out, inner, item, flexible)
                else:
                    self._write_struct(out, field.get("fields") or self.common[inner], item, version)
            return
        if ftype in _PRIMITIVES:
            self._write_primitive(out, ftype, value, flexible)
            return
        if nullable:
            if value is None:
                out += b"\xff"
                return
            out += b"\x01"
        self._write_struct(out, field.get("fields") or self.common[ftype], value or {}, version)

    @staticmethod
    def _write_primitive(out, ftype, value, flexible):
        if ftype in _FIXED:
            out += struct.pack(_FIXED[ftype][0], value)
        elif ftype == "bool":
            out += b"\x01" if value else b"\x00"
        elif ftype == "uuid":
            out += uuidlib.UUID(value).bytes if value else bytes(16)
        elif ftype == "string":
            if value is None:
                out += _uvarint(0) if flexible else struct.pack(">h", -1)
            else:
                data = value.encode("utf-8")
                out += _uvarint(len(data) + 1) if flexible else struct.pack(">h", len(data))
                out += data
        else:
            if value is None:
                out += _uvarint(0) if flexible else struct.pack(">i", -1)
            else:
                out += _uvarint(len(value) + 1) if flexible else struct.pack(">i", len(value))
                out += value


_FIXED = {
    "int8": (">b", 1), "int16": (">h", 2), "uint16": (">H", 2), "int32": (">i", 4),
    "uint32": (">I", 4), "int64": (">q", 8), "float64": (">d", 8),
}
_PRIMITIVES = set(_FIXED) | {"bool", "uuid", "string", "bytes", "records"}


def _default(field):
    ftype = field["type"]
    default = field.get("default")
    if ftype.startswith("[]"):
        return []
    if default == "null":
        return None
    if ftype == "bool":
        return default == "true"
    if ftype in _FIXED:
        if default is None:
            return 0
        text = str(default)
        return float(text) if ftype == "float64" else int(text, 0)
    if ftype == "string":
        return default if default is not None else ""
    if ftype in ("bytes", "records"):
        return b""
    if ftype == "uuid":
        return None
    return {}


def _uvarint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


class _Reader:
    def __init__(self, buf):
        self.buf = buf
        self.pos = 0

    def take(self, n):
        if n < 0 or self.pos + n > len(self.buf):
            raise ValueError("truncated message")
        data = self.buf[self.pos:self.pos + n]
        self.pos += n
        return bytes(data)

    def int8(self):
        return struct.unpack(">b", self.take(1))[0]

    def int16(self):
        return struct.unpack(">h", self.take(2))[0]

    def int32(self):
        return struct.unpack(">i", self.take(4))[0]

    def uvarint(self):
        shift = result = 0
        while True:
            b = self.take(1)[0]
            result |= (b & 0x7F) << shift
            if b < 0x80:
                return result
            shift += 7


def api_table():
    """{api_key: (name, min, max, request Message, response Message)} for every request spec."""
    table = {}
    for file in sorted(os.listdir(SPEC_DIR)):
        match = re.fullmatch(r"(\w+)Request\.json", file)
        if not match:
            continue
        base = match.group(1)
        request = Message(base + "Request")
        table[request.api_key] = (base, request.valid.low, request.valid.high, request, None)
    return table
