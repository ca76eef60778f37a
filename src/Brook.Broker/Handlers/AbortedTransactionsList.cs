using Brook.Broker.Partitions;
using Brook.Protocol.Messages;
using Brook.Storage.Transactions;

namespace Brook.Broker.Handlers;

/// <summary>The <c>aborted_transactions</c> of a read_committed fetch: those overlapping the batches returned.</summary>
internal static class AbortedTransactionsList
{
    /// <summary>
    /// Looks up the partition's aborted-transactions index for [fetchOffset, endOffset), where
    /// <paramref name="endOffset"/> is one past the last offset of the last batch returned (known
    /// from the read, so the records themselves are not looked at).
    /// </summary>
    public static List<FetchResponse.AbortedTransaction> Collect(PartitionLeader partition, long fetchOffset, long endOffset)
    {
        var found = new List<AbortedTransaction>();
        partition.Log.CollectAbortedTransactions(fetchOffset, endOffset, found);
        var list = new List<FetchResponse.AbortedTransaction>(found.Count);
        foreach (AbortedTransaction aborted in found)
        {
            list.Add(new FetchResponse.AbortedTransaction { ProducerId = aborted.ProducerId, FirstOffset = aborted.FirstOffset });
        }
        return list;
    }
}
