using Brook.Client.Connections;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;

namespace Brook.Client.Admin;

/// <summary>A transactional id as ListTransactions shows it.</summary>
public sealed record TransactionListing(string TransactionalId, long ProducerId, string State);

/// <summary>A transaction as DescribeTransactions shows it: its producer, state, timeout and the partitions in it.</summary>
public sealed record TransactionDescription(string TransactionalId, string State, long ProducerId, short ProducerEpoch, int TimeoutMs,
    long StartTimeMs, IReadOnlyList<TopicPartition> Partitions);

/// <summary>Transaction administration (KIP-664): ListTransactions on every broker, DescribeTransactions at each id's coordinator.</summary>
public sealed partial class KafkaAdminClient
{
    public async Task<IReadOnlyList<TransactionListing>> ListTransactionsAsync(IEnumerable<string>? states = null, CancellationToken cancellationToken = default)
    {
        ClusterMetadata metadata = await Cluster.GetMetadataAsync(cancellationToken);
        var result = new List<TransactionListing>();
        foreach (int node in metadata.Brokers.Keys)
        {
            KafkaConnection connection = await Cluster.GetConnectionAsync(node, cancellationToken);
            var request = new ListTransactionsRequest { StateFilters = [.. states ?? []] };
            ListTransactionsResponse response = await connection.SendAsync<ListTransactionsResponse>(request, cancellationToken);
            ThrowOnError((ErrorCode)response.ErrorCode, null);
            result.AddRange(response.TransactionStates.Select(t => new TransactionListing(t.TransactionalId, t.ProducerId, t.TransactionState)));
        }
        result.Sort((a, b) => string.CompareOrdinal(a.TransactionalId, b.TransactionalId));
        return result;
    }

    public async Task<TransactionDescription> DescribeTransactionAsync(string transactionalId, CancellationToken cancellationToken = default)
    {
        KafkaConnection coordinator = await GetCoordinatorAsync(transactionalId, keyType: 1, cancellationToken);
        var request = new DescribeTransactionsRequest();
        request.TransactionalIds.Add(transactionalId);
        DescribeTransactionsResponse response = await coordinator.SendAsync<DescribeTransactionsResponse>(request, cancellationToken);
        DescribeTransactionsResponse.TransactionStateData state = response.TransactionStates.Single();
        ThrowOnError((ErrorCode)state.ErrorCode, $"transaction '{transactionalId}': {((ErrorCode)state.ErrorCode).Message()}");
        return new TransactionDescription(state.TransactionalId, state.TransactionState, state.ProducerId, state.ProducerEpoch, state.TransactionTimeoutMs,
            state.TransactionStartTimeMs, [.. state.Topics.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p)))]);
    }
}
