using Microsoft.AspNetCore.Http;

namespace Brook.Broker.Hosting;

/// <summary>The admin listener's routes: exact paths, GET (and HEAD) only, for now.</summary>
public sealed class AdminRoutes
{
    private readonly Dictionary<string, RequestDelegate> _get = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Paths => _get.Keys;

    public void MapGet(string path, RequestDelegate handler)
    {
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"route '{path}' must start with '/'", nameof(path));
        }
        if (!_get.TryAdd(path, handler))
        {
            throw new InvalidOperationException($"route {path} is mapped twice");
        }
    }

    internal bool TryFind(string path, out RequestDelegate handler) => _get.TryGetValue(path, out handler!);
}
