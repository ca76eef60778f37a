using System.Buffers.Binary;

namespace Brook.Protocol.Tests.Records;

/// <summary>Loads the real-client request frames in tests/fixtures/captured.</summary>
internal static class CapturedFixtures
{
    /// <summary>The five records every captured Produce fixture carries (see the fixtures' README).</summary>
    public static readonly (string Key, string Value)[] SentRecords =
        [.. Enumerable.Range(1, 5).Select(i => ($"key-{i}", $"value-{i}:" + string.Concat(Enumerable.Repeat("abcdefghij", 20))))];

    public static readonly (string Key, string Value)[] SentHeaders = [("h1", "alpha"), ("h2", "beta")];

    public static byte[] Load(string fileName)
    {
        string text = File.ReadAllText(Path.Combine(DirectoryPath, fileName));
        return Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));
    }

    /// <summary>
    /// The one partition's <c>records</c> bytes of a non-flexible (v3-v8) Produce request frame,
    /// found by walking the request header and body by hand.
    /// </summary>
    public static byte[] ProduceRecords(byte[] frame)
    {
        var r = new Reader(frame);
        Assert.Equal(0, r.Int16()); // api_key Produce
        short version = r.Int16();
        Assert.InRange(version, (short)3, (short)8);
        r.Int32(); // correlation_id
        r.String(); // client_id
        r.String(); // transactional_id
        r.Int16(); // acks
        r.Int32(); // timeout_ms
        Assert.Equal(1, r.Int32()); // one topic
        r.String();
        Assert.Equal(1, r.Int32()); // one partition
        r.Int32();
        int length = r.Int32();
        byte[] records = r.Bytes(length);
        Assert.Equal(frame.Length, r.Position);
        return records;
    }

    public static string DirectoryPath { get; } = FindFixtureDirectory();

    private static string FindFixtureDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", "captured");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/fixtures/captured not found above " + AppContext.BaseDirectory);
    }

    private sealed class Reader(byte[] bytes)
    {
        public int Position { get; private set; }

        public short Int16()
        {
            short value = BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(Position));
            Position += 2;
            return value;
        }

        public int Int32()
        {
            int value = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(Position));
            Position += 4;
            return value;
        }

        public void String()
        {
            short length = Int16();
            Position += Math.Max((int)length, 0);
        }

        public byte[] Bytes(int length)
        {
            byte[] value = bytes.AsSpan(Position, length).ToArray();
            Position += length;
            return value;
        }
    }
}
