using System.Buffers.Binary;
using System.Collections.Concurrent;
using Brook.Broker.Network;

namespace Brook.Broker.Tests.Support;

/// <summary>
/// A dispatcher for network tests: answers each request with a v0 response header (its
/// correlation id) followed by the request's bytes after the fixed header start. When
/// <see cref="Hold"/> is set, each request waits until the test releases it.
/// </summary>
public sealed class TestDispatcher : IKafkaRequestDispatcher
{
    private readonly ConcurrentQueue<HeldRequest> _held = new();
    private int _received;
    private int _pending;
    private int _maxPending;
    private int _cancelled;

    /// <summary>Hold every request until <see cref="HeldRequest.Release"/>.</summary>
    public bool Hold { get; init; }

    /// <summary>Requests with this correlation id get <see cref="KafkaResponseAction.NoResponse"/>.</summary>
    public int? NoResponseFor { get; init; }

    /// <summary>Requests with this correlation id make the dispatcher throw.</summary>
    public int? ThrowFor { get; init; }

    public int Received => Volatile.Read(ref _received);

    /// <summary>The most requests that were dispatched and not yet completed at one time.</summary>
    public int MaxPending => Volatile.Read(ref _maxPending);

    /// <summary>Held requests whose connection went away before they were released.</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>Held requests in arrival order.</summary>
    public IReadOnlyList<HeldRequest> HeldRequests => [.. _held];

    public ValueTask<KafkaDispatchResult> DispatchAsync(KafkaRequestFrame request, KafkaResponseBuffer response, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _received);
        int pending = Interlocked.Increment(ref _pending);
        InterlockedMax(ref _maxPending, pending);
        if (request.CorrelationId == ThrowFor)
        {
            Interlocked.Decrement(ref _pending);
            throw new InvalidOperationException("the test dispatcher was told to fail");
        }
        if (!Hold)
        {
            return ValueTask.FromResult(Answer(request, response));
        }
        var held = new HeldRequest(request.CorrelationId);
        _held.Enqueue(held);
        return AnswerWhenReleasedAsync(held, request, response, cancellationToken);
    }

    private async ValueTask<KafkaDispatchResult> AnswerWhenReleasedAsync(HeldRequest held, KafkaRequestFrame request, KafkaResponseBuffer response, CancellationToken cancellationToken)
    {
        try
        {
            await held.Released.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _cancelled);
            throw;
        }
        return Answer(request, response);
    }

    private KafkaDispatchResult Answer(KafkaRequestFrame request, KafkaResponseBuffer response)
    {
        Interlocked.Decrement(ref _pending);
        if (request.CorrelationId == NoResponseFor)
        {
            return KafkaDispatchResult.NoResponse();
        }
        Span<byte> header = response.GetSpan(4);
        BinaryPrimitives.WriteInt32BigEndian(header, request.CorrelationId);
        response.Advance(4);
        request.AfterHeaderStart.Span.CopyTo(response.GetSpan(request.AfterHeaderStart.Length));
        response.Advance(request.AfterHeaderStart.Length);
        return KafkaDispatchResult.Send();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen)
        {
            int found = Interlocked.CompareExchange(ref target, value, seen);
            if (found == seen)
            {
                return;
            }
            seen = found;
        }
    }

    /// <summary>A request the test completes when it wants to.</summary>
    public sealed class HeldRequest
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldRequest(int correlationId)
        {
            CorrelationId = correlationId;
        }

        public int CorrelationId { get; }

        public Task Released => _release.Task;

        public void Release() => _release.TrySetResult();
    }
}
