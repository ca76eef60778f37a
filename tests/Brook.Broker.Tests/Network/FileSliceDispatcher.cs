using System.Diagnostics.CodeAnalysis;
using Brook.Broker.Network;
using Brook.Protocol.Records;
using Microsoft.Win32.SafeHandles;

namespace Brook.Broker.Tests.Network;

/// <summary>
/// A dispatcher whose responses mix buffer bytes with slices of one file (the way a Fetch's records
/// are deferred), following a plan derived from the correlation id alone, so a test can compute the
/// exact frame it must receive. Odd correlation ids complete on another thread, so responses finish
/// out of order. A request whose id is in <see cref="Held"/> waits until released.
/// </summary>
public sealed class FileSliceDispatcher : IKafkaRequestDispatcher, IDisposable
{
    public const int FileLength = 4 * 1024 * 1024;

    private readonly string _path = Path.Combine(Path.GetTempPath(), "brook-slices-" + Guid.NewGuid().ToString("N"));
    private readonly SafeFileHandle _file;
    private readonly byte[] _content;
    private long _copiedBytes;
    private int _outstanding;

    public FileSliceDispatcher()
    {
        _content = new byte[FileLength];
        new Random(7).NextBytes(_content);
        File.WriteAllBytes(_path, _content);
        _file = File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <summary>Requests held until their task completes, by correlation id.</summary>
    public Dictionary<int, TaskCompletionSource> Held { get; } = [];

    /// <summary>Slice bytes read through <see cref="DeferredRecords.CopyTo"/> (not sent by sendfile).</summary>
    public long CopiedBytes => Interlocked.Read(ref _copiedBytes);

    /// <summary>Slices not yet released by everyone who took them.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Cuts the file to <paramref name="length"/> bytes, as a truncated segment would be.</summary>
    public void Truncate(long length) => RandomAccess.SetLength(_file, length);

    /// <summary>The response (without size prefix) that request <paramref name="correlationId"/> gets.</summary>
    public byte[] Expected(int correlationId)
    {
        var bytes = new List<byte>();
        foreach (Part part in Plan(correlationId))
        {
            bytes.AddRange(part.Bytes ?? _content.AsSpan((int)part.Position, part.Length).ToArray());
        }
        return [.. bytes];
    }

    public ValueTask<KafkaDispatchResult> DispatchAsync(KafkaRequestFrame request, KafkaResponseBuffer response, CancellationToken cancellationToken)
    {
        int id = request.CorrelationId;
        if (Held.TryGetValue(id, out TaskCompletionSource? release))
        {
            return AnswerWhenReleasedAsync(release.Task, id, response);
        }
        return id % 2 == 1 ? new ValueTask<KafkaDispatchResult>(Task.Run(() => Answer(id, response))) : ValueTask.FromResult(Answer(id, response));
    }

    public void Dispose()
    {
        _file.Dispose();
        File.Delete(_path);
    }

    private async ValueTask<KafkaDispatchResult> AnswerWhenReleasedAsync(Task released, int id, KafkaResponseBuffer response)
    {
        await released;
        return Answer(id, response);
    }

    private KafkaDispatchResult Answer(int id, KafkaResponseBuffer response)
    {
        foreach (Part part in Plan(id))
        {
            if (part.Bytes is { } bytes)
            {
                bytes.CopyTo(response.GetSpan(bytes.Length));
                response.Advance(bytes.Length);
            }
            else
            {
                var slice = new FileSlice(this, part.Position, part.Length);
                response.WriteDeferred(slice);
                slice.Release();
            }
        }
        return KafkaDispatchResult.Send();
    }

    /// <summary>Small frames, frames larger than a write chunk, large slices between buffer bytes, runs of tiny slices, large buffer parts around slices.</summary>
    private static List<Part> Plan(int id)
    {
        var random = new Random(id);
        var parts = new List<Part> { Bytes(random, 4, 100) };
        switch (id % 5)
        {
            case 0:
                break;
            case 1:
                parts.Add(Bytes(random, 300_000, 600_000));
                break;
            case 2:
                parts.Add(Slice(random, 100_000, 1_500_000));
                parts.Add(Bytes(random, 1, 50));
                break;
            case 3:
                for (int i = 0; i < 6; i++)
                {
                    parts.Add(Slice(random, 1, 5_000));
                    parts.Add(Bytes(random, 0, 40));
                }
                break;
            default:
                parts.Add(Bytes(random, 70_000, 90_000));
                parts.Add(Slice(random, 200_000, 1_000_000));
                parts.Add(Slice(random, 1, 100));
                parts.Add(Slice(random, 70_000, 700_000));
                parts.Add(Bytes(random, 80_000, 300_000));
                break;
        }
        return parts;
    }

    private static Part Bytes(Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max + 1)];
        random.NextBytes(bytes);
        return new Part(bytes, 0, bytes.Length);
    }

    private static Part Slice(Random random, int min, int max)
    {
        int length = random.Next(min, max + 1);
        return new Part(null, random.Next(0, FileLength - length + 1), length);
    }

    private readonly record struct Part(byte[]? Bytes, long Position, int Length);

    private sealed class FileSlice : DeferredRecords
    {
        private readonly FileSliceDispatcher _owner;
        private readonly long _position;

        public FileSlice(FileSliceDispatcher owner, long position, int length)
            : base(length)
        {
            _owner = owner;
            _position = position;
            Interlocked.Increment(ref owner._outstanding);
        }

        public override void CopyTo(long offset, Span<byte> destination)
        {
            int total = 0;
            while (total < destination.Length)
            {
                int read = RandomAccess.Read(_owner._file, destination[total..], _position + offset + total);
                if (read == 0)
                {
                    throw new IOException("the file no longer holds the slice");
                }
                total += read;
            }
            Interlocked.Add(ref _owner._copiedBytes, total);
        }

        public override bool TryGetFile([NotNullWhen(true)] out SafeFileHandle? file, out long position)
        {
            file = _owner._file;
            position = _position;
            return true;
        }

        protected override void OnReleased() => Interlocked.Decrement(ref _owner._outstanding);
    }
}
