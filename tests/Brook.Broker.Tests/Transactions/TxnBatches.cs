using System.Buffers;
using System.Text;
using Brook.Protocol.Records;

namespace Brook.Broker.Tests.Transactions;

/// <summary>Data batches for transaction tests: transactional or plain, idempotent (producer id, epoch, sequence) or not.</summary>
internal static class TxnBatches
{
    public static byte[] Data(long producerId, short epoch, int baseSequence, int records = 1, bool transactional = true, string keyPrefix = "k")
    {
        using var builder = new RecordBatchBuilder(new RecordBatchOptions
        {
            ProducerId = producerId,
            ProducerEpoch = epoch,
            BaseSequence = baseSequence,
            IsTransactional = transactional,
        });
        for (int i = 0; i < records; i++)
        {
            builder.Append(1_700_000_000_000 + i, Encoding.ASCII.GetBytes($"{keyPrefix}{i}"), Encoding.ASCII.GetBytes("value"));
        }
        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A batch whose records carry the given keys (so a test can tell records apart).</summary>
    public static byte[] Keys(long producerId, short epoch, int baseSequence, bool transactional, IReadOnlyList<string> keys)
    {
        using var builder = new RecordBatchBuilder(new RecordBatchOptions
        {
            ProducerId = producerId,
            ProducerEpoch = epoch,
            BaseSequence = baseSequence,
            IsTransactional = transactional,
        });
        foreach (string key in keys)
        {
            builder.Append(1_700_000_000_000, Encoding.ASCII.GetBytes(key), Encoding.ASCII.GetBytes("v"));
        }
        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }
}
