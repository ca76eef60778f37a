namespace Brook.Protocol.Messages;

/// <summary>
/// One Kafka API as the specs describe it: its versions and from which version on it uses the
/// flexible (compact, tagged) encoding. The table of all of them is <see cref="ApiMessageTypes"/>.
/// </summary>
public sealed class ApiMessageType
{
    public ApiMessageType(ApiKey key, string name, short lowestVersion, short highestVersion,
        short firstFlexibleRequestVersion, short firstFlexibleResponseVersion)
    {
        Key = key;
        Name = name;
        LowestVersion = lowestVersion;
        HighestVersion = highestVersion;
        FirstFlexibleRequestVersion = firstFlexibleRequestVersion;
        FirstFlexibleResponseVersion = firstFlexibleResponseVersion;
    }

    public ApiKey Key { get; }
    public string Name { get; }
    public short LowestVersion { get; }
    public short HighestVersion { get; }
    /// <summary>-1 when no request version is flexible.</summary>
    public short FirstFlexibleRequestVersion { get; }
    /// <summary>-1 when no response version is flexible.</summary>
    public short FirstFlexibleResponseVersion { get; }

    public bool IsSupported(short version) => version >= LowestVersion && version <= HighestVersion;

    /// <summary>
    /// Whether the request body of <paramref name="version"/> is flexible. Flexible ranges are
    /// open-ended, so versions above the highest known one count as flexible too.
    /// </summary>
    public bool IsFlexibleRequest(short version) => FirstFlexibleRequestVersion >= 0 && version >= FirstFlexibleRequestVersion;

    public bool IsFlexibleResponse(short version) => FirstFlexibleResponseVersion >= 0 && version >= FirstFlexibleResponseVersion;

    /// <summary>Request header version: 2 when flexible, else 1; ControlledShutdown v0 uses 0.</summary>
    public short RequestHeaderVersion(short apiVersion)
    {
        if (IsFlexibleRequest(apiVersion))
        {
            return 2;
        }
        return Key == ApiKey.ControlledShutdown && apiVersion == 0 ? (short)0 : (short)1;
    }

    /// <summary>Response header version: 1 when flexible, else 0; ApiVersions always uses 0.</summary>
    public short ResponseHeaderVersion(short apiVersion)
    {
        if (Key == ApiKey.ApiVersions)
        {
            return 0;
        }
        return IsFlexibleResponse(apiVersion) ? (short)1 : (short)0;
    }

    public override string ToString() => Name;
}
