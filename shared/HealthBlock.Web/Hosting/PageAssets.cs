using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HealthBlock.Web.Hosting;

/// <summary>
/// Serves the scripts and styles built into this assembly (<c>wwwroot/</c>: uPlot's release file, the page script and
/// style) at <c>/assets/…</c>: no CDN, no npm, nothing read from disk.
/// </summary>
internal static class PageAssets
{
    private static readonly Assembly Assembly = typeof(PageAssets).Assembly;

    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["uplot/uPlot.iife.min.js"] = "wwwroot/lib/uplot/uPlot.iife.min.js",
        ["uplot/uPlot.min.css"] = "wwwroot/lib/uplot/uPlot.min.css",
        ["healthblock.js"] = "wwwroot/js/healthblock.js",
        ["healthblock.css"] = "wwwroot/css/healthblock.css",
    };

    /// <summary>The bytes of an embedded file (e.g. <c>wwwroot/lib/uplot/uPlot.iife.min.js</c>).</summary>
    public static byte[] Read(string resource)
    {
        using var stream = Assembly.GetManifestResourceStream(resource) ?? throw new FileNotFoundException($"{resource} is not embedded in {Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var cache = Files.ToDictionary(f => f.Key, f => Read(f.Value), StringComparer.Ordinal);
        endpoints.MapGet("/assets/{**path}", (string path, HttpContext context) =>
        {
            if (!cache.TryGetValue(path, out var bytes))
            {
                return Results.NotFound();
            }

            context.Response.Headers.CacheControl = "private, max-age=3600";
            return Results.Bytes(bytes, path.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
        }).AllowAnonymous();
    }
}
