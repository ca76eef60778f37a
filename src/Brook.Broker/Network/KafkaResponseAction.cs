namespace Brook.Broker.Network;

/// <summary>What the network layer does with a request once the dispatcher is done with it.</summary>
public enum KafkaResponseAction
{
    /// <summary>Frame the bytes written to the response buffer and send them, in request order.</summary>
    Send,

    /// <summary>Send nothing (Produce with acks=0).</summary>
    NoResponse,

    /// <summary>Send nothing and close the connection after the responses queued before this one.</summary>
    CloseConnection,
}
