using Brook.Broker.Network;

namespace Brook.Broker.Handlers;

/// <summary>What a handler may know about the request besides its body.</summary>
public sealed record RequestContext(short ApiVersion, int CorrelationId, string ClientId, KafkaConnectionInfo Connection);
