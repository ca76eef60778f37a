using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;
using Brook.Protocol.Tests.Generated;

namespace Brook.Protocol.Tests.Messages;

/// <summary>
/// Every (spec, version) pair, requests, responses, headers and data specs alike, filled with
/// non-default values in every field the version has (MessageSamples.g.cs, generated from the
/// same specs): write, read, write again.
/// </summary>
public sealed class RoundTripTests
{
    [Theory]
    [MemberData(nameof(SpecVersions.Every), MemberType = typeof(SpecVersions))]
    public void A_filled_message_reads_back_field_for_field_and_rewrites_the_same_bytes(string spec, short version)
    {
        var original = MessageSamples.CreateFilled(spec, version);
        byte[] first = MessageCodec.Encode(original, version);
        Assert.Equal(first.Length, original.ComputeSize(version));

        var decoded = MessageSamples.CreateEmpty(spec);
        var error = MessageCodec.Decode(decoded, first, version, out int remaining);
        Assert.Equal(ProtocolReadError.None, error);
        Assert.Equal(0, remaining);
        DeepEquality.AssertEqual(original, decoded, spec);

        byte[] second = MessageCodec.Encode(decoded, version);
        Assert.Equal(first, second);
        Assert.Equal(second.Length, decoded.ComputeSize(version));
    }

    [Theory]
    [MemberData(nameof(SpecVersions.Every), MemberType = typeof(SpecVersions))]
    public void A_message_with_every_nullable_field_null_round_trips(string spec, short version)
    {
        var original = MessageSamples.CreateFilled(spec, version, nulls: true);
        byte[] first = MessageCodec.Encode(original, version);
        Assert.Equal(first.Length, original.ComputeSize(version));

        var decoded = MessageSamples.CreateEmpty(spec);
        Assert.Equal(ProtocolReadError.None, MessageCodec.Decode(decoded, first, version, out int remaining));
        Assert.Equal(0, remaining);
        DeepEquality.AssertEqual(original, decoded, spec);
        Assert.Equal(first, MessageCodec.Encode(decoded, version));
    }

    [Theory]
    [MemberData(nameof(SpecVersions.Every), MemberType = typeof(SpecVersions))]
    public void A_message_left_at_its_defaults_round_trips(string spec, short version)
    {
        var original = MessageSamples.CreateEmpty(spec);
        byte[] first = MessageCodec.Encode(original, version);
        Assert.Equal(first.Length, original.ComputeSize(version));

        var decoded = MessageSamples.CreateEmpty(spec);
        Assert.Equal(ProtocolReadError.None, MessageCodec.Decode(decoded, first, version, out int remaining));
        Assert.Equal(0, remaining);
        Assert.Equal(first, MessageCodec.Encode(decoded, version));
    }

    [Fact]
    public void The_samples_cover_every_spec_file()
    {
        // 76 requests + 76 responses + 2 headers + 8 data specs.
        Assert.Equal(162, MessageSamples.Specs.Length);
    }

    [Fact]
    public void Tagged_fields_are_decoded_into_their_properties_and_unknown_ones_are_kept()
    {
        var original = (FetchResponse)MessageSamples.CreateFilled(nameof(FetchResponse), 16);
        var decoded = new FetchResponse();
        Assert.Equal(ProtocolReadError.None, MessageCodec.Decode(decoded, MessageCodec.Encode(original, 16), 16, out _));

        var partition = decoded.Responses[1].Partitions[0];
        Assert.Equal(original.Responses[1].Partitions[0].DivergingEpoch.Epoch, partition.DivergingEpoch.Epoch);
        Assert.NotEqual(-1, partition.CurrentLeader.LeaderId);
        Assert.Equal(2, decoded.NodeEndpoints.Count);
        var unknown = Assert.Single(decoded.UnknownTaggedFields!);
        Assert.Equal(90, unknown.Tag);
        Assert.Equal(new byte[] { 7, 8, 9 }, unknown.Data.ToArray());
    }

    [Fact]
    public void Unknown_tagged_fields_are_written_in_tag_order_after_the_known_ones()
    {
        var partition = new FetchResponse.PartitionData { DivergingEpoch = { Epoch = 5 }, SnapshotId = { Epoch = 6 } };
        partition.UnknownTaggedFields = [new RawTaggedField(9, new byte[] { 0xAA }), new RawTaggedField(5, new byte[] { 0xBB })];

        byte[] bytes = MessageCodec.Encode(partition, 12);
        var decoded = new FetchResponse.PartitionData();
        Assert.Equal(ProtocolReadError.None, MessageCodec.Decode(decoded, bytes, 12, out _));

        // The reader keeps unknown fields in wire order, so this is the order they were written in.
        Assert.Equal([5, 9], decoded.UnknownTaggedFields!.Select(f => f.Tag));
        Assert.Equal(5, decoded.DivergingEpoch.Epoch);
        Assert.Equal(6, decoded.SnapshotId.Epoch);
        Assert.Equal(-1, decoded.CurrentLeader.LeaderId);
        // The section ends with: count 4, tag 0 ..., tag 2 ..., tag 5 size 1 0xBB, tag 9 size 1 0xAA.
        Assert.Equal(new byte[] { 5, 1, 0xBB, 9, 1, 0xAA }, bytes[^6..]);
    }

    [Fact]
    public void A_tagged_field_at_its_default_is_not_written()
    {
        var withDefaults = new FetchResponse.PartitionData();
        var withEpoch = new FetchResponse.PartitionData { DivergingEpoch = { Epoch = 3 } };
        // Tag (1) + size (1) + EndOffset (8) + Epoch (4) + the struct's own empty tag section (1),
        // and nothing for the other tagged fields, which stay at their defaults.
        Assert.Equal(withDefaults.ComputeSize(12) + 15, withEpoch.ComputeSize(12));
    }
}
