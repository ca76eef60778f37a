using Brook.Protocol.Records;

namespace Brook.Storage.Batches;

/// <summary>
/// The checks recovery applies, for callers that append data they have not verified (the
/// broker's produce path normally validates with its own record codec first).
/// </summary>
public static class BatchValidator
{
    /// <summary>
    /// None when <paramref name="batches"/> is one or more whole magic-2 batches with correct
    /// CRCs and nothing else; CorruptMessage otherwise.
    /// </summary>
    public static StorageErrorCode Validate(ReadOnlySpan<byte> batches)
    {
        if (batches.IsEmpty)
        {
            return StorageErrorCode.CorruptMessage;
        }
        var sequence = new RecordBatchSequence(batches);
        while (sequence.MoveNext())
        {
            if (BatchCheck.Check(sequence.Current, verifyCrc: true) != BatchStatus.Valid)
            {
                return StorageErrorCode.CorruptMessage;
            }
        }
        return sequence.Error == RecordBatchError.None && !sequence.HasPartialTail
            ? StorageErrorCode.None
            : StorageErrorCode.CorruptMessage;
    }
}
