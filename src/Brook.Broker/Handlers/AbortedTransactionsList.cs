using Brook.Broker.Partitions;
using Brook.Protocol.Messages;
using Brook.Protocol.Records;
using Brook.Storage.Transactions;

namespace Brook.Broker.Handlers;

/// <summary>The <c>aborted_transactions</c> of a read_committed fetch: those overlapping the batches returned.</summary>
internal static class AbortedTransactionsList
{
    /// <summary>Looks up the partition's aborted-transactions index for [fetchOffset, end of the last whole batch in <paramref name="records"/>).</summary>
    public static List<FetchResponse.AbortedTransaction> Collect(PartitionLeader partition, long fetchOffset, ReadOnlySpan<byte> records)
    {
        long upperBound = EndOffset(records, fetchOffset);
        var found = new List<AbortedTransaction>();
        partition.Log.CollectAbortedTransactions(fetchOffset, upperBound, found);
        var list = new List<FetchResponse.AbortedTransaction>(found.Count);
        foreach (AbortedTransaction aborted in found)
        {
            list.Add(new FetchResponse.AbortedTransaction { ProducerId = aborted.ProducerId, FirstOffset = aborted.FirstOffset });
        }
        return list;
    }

    /// <summary>One past the last offset of the last whole batch (headers only: a step per batch, none per record).</summary>
    private static long EndOffset(ReadOnlySpan<byte> records, long fetchOffset)
    {
        long end = fetchOffset;
        while (records.Length >= RecordBatchHeader.Size)
        {
            var header = new RecordBatchHeader(records);
            int size = header.TotalSize;
            if (size < RecordBatchHeader.Size || size > records.Length)
            {
                break;
            }
            end = header.LastOffset + 1;
            records = records[size..];
        }
        return end;
    }
}
