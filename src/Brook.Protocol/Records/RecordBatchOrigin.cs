namespace Brook.Protocol.Records;

/// <summary>Where a batch comes from, which decides how strictly it is validated.</summary>
public enum RecordBatchOrigin
{
    /// <summary>
    /// A producer's Produce request: at least one record, offset deltas exactly 0..n-1,
    /// lastOffsetDelta = n - 1, and no control batches (only coordinators write markers).
    /// </summary>
    Client,
    /// <summary>
    /// Bytes already in a log (replication, recovery, compacted segments): empty batches are
    /// allowed and offset deltas need only increase and stay within lastOffsetDelta.
    /// </summary>
    Log,
}
