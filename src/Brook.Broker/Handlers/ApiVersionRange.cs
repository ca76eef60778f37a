namespace Brook.Broker.Handlers;

/// <summary>The versions of one API this broker serves, inclusive at both ends.</summary>
public readonly record struct ApiVersionRange(short Min, short Max)
{
    public bool Contains(short version) => version >= Min && version <= Max;
}
