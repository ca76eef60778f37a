using Brook.Broker.Groups;

namespace Brook.Broker.Tests.Groups;

public sealed class OffsetsRecordCodecTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("a", 97)]
    [InlineData("hello", 99162322)]
    [InlineData("my-consumer-group", 1513705513)]
    [InlineData("consumer-group-with-a-long-name", -1157546098)]
    public void Group_ids_hash_like_java_strings(string value, int expected) => Assert.Equal(expected, OffsetsTopic.JavaHashCode(value));

    [Fact]
    public void A_group_maps_to_its_partition_with_kafkas_abs_and_modulo()
    {
        Assert.Equal(99162322 % 50, OffsetsTopic.PartitionFor("hello", 50));
        Assert.Equal((-1157546098 & 0x7fffffff) % 50, OffsetsTopic.PartitionFor("consumer-group-with-a-long-name", 50));
    }

    [Fact]
    public void Offset_commits_round_trip_through_kafkas_schema()
    {
        byte[] key = OffsetsRecordCodec.OffsetKey("g", "t", 3);
        Assert.Equal([0, 1, 0, 1, (byte)'g', 0, 1, (byte)'t', 0, 0, 0, 3], key);
        byte[] value = OffsetsRecordCodec.OffsetValue(new CommittedOffset(42, 7, "meta", 1000));
        var decoded = Assert.IsType<OffsetCommitRecord>(OffsetsRecordCodec.Decode(key, value, valueIsNull: false));
        Assert.Equal(("g", "t", 3), (decoded.GroupId, decoded.Topic, decoded.Partition));
        Assert.Equal(new CommittedOffset(42, 7, "meta", 1000), decoded.Value);
        var tombstone = Assert.IsType<OffsetCommitRecord>(OffsetsRecordCodec.Decode(key, [], valueIsNull: true));
        Assert.Null(tombstone.Value);
    }

    [Fact]
    public void Group_metadata_round_trips_with_its_members()
    {
        var stored = new StoredGroup("consumer", 4, "range", "m-1", 123, [new StoredMember("m-1", "i-1", "c", "/h", 300, 100, [1, 2], [3])]);
        byte[] key = OffsetsRecordCodec.GroupKey("g");
        var decoded = Assert.IsType<GroupMetadataRecord>(OffsetsRecordCodec.Decode(key, OffsetsRecordCodec.GroupValue(stored), valueIsNull: false));
        Assert.Equal("g", decoded.GroupId);
        StoredGroup group = decoded.Value!;
        Assert.Equal(("consumer", 4, "range", "m-1", 123L), (group.ProtocolType, group.Generation, group.Protocol, group.Leader, group.StateTimestamp));
        StoredMember member = Assert.Single(group.Members);
        Assert.Equal(("m-1", "i-1", "c", "/h", 300, 100), (member.MemberId, member.GroupInstanceId, member.ClientId, member.ClientHost, member.RebalanceTimeoutMs, member.SessionTimeoutMs));
        Assert.Equal(new byte[] { 1, 2 }, member.Subscription);
        Assert.Equal(new byte[] { 3 }, member.Assignment);
    }

    [Fact]
    public void Keys_of_unknown_versions_are_skipped()
    {
        Assert.Null(OffsetsRecordCodec.Decode([0, 9, 0, 0], [], valueIsNull: true));
        Assert.Null(OffsetsRecordCodec.Decode([0], [], valueIsNull: true));
    }
}
