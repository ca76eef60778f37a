using Brook.Protocol.Messages;

namespace Brook.Client.Connections;

/// <summary>
/// The versions one broker serves, as its ApiVersions response said, and the version this client
/// uses for each API: min(client max, broker max), provided the ranges overlap.
/// </summary>
public sealed class ApiVersionTable
{
    private readonly short[] _min = new short[ApiMessageTypes.Count];
    private readonly short[] _max = new short[ApiMessageTypes.Count];

    public ApiVersionTable(ApiVersionsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Array.Fill(_min, (short)-1);
        Array.Fill(_max, (short)-1);
        foreach (ApiVersionsResponse.ApiVersion api in response.ApiKeys)
        {
            if (api.ApiKey >= 0 && api.ApiKey < ApiMessageTypes.Count)
            {
                _min[api.ApiKey] = api.MinVersion;
                _max[api.ApiKey] = api.MaxVersion;
            }
        }
    }

    /// <summary>Whether the broker advertises <paramref name="key"/> at a version this client can speak.</summary>
    public bool Supports(ApiKey key) => TryGetVersion(key, out _);

    /// <summary>The broker's advertised range, or null when it does not serve the API.</summary>
    public (short Min, short Max)? BrokerRange(ApiKey key) =>
        _max[(int)key] < 0 ? null : (_min[(int)key], _max[(int)key]);

    public bool TryGetVersion(ApiKey key, out short version)
    {
        version = -1;
        short brokerMax = _max[(int)key];
        if (brokerMax < 0)
        {
            return false;
        }
        short clientMax = ClientMaxVersion(key);
        short chosen = Math.Min(clientMax, brokerMax);
        if (chosen < _min[(int)key] || chosen < ApiMessageTypes.Get(key).LowestVersion)
        {
            return false;
        }
        version = chosen;
        return true;
    }

    /// <summary>
    /// The highest version this client sends. Generated code knows every spec version; Fetch stops
    /// at 12 because 13+ names topics by id only, which the consumer does not track.
    /// </summary>
    public static short ClientMaxVersion(ApiKey key) => key switch
    {
        ApiKey.Fetch => 12,
        _ => ApiMessageTypes.Get(key).HighestVersion,
    };
}
