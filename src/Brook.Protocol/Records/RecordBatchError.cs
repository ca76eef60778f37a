namespace Brook.Protocol.Records;

/// <summary>
/// Why a record batch (or a record in it) was rejected. Protocol code turns these into Kafka
/// error codes (CORRUPT_MESSAGE, INVALID_RECORD, UNSUPPORTED_COMPRESSION_TYPE, ...) instead
/// of throwing.
/// </summary>
public enum RecordBatchError
{
    None = 0,
    /// <summary>Fewer bytes than the 61-byte header.</summary>
    TooShort,
    /// <summary><c>batchLength</c> disagrees with the bytes available (or is below the header size).</summary>
    LengthMismatch,
    /// <summary>Magic byte is not 2.</summary>
    UnsupportedMagic,
    /// <summary>The CRC-32C over bytes [21, end) does not match the header.</summary>
    CrcMismatch,
    /// <summary>Compression codec bits hold 5, 6 or 7.</summary>
    UnknownCompression,
    /// <summary>recordsCount is negative, or zero where at least one record is required.</summary>
    InvalidRecordCount,
    /// <summary>lastOffsetDelta does not fit the record count or the records' offset deltas.</summary>
    InvalidLastOffsetDelta,
    /// <summary>A record's offset delta is out of order or out of range.</summary>
    InvalidOffsetDelta,
    /// <summary>A varint is longer than allowed or overflows.</summary>
    InvalidVarint,
    /// <summary>A record's length field disagrees with the bytes its fields used, or runs past the section.</summary>
    RecordLengthMismatch,
    /// <summary>A key, value or header length is negative (other than -1 where null is allowed) or too big.</summary>
    InvalidFieldLength,
    /// <summary>The records section held fewer records than recordsCount.</summary>
    RecordCountMismatch,
    /// <summary>Bytes remain after the last record.</summary>
    TrailingBytes,
    /// <summary>A control batch without exactly one record, or a control record whose key is malformed.</summary>
    InvalidControlRecord,
    /// <summary>A control batch sent by a client (only transaction coordinators write markers).</summary>
    ControlBatchFromClient,
    /// <summary>The codec's native library is not installed.</summary>
    CompressionUnavailable,
    /// <summary>The compressed records section is corrupt.</summary>
    CorruptCompressedData,
    /// <summary>Decompressing would exceed the configured maximum size.</summary>
    DecompressedTooLarge,
    /// <summary>The records section is compressed; decompress it before enumerating.</summary>
    CompressedRecords,
}
