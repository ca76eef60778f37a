namespace Brook.Protocol.Compression;

/// <summary>
/// How much output to offer a decompressor next. Offering one byte beyond the maximum lets
/// the codec prove the output is too large without ever holding more than max + 1 bytes.
/// </summary>
internal static class DecompressionBudget
{
    public const int ChunkSize = 64 * 1024;

    public static int NextChunk(long written, int maxBytes) =>
        (int)Math.Clamp(maxBytes - written + 1, 1, ChunkSize);
}
