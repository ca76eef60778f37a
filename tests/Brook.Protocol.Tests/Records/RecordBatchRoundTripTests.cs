using System.Text;
using Brook.Protocol.Records;

namespace Brook.Protocol.Tests.Records;

public class RecordBatchRoundTripTests
{
    public static TheoryData<CompressionType, bool, bool, bool> AttributeCombinations()
    {
        var data = new TheoryData<CompressionType, bool, bool, bool>();
        foreach (CompressionType codec in Enum.GetValues<CompressionType>())
        {
            foreach (bool transactional in new[] { false, true })
            {
                foreach (bool logAppendTime in new[] { false, true })
                {
                    foreach (bool deleteHorizon in new[] { false, true })
                    {
                        data.Add(codec, transactional, logAppendTime, deleteHorizon);
                    }
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AttributeCombinations))]
    public void Built_batch_reads_back_with_every_field_and_attribute(CompressionType codec, bool transactional, bool logAppendTime, bool deleteHorizon)
    {
        const long appendTime = 1_800_000_000_000;
        const long horizon = 1_600_000_000_000;
        var options = new RecordBatchOptions
        {
            BaseOffset = 1234,
            PartitionLeaderEpoch = 7,
            ProducerId = 99,
            ProducerEpoch = 3,
            BaseSequence = 41,
            Compression = codec,
            IsTransactional = transactional,
            LogAppendTime = logAppendTime ? appendTime : null,
            DeleteHorizon = deleteHorizon ? horizon : null,
        };
        using var builder = new RecordBatchBuilder(options);
        RecordHeaderData[] headers =
        [
            new(Encoding.UTF8.GetBytes("trace"), Encoding.UTF8.GetBytes("abc")),
            RecordHeaderData.WithNullValue(Encoding.UTF8.GetBytes("nothing")),
            new(Encoding.UTF8.GetBytes("empty"), ReadOnlyMemory<byte>.Empty),
        ];
        builder.Append(1000, "k0"u8, "v0"u8, headers);
        builder.Append(990, default, keyIsNull: true, "no key"u8, valueIsNull: false);
        builder.Append(1020, "tombstone"u8, keyIsNull: false, default, valueIsNull: true);
        builder.Append(1010, ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty);
        byte[] batch = TestBatches.Write(builder);

        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch));
        var header = new RecordBatchHeader(batch);
        Assert.Equal(1234, header.BaseOffset);
        Assert.Equal(7, header.PartitionLeaderEpoch);
        Assert.Equal(99, header.ProducerId);
        Assert.Equal((short)3, header.ProducerEpoch);
        Assert.Equal(41, header.BaseSequence);
        Assert.Equal(4, header.RecordsCount);
        Assert.Equal(3, header.LastOffsetDelta);
        Assert.Equal(codec, header.Compression);
        Assert.Equal(transactional, header.IsTransactional);
        Assert.Equal(logAppendTime, header.IsLogAppendTime);
        Assert.Equal(deleteHorizon, header.HasDeleteHorizon);
        Assert.False(header.IsControl);
        Assert.Equal(deleteHorizon ? horizon : 1000, header.BaseTimestamp);
        Assert.Equal(logAppendTime ? appendTime : 1020, header.MaxTimestamp);

