using System.Buffers;
using System.Text;
using Brook.Protocol.Records;

namespace Brook.Storage.Tests.Transactions;

/// <summary>Transactional data batches and COMMIT/ABORT markers for storage tests.</summary>
internal static class TxnBatches
{
    public static byte[] Data(long producerId, int records = 1, bool transactional = true, int valueSize = 20)
    {
        using var builder = new RecordBatchBuilder(new RecordBatchOptions
        {
            ProducerId = producerId,
            ProducerEpoch = 0,
            BaseSequence = 0,
            IsTransactional = transactional,
        });
        for (int i = 0; i < records; i++)
        {
            builder.Append(1_000 + i, Encoding.ASCII.GetBytes("k"), new byte[valueSize]);
        }
        var output = new ArrayBufferWriter<byte>();
        builder.WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Marker(long producerId, bool commit)
    {
        var output = new ArrayBufferWriter<byte>();
        EndTransactionMarker.WriteBatch(output, commit ? ControlRecordType.Commit : ControlRecordType.Abort, 0, producerId, 0, 1_000);
        return output.WrittenSpan.ToArray();
    }
}
