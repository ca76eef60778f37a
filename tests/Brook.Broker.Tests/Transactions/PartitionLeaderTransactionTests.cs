using Brook.Broker.Partitions;
using Brook.Broker.Tests.Partitions;
using Brook.Protocol.Errors;
using Brook.Storage.Transactions;

namespace Brook.Broker.Tests.Transactions;

public sealed class PartitionLeaderTransactionTests : IDisposable
{
    private readonly LeaderUnderTest _test = new();

    private PartitionLeader Leader => _test.Leader;

    [Fact]
    public async Task An_open_transaction_pins_the_last_stable_offset_until_its_commit_marker_is_committed()
    {
        await AppendAsync(TxnBatches.Data(1, 0, 0, records: 2, transactional: false)); // 0-1
        await AppendAsync(TxnBatches.Data(7, 0, 0, records: 3));                        // 2-4, opens
        await AppendAsync(TxnBatches.Data(1, 0, 2, records: 1, transactional: false)); // 5

        Assert.Equal(6, Leader.HighWatermark);
        Assert.Equal(2, Leader.LastStableOffset);

        AppendOutcome marker = Leader.AppendMarker(7, 0, coordinatorEpoch: 0, commit: true); // 6
        Assert.Equal(ErrorCode.None, marker.Error);
        Assert.Equal(2, Leader.LastStableOffset); // the marker is not committed yet
        Assert.Equal(ErrorCode.None, await Leader.WaitUntilCommittedAsync(marker.EndOffset, CancellationToken.None));

        Assert.Equal(7, Leader.LastStableOffset);
        Assert.Empty(Aborted(0));
    }

    [Fact]
    public async Task The_earliest_open_transaction_holds_the_last_stable_offset()
    {
        await AppendAsync(TxnBatches.Data(7, 0, 0));   // 0
        await AppendAsync(TxnBatches.Data(8, 0, 0));   // 1
        await CommitMarkerAsync(8, commit: false);     // 2

        Assert.Equal(0, Leader.LastStableOffset);
        await CommitMarkerAsync(7, commit: true);      // 3
        Assert.Equal(4, Leader.LastStableOffset);
        Assert.Equal([new AbortedTransaction(8, 1, 2, 0)], Aborted(0));
    }

    [Fact]
    public async Task An_abort_is_listed_for_fetches_overlapping_it()
    {
        await AppendAsync(TxnBatches.Data(7, 0, 0, records: 2)); // 0-1
        await CommitMarkerAsync(7, commit: false);               // 2
        await AppendAsync(TxnBatches.Data(7, 0, 2, records: 1)); // 3, a new transaction
        await CommitMarkerAsync(7, commit: true);                // 4

        Assert.Equal([new AbortedTransaction(7, 0, 2, 3)], Aborted(1));
        Assert.Empty(Aborted(3));
        Assert.Equal(5, Leader.LastStableOffset);
    }

    [Fact]
    public async Task A_marker_with_an_old_producer_epoch_or_coordinator_epoch_is_fenced()
    {
        await AppendAsync(TxnBatches.Data(7, 3, 0));
        await CommitMarkerAsync(7, commit: true, coordinatorEpoch: 5);

        Assert.Equal(ErrorCode.InvalidProducerEpoch, Leader.AppendMarker(7, 2, 5, commit: false).Error);
        Assert.Equal(ErrorCode.TransactionCoordinatorFenced, Leader.AppendMarker(7, 3, 4, commit: false).Error);
        Assert.Equal(ErrorCode.None, Leader.AppendMarker(7, 4, 5, commit: false).Error);
    }

    [Fact]
    public async Task A_marker_for_a_producer_without_an_open_transaction_is_written_and_changes_nothing_else()
    {
        await AppendAsync(TxnBatches.Data(7, 0, 0)); // 0, open
        long end = Leader.Log.LogEndOffset;

        await CommitMarkerAsync(9, commit: false);

        Assert.Equal(end + 1, Leader.Log.LogEndOffset);
        Assert.Equal(0, Leader.LastStableOffset);
        Assert.Empty(Aborted(0));
    }

