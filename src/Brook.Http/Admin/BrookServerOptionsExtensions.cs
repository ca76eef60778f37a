using Brook.Broker.Hosting;

namespace Brook.Http.Admin;

/// <summary>Adds Brook.Http's admin API to a server's options.</summary>
public static class BrookServerOptionsExtensions
{
    /// <summary>Serves <c>/v1/status/live</c>, <c>/v1/status/ready</c> and <c>/metrics</c> on the admin listener.</summary>
    public static BrookServerOptions WithAdminApi(this BrookServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AdminModules.Add(new AdminApiModule());
        return options;
    }
}
