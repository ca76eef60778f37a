namespace Brook.Broker.Configuration;

/// <summary>A setting that cannot be used; the message names the setting and where it came from.</summary>
public sealed class BrookConfigurationException : Exception
{
    public BrookConfigurationException()
    {
    }

    public BrookConfigurationException(string message)
        : base(message)
    {
    }

    public BrookConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
