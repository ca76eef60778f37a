using Brook.Broker.Transactions;

namespace Brook.Broker.Tests.Transactions;

public sealed class TransactionLogCodecTests
{
    [Fact]
    public void A_value_round_trips_with_its_partitions_grouped_by_topic()
    {
        var entry = new TransactionLogEntry(42, 7, 60_000, TransactionState.Ongoing, [("b", 1), ("a", 3), ("b", 0)], 1000, 900);
        TransactionLogEntry decoded = TransactionLogCodec.DecodeValue(TransactionLogCodec.Value(entry))!;
        Assert.Equal((42L, (short)7, 60_000, TransactionState.Ongoing, 1000L, 900L),
            (decoded.ProducerId, decoded.ProducerEpoch, decoded.TimeoutMs, decoded.State, decoded.LastUpdateTimestamp, decoded.StartTimestamp));
        Assert.Equal([("a", 3), ("b", 1), ("b", 0)], decoded.Partitions);
    }

    [Fact]
    public void Values_are_kafkas_version_0_layout_with_null_partitions_for_Empty()
    {
        byte[] value = TransactionLogCodec.Value(new TransactionLogEntry(1, 2, 3, TransactionState.Empty, [], 4, -1));
        byte[] expected =
        [
            0, 0, // version 0
            0, 0, 0, 0, 0, 0, 0, 1, // producer id
            0, 2, // epoch
            0, 0, 0, 3, // timeout
            0, // status Empty
            0xFF, 0xFF, 0xFF, 0xFF, // null partitions
            0, 0, 0, 0, 0, 0, 0, 4, // last update
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // start -1
        ];
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Keys_are_version_0_with_the_id_and_decode_back()
    {
        byte[] key = TransactionLogCodec.Key("tx");
        Assert.Equal([0, 0, 0, 2, (byte)'t', (byte)'x'], key);
        Assert.Equal("tx", TransactionLogCodec.DecodeKey(key));
        Assert.Null(TransactionLogCodec.DecodeKey([0, 1, 0, 0]));
    }

    [Fact]
    public void A_flexible_version_1_value_is_read()
    {
        byte[] value =
        [
            0, 1, // version 1
            0, 0, 0, 0, 0, 0, 0, 9, // producer id
            0, 1, // epoch
            0, 0, 0x03, 0xE8, // timeout 1000
            1, // Ongoing
            2, // compact array of 1 topic
            2, (byte)'t', // compact string "t"
            3, 0, 0, 0, 5, 0, 0, 0, 6, // compact array [5, 6]
            0, // topic tagged fields
            0, 0, 0, 0, 0, 0, 0, 10, // last update
            0, 0, 0, 0, 0, 0, 0, 8, // start
            1, 0, 1, 0, // one tagged field (tag 0, size 1, a byte) — skipped
        ];
        TransactionLogEntry decoded = TransactionLogCodec.DecodeValue(value)!;
        Assert.Equal(TransactionState.Ongoing, decoded.State);
        Assert.Equal([("t", 5), ("t", 6)], decoded.Partitions);
        Assert.Equal(8, decoded.StartTimestamp);
    }

    [Fact]
    public void Ids_map_to_partitions_as_kafkas_abs_java_hash_mod_partitions()
    {
        // "my-txn".hashCode() in Java is -1061187895: abs % 50 = 45 (masking the sign bit would give 3).
        Assert.Equal(45, TransactionStateTopic.PartitionFor("my-txn", 50));
        Assert.Equal(0, TransactionStateTopic.PartitionFor("", 50));
    }
}
