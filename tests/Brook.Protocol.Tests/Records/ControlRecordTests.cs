using Brook.Protocol.Compression;
using Brook.Protocol.Records;
using Record = Brook.Protocol.Records.Record;

namespace Brook.Protocol.Tests.Records;

public class ControlRecordTests
{
    [Theory]
    [InlineData(ControlRecordType.Commit)]
    [InlineData(ControlRecordType.Abort)]
    public void Transaction_marker_batch_round_trips(ControlRecordType type)
    {
        using var output = new PooledBufferWriter();
        EndTransactionMarker.WriteBatch(output, type, coordinatorEpoch: 17, producerId: 4242, producerEpoch: 2,
            timestamp: 1_700_000_000_000, baseOffset: 88, partitionLeaderEpoch: 3);
        byte[] batch = output.WrittenSpan.ToArray();

        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch, RecordBatchOrigin.Log));
        var header = new RecordBatchHeader(batch);
        Assert.True(header.IsControl);
        Assert.True(header.IsTransactional);
        Assert.Equal(CompressionType.None, header.Compression);
        Assert.Equal(4242, header.ProducerId);
        Assert.Equal((short)2, header.ProducerEpoch);
        Assert.Equal(-1, header.BaseSequence);
        Assert.Equal(88, header.BaseOffset);
        Assert.Equal(1, header.RecordsCount);

        Assert.Equal(RecordBatchError.None, RecordBatch.TryRead(batch, out RecordBatch view));
        RecordEnumerator records = view.GetRecords();
        Assert.True(records.MoveNext());
        Record record = records.Current;
        Assert.True(ControlRecord.TryReadKey(record.Key, out short keyVersion, out ControlRecordType readType));
        Assert.Equal((0, type), (keyVersion, readType));
        Assert.True(ControlRecord.TryReadEndTransactionMarker(record.Value, out short valueVersion, out int epoch));
        Assert.Equal((0, 17), (valueVersion, epoch));
        Assert.False(records.MoveNext());
        Assert.Equal(RecordBatchError.None, records.Error);
    }

    [Fact]
    public void Control_batch_from_a_client_is_rejected()
    {
        using var output = new PooledBufferWriter();
        EndTransactionMarker.WriteBatch(output, ControlRecordType.Commit, 1, 1, 0, 0);

        Assert.Equal(RecordBatchError.ControlBatchFromClient, RecordBatchValidator.Validate(output.WrittenSpan, RecordBatchOrigin.Client));
    }

    [Fact]
    public void Unknown_control_record_type_is_tolerated()
    {
        byte[] key = new byte[4];
        ControlRecord.WriteKey(key, (ControlRecordType)77);
        byte[] batch = BuildControlBatch(key, [1, 2, 3]);

        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch, RecordBatchOrigin.Log));
        Assert.True(ControlRecord.TryReadKey(key, out _, out ControlRecordType type));
        Assert.Equal((ControlRecordType)77, type);
    }

    [Fact]
    public void Commit_marker_with_a_short_value_is_invalid()
    {
        byte[] key = new byte[4];
        ControlRecord.WriteKey(key, ControlRecordType.Commit);

        byte[] batch = BuildControlBatch(key, [0, 0, 0]);

        Assert.Equal(RecordBatchError.InvalidControlRecord, RecordBatchValidator.Validate(batch, RecordBatchOrigin.Log));
    }

    [Fact]
    public void Control_record_key_shorter_than_four_bytes_is_invalid()
    {
        byte[] batch = BuildControlBatch([0, 0, 1], [0, 0, 0, 0, 0, 1]);

        Assert.Equal(RecordBatchError.InvalidControlRecord, RecordBatchValidator.Validate(batch, RecordBatchOrigin.Log));
        Assert.False(ControlRecord.TryReadKey([0, 0, 1], out _, out _));
    }

    [Fact]
    public void Control_batch_with_two_records_is_invalid()
    {
        byte[] key = new byte[4];
        ControlRecord.WriteKey(key, ControlRecordType.Abort);
        using var builder = new RecordBatchBuilder(new RecordBatchOptions { IsControl = true, IsTransactional = true });
        builder.Append(1, key, [0, 0, 0, 0, 0, 1]);
        builder.Append(1, key, [0, 0, 0, 0, 0, 1]);

        Assert.Equal(RecordBatchError.InvalidControlRecord, RecordBatchValidator.Validate(TestBatches.Write(builder), RecordBatchOrigin.Log));
    }

    [Fact]
    public void Writing_a_marker_of_a_non_transaction_type_is_refused()
    {
        using var output = new PooledBufferWriter();

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            EndTransactionMarker.WriteBatch(output, ControlRecordType.LeaderChange, 1, 1, 0, 0));
    }

    private static byte[] BuildControlBatch(byte[] key, byte[] value)
    {
        using var builder = new RecordBatchBuilder(new RecordBatchOptions { IsControl = true, IsTransactional = true });
        builder.Append(1, key, value);
        return TestBatches.Write(builder);
    }
}
