namespace Brook.Broker.Hosting;

/// <summary>
/// A part of the admin HTTP API (status and metrics, later the schema registry or the HTTP
/// proxy). Modules live in Brook.Http, above the broker; the server hosts whatever it is given.
/// </summary>
public interface IAdminHttpModule
{
    /// <summary>Adds this module's routes; called once, before the server starts listening.</summary>
    void Map(AdminRoutes routes, BrookServer server);
}
