namespace Brook.Protocol.Tests.Golden;

/// <summary>The names of the captured request frames, grouped as the golden tests use them.</summary>
internal static class CapturedFrameFixtures
{
    public static readonly string[] Codecs = ["none", "gzip", "snappy", "lz4", "zstd"];

    public static readonly string[] All =
    [
        "librdkafka-2.0.2-apiversions-v3.hex",
        "librdkafka-2.0.2-metadata-v4.hex",
        .. Codecs.Select(c => $"librdkafka-2.0.2-produce-v7-{c}.hex"),
        "librdkafka-2.0.2-fetch-v11.hex",
        "kafka-python-2.0.2-apiversions-v0.hex",
        "kafka-python-2.0.2-metadata-v0.hex",
        "kafka-python-2.0.2-metadata-v1.hex",
        .. Codecs.Select(c => $"kafka-python-2.0.2-produce-v7-{c}.hex"),
        "kafka-python-2.0.2-fetch-v4.hex",
    ];
}
