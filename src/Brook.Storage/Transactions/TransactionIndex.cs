using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Brook.Storage.Transactions;

/// <summary>
/// A segment's aborted-transactions index (<c>NNNN.txnindex</c>): fixed-size
/// <see cref="AbortedTransaction"/> entries in marker order, so sorted by <c>LastOffset</c>. The
/// file exists only once a segment holds an ABORT marker. Nothing is kept in memory but the entry
/// count; lookups binary-search the file with <c>pread</c> (page cache). Appends come under the
/// log's append lock; readers hold a reference on the segment (docs/log-invariants.md §14–15).
/// </summary>
internal sealed class TransactionIndex : IDisposable
{
    private readonly Lock _openLock = new();
    private SafeFileHandle? _file;
    private int _count;
    private bool _dirty;

    public TransactionIndex(string path)
    {
        Path = path;
        if (File.Exists(path))
        {
            long length = new FileInfo(path).Length;
            _count = (int)(length / AbortedTransaction.Size);
        }
    }

    public string Path { get; }

    public int Count => Volatile.Read(ref _count);

    public void Append(AbortedTransaction entry)
    {
        Span<byte> bytes = stackalloc byte[AbortedTransaction.Size];
        entry.WriteTo(bytes);
        int count = _count;
        RandomAccess.Write(Handle(), bytes, (long)count * AbortedTransaction.Size);
        _dirty = true;
        Volatile.Write(ref _count, count + 1);
    }

    /// <summary>
    /// Adds the entries whose transaction overlaps [<paramref name="fetchOffset"/>,
    /// <paramref name="upperBound"/>) to <paramref name="into"/>; true when an entry shows that no
    /// later segment can hold another (its last stable offset reaches the upper bound).
    /// </summary>
    public bool Collect(long fetchOffset, long upperBound, List<AbortedTransaction> into)
    {
        int count = Count;
        if (count == 0)
        {
            return false;
        }
        SafeFileHandle file = Handle();
        Span<byte> one = stackalloc byte[AbortedTransaction.Size];
        // Entries are sorted by marker offset: skip those that ended before the fetch offset.
        int low = 0;
        int high = count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (ReadEntry(file, middle, one, out AbortedTransaction probe) && probe.LastOffset < fetchOffset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        const int ChunkEntries = 64;
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkEntries * AbortedTransaction.Size);
        try
        {
            for (int at = low; at < count; at += ChunkEntries)
            {
                int entries = Math.Min(ChunkEntries, count - at);
                int read = RandomAccess.Read(file, chunk.AsSpan(0, entries * AbortedTransaction.Size), (long)at * AbortedTransaction.Size);
                for (int i = 0; i + AbortedTransaction.Size <= read; i += AbortedTransaction.Size)
                {
                    if (!AbortedTransaction.TryRead(chunk.AsSpan(i), out AbortedTransaction entry))
                    {
                        return false;
                    }
                    if (entry.FirstOffset < upperBound)
                    {
                        into.Add(entry);
                    }
                    if (entry.LastStableOffset >= upperBound)
                    {
                        return true;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return false;
    }

    /// <summary>
    /// Replaces the index file by a copy without the entries whose marker is at one of
    /// <paramref name="markerOffsets"/> (compaction dropped those markers): written to
    /// <paramref name="scratchPath"/>, fsync'd, renamed over the index. Readers holding this
    /// index's handle keep reading the old file; a new index object opens the new one.
    /// </summary>
    public void WriteWithout(IReadOnlyCollection<long> markerOffsets, string scratchPath)
    {
        ArgumentNullException.ThrowIfNull(markerOffsets);
        int count = Count;
        Span<byte> one = stackalloc byte[AbortedTransaction.Size];
        using (SafeFileHandle scratch = File.OpenHandle(scratchPath, FileMode.Create, FileAccess.Write))
        {
            long written = 0;
            for (int i = 0; i < count; i++)
            {
                if (ReadEntry(Handle(), i, one, out AbortedTransaction entry) && !markerOffsets.Contains(entry.LastOffset))
                {
                    RandomAccess.Write(scratch, one, written);
                    written += AbortedTransaction.Size;
                }
            }
            RandomAccess.FlushToDisk(scratch);
        }
        File.Move(scratchPath, Path, overwrite: true);
    }

    /// <summary>Removes the entries whose marker is at or after <paramref name="offset"/> (log truncation).</summary>
    public void TruncateTo(long offset)
    {
        int count = Count;
        if (count == 0)
        {
            return;
        }
        SafeFileHandle file = Handle();
        Span<byte> one = stackalloc byte[AbortedTransaction.Size];
        int keep = count;
        while (keep > 0 && (!ReadEntry(file, keep - 1, one, out AbortedTransaction last) || last.LastOffset >= offset))
        {
            keep--;
        }
        SetCount(keep);
    }

    /// <summary>Empties the index (recovery rebuilds it from the segment).</summary>
    public void Reset()
    {
        if (_file is not null || File.Exists(Path))
        {
            SetCount(0);
        }
    }

    /// <summary>
    /// Cuts a torn tail (a partly written last entry, or a last entry that does not read back)
    /// so the index holds whole entries; true when something was cut. Only the tail is checked:
    /// entries are appended one at a time, so damage from a crash can only be there.
    /// </summary>
    public bool CutTornTail()
    {
        if (!File.Exists(Path))
        {
            return false;
        }
        long length = new FileInfo(Path).Length;
        int whole = (int)(length / AbortedTransaction.Size);
        Span<byte> one = stackalloc byte[AbortedTransaction.Size];
        int valid = whole;
        while (valid > 0 && !ReadEntry(Handle(), valid - 1, one, out _))
        {
            valid--;
        }
        if (valid == whole && length == (long)whole * AbortedTransaction.Size)
        {
            return false;
        }
        SetCount(valid);
        return true;
    }

    public void Flush()
    {
        if (_dirty && _file is { } file)
        {
            RandomAccess.FlushToDisk(file);
            _dirty = false;
        }
    }

    public void Dispose() => _file?.Dispose();

    private void SetCount(int count)
    {
        RandomAccess.SetLength(Handle(), (long)count * AbortedTransaction.Size);
        _dirty = true;
        Volatile.Write(ref _count, count);
    }

    private static bool ReadEntry(SafeFileHandle file, int index, Span<byte> buffer, out AbortedTransaction entry)
    {
        int read = RandomAccess.Read(file, buffer, (long)index * AbortedTransaction.Size);
        entry = default;
        return read == AbortedTransaction.Size && AbortedTransaction.TryRead(buffer, out entry);
    }

    private SafeFileHandle Handle()
    {
        SafeFileHandle? file = Volatile.Read(ref _file);
        if (file is not null)
        {
            return file;
        }
        lock (_openLock)
        {
            _file ??= File.OpenHandle(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return _file;
        }
    }
}
