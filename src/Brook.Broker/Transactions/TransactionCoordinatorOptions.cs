namespace Brook.Broker.Transactions;

/// <summary>The transaction coordinator's settings, with Kafka's names and defaults.</summary>
public sealed class TransactionCoordinatorOptions
{
    /// <summary><c>transaction.state.log.num.partitions</c>: partitions of <c>__transaction_state</c> when it is created.</summary>
    public int StateLogPartitions { get; set; } = 50;

    /// <summary><c>transaction.max.timeout.ms</c>: the longest <c>transaction.timeout.ms</c> a producer may ask for.</summary>
    public int MaxTimeoutMs { get; set; } = 900_000;

    /// <summary><c>transactional.id.expiration.ms</c>: an id idle (not in a transaction) this long is forgotten.</summary>
    public TimeSpan IdExpiration { get; set; } = TimeSpan.FromMilliseconds(604_800_000);

    /// <summary><c>transaction.abort.timed.out.transaction.cleanup.interval.ms</c>: how often timed-out transactions are looked for.</summary>
    public TimeSpan AbortTimedOutInterval { get; set; } = TimeSpan.FromMilliseconds(10_000);

    /// <summary><c>transactional.id.expiration</c> check interval (<c>transaction.remove.expired.transaction.cleanup.interval.ms</c>).</summary>
    public TimeSpan RemoveExpiredInterval { get; set; } = TimeSpan.FromMilliseconds(3_600_000);

    /// <summary>How long AddPartitions, AddOffsets and InitProducerId wait for a transaction's markers before answering CONCURRENT_TRANSACTIONS.</summary>
    public TimeSpan CompletionWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause between retries of a marker write that failed (a partition being moved or a full disk).</summary>
    public TimeSpan MarkerRetryBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Whether start-up aborts open transactions that no transaction of this coordinator covers
    /// (TransactionCoordinator.Hanging.cs). Right while this node's coordinator is the coordinator of
    /// every producer writing to its partitions (a single node); off where markers come from a
    /// coordinator elsewhere, through WriteTxnMarkers.
    /// </summary>
    public bool AbortHangingTransactions { get; set; } = true;
}
