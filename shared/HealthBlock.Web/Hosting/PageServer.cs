using System.Net;
using HealthBlock.Web.Login;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Web;

/// <summary>
/// A role's page on a listener of its own (Kestrel on 127.0.0.1, port 0 = chosen by the OS): what a node starts for
/// <c>--web</c>. Loopback only — the page is for the person at the machine; see docs/web.md.
/// </summary>
public sealed class PageServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PageServer(WebApplication app, Uri url, string root, PageLogin login)
    {
        _app = app;
        Url = url;
        PageUrl = new Uri(url, root);
        Login = login;
    }

    /// <summary>The listener's base URL (http://127.0.0.1:port/).</summary>
    public Uri Url { get; }

    /// <summary>The page itself (<c>/patient</c> or <c>/doctor</c>).</summary>
    public Uri PageUrl { get; }

    /// <summary>Who may open the page.</summary>
    public PageLogin Login { get; }

    /// <summary>Serves the patient page of <paramref name="records"/>.</summary>
    public static Task<PageServer> StartPatientAsync(IPatientRecords records, PageLogin login, int port = 0, CancellationToken cancellationToken = default) =>
        StartAsync(port, login, "patient", s => s.AddPatientPages(records, login), a => a.MapPatientPages(), cancellationToken);

    /// <summary>Serves the doctor page of <paramref name="records"/>.</summary>
    public static Task<PageServer> StartDoctorAsync(IDoctorRecords records, PageLogin login, int port = 0, CancellationToken cancellationToken = default) =>
        StartAsync(port, login, "doctor", s => s.AddDoctorPages(records, login), a => a.MapDoctorPages(), cancellationToken);

    /// <summary>A login link that redeems a freshly issued one-time token (null when the login takes no tokens).</summary>
    public Uri? IssueLoginLink()
    {
        var token = Login.Tokens?.Issue();
        return token is null ? null : new Uri(PageUrl + "/login?token=" + token);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<PageServer> StartAsync(int port, PageLogin login, string root, Action<IServiceCollection> add, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(login);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(PageServer).Assembly.GetName().Name });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        add(builder.Services);
        var app = builder.Build();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        map(app);
        app.MapGet("/", () => Microsoft.AspNetCore.Http.Results.Redirect("/" + root)).AllowAnonymous();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PageServer(app, new Uri(address.EndsWith('/') ? address : address + "/"), root, login);
    }
}
