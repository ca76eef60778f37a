using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Brook.Broker.Hosting;

/// <summary>
/// The admin listener's request loop, given straight to Kestrel without the generic host or the
/// routing middleware: a dictionary lookup is all a handful of fixed paths need, and it keeps
/// startup cheap.
/// </summary>
internal sealed class AdminHttpApplication : IHttpApplication<HttpContext>
{
    private readonly AdminRoutes _routes;

    public AdminHttpApplication(AdminRoutes routes)
    {
        _routes = routes;
    }

    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    public Task ProcessRequestAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        if (!_routes.TryFind(path, out RequestDelegate handler))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        }
        return handler(context);
    }

    public void DisposeContext(HttpContext context, Exception? exception)
    {
    }
}
