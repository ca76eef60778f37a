using Brook.Protocol.Tests.Records;

namespace Brook.Protocol.Tests.Golden;

/// <summary>
/// The strongest check of the generated code: every real-client frame, decoded and written back
/// at the same version, comes out byte for byte as the client sent it.
/// </summary>
public class ReencodedFrameTests
{
    public static TheoryData<string> Fixtures => new(CapturedFrameFixtures.All);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Captured_frame_reencodes_to_exactly_the_bytes_the_client_sent(string fixture)
    {
        GoldenFrame frame = GoldenFrame.Load(fixture);

        byte[] reencoded = frame.Reencode();

        Assert.Equal(Convert.ToHexString(frame.Bytes), Convert.ToHexString(reencoded));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Decoded_body_says_it_takes_exactly_the_frame_bytes_after_the_header(string fixture)
    {
        GoldenFrame frame = GoldenFrame.Load(fixture);
        short headerVersion = Brook.Protocol.Messages.ApiMessageTypes.Get(frame.Body.ApiKey).RequestHeaderVersion(frame.Header.RequestApiVersion);

        int size = frame.Header.ComputeSize(headerVersion) + frame.Body.ComputeSize(frame.Header.RequestApiVersion);

        Assert.Equal(frame.Bytes.Length, size);
    }

    [Fact]
    public void Every_captured_fixture_file_has_a_golden_test()
    {
        string[] files = [.. Directory.GetFiles(CapturedFixtures.DirectoryPath, "*.hex").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

        Assert.Equal(files, CapturedFrameFixtures.All.Order(StringComparer.Ordinal));
    }
}
