using System.Buffers.Binary;
using System.Text;

namespace Brook.Protocol.Tests.Records;

/// <summary>Every captured fixture is a whole request frame whose header matches its file name.</summary>
public class CapturedFixtureFileTests
{
    private static readonly Dictionary<string, short> ApiKeys = new()
    {
        ["produce"] = 0,
        ["fetch"] = 1,
        ["metadata"] = 3,
        ["apiversions"] = 18,
    };

    public static TheoryData<string> AllFixtures => new(
        Directory.EnumerateFiles(FixtureDirectory(), "*.hex").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(AllFixtures))]
    public void Fixture_header_names_the_api_version_and_client_of_its_file(string fixture)
    {
        byte[] frame = CapturedFixtures.Load(fixture);
        string[] parts = fixture[..^".hex".Length].Split('-');
        int apiIndex = Array.FindIndex(parts, p => ApiKeys.ContainsKey(p));

        short apiKey = BinaryPrimitives.ReadInt16BigEndian(frame);
        short apiVersion = BinaryPrimitives.ReadInt16BigEndian(frame.AsSpan(2));
        short clientIdLength = BinaryPrimitives.ReadInt16BigEndian(frame.AsSpan(8));
        string clientId = Encoding.UTF8.GetString(frame, 10, clientIdLength);

        Assert.Equal(ApiKeys[parts[apiIndex]], apiKey);
        Assert.Equal("v" + apiVersion, parts[apiIndex + 1]);
        // librdkafka sends "rdkafka"; kafka-python "kafka-python-producer-1" or "kafka-python-2.0.2".
        Assert.StartsWith(fixture.StartsWith("librdkafka", StringComparison.Ordinal) ? "rdkafka" : "kafka-python-", clientId, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_lists_every_fixture()
    {
        string readme = File.ReadAllText(Path.Combine(FixtureDirectory(), "README.md"));

        foreach (string fixture in Directory.EnumerateFiles(FixtureDirectory(), "*.hex").Select(Path.GetFileName)!)
        {
            Assert.Contains($"`{fixture}`", readme, StringComparison.Ordinal);
        }
    }

    private static string FixtureDirectory() => CapturedFixtures.DirectoryPath;
}
