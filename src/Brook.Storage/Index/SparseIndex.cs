using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Brook.Storage.Index;

/// <summary>
/// A sorted file of fixed-size (key, value) entries, searched for "the last entry whose key is at
/// most x". While its segment is active the entries are also kept in memory (bounded by
/// <c>segment.index.bytes</c>) and written to the file on flush; once the segment is sealed the
/// memory is dropped and lookups read the file (served from the page cache). Keys and values are
/// both non-decreasing (docs/log-invariants.md, "Indexes").
/// </summary>
internal abstract class SparseIndex : IDisposable
{
    private const int InitialCapacity = 64;
    /// <summary>Below this many bytes of candidates a lookup reads them in one go.</summary>
    private const int ChunkBytes = 4096;

    private readonly SafeFileHandle _file;
    private Entries? _memory;
    private int _count;
    private int _persistedCount;

    protected SparseIndex(string path, int maxEntries, bool create)
    {
        Path = path;
        MaxEntries = Math.Max(1, maxEntries);
        _file = File.OpenHandle(path, create ? FileMode.Create : FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
    }

    public string Path { get; }

    public int MaxEntries { get; }

    public int Count => Volatile.Read(ref _count);

    public bool IsFull => Count >= MaxEntries;

    protected abstract int EntrySize { get; }

    protected abstract void Encode(Span<byte> destination, long key, int value);

    protected abstract (long Key, int Value) Decode(ReadOnlySpan<byte> source);

    /// <summary>Starts empty and in memory (a new active segment).</summary>
    public void InitialiseEmpty()
    {
        RandomAccess.SetLength(_file, 0);
        _memory = new Entries(InitialCapacity);
        _count = 0;
        _persistedCount = 0;
    }

    /// <summary>
    /// Reads the file and checks its shape: whole entries, non-decreasing keys and values, values
    /// below <paramref name="valueLimit"/>. False when the index must be rebuilt.
    /// </summary>
    public bool TryLoad(long valueLimit, bool keepInMemory)
    {
        long length = RandomAccess.GetLength(_file);
        if (length % EntrySize != 0 || length / EntrySize > MaxEntries)
        {
            return false;
        }
        int count = (int)(length / EntrySize);
        var entries = new Entries(Math.Max(InitialCapacity, count));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(EntrySize, count * EntrySize));
        try
        {
            int read = ReadFully(buffer.AsSpan(0, count * EntrySize), 0);
            if (read != count * EntrySize)
            {
                return false;
            }
            long previousKey = long.MinValue;
            int previousValue = int.MinValue;
            for (int i = 0; i < count; i++)
            {
                var (key, value) = Decode(buffer.AsSpan(i * EntrySize, EntrySize));
                if (key < previousKey || value < previousValue || value >= valueLimit || value < 0)
                {
                    return false;
                }
                entries.Keys[i] = key;
                entries.Values[i] = value;
                previousKey = key;
                previousValue = value;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _memory = keepInMemory ? entries : null;
        _count = count;
        _persistedCount = count;
        return true;
    }

    /// <summary>Adds an entry to the in-memory tail; the caller keeps keys and values non-decreasing.</summary>
    protected void AppendEntry(long key, int value)
    {
        var memory = _memory ?? throw new InvalidOperationException("the index is sealed");
        int count = _count;
        if (count == memory.Keys.Length)
        {
            var grown = new Entries(count * 2);
            Array.Copy(memory.Keys, grown.Keys, count);
            Array.Copy(memory.Values, grown.Values, count);
            Volatile.Write(ref _memory, grown); // published before the count that needs it
            memory = grown;
        }
        memory.Keys[count] = key;
        memory.Values[count] = value;
        Volatile.Write(ref _count, count + 1);
    }

    public (long Key, int Value) Last() => Count == 0 ? (long.MinValue, -1) : EntryAt(Count - 1);

    /// <summary>The last entry whose key is at most <paramref name="key"/>, or false when none is.</summary>
    public bool TryFindFloor(long key, out long foundKey, out int foundValue)
    {
        int count = Volatile.Read(ref _count);
        var memory = Volatile.Read(ref _memory);
        int index = memory is not null ? FloorInMemory(memory, count, key) : FloorInFile(count, key, out foundKey, out foundValue);
        if (index < 0)
        {
            foundKey = 0;
            foundValue = 0;
            return false;
        }
        if (memory is not null)
        {
            foundKey = memory.Keys[index];
            foundValue = memory.Values[index];
        }
        else
        {
            (foundKey, foundValue) = EntryAt(index);
        }
        return true;
    }

    /// <summary>Writes entries not yet in the file; fsync follows with <see cref="Sync"/>.</summary>
    public void Persist()
    {
        var memory = _memory;
        int count = _count;
        if (memory is null || _persistedCount >= count)
        {
            return;
        }
        int pending = count - _persistedCount;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(pending * EntrySize);
        try
        {
            for (int i = 0; i < pending; i++)
            {
                Encode(buffer.AsSpan(i * EntrySize, EntrySize), memory.Keys[_persistedCount + i], memory.Values[_persistedCount + i]);
            }
            RandomAccess.Write(_file, buffer.AsSpan(0, pending * EntrySize), (long)_persistedCount * EntrySize);
            _persistedCount = count;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Sync() => RandomAccess.FlushToDisk(_file);

    /// <summary>Writes everything and drops the memory: the segment is closed for appends.</summary>
    public void Seal()
    {
        Persist();
        RandomAccess.SetLength(_file, (long)_count * EntrySize);
        Volatile.Write(ref _memory, null);
    }

    /// <summary>Keeps the first <paramref name="count"/> entries, in memory and on disk (reopening a sealed index).</summary>
    public void TruncateToCount(int count)
    {
        var entries = new Entries(Math.Max(InitialCapacity, count));
        for (int i = 0; i < count; i++)
        {
            (entries.Keys[i], entries.Values[i]) = EntryAt(i);
        }
        RandomAccess.SetLength(_file, (long)count * EntrySize);
        Volatile.Write(ref _memory, entries);
        Volatile.Write(ref _count, count);
        _persistedCount = count;
    }

    /// <summary>The number of leading entries for which <paramref name="keep"/> holds (entries are sorted).</summary>
    public int CountWhile(Func<long, int, bool> keep)
    {
        int count = Count;
        int low = 0;
        int high = count; // first entry not kept lies in [low, high]
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            var (key, value) = EntryAt(middle);
            if (keep(key, value))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    /// <summary>The last entry whose value is at most <paramref name="value"/> (values are non-decreasing too), or false when none is.</summary>
    public bool TryFindFloorByValue(int value, out long foundKey, out int foundValue)
    {
        int low = 0;
        int high = Count; // the first entry above the value lies in [low, high]
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (EntryAt(middle).Value <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        if (low == 0)
        {
            foundKey = 0;
            foundValue = 0;
            return false;
        }
        (foundKey, foundValue) = EntryAt(low - 1);
        return true;
    }

    public (long Key, int Value) EntryAt(int index)
    {
        var memory = Volatile.Read(ref _memory);
        if (memory is not null)
        {
            return (memory.Keys[index], memory.Values[index]);
        }
        Span<byte> entry = stackalloc byte[16];
        entry = entry[..EntrySize];
        if (ReadFully(entry, (long)index * EntrySize) != EntrySize)
        {
            throw new IOException($"index {Path} is shorter than its entry count");
        }
        return Decode(entry);
    }

    public void Dispose() => _file.Dispose();

    private static int FloorInMemory(Entries memory, int count, long key)
    {
        int index = Array.BinarySearch(memory.Keys, 0, count, key);
        if (index < 0)
        {
            return ~index - 1;
        }
        // Keys may repeat (time index); the last equal entry is the floor.
        while (index + 1 < count && memory.Keys[index + 1] == key)
        {
            index++;
        }
        return index;
    }

    private int FloorInFile(int count, long key, out long foundKey, out int foundValue)
    {
        foundKey = 0;
        foundValue = 0;
        int low = 0;
        int high = count - 1;
        int result = -1;
        // Narrow with single-entry reads, then finish from one chunk read.
        while (high - low + 1 > ChunkBytes / EntrySize)
        {
            int middle = (low + high) >>> 1;
            if (EntryAt(middle).Key <= key)
            {
                result = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        if (low > high)
        {
            return result;
        }
        Span<byte> chunk = stackalloc byte[ChunkBytes];
        int entries = high - low + 1;
        int read = ReadFully(chunk[..(entries * EntrySize)], (long)low * EntrySize);
        for (int i = 0; i < read / EntrySize; i++)
        {
            if (Decode(chunk.Slice(i * EntrySize, EntrySize)).Key > key)
            {
                break;
            }
            result = low + i;
        }
        return result;
    }

    private int ReadFully(Span<byte> destination, long position)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int read = RandomAccess.Read(_file, destination[total..], position + total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    private sealed class Entries(int capacity)
    {
        public long[] Keys { get; } = new long[capacity];

        public int[] Values { get; } = new int[capacity];
    }
}
