namespace Brook.Broker.Transactions;

/// <summary>
/// The states of a transactional id, with the numbers Kafka's <c>TransactionLogValue.TransactionStatus</c>
/// stores, so Kafka tooling reads Brook's <c>__transaction_state</c>.
/// </summary>
public enum TransactionState : sbyte
{
    Empty = 0,
    Ongoing = 1,
    PrepareCommit = 2,
    PrepareAbort = 3,
    CompleteCommit = 4,
    CompleteAbort = 5,
    Dead = 6,
    PrepareEpochFence = 7,
}

/// <summary>The names DescribeTransactions and ListTransactions use (Kafka's <c>TransactionState.name</c>).</summary>
public static class TransactionStateNames
{
    public static string Name(this TransactionState state) => state switch
    {
        TransactionState.Empty => "Empty",
        TransactionState.Ongoing => "Ongoing",
        TransactionState.PrepareCommit => "PrepareCommit",
        TransactionState.PrepareAbort => "PrepareAbort",
        TransactionState.CompleteCommit => "CompleteCommit",
        TransactionState.CompleteAbort => "CompleteAbort",
        TransactionState.Dead => "Dead",
        _ => "PrepareEpochFence",
    };

    public static bool TryParse(string name, out TransactionState state)
    {
        for (sbyte value = 0; value <= (sbyte)TransactionState.PrepareEpochFence; value++)
        {
            if (string.Equals(((TransactionState)value).Name(), name, StringComparison.Ordinal))
            {
                state = (TransactionState)value;
                return true;
            }
        }
        state = TransactionState.Dead;
        return false;
    }

    /// <summary>A transaction is in one of these states between its first AddPartitions and its markers.</summary>
    public static bool IsPreparing(this TransactionState state) => state is TransactionState.PrepareCommit or TransactionState.PrepareAbort;
}
