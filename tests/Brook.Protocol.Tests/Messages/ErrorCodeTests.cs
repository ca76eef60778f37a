using Brook.Protocol.Errors;

namespace Brook.Protocol.Tests.Messages;

public sealed class ErrorCodeTests
{
    [Fact]
    public void The_table_covers_codes_minus_1_to_128_without_gaps()
    {
        Assert.Equal(130, ErrorCodes.All.Count);
        for (int i = 0; i < ErrorCodes.All.Count; i++)
        {
            Assert.Equal(i - 1, (int)ErrorCodes.All[i].Code);
        }
        Assert.Null(ErrorCodes.Find(129));
        Assert.Null(ErrorCodes.Find(-2));
    }

    [Fact]
    public void Names_numbers_and_retriability_match_kafka()
    {
        Assert.Equal(0, (short)ErrorCode.None);
        Assert.Equal(3, (short)ErrorCode.UnknownTopicOrPartition);
        Assert.Equal(35, (short)ErrorCode.UnsupportedVersion);
        Assert.Equal(-1, (short)ErrorCode.UnknownServerError);
        Assert.Equal("NOT_LEADER_OR_FOLLOWER", ErrorCode.NotLeaderOrFollower.Info().Name);
        Assert.True(ErrorCode.NotLeaderOrFollower.IsRetriable());
        Assert.True(ErrorCode.ShareSessionNotFound.IsRetriable());
        Assert.False(ErrorCode.TopicAlreadyExists.IsRetriable());
        Assert.False(ErrorCode.None.IsRetriable());
    }

    [Fact]
    public void Every_code_has_a_short_message()
    {
        Assert.Equal("Unknown topic or partition", ErrorCode.UnknownTopicOrPartition.Message());
        Assert.Equal("Invalid topic", ErrorCode.InvalidTopicException.Message());
        Assert.All(ErrorCodes.All, info => Assert.False(string.IsNullOrWhiteSpace(info.Message)));
    }

    [Fact]
    public void An_unknown_code_still_has_an_info_row()
    {
        var info = ((ErrorCode)500).Info();
        Assert.False(info.IsRetriable);
        Assert.Equal("UNKNOWN_CODE_500", info.Name);
    }
}
