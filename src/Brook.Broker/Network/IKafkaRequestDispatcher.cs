namespace Brook.Broker.Network;

/// <summary>
/// The seam between the network layer and the Kafka API handlers. The network layer frames
/// bytes; the dispatcher owns everything inside a frame: it parses the rest of the request header,
/// runs the API, and writes the response header (v0 or v1, which only it can choose) and body.
/// </summary>
/// <remarks>
/// Requests of one connection are dispatched in the order they arrive, without waiting for earlier
/// ones to complete; the dispatcher may complete them in any order and the network layer still
/// writes the responses in request order. The cancellation token fires when the connection is
/// closed abruptly; pending requests should then finish quickly, since the connection's buffers
/// are only released once every dispatched request has completed.
/// </remarks>
public interface IKafkaRequestDispatcher
{
    /// <param name="request">The request; its payload stays valid until the returned task completes.</param>
    /// <param name="response">Where to write the response header and body, without the size prefix.</param>
    /// <param name="cancellationToken">Cancelled when the connection goes away.</param>
    ValueTask<KafkaDispatchResult> DispatchAsync(KafkaRequestFrame request, KafkaResponseBuffer response, CancellationToken cancellationToken);
}
