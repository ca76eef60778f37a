using Brook.Protocol.Records;

namespace Brook.Protocol.Tests.Records;

public class RecordBatchErrorCodesTests
{
    [Theory]
    [InlineData(RecordBatchError.None, 0)]
    [InlineData(RecordBatchError.CrcMismatch, 2)]
    [InlineData(RecordBatchError.RecordLengthMismatch, 2)]
    [InlineData(RecordBatchError.CorruptCompressedData, 2)]
    [InlineData(RecordBatchError.UnsupportedMagic, 87)]
    [InlineData(RecordBatchError.InvalidOffsetDelta, 87)]
    [InlineData(RecordBatchError.ControlBatchFromClient, 87)]
    [InlineData(RecordBatchError.CompressionUnavailable, 76)]
    [InlineData(RecordBatchError.DecompressedTooLarge, 10)]
    public void Errors_map_to_the_codes_Kafka_answers_with(RecordBatchError error, short code)
    {
        Assert.Equal(code, error.ToKafkaErrorCode());
    }

    [Fact]
    public void Every_error_other_than_none_maps_to_a_nonzero_code()
    {
        foreach (RecordBatchError error in Enum.GetValues<RecordBatchError>().Where(e => e != RecordBatchError.None))
        {
            Assert.NotEqual(0, error.ToKafkaErrorCode());
        }
    }
}
