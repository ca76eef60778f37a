using Brook.Broker.Partitions;
using Brook.Broker.Tests.Transactions;
using Brook.Protocol.Errors;
using Brook.Storage;

namespace Brook.Broker.Tests.Partitions;

/// <summary>The producer state survives a crash through the snapshot each segment roll writes.</summary>
public sealed class ProducerStateSnapshotTests : IDisposable
{
    private readonly LeaderUnderTest _test = new(LogConfig.Default with { SegmentBytes = 1024 });

    private PartitionLeader Leader => _test.Leader;

    [Fact]
    public async Task After_a_crash_a_retry_of_a_batch_in_an_older_segment_is_answered_as_a_duplicate_not_appended_again()
    {
        await _test.AppendAsync(TxnBatches.Data(5, 0, 0, transactional: false)); // offset 0, producer 5's only batch
        for (int sequence = 0; Leader.Log.SegmentBaseOffsets.Count < 4; sequence++)
        {
            await _test.AppendAsync(TxnBatches.Data(9, 0, sequence, transactional: false));
        }
        long end = Leader.Log.LogEndOffset;

        _test.Crash(keepProducerSnapshot: true);

        AppendOutcome retry = Leader.Append(TxnBatches.Data(5, 0, 0, transactional: false));
        Assert.Equal(ErrorCode.None, retry.Error);
        Assert.Equal(0, retry.FirstOffset);
        Assert.Equal(end, Leader.Log.LogEndOffset);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, Leader.Append(TxnBatches.Data(5, 0, 2, transactional: false)).Error);
    }

    [Fact]
    public async Task The_snapshot_a_roll_writes_holds_the_state_before_the_batch_that_begins_the_new_segment()
    {
        for (int sequence = 0; Leader.Log.SegmentBaseOffsets.Count < 2; sequence++)
        {
            await _test.AppendAsync(TxnBatches.Data(9, 0, sequence, transactional: false));
        }
        long newSegment = Leader.Log.SegmentBaseOffsets[^1];

        Assert.True(ProducerStateSnapshot.TryLoad(_test.Directory, out ProducerStateSnapshot? snapshot));
        Assert.Equal(newSegment, snapshot.EndOffset);
        ProducerSnapshot producer = Assert.Single(snapshot.Producers);
        Assert.Equal(9, producer.ProducerId);
        Assert.Equal(newSegment - 1, producer.Batches[^1][^1]);
    }

    public void Dispose() => _test.Dispose();
}
