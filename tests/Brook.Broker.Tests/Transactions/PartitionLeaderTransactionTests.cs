using Brook.Broker.Partitions;
using Brook.Protocol.Errors;
using Brook.Protocol.Primitives;
using Brook.Storage;
using Brook.Storage.Transactions;

namespace Brook.Broker.Tests.Transactions;

public sealed class PartitionLeaderTransactionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "brook-leader-txn-" + Guid.NewGuid().ToString("N"));
    private PartitionLeader _leader;

    public PartitionLeaderTransactionTests() => _leader = Open();

    [Fact]
    public async Task An_open_transaction_pins_the_last_stable_offset_until_its_commit_marker_is_committed()
    {
        await AppendAsync(TxnBatches.Data(1, 0, 0, records: 2, transactional: false)); // 0-1
        await AppendAsync(TxnBatches.Data(7, 0, 0, records: 3));                        // 2-4, opens
        await AppendAsync(TxnBatches.Data(1, 0, 2, records: 1, transactional: false)); // 5

        Assert.Equal(6, _leader.HighWatermark);
        Assert.Equal(2, _leader.LastStableOffset);

        AppendOutcome marker = _leader.AppendMarker(7, 0, coordinatorEpoch: 0, commit: true); // 6
        Assert.Equal(ErrorCode.None, marker.Error);
        Assert.Equal(2, _leader.LastStableOffset); // the marker is not committed yet
        Assert.Equal(ErrorCode.None, await _leader.WaitUntilCommittedAsync(marker.EndOffset, CancellationToken.None));

        Assert.Equal(7, _leader.LastStableOffset);
        Assert.Empty(Aborted(0));
    }

    [Fact]
    public async Task The_earliest_open_transaction_holds_the_last_stable_offset()
    {
        await AppendAsync(TxnBatches.Data(7, 0, 0));   // 0
        await AppendAsync(TxnBatches.Data(8, 0, 0));   // 1
        await CommitMarkerAsync(8, commit: false);     // 2

        Assert.Equal(0, _leader.LastStableOffset);
        await CommitMarkerAsync(7, commit: true);      // 3
        Assert.Equal(4, _leader.LastStableOffset);
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
        Assert.Equal(5, _leader.LastStableOffset);
    }

    [Fact]
    public async Task A_marker_with_an_old_producer_epoch_or_coordinator_epoch_is_fenced()
    {
        await AppendAsync(TxnBatches.Data(7, 3, 0));
        await CommitMarkerAsync(7, commit: true, coordinatorEpoch: 5);

        Assert.Equal(ErrorCode.InvalidProducerEpoch, _leader.AppendMarker(7, 2, 5, commit: false).Error);
        Assert.Equal(ErrorCode.TransactionCoordinatorFenced, _leader.AppendMarker(7, 3, 4, commit: false).Error);
        Assert.Equal(ErrorCode.None, _leader.AppendMarker(7, 4, 5, commit: false).Error);
    }

    [Fact]
    public async Task A_marker_for_a_producer_without_an_open_transaction_is_written_and_changes_nothing_else()
    {
        await AppendAsync(TxnBatches.Data(7, 0, 0)); // 0, open
        long end = _leader.Log.LogEndOffset;

        await CommitMarkerAsync(9, commit: false);

        Assert.Equal(end + 1, _leader.Log.LogEndOffset);
        Assert.Equal(0, _leader.LastStableOffset);
        Assert.Empty(Aborted(0));
    }

    [Fact]
    public async Task A_plain_batch_from_a_producer_inside_a_transaction_is_an_invalid_transaction_state()
    {
        await AppendAsync(TxnBatches.Data(7, 0, 0));

        Assert.Equal(ErrorCode.InvalidTxnState, _leader.Append(TxnBatches.Data(7, 0, 1, transactional: false)).Error);
        Assert.Equal(ErrorCode.None, _leader.Append(TxnBatches.Data(7, 0, 1)).Error);
    }

    [Fact]
    public async Task A_transactional_batch_without_sequences_from_the_group_coordinator_opens_a_transaction_and_checks_only_the_epoch()
    {
        await AppendAsync(TxnBatches.Data(7, 3, -1)); // 0: an offset commit inside producer 7's transaction
        await AppendAsync(TxnBatches.Data(7, 3, -1)); // 1: same transaction, no sequence to check

        Assert.Equal(0, _leader.LastStableOffset);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, _leader.Append(TxnBatches.Data(7, 2, -1)).Error);
        await CommitMarkerAsync(7, commit: true);
        Assert.Equal(3, _leader.LastStableOffset);
    }

    [Fact]
    public async Task A_transactional_batch_with_a_fenced_epoch_is_rejected()
    {
        await AppendAsync(TxnBatches.Data(7, 2, 0));

        Assert.Equal(ErrorCode.InvalidProducerEpoch, _leader.Append(TxnBatches.Data(7, 1, 1)).Error);
    }

    [Fact]
    public async Task A_verified_first_batch_is_refused_when_a_marker_for_its_producer_landed_since_the_verification()
    {
        Assert.True(_leader.NeedsTransactionVerification(7, out long token));
        await CommitMarkerAsync(7, commit: false); // the coordinator aborted meanwhile

        Assert.Equal(ErrorCode.InvalidTxnState, _leader.Append(TxnBatches.Data(7, 0, 0), token).Error);
        Assert.True(_leader.NeedsTransactionVerification(7, out long fresh));
        Assert.Equal(ErrorCode.None, _leader.Append(TxnBatches.Data(7, 0, 0), fresh).Error);
        Assert.False(_leader.NeedsTransactionVerification(7, out _));
    }

    [Fact]
    public async Task Open_transactions_keep_the_last_stable_offset_pinned_after_a_clean_restart_and_after_a_crash()
    {
        await AppendAsync(TxnBatches.Data(1, 0, 0, transactional: false)); // 0
        await AppendAsync(TxnBatches.Data(7, 0, 0));                        // 1, open
        await AppendAsync(TxnBatches.Data(8, 0, 0));                        // 2
        await CommitMarkerAsync(8, commit: false);                          // 3

        _leader.SaveProducerState();
        _leader.Log.Dispose();
        _leader = Open();
        Assert.Equal(1, _leader.LastStableOffset);
        Assert.Equal(1, _leader.DescribeProducers().Single(p => p.ProducerId == 7).CurrentTxnStartOffset);

        await AppendAsync(TxnBatches.Data(7, 0, 1)); // 4, same transaction
        // kill -9: a copy of the files as they are on disk now, without the producer snapshot.
        string copy = _directory + "-crashed";
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(_directory))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        File.Delete(Path.Combine(copy, ProducerStateSnapshot.FileName));
        _leader.Log.Dispose();
        Directory.Delete(_directory, recursive: true);
        Directory.Move(copy, _directory);
        _leader = Open();

        Assert.Equal(1, _leader.LastStableOffset);
        Assert.Equal([new AbortedTransaction(8, 2, 3, 1)], Aborted(0));
        await CommitMarkerAsync(7, commit: true); // 5
        Assert.Equal(6, _leader.LastStableOffset);
    }

    public void Dispose()
    {
        _leader.Log.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private PartitionLeader Open()
    {
        var log = PartitionLog.Open(_directory, LogConfig.Default, new LogOptions { HighWatermarkFollowsLogEnd = false });
        var leader = new PartitionLeader(new TopicPartition("t", 0), Uuid.Zero, log);
        leader.Recover();
        return leader;
    }

    private async Task AppendAsync(byte[] batch)
    {
        AppendOutcome outcome = _leader.Append(batch);
        Assert.Equal(ErrorCode.None, outcome.Error);
        Assert.Equal(ErrorCode.None, await _leader.WaitUntilCommittedAsync(outcome.EndOffset, CancellationToken.None));
    }

    private async Task CommitMarkerAsync(long producerId, bool commit, short epoch = 0, int coordinatorEpoch = 0)
    {
        if (epoch == 0 && _leader.DescribeProducers().FirstOrDefault(p => p.ProducerId == producerId) is { Epoch: > 0 } known)
        {
            epoch = known.Epoch;
        }
        AppendOutcome outcome = _leader.AppendMarker(producerId, epoch, coordinatorEpoch, commit);
        Assert.Equal(ErrorCode.None, outcome.Error);
        Assert.Equal(ErrorCode.None, await _leader.WaitUntilCommittedAsync(outcome.EndOffset, CancellationToken.None));
    }

    private List<AbortedTransaction> Aborted(long from)
    {
        var list = new List<AbortedTransaction>();
        _leader.Log.CollectAbortedTransactions(from, long.MaxValue, list);
        return list;
    }
}