    [Fact]
    public async Task A_plain_batch_from_a_producer_inside_a_transaction_is_an_invalid_transaction_state()
    {
        await AppendAsync(TxnBatches.Data(7, 0, 0));

        Assert.Equal(ErrorCode.InvalidTxnState, Leader.Append(TxnBatches.Data(7, 0, 1, transactional: false)).Error);
        Assert.Equal(ErrorCode.None, Leader.Append(TxnBatches.Data(7, 0, 1)).Error);
    }

    [Fact]
    public async Task A_transactional_batch_without_sequences_from_the_group_coordinator_opens_a_transaction_and_checks_only_the_epoch()
    {
        await AppendAsync(TxnBatches.Data(7, 3, -1)); // 0: an offset commit inside producer 7's transaction
        await AppendAsync(TxnBatches.Data(7, 3, -1)); // 1: same transaction, no sequence to check

        Assert.Equal(0, Leader.LastStableOffset);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, Leader.Append(TxnBatches.Data(7, 2, -1)).Error);
        await CommitMarkerAsync(7, commit: true);
        Assert.Equal(3, Leader.LastStableOffset);
    }

    [Fact]
    public async Task A_transactional_batch_with_a_fenced_epoch_is_rejected()
    {
        await AppendAsync(TxnBatches.Data(7, 2, 0));

        Assert.Equal(ErrorCode.InvalidProducerEpoch, Leader.Append(TxnBatches.Data(7, 1, 1)).Error);
    }

    [Fact]
    public async Task A_verified_first_batch_is_refused_when_a_marker_for_its_producer_landed_since_the_verification()
    {
        Assert.True(Leader.NeedsTransactionVerification(7, out long token));
        await CommitMarkerAsync(7, commit: false); // the coordinator aborted meanwhile

        Assert.Equal(ErrorCode.InvalidTxnState, Leader.Append(TxnBatches.Data(7, 0, 0), token).Error);
        Assert.True(Leader.NeedsTransactionVerification(7, out long fresh));
        Assert.Equal(ErrorCode.None, Leader.Append(TxnBatches.Data(7, 0, 0), fresh).Error);
        Assert.False(Leader.NeedsTransactionVerification(7, out _));
    }

    [Fact]
    public async Task Open_transactions_keep_the_last_stable_offset_pinned_after_a_clean_restart_and_after_a_crash()
    {
        await AppendAsync(TxnBatches.Data(1, 0, 0, transactional: false)); // 0
        await AppendAsync(TxnBatches.Data(7, 0, 0));                        // 1, open
        await AppendAsync(TxnBatches.Data(8, 0, 0));                        // 2
        await CommitMarkerAsync(8, commit: false);                          // 3

        _test.Restart();
        Assert.Equal(1, Leader.LastStableOffset);
        Assert.Equal(1, Leader.DescribeProducers().Single(p => p.ProducerId == 7).CurrentTxnStartOffset);

        await AppendAsync(TxnBatches.Data(7, 0, 1)); // 4, same transaction
        _test.Crash(keepProducerSnapshot: false);

        Assert.Equal(1, Leader.LastStableOffset);
        Assert.Equal([new AbortedTransaction(8, 2, 3, 1)], Aborted(0));
        await CommitMarkerAsync(7, commit: true); // 5
        Assert.Equal(6, Leader.LastStableOffset);
    }

    public void Dispose() => _test.Dispose();

    private Task AppendAsync(byte[] batch) => _test.AppendAsync(batch);

    private async Task CommitMarkerAsync(long producerId, bool commit, short epoch = 0, int coordinatorEpoch = 0)
    {
        if (epoch == 0 && Leader.DescribeProducers().FirstOrDefault(p => p.ProducerId == producerId) is { Epoch: > 0 } known)
        {
            epoch = known.Epoch;
        }
        AppendOutcome outcome = Leader.AppendMarker(producerId, epoch, coordinatorEpoch, commit);
        Assert.Equal(ErrorCode.None, outcome.Error);
        Assert.Equal(ErrorCode.None, await Leader.WaitUntilCommittedAsync(outcome.EndOffset, CancellationToken.None));
    }

    private List<AbortedTransaction> Aborted(long from)
    {
        var list = new List<AbortedTransaction>();
        Leader.Log.CollectAbortedTransactions(from, long.MaxValue, list);
        return list;
    }
}
