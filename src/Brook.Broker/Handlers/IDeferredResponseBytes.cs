namespace Brook.Broker.Handlers;

/// <summary>
/// A response lease whose records the connection sends from their files: the response's encoded
/// size counts them, but the response buffer holds none of their bytes, so it reserves that much less.
/// </summary>
internal interface IDeferredResponseBytes
{
    long DeferredBytes { get; }
}