        List<DecodedRecord> records = DecodedRecord.ReadAll(batch);
        Assert.Equal([1234L, 1235, 1236, 1237], records.Select(r => r.Offset));
        long[] expectedTimestamps = logAppendTime ? [appendTime, appendTime, appendTime, appendTime] : [1000, 990, 1020, 1010];
        Assert.Equal(expectedTimestamps, records.Select(r => r.Timestamp));
        Assert.Equal(["k0", null, "tombstone", ""], records.Select(r => r.KeyText));
        Assert.Equal(["v0", "no key", null, ""], records.Select(r => r.ValueText));
        Assert.Equal(3, records[0].Headers.Length);
        Assert.Equal(("trace", "abc"), (records[0].Headers[0].Key, Encoding.UTF8.GetString(records[0].Headers[0].Value!)));
        Assert.Equal("nothing", records[0].Headers[1].Key);
        Assert.Null(records[0].Headers[1].Value);
        Assert.Equal([], records[0].Headers[2].Value!);
        Assert.Empty(records[1].Headers);
    }

    [Fact]
    public void Builder_reused_after_reset_writes_only_the_new_records()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1, "a"u8, "1"u8);
        builder.Append(2, "b"u8, "2"u8);
        TestBatches.Write(builder);

        builder.Reset(new RecordBatchOptions { BaseOffset = 10, Compression = CompressionType.Zstd });
        builder.Append(5, "c"u8, "3"u8);
        byte[] batch = TestBatches.Write(builder);

        DecodedRecord record = Assert.Single(DecodedRecord.ReadAll(batch));
        Assert.Equal((10L, 5L, "c", "3"), (record.Offset, record.Timestamp, record.KeyText, record.ValueText));
    }

    [Fact]
    public void Compacted_batch_keeps_its_offset_gaps_and_last_offset_delta()
    {
        using var builder = new RecordBatchBuilder(new RecordBatchOptions { BaseOffset = 100, LastOffsetDelta = 9 });
        builder.Append(1, "a"u8, keyIsNull: false, "1"u8, valueIsNull: false, offsetDelta: 2);
        builder.Append(2, "b"u8, keyIsNull: false, "2"u8, valueIsNull: false, offsetDelta: 5);
        byte[] batch = TestBatches.Write(builder);

        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch, RecordBatchOrigin.Log));
        Assert.Equal(RecordBatchError.InvalidLastOffsetDelta, RecordBatchValidator.Validate(batch, RecordBatchOrigin.Client));
        Assert.Equal(109, new RecordBatchHeader(batch).LastOffset);
        Assert.Equal([102L, 105], DecodedRecord.ReadAll(batch).Select(r => r.Offset));
    }

    [Fact]
    public void Empty_batch_left_by_compaction_is_valid_in_a_log_but_not_from_a_client()
    {
        using var builder = new RecordBatchBuilder(new RecordBatchOptions { LastOffsetDelta = 4 });
        byte[] batch = TestBatches.Write(builder);

        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch, RecordBatchOrigin.Log));
        Assert.Equal(RecordBatchError.InvalidRecordCount, RecordBatchValidator.Validate(batch, RecordBatchOrigin.Client));
        Assert.Empty(DecodedRecord.ReadAll(batch));
    }

    [Fact]
    public void Appending_a_non_increasing_offset_delta_is_refused()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1, "a"u8, keyIsNull: false, "1"u8, valueIsNull: false, offsetDelta: 3);

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            builder.Append(1, "b"u8, keyIsNull: false, "2"u8, valueIsNull: false, offsetDelta: 3));
    }

    [Fact]
    public void Log_append_time_set_by_the_broker_keeps_the_batch_valid_and_changes_every_record_timestamp()
    {
        byte[] batch = TestBatches.Build(3, new RecordBatchOptions { Compression = CompressionType.Lz4 });
        uint crcBefore = new RecordBatchHeader(batch).Crc;

        RecordBatchHeader.SetLogAppendTime(batch, 1_900_000_000_000);

        var header = new RecordBatchHeader(batch);
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch));
        Assert.NotEqual(crcBefore, header.Crc);
        Assert.True(header.IsLogAppendTime);
        Assert.Equal(CompressionType.Lz4, header.Compression);
        Assert.Equal(TestBatches.FirstTimestamp, header.BaseTimestamp);
        Assert.All(DecodedRecord.ReadAll(batch), r => Assert.Equal(1_900_000_000_000, r.Timestamp));
    }

    [Fact]
    public void Base_offset_and_leader_epoch_are_assigned_without_touching_the_crc()
    {
        byte[] batch = TestBatches.Build();
        uint crc = new RecordBatchHeader(batch).Crc;

        RecordBatchHeader.SetBaseOffset(batch, 5000);
        RecordBatchHeader.SetPartitionLeaderEpoch(batch, 12);

        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch));
        Assert.Equal(crc, new RecordBatchHeader(batch).Crc);
        Assert.Equal([5000L, 5001, 5002], DecodedRecord.ReadAll(batch).Select(r => r.Offset));
    }
}
