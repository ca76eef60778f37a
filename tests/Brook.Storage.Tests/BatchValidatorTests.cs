using Brook.Protocol.Records;
using Brook.Storage.Batches;
using Brook.Storage.Tests.Support;

namespace Brook.Storage.Tests;

public sealed class BatchValidatorTests
{
    [Fact]
    public void Whole_batches_with_correct_crcs_are_valid()
    {
        byte[] two = [.. TestBatches.Values("a"), .. TestBatches.Values("b", "c")];

        Assert.Equal(StorageErrorCode.None, BatchValidator.Validate(two));
    }

    [Fact]
    public void A_flipped_byte_a_cut_batch_or_trailing_bytes_are_corrupt()
    {
        var batch = TestBatches.Values("a", "b");
        var flipped = (byte[])batch.Clone();
        flipped[RecordBatchHeader.Size + 2] ^= 1;

        Assert.Equal(StorageErrorCode.CorruptMessage, BatchValidator.Validate(flipped));
        Assert.Equal(StorageErrorCode.CorruptMessage, BatchValidator.Validate(batch.AsSpan(0, batch.Length - 1)));
        Assert.Equal(StorageErrorCode.CorruptMessage, BatchValidator.Validate([.. batch, 0, 0, 0]));
        Assert.Equal(StorageErrorCode.CorruptMessage, BatchValidator.Validate([]));
    }
}
