using Brook.Broker.Cluster;
using Brook.Broker.Partitions;
using Brook.Protocol.Messages;

namespace Brook.Broker.Handlers;

/// <summary>DescribeLogDirs (35): the one data directory, its partitions' sizes and the disk's space.</summary>
public sealed class DescribeLogDirsHandler(KafkaBroker broker) : ApiHandler<DescribeLogDirsRequest>
{
    public override ApiKey Key => ApiKey.DescribeLogDirs;

    public override ApiVersionRange Versions => new(0, 4);

    protected override ValueTask<ApiResult> HandleAsync(RequestContext context, DescribeLogDirsRequest request, CancellationToken cancellationToken)
    {
        var drive = new DriveInfo(broker.DataDirectory);
        var dir = new DescribeLogDirsResponse.DescribeLogDirsResult { LogDir = broker.DataDirectory, TotalBytes = drive.TotalSize, UsableBytes = drive.AvailableFreeSpace };
        foreach (TopicState topic in broker.Topics)
        {
            DescribeLogDirsRequest.DescribableLogDirTopic? wanted = request.Topics?.Find(t => t.Topic == topic.Name);
            if (request.Topics is not null && wanted is null)
            {
                continue;
            }
            var described = new DescribeLogDirsResponse.DescribeLogDirsTopic { Name = topic.Name };
            foreach (PartitionLeader partition in topic.Partitions)
            {
                if (wanted is null || wanted.Partitions.Contains(partition.Id.Partition))
                {
                    described.Partitions.Add(new DescribeLogDirsResponse.DescribeLogDirsPartition
                    {
                        PartitionIndex = partition.Id.Partition,
                        PartitionSize = partition.Log.SizeInBytes,
                        OffsetLag = Math.Max(0, partition.Log.LogEndOffset - partition.HighWatermark),
                    });
                }
            }
            dir.Topics.Add(described);
        }
        return Done(new DescribeLogDirsResponse { Results = [dir] });
    }
}
