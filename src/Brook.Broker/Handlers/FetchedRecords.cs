using System.Diagnostics.CodeAnalysis;
using Brook.Protocol.Records;
using Brook.Storage;
using Microsoft.Win32.SafeHandles;

namespace Brook.Broker.Handlers;

/// <summary>
/// One partition's part of a Fetch response: a slice of a segment file, sent by the connection
/// straight from the file to the socket (sendfile) or into the socket's buffers. Holds the segment (through the read) until
/// both the handler's buffers and the connection that sends it have released it.
/// </summary>
internal sealed class FetchedRecords(LogReadResult read) : DeferredRecords(read.Length)
{
    public override void CopyTo(long offset, Span<byte> destination) => read.ReadAt(offset, destination);

    public override bool TryGetFile([NotNullWhen(true)] out SafeFileHandle? file, out long position) => read.TryGetFile(out file, out position);

    protected override void OnReleased() => read.Dispose();
}
