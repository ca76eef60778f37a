using System.Buffers;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;
using Brook.Protocol.Records;

namespace Brook.Protocol.Tests.Primitives;

public sealed class DeferredRecordsTests
{
    [Fact]
    public void A_writer_that_sends_records_itself_gets_only_their_length_and_the_records()
    {
        using var records = new ArrayRecords([1, 2, 3, 4, 5]);
        var output = new CollectingWriter();
        var writer = new KafkaWriter(output);

        writer.WriteRecords(records.Memory, compact: false);

        Assert.Equal([0, 0, 0, 5], output.WrittenSpan.ToArray());
        Assert.Same(records, Assert.Single(output.Deferred));
        Assert.Equal(9, writer.Written);
    }

    [Fact]
    public void Taking_the_memory_and_sending_it_through_a_deferring_writer_reads_no_byte()
    {
        using var records = new ArrayRecords(new byte[1000]);
        var writer = new KafkaWriter(new CollectingWriter());

        ReadOnlyMemory<byte> memory = records.Memory;
        writer.WriteRecords(memory, compact: true);

        Assert.Equal(1000, memory.Length);
        Assert.Equal(0, records.Copies);
    }

    [Fact]
    public void Any_other_writer_gets_the_bytes_themselves()
    {
        using var records = new ArrayRecords([1, 2, 3, 4, 5]);
        var output = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(output);

        writer.WriteRecords(records.Memory, compact: true);

        Assert.Equal([6, 1, 2, 3, 4, 5], output.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_response_with_deferred_records_has_the_size_of_one_with_the_bytes()
    {
        using var records = new ArrayRecords(new byte[300]);
        var response = new FetchResponse
        {
            Responses = [new FetchResponse.FetchableTopicResponse { Topic = "t", Partitions = [new FetchResponse.PartitionData { Records = records.Memory }] }],
        };
        var inline = new ArrayBufferWriter<byte>();
        var deferred = new CollectingWriter();

        var first = new KafkaWriter(inline);
        response.Write(ref first, 12);
        var second = new KafkaWriter(deferred);
        response.Write(ref second, 12);

        Assert.Equal(response.ComputeSize(12), inline.WrittenCount);
        Assert.Equal(inline.WrittenCount, deferred.WrittenCount + 300);
    }

    [Fact]
    public void The_source_is_let_go_when_the_last_reference_is_released()
    {
        var records = new ArrayRecords([1]);
        records.Retain();

        records.Release();
        Assert.False(records.Released);
        records.Release();

        Assert.True(records.Released);
    }

    private sealed class ArrayRecords(byte[] bytes) : DeferredRecords(bytes.Length)
    {
        public bool Released { get; private set; }

        public int Copies { get; private set; }

        public override void CopyTo(long offset, Span<byte> destination)
        {
            Copies++;
            bytes.AsSpan((int)offset, destination.Length).CopyTo(destination);
        }

        protected override void OnReleased() => Released = true;
    }

    private sealed class CollectingWriter : IBufferWriter<byte>, IDeferredRecordsWriter
    {
        private readonly ArrayBufferWriter<byte> _inner = new();

        public List<DeferredRecords> Deferred { get; } = [];

        public int WrittenCount => _inner.WrittenCount;

        public ReadOnlySpan<byte> WrittenSpan => _inner.WrittenSpan;

        public void Advance(int count) => _inner.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);

        public void WriteDeferred(DeferredRecords records) => Deferred.Add(records);
    }
}
