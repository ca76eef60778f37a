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
        int at = 0;
        while (at < batches.Length)
        {
            var rest = batches[at..];
            if (BatchCheck.Check(rest, verifyCrc: true) != BatchStatus.Valid)
            {
                return StorageErrorCode.CorruptMessage;
            }
            _ = BatchCheck.TryGetSize(rest, out int size);
            at += size;
        }
        return StorageErrorCode.None;
    }
}
