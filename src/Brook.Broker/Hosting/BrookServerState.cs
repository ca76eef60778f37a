namespace Brook.Broker.Hosting;

/// <summary>Where a <see cref="BrookServer"/> is in its life; only <see cref="Ready"/> is ready.</summary>
public enum BrookServerState
{
    Starting,
    Ready,
    Stopping,
    Stopped,
}
