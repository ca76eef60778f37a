using Brook.Broker.Groups;
using Brook.Protocol.Errors;
using static Brook.Broker.Tests.Groups.CoordinatorUnderTest;

namespace Brook.Broker.Tests.Groups;

public sealed class SharedCommitTests
{
    [Fact]
    public async Task Concurrent_commits_sharing_a_partition_all_land_in_order_and_survive_a_restart()
    {
        await using var test = await StartAsync(o => o.OffsetsTopicPartitions = 1);
        // Creates __consumer_offsets first, so every later commit reaches the appender in call order.
        await test.Groups.CommitOffsetsAsync(new OffsetCommitter("warm-up", -1, "", null), [new OffsetCommitEntry(Topic, 0, 1, -1, null)], CancellationToken.None);
        var commits = new List<Task<ErrorCode[]>>();
        for (int round = 1; round <= 10; round++)
        {
            for (int group = 0; group < 20; group++)
            {
                commits.Add(test.Groups.CommitOffsetsAsync(new OffsetCommitter("g" + group, -1, "", null),
                    [new OffsetCommitEntry(Topic, group % 4, round * 100 + group, -1, null), new OffsetCommitEntry(Topic, (group + 1) % 4, round, -1, "m")],
                    CancellationToken.None));
            }
            // Later rounds must win even when their append shares a batch with earlier ones.
            await Task.Yield();
        }
        ErrorCode[][] results = await Within(Task.WhenAll(commits));
        Assert.All(results.SelectMany(r => r), e => Assert.Equal(ErrorCode.None, e));

        for (int pass = 0; pass < 2; pass++)
        {
            for (int group = 0; group < 20; group++)
            {
                Assert.True(test.Groups.TryFetchOffsets("g" + group, [(Topic, group % 4), (Topic, (group + 1) % 4)], out var offsets));
                Assert.Equal(1000 + group, offsets[0].Value!.Offset);
                Assert.Equal(10, offsets[1].Value!.Offset);
            }
            await test.RestartAsync();
        }
    }
}
