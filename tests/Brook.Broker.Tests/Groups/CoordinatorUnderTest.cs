using System.Buffers;
using System.Net;
using Brook.Broker.Cluster;
using Brook.Broker.Groups;
using Brook.Broker.Tests.Support;
using Brook.Protocol.Errors;
using Brook.Protocol.Messages;
using Brook.Protocol.Primitives;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brook.Broker.Tests.Groups;

/// <summary>A broker over a temporary directory on a manual clock, for driving its group coordinator directly.</summary>
public sealed class CoordinatorUnderTest : IAsyncDisposable
{
    public const string Topic = "orders";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "brook-groups-" + Guid.NewGuid().ToString("N"));
    private readonly GroupCoordinatorOptions _options;

    private CoordinatorUnderTest(GroupCoordinatorOptions options)
    {
        _options = options;
    }

    public ManualTimeProvider Clock { get; } = new();

    public KafkaBroker Broker { get; private set; } = null!;

    public GroupCoordinator Groups => Broker.Groups;

    public static async Task<CoordinatorUnderTest> StartAsync(Action<GroupCoordinatorOptions>? configure = null)
    {
        var options = new GroupCoordinatorOptions { InitialRebalanceDelay = TimeSpan.Zero, OffsetsTopicPartitions = 3, MinSessionTimeoutMs = 1000 };
        configure?.Invoke(options);
        var test = new CoordinatorUnderTest(options);
        await test.OpenAsync();
        await test.Broker.CreateTopicAsync(Topic, 4, new Dictionary<string, string>(), validateOnly: false, CancellationToken.None);
        return test;
    }

    private async Task OpenAsync()
    {
        Broker = await KafkaBroker.OpenAsync(1, _directory, () => new DnsEndPoint("localhost", 9092),
            new KafkaBrokerOptions { Groups = _options }, NullLoggerFactory.Instance, Clock);
    }

    /// <summary>Closes the broker and opens it again over the same directory: the coordinator replays __consumer_offsets.</summary>
    public async Task RestartAsync()
    {
        await Broker.DisposeAsync();
        await OpenAsync();
    }

    public static byte[] Subscription(params string[] topics)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(output);
        writer.WriteInt16(0);
        new ConsumerProtocolSubscription { Topics = [.. topics], UserData = null }.Write(ref writer, 0);
        return output.WrittenSpan.ToArray();
    }

    public static JoinRequest Join(string group, string memberId = "", string? instanceId = null, short version = 5,
        int sessionTimeoutMs = 10_000, int rebalanceTimeoutMs = 30_000, params string[] protocols)
    {
        var list = new List<(string Name, byte[] Metadata)>();
        foreach (string protocol in protocols.Length == 0 ? ["range"] : protocols)
        {
            list.Add((protocol, Subscription(Topic)));
        }
        return new JoinRequest(group, memberId, instanceId, "client", "/127.0.0.1", sessionTimeoutMs, rebalanceTimeoutMs, "consumer", list, version);
    }

    /// <summary>A v4+ join: asks for a member id, then joins with it; returns the (possibly still pending) join.</summary>
    public async Task<Task<JoinGroupResponse>> JoinNewMemberAsync(string group, int sessionTimeoutMs = 10_000, int rebalanceTimeoutMs = 30_000, params string[] protocols)
    {
        JoinGroupResponse first = await Groups.JoinAsync(Join(group, sessionTimeoutMs: sessionTimeoutMs, rebalanceTimeoutMs: rebalanceTimeoutMs, protocols: protocols));
        Assert.Equal((short)ErrorCode.MemberIdRequired, first.ErrorCode);
        return Groups.JoinAsync(Join(group, first.MemberId, sessionTimeoutMs: sessionTimeoutMs, rebalanceTimeoutMs: rebalanceTimeoutMs, protocols: protocols));
    }

    /// <summary>Joins one member and syncs it with <paramref name="assignment"/>: a Stable group of one.</summary>
    public async Task<JoinGroupResponse> StableSingleMemberAsync(string group, byte[] assignment, int sessionTimeoutMs = 10_000)
    {
        JoinGroupResponse joined = await Within(await JoinNewMemberAsync(group, sessionTimeoutMs));
        Assert.Equal(0, joined.ErrorCode);
        SyncGroupResponse synced = await Within(Groups.SyncAsync(group, joined.GenerationId, joined.MemberId, null, "consumer", "range", [(joined.MemberId, assignment)]));
        Assert.Equal(0, synced.ErrorCode);
        return joined;
    }

    public static Task<T> Within<T>(Task<T> task) => task.WaitAsync(Eventually.Deadline);

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
